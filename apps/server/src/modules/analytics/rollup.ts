import type { AnalyticsFilter, DurationStats } from '@serviceloop/contracts';
import { and, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';

/**
 * The daily KPI rollup (`kpi_daily`, migration 0020): per China-time day and per slice — every
 * ticket, or the tickets of one region, industry, product model, fault category, channel or
 * priority — additive measures (counts, sums, numerators and denominators) and duration
 * histograms. The facts subscriber keeps it current by subtracting a changed ticket's old
 * contribution and adding its new one (facts.ts), so a year of KPIs reads 365 rows instead of
 * aggregating and sorting half a million facts.
 *
 * Days are China Standard Time (UTC+8 all year, no daylight saving), like the fault statistics.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHINA_OFFSET = 8 * HOUR;

/** The China-time date of an instant (epoch milliseconds). */
export const chinaDay = (epochMs: number): string => new Date(epochMs + CHINA_OFFSET).toISOString().slice(0, 10);
const isChinaMidnight = (iso: string) => (Date.parse(iso) + CHINA_OFFSET) % DAY === 0;

/**
 * Duration histograms: bucket 0 holds durations of zero (or less: bad data), bucket k ≥ 1 those
 * in [2^((k−1)/8 − 10), 2^(k/8 − 10)) minutes — eight buckets per doubling, each 9 % wide, from
 * about 0.06 seconds up (bucket 1 also takes anything shorter). A percentile read from them lies
 * in the same bucket as the true one (see `percentile`), so it is off by at most 4.5 % of the true
 * value (and under 0.001 min for the shortest); zero is exact. docs/kpis.md states the bound.
 */
export const BUCKETS_PER_DOUBLING = 8;
const SMALLEST_DOUBLING = -10;
export const bucketOf = (minutes: number): number =>
  minutes <= 0 ? 0 : Math.max(1, 1 + Math.floor((Math.log2(minutes) - SMALLEST_DOUBLING) * BUCKETS_PER_DOUBLING));
const bucketEnd = (k: number) => 2 ** (k / BUCKETS_PER_DOUBLING + SMALLEST_DOUBLING);

export type Histogram = Map<number, number>;

/**
 * The p-quantile (linear interpolation between ranks, as `percentile_cont`) of the durations a
 * histogram counts. The item of each rank is known to lie in its bucket and is read as the
 * bucket's geometric middle: at most 2^(1/16) − 1 ≈ 4.4 % off. The interpolation between two
 * ranks keeps that bound. Zero is exact; bucket 1 (under 0.001 min) is read as its middle.
 */
export function percentile(histogram: Histogram, p: number): number | null {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const middle = (k: number) =>
    k === 0 ? 0 : k === 1 ? bucketEnd(1) / 2 : bucketEnd(k - 1) * 2 ** (0.5 / BUCKETS_PER_DOUBLING);
  const at = (rank: number): number => {
    let before = 0;
    for (const [k, n] of buckets) {
      if (rank < before + n) return middle(k);
      before += n;
    }
    return middle(buckets.at(-1)![0]);
  };
  const rank = p * (total - 1);
  const low = Math.floor(rank);
  const value = at(low);
  return rank === low ? value : value + (rank - low) * (at(low + 1) - value);
}

/** A fact row as the rollup needs it (ticket_facts, times as epoch milliseconds). */
export interface FactRow {
  created_at: number;
  closed_at: number | null;
  cancelled: boolean;
  region_code: string | null;
  industry: string | null;
  product_model_id: string | null;
  category_id: string | null;
  root_category_id: string | null;
  channel: string;
  priority: string | null;
  response_minutes: number | null;
  close_minutes: number | null;
  suspended_minutes: number;
  business_close_minutes: number | null;
  response_met: boolean | null;
  resolution_met: boolean | null;
  visits: number;
  reopened: boolean;
  repeated: boolean;
  csat: number | null;
  nps: number | null;
  labour_minutes: number;
  travel_minutes: number;
  parts_cost_fen: number;
}

/** Reads the fact rows of these tickets in the shape `FactRow` describes. */
export function readFacts(db: Executor, where: SQL): Promise<FactRow[]> {
  return rows<FactRow>(
    db,
    sql`select extract(epoch from f.created_at)::float8 * 1000 as created_at,
          extract(epoch from f.closed_at)::float8 * 1000 as closed_at, f.cancelled, f.region_code, f.industry,
          f.product_model_id::text as product_model_id, f.category_id::text as category_id,
          f.root_category_id::text as root_category_id, f.channel, f.priority, f.response_minutes, f.close_minutes,
          f.suspended_minutes, f.business_close_minutes, f.response_met, f.resolution_met, f.visits, f.reopened,
          f.repeated, f.csat, f.nps, f.labour_minutes, f.travel_minutes, f.parts_cost_fen::float8 as parts_cost_fen
        from ticket_facts f where ${where}`,
  );
}

/** The additive measures of a rollup row, as named in kpi_daily. */
const COUNTS = [
  'closed',
  'fcr',
  'onsite',
  'ftf',
  'resolve_ms',
  'net_ms',
  'business_n',
  'business_ms',
  'resolution_n',
  'resolution_met',
  'csat_n',
  'csat_sum',
  'csat_happy',
  'nps_n',
  'promoters',
  'detractors',
  'repeated',
  'labour_minutes',
  'travel_minutes',
  'parts_cost_fen',
  'created',
  'respond_n',
  'respond_ms',
  'response_n',
  'response_met',
] as const;
const HISTOGRAMS = ['resolve_hist', 'net_hist', 'business_hist', 'respond_hist'] as const;
type Count = (typeof COUNTS)[number];
type HistogramName = (typeof HISTOGRAMS)[number];

interface Cell {
  day: string;
  dimension: string;
  value: string;
  counts: Record<Count, number>;
  histograms: Record<HistogramName, Histogram>;
}

/** The slices a ticket belongs to: everything, and each of its filterable dimensions. */
function slicesOf(f: FactRow): [string, string][] {
  const slices: [string, string | null][] = [
    ['all', ''],
    ['region', f.region_code],
    ['industry', f.industry],
    ['productModel', f.product_model_id],
    ['category', f.category_id],
    // A category filter includes the sub-types: the ticket also counts under its root category.
    ['category', f.root_category_id !== f.category_id ? f.root_category_id : null],
    ['channel', f.channel],
    ['priority', f.priority],
  ];
  return slices.filter((s): s is [string, string] => s[1] !== null);
}

const ms = (minutes: number) => Math.round(minutes * 60_000);

/**
 * Contributions of fact rows to the rollup, each multiplied by `sign`: +1 for a ticket's new
 * facts, −1 for its previous ones. Accumulates into `cells` (keyed by slice and day).
 */
export function contribute(cells: Map<string, Cell>, facts: readonly FactRow[], sign: 1 | -1): void {
  const cell = (day: string, [dimension, value]: [string, string]): Cell => {
    const key = `${dimension}\u0000${value}\u0000${day}`;
    let c = cells.get(key);
    if (!c) {
      c = {
        day,
        dimension,
        value,
        counts: Object.fromEntries(COUNTS.map((n) => [n, 0])) as Record<Count, number>,
        histograms: Object.fromEntries(HISTOGRAMS.map((n) => [n, new Map()])) as Record<HistogramName, Histogram>,
      };
      cells.set(key, c);
    }
    return c;
  };
  const count = (h: Histogram, minutes: number) => {
    const k = bucketOf(minutes);
    h.set(k, (h.get(k) ?? 0) + sign);
  };
  for (const f of facts) {
    const slices = slicesOf(f);
    if (f.closed_at !== null) {
      const day = chinaDay(f.closed_at);
      for (const slice of slices) {
        const { counts: c, histograms: h } = cell(day, slice);
        c.closed += sign;
        if (f.visits === 0 && !f.reopened) c.fcr += sign;
        if (f.visits > 0) c.onsite += sign;
        if (f.visits === 1 && !f.reopened) c.ftf += sign;
        if (f.close_minutes !== null) {
          c.resolve_ms += sign * ms(f.close_minutes);
          count(h.resolve_hist, f.close_minutes);
          const net = f.close_minutes - f.suspended_minutes;
          c.net_ms += sign * ms(net);
          count(h.net_hist, net);
        }
        if (f.business_close_minutes !== null) {
          c.business_n += sign;
          c.business_ms += sign * ms(f.business_close_minutes);
          count(h.business_hist, f.business_close_minutes);
        }
        if (f.resolution_met !== null) {
          c.resolution_n += sign;
          if (f.resolution_met) c.resolution_met += sign;
        }
        if (f.csat !== null) {
          c.csat_n += sign;
          c.csat_sum += sign * f.csat;
          if (f.csat >= 4) c.csat_happy += sign;
        }
        if (f.nps !== null) {
          c.nps_n += sign;
          if (f.nps >= 9) c.promoters += sign;
          if (f.nps <= 6) c.detractors += sign;
        }
        if (f.repeated) c.repeated += sign;
        c.labour_minutes += sign * f.labour_minutes;
        c.travel_minutes += sign * f.travel_minutes;
        c.parts_cost_fen += sign * f.parts_cost_fen;
      }
    }
    if (!f.cancelled) {
      const day = chinaDay(f.created_at);
      for (const slice of slices) {
        const { counts: c, histograms: h } = cell(day, slice);
        c.created += sign;
        if (f.response_minutes !== null) {
          c.respond_n += sign;
          c.respond_ms += sign * ms(f.response_minutes);
          count(h.respond_hist, f.response_minutes);
        }
        if (f.response_met !== null) {
          c.response_n += sign;
          if (f.response_met) c.response_met += sign;
        }
      }
    }
  }
}

const columns = sql.raw([...COUNTS, ...HISTOGRAMS].join(', '));
const recordType = sql.raw(
  [...COUNTS.map((n) => `${n} ${/_(ms|minutes|fen)$/.test(n) ? 'bigint' : 'integer'}`)]
    .concat(HISTOGRAMS.map((n) => `${n} jsonb`))
    .join(', '),
);
const merge = sql.raw(
  [
    ...COUNTS.map((n) => `${n} = kpi_daily.${n} + excluded.${n}`),
    ...HISTOGRAMS.map((n) => `${n} = kpi_histogram_add(kpi_daily.${n}, excluded.${n})`),
  ].join(', '),
);

/**
 * Adds the accumulated contributions to kpi_daily (one statement per 5,000 rows) and drops the
 * rows nothing counts in any more. Callers hold the projection lock (facts.ts).
 */
export async function applyToRollup(db: Executor, cells: Map<string, Cell>): Promise<void> {
  const changed = [...cells.values()]
    .map((c) => {
      const histograms = HISTOGRAMS.map((n) => [n, [...c.histograms[n]].filter(([, v]) => v !== 0)] as const);
      return {
        empty: COUNTS.every((n) => c.counts[n] === 0) && histograms.every(([, entries]) => entries.length === 0),
        row: {
          day: c.day,
          dimension: c.dimension,
          value: c.value,
          ...c.counts,
          ...Object.fromEntries(histograms.map(([n, entries]) => [n, Object.fromEntries(entries)])),
        },
      };
    })
    .filter((c) => !c.empty)
    .map((c) => c.row);
  for (let i = 0; i < changed.length; i += 5_000) {
    const chunk = JSON.stringify(changed.slice(i, i + 5_000));
    await db.execute(sql`
      insert into kpi_daily (day, dimension, value, ${columns})
      select day, dimension, value, ${columns}
      from jsonb_to_recordset(${chunk}::jsonb) as c(day date, dimension text, value text, ${recordType})
      on conflict (dimension, value, day) do update set ${merge}`);
    await db.execute(sql`
      delete from kpi_daily k
      using jsonb_to_recordset(${chunk}::jsonb) as c(day date, dimension text, value text)
      where k.dimension = c.dimension and k.value = c.value and k.day = c.day and k.closed = 0 and k.created = 0`);
  }
}

/** Whom a KPI request may see, as far as the rollup can tell: everything, some regions, or neither. */
export type RollupScope = { kind: 'all' } | { kind: 'regions'; codes: readonly string[] } | { kind: 'other' };

const SLICE_OF = {
  regionCode: 'region',
  industry: 'industry',
  productModelId: 'productModel',
  categoryId: 'category',
  channel: 'channel',
  priority: 'priority',
} as const;

/**
 * The rollup rows that answer a KPI request, or null when only the facts can: a period that does
 * not start and end at China-time midnight, more than one dimension filter, a filter the rollup
 * has no slice for (customer, batch, team, engineer, custom field), or a scope narrower than a
 * set of regions.
 */
export function rollupSelection(filter: AnalyticsFilter, scope: RollupScope): SQL | null {
  if ((filter.from && !isChinaMidnight(filter.from)) || (filter.to && !isChinaMidnight(filter.to))) return null;
  if (filter.customerId || filter.batch || filter.teamId || filter.engineerId || filter.field) return null;
  if (scope.kind === 'other') return null;
  const sliced = (Object.keys(SLICE_OF) as (keyof typeof SLICE_OF)[]).filter((k) => filter[k] !== undefined);
  if (sliced.length > 1) return null;
  const period = and(
    filter.from ? sql`k.day >= ${chinaDay(Date.parse(filter.from))}::date` : undefined,
    filter.to ? sql`k.day < ${chinaDay(Date.parse(filter.to))}::date` : undefined,
  );
  const textList = (values: readonly string[]) =>
    sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
  if (scope.kind === 'regions') {
    // The region slices are disjoint (a ticket has one region), so their sum is the scope's total.
    if (sliced.length === 1 && sliced[0] !== 'regionCode') return null;
    const codes = filter.regionCode ? scope.codes.filter((c) => c === filter.regionCode) : scope.codes;
    return and(sql`k.dimension = 'region' and k.value = any(${textList(codes)})`, period)!;
  }
  const [only] = sliced;
  if (!only) return and(sql`k.dimension = 'all' and k.value = ''`, period)!;
  return and(sql`k.dimension = ${SLICE_OF[only]} and k.value = ${String(filter[only])}`, period)!;
}

/** Sums of the measures and merged histograms of the selected rollup rows. */
export async function readRollup(
  db: Executor,
  selection: SQL,
): Promise<{ counts: Record<Count, number>; histograms: Record<HistogramName, Histogram> }> {
  const sums = sql.raw(COUNTS.map((n) => `coalesce(sum(k.${n}), 0)::float8 as ${n}`).join(', '));
  const histogramColumns = sql.raw(HISTOGRAMS.map((n) => `('${n}', k.${n})`).join(', '));
  const [[totals], buckets] = await Promise.all([
    rows<Record<Count, number>>(db, sql`select ${sums} from kpi_daily k where ${selection}`),
    rows<{ name: HistogramName; bucket: number; n: number }>(
      db,
      sql`select m.name, b.key::int as bucket, sum(b.value::int)::float8 as n
          from kpi_daily k
            cross join lateral (values ${histogramColumns}) m(name, histogram)
            cross join lateral jsonb_each_text(m.histogram) b
          where ${selection}
          group by 1, 2`,
    ),
  ]);
  const histograms = Object.fromEntries(HISTOGRAMS.map((n) => [n, new Map()])) as Record<HistogramName, Histogram>;
  for (const b of buckets) histograms[b.name].set(Number(b.bucket), Number(b.n));
  const counts = Object.fromEntries(COUNTS.map((n) => [n, Number(totals![n])])) as Record<Count, number>;
  return { counts, histograms };
}

/** Count, mean, median and p90 of a duration from its sum (milliseconds) and histogram. */
export function durationFromRollup(count: number, sumMs: number, histogram: Histogram): DurationStats {
  return {
    count,
    mean: count > 0 ? sumMs / 60_000 / count : null,
    median: percentile(histogram, 0.5),
    p90: percentile(histogram, 0.9),
  };
}
