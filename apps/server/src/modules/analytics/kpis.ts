import type { AnalyticsFilter, Backlog, DurationStats, Kpis, Ratio } from '@serviceloop/contracts';
import { and, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import { durationFromRollup, type RollupScope, readRollup, rollupSelection } from './rollup';

/**
 * The KPI queries, over `ticket_facts` (alias `f`). Definitions, in words, are in docs/kpis.md;
 * keep the two in step. Closure KPIs count tickets *closed* in the period; response KPIs count
 * tickets *created* in it; the backlog is as of now.
 */

/** Every dimension filter except the period, which each KPI applies to its own timestamp. */
export function dimensionFilter(filter: AnalyticsFilter): SQL | undefined {
  const [fieldKey, fieldValue] = filter.field ? splitOnce(filter.field, '=') : [];
  return and(
    filter.regionCode ? sql`f.region_code = ${filter.regionCode}` : undefined,
    filter.customerId ? sql`f.customer_id = ${filter.customerId}` : undefined,
    filter.industry ? sql`f.industry = ${filter.industry}` : undefined,
    filter.productModelId ? sql`f.product_model_id = ${filter.productModelId}` : undefined,
    filter.batch ? sql`f.batch = ${filter.batch}` : undefined,
    filter.categoryId
      ? sql`(f.category_id = ${filter.categoryId} or f.root_category_id = ${filter.categoryId})`
      : undefined,
    filter.channel ? sql`f.channel = ${filter.channel}` : undefined,
    filter.priority ? sql`f.priority = ${filter.priority}` : undefined,
    filter.teamId ? sql`f.team_id = ${filter.teamId}` : undefined,
    filter.engineerId ? sql`f.engineer_id = ${filter.engineerId}` : undefined,
    fieldKey ? sql`f.fields ->> ${fieldKey} = ${fieldValue}` : undefined,
  );
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return [text.slice(0, i), text.slice(i + 1)];
}

/** `column` within the filter's period. */
export function inPeriod(column: SQL, filter: AnalyticsFilter): SQL | undefined {
  return and(
    filter.from ? sql`${column} >= ${filter.from}::timestamptz` : undefined,
    filter.to ? sql`${column} < ${filter.to}::timestamptz` : undefined,
  );
}

const ratio = (numerator: number, denominator: number): Ratio => ({
  value: denominator > 0 ? numerator / denominator : null,
  numerator,
  denominator,
});

const durations = (prefix: string, r: Record<string, unknown>): DurationStats => {
  const [median, p90] = (r[`${prefix}_pct`] as (number | null)[] | null) ?? [null, null];
  return {
    count: Number(r[`${prefix}_n`] ?? 0),
    mean: r[`${prefix}_mean`] === null ? null : Number(r[`${prefix}_mean`]),
    median: median ?? null,
    p90: p90 ?? null,
  };
};

/** Count, mean, median and p90 of a duration; both percentiles come from one sort. */
const stats = (name: string, expression: SQL) => sql`
  count(${expression})::int as ${sql.raw(`${name}_n`)},
  avg(${expression}) as ${sql.raw(`${name}_mean`)},
  percentile_cont(array[0.5, 0.9]) within group (order by ${expression}) as ${sql.raw(`${name}_pct`)}`;

/**
 * The KPIs of a filter within a scope: from the daily rollup when it has the slice and the period
 * is whole China-time days (docs/kpis.md: counts and means exact, percentiles within 4.5 %), from
 * the facts otherwise.
 */
export async function kpis(
  db: Executor,
  filter: AnalyticsFilter,
  scope: SQL,
  rollupScope: RollupScope,
  ratePerHour: number,
): Promise<Kpis> {
  const selection = rollupSelection(filter, rollupScope);
  return selection ? kpisFromRollup(db, selection, ratePerHour) : kpisFromFacts(db, filter, scope, ratePerHour);
}

const n = (x: number | null | undefined) => Number(x ?? 0);

const nps = (answers: number, promoters: number, detractors: number): Kpis['nps'] => ({
  score: answers > 0 ? ((promoters - detractors) / answers) * 100 : null,
  promoters,
  detractors,
  answers,
});

const cost = (
  closed: number,
  labour: number,
  travel: number,
  partsFen: number,
  ratePerHour: number,
): Kpis['costPerTicket'] => ({
  // Labour and travel are both paid engineer time, at the rate; parts at what they cost (fen → yuan).
  mean: closed > 0 ? (((labour + travel) / 60) * ratePerHour + partsFen / 100) / closed : null,
  labourMinutes: labour,
  travelMinutes: travel,
  partsFen,
  ratePerHour,
});

export async function kpisFromRollup(db: Executor, selection: SQL, ratePerHour: number): Promise<Kpis> {
  const { counts: c, histograms: h } = await readRollup(db, selection);
  return {
    source: 'rollup',
    closed: c.closed,
    created: c.created,
    firstContactResolution: ratio(c.fcr, c.closed),
    firstTimeFix: ratio(c.ftf, c.onsite),
    timeToRespond: durationFromRollup(c.respond_n, c.respond_ms, h.respond_hist),
    timeToResolve: durationFromRollup(c.closed, c.resolve_ms, h.resolve_hist),
    netTimeToResolve: durationFromRollup(c.closed, c.net_ms, h.net_hist),
    businessTimeToResolve: durationFromRollup(c.business_n, c.business_ms, h.business_hist),
    responseSla: ratio(c.response_met, c.response_n),
    resolutionSla: ratio(c.resolution_met, c.resolution_n),
    csat: { mean: c.csat_n > 0 ? c.csat_sum / c.csat_n : null, satisfied: ratio(c.csat_happy, c.csat_n) },
    nps: nps(c.nps_n, c.promoters, c.detractors),
    repeatRepair: ratio(c.repeated, c.closed),
    costPerTicket: cost(c.closed, c.labour_minutes, c.travel_minutes, c.parts_cost_fen, ratePerHour),
  };
}

export async function kpisFromFacts(
  db: Executor,
  filter: AnalyticsFilter,
  scope: SQL,
  ratePerHour: number,
): Promise<Kpis> {
  const dims = and(scope, dimensionFilter(filter)) ?? sql`true`;
  const closed = and(sql`f.closed_at is not null`, inPeriod(sql`f.closed_at`, filter))!;
  const created = and(sql`not f.cancelled`, inPeriod(sql`f.created_at`, filter))!;
  // The two scans are independent: on PostgreSQL they run on two pooled connections at once.
  const [[c], [r]] = await Promise.all([
    rows<Record<string, number | null>>(
      db,
      sql`select count(*)::int as closed,
          count(*) filter (where f.visits = 0 and not f.reopened)::int as fcr,
          count(*) filter (where f.visits > 0)::int as onsite,
          count(*) filter (where f.visits = 1 and not f.reopened)::int as ftf,
          ${stats('resolve', sql`f.close_minutes`)},
          ${stats('net', sql`(f.close_minutes - f.suspended_minutes)`)},
          ${stats('business', sql`f.business_close_minutes`)},
          count(f.resolution_met)::int as resolution_n, count(*) filter (where f.resolution_met)::int as resolution_met,
          count(f.csat)::int as csat_n, avg(f.csat) as csat_mean, count(*) filter (where f.csat >= 4)::int as csat_happy,
          count(f.nps)::int as nps_n, count(*) filter (where f.nps >= 9)::int as promoters,
          count(*) filter (where f.nps <= 6)::int as detractors,
          count(*) filter (where f.repeated)::int as repeated,
          coalesce(sum(f.labour_minutes), 0)::int as labour, coalesce(sum(f.travel_minutes), 0)::int as travel,
          coalesce(sum(f.parts_cost_fen), 0)::float8 as parts
        from ticket_facts f where ${closed} and ${dims}`,
    ),
    rows<Record<string, number | null>>(
      db,
      sql`select count(*)::int as created,
          ${stats('respond', sql`f.response_minutes`)},
          count(f.response_met)::int as response_n, count(*) filter (where f.response_met)::int as response_met
        from ticket_facts f where ${created} and ${dims}`,
    ),
  ]);
  const closedCount = n(c!.closed);
  return {
    source: 'facts',
    closed: closedCount,
    created: n(r!.created),
    firstContactResolution: ratio(n(c!.fcr), closedCount),
    firstTimeFix: ratio(n(c!.ftf), n(c!.onsite)),
    timeToRespond: durations('respond', r!),
    timeToResolve: durations('resolve', c!),
    netTimeToResolve: durations('net', c!),
    businessTimeToResolve: durations('business', c!),
    responseSla: ratio(n(r!.response_met), n(r!.response_n)),
    resolutionSla: ratio(n(c!.resolution_met), n(c!.resolution_n)),
    csat: {
      mean: c!.csat_mean === null ? null : Number(c!.csat_mean),
      satisfied: ratio(n(c!.csat_happy), n(c!.csat_n)),
    },
    nps: nps(n(c!.nps_n), n(c!.promoters), n(c!.detractors)),
    repeatRepair: ratio(n(c!.repeated), closedCount),
    costPerTicket: cost(closedCount, n(c!.labour), n(c!.travel), n(c!.parts), ratePerHour),
  };
}

/** The tickets open now; with a period, those of them reported in it. */
export async function backlog(db: Executor, filter: AnalyticsFilter, scope: SQL, now: Date): Promise<Backlog> {
  const where = and(
    sql`f.closed_at is null and not f.cancelled`,
    inPeriod(sql`f.created_at`, filter),
    scope,
    dimensionFilter(filter),
  )!;
  const at = now.toISOString();
  const byState = await rows<{ state: string; count: number }>(
    db,
    sql`select f.state, count(*)::int as count from ticket_facts f where ${where} group by 1 order by 2 desc`,
  );
  const [ages] = await rows<Record<string, number>>(
    db,
    sql`select
          count(*) filter (where f.created_at > ${at}::timestamptz - interval '1 day')::int as lt1d,
          count(*) filter (where f.created_at <= ${at}::timestamptz - interval '1 day'
                             and f.created_at > ${at}::timestamptz - interval '3 days')::int as "1to3d",
          count(*) filter (where f.created_at <= ${at}::timestamptz - interval '3 days'
                             and f.created_at > ${at}::timestamptz - interval '7 days')::int as "3to7d",
          count(*) filter (where f.created_at <= ${at}::timestamptz - interval '7 days')::int as gt7d,
          count(*) filter (where t.resolution_due_at > ${at}::timestamptz
                             and t.resolution_due_at <= ${at}::timestamptz + interval '4 hours')::int as due_soon,
          count(*) filter (where t.resolution_due_at <= ${at}::timestamptz)::int as overdue
        from ticket_facts f join tickets t on t.id = f.ticket_id where ${where}`,
  );
  return {
    open: byState.reduce((sum, s) => sum + s.count, 0),
    byState,
    byAge: (['lt1d', '1to3d', '3to7d', 'gt7d'] as const).map((age) => ({ age, count: ages![age] ?? 0 })),
    dueSoon: ages!.due_soon ?? 0,
    overdue: ages!.overdue ?? 0,
  };
}
