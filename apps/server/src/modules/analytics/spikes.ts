import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows, textArray } from '../../platform/db/client';
import { provinceName } from '../customers/index';

/**
 * Spike alerts: a product model, batch or region whose tickets in the last `windowDays` rise
 * significantly above its own baseline.
 *
 * The test (documented in docs/kpis.md): the baseline rate λ is the mean count per window over the
 * `baselineWindows` windows before it (floored at `minBaseline`, so a quiet series doesn't alarm
 * on its first two tickets); the window's count k is a spike when k ≥ `minCount` and the one-sided
 * Poisson tail P(X ≥ k | λ) is below `alpha`. Poisson because ticket arrivals per window are counts of
 * independent reports; one-sided because only rises matter here.
 */
export interface SpikeOptions {
  windowDays: number;
  baselineWindows: number;
  alpha: number;
  minCount: number;
  minBaseline: number;
}

export const DEFAULT_SPIKE_OPTIONS: SpikeOptions = {
  windowDays: 7,
  baselineWindows: 8,
  alpha: 0.001,
  minCount: 5,
  minBaseline: 0.5,
};

/** P(X ≥ k) for X ~ Poisson(λ), summed in log space so large counts neither overflow nor underflow. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // 1 − P(X ≤ k − 1), with the terms built iteratively: p(i) = p(i−1) · λ / i.
  let term = Math.exp(-lambda);
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= lambda / i;
    below += term;
  }
  return Math.max(0, 1 - below);
}

export interface Spike {
  dimension: 'productModel' | 'batch' | 'region';
  key: string;
  count: number;
  baseline: number;
  pValue: number;
  /** The model's name or the province's; the batch code itself. */
  label: string;
}

const DIMENSIONS: Record<Spike['dimension'], SQL> = {
  productModel: sql`f.product_model_id::text`,
  batch: sql`f.batch`,
  region: sql`f.region_code`,
};

/** The spikes of the window that ends at `now`, strongest first. */
export async function detectSpikes(
  db: Executor,
  now: Date,
  scope: SQL = sql`true`,
  options: SpikeOptions = DEFAULT_SPIKE_OPTIONS,
) {
  const windowMs = options.windowDays * 86_400_000;
  const windowStart = new Date(now.getTime() - windowMs);
  const baselineStart = new Date(windowStart.getTime() - options.baselineWindows * windowMs);
  const found: Spike[] = [];
  for (const [dimension, key] of Object.entries(DIMENSIONS) as [Spike['dimension'], SQL][]) {
    const counts = await rows<{ key: string; recent: number; before: number }>(
      db,
      sql`select ${key} as key,
            count(*) filter (where f.created_at >= ${windowStart.toISOString()}::timestamptz)::int as recent,
            count(*) filter (where f.created_at < ${windowStart.toISOString()}::timestamptz)::int as before
          from ticket_facts f
          where not f.cancelled and ${key} is not null and ${scope}
            and f.created_at >= ${baselineStart.toISOString()}::timestamptz and f.created_at < ${now.toISOString()}::timestamptz
          group by 1
          having count(*) filter (where f.created_at >= ${windowStart.toISOString()}::timestamptz) >= ${options.minCount}`,
    );
    for (const c of counts) {
      const baseline = Math.max(options.minBaseline, c.before / options.baselineWindows);
      const pValue = poissonUpperTail(c.recent, baseline);
      if (pValue < options.alpha)
        found.push({ dimension, key: c.key, count: c.recent, baseline, pValue, label: c.key });
    }
  }
  const modelIds = found.filter((f) => f.dimension === 'productModel').map((f) => f.key);
  const names = new Map(
    modelIds.length
      ? (
          await rows<{ id: string; name: string }>(
            db,
            sql`select id::text, name from product_models where id::text = any(${textArray(modelIds)})`,
          )
        ).map((m) => [m.id, m.name])
      : [],
  );
  for (const f of found) {
    if (f.dimension === 'productModel') f.label = names.get(f.key) ?? f.key;
    if (f.dimension === 'region') f.label = provinceName(f.key);
  }
  return found.sort((a, b) => a.pValue - b.pValue);
}
