import type { AnalyticsFilter, EngineerStats, Trend, TrendMeasure } from '@serviceloop/contracts';
import { and, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import { dimensionFilter } from './kpis';

/**
 * What each trend measure counts, on which timestamp, and its value per bucket. `empty` is the
 * value of a bucket without tickets: a count of none is 0, a rate or mean of none is no value.
 */
const MEASURES: Record<TrendMeasure, { at: SQL; where?: SQL; value: SQL; empty?: number }> = {
  created: { at: sql`f.created_at`, where: sql`not f.cancelled`, value: sql`count(*)`, empty: 0 },
  closed: { at: sql`f.closed_at`, value: sql`count(*)`, empty: 0 },
  fcr: { at: sql`f.closed_at`, value: sql`avg(case when f.visits = 0 and not f.reopened then 1.0 else 0 end)` },
  csat: { at: sql`f.closed_at`, value: sql`avg(f.csat)` },
  timeToResolve: { at: sql`f.closed_at`, value: sql`percentile_cont(0.5) within group (order by f.close_minutes)` },
  repeatRepair: { at: sql`f.closed_at`, value: sql`avg(case when f.repeated then 1.0 else 0 end)` },
};

const DAY = 86_400_000;

/**
 * A measure per day, week or month (China time) over the period, and over the period of the
 * same length just before it, for period-over-period comparison. Without a period: the last 12
 * months. Every bucket of the period is there, those without tickets too, so a quiet month reads
 * as 0 instead of vanishing between its neighbours.
 */
export async function trend(
  db: Executor,
  measure: TrendMeasure,
  interval: 'day' | 'week' | 'month',
  filter: AnalyticsFilter,
  scope: SQL,
  now: Date,
): Promise<Trend> {
  const to = filter.to ? new Date(filter.to) : now;
  const from = filter.from ? new Date(filter.from) : new Date(to.getTime() - 365 * DAY);
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const m = MEASURES[measure];
  const dims = and(scope, dimensionFilter(filter), m.where, sql`${m.at} is not null`);
  const series = async (start: Date, end: Date) =>
    rows<{ bucket: string; value: number | null; count: number }>(
      db,
      sql`with found as (
            select date_trunc(${interval}, ${m.at} at time zone 'Asia/Shanghai') as bucket,
              ${m.value}::float8 as value, count(*)::int as count
            from ticket_facts f
            where ${dims} and ${m.at} >= ${start.toISOString()}::timestamptz and ${m.at} < ${end.toISOString()}::timestamptz
            group by 1
          ), buckets as (
            select generate_series(
              date_trunc(${interval}, ${start.toISOString()}::timestamptz at time zone 'Asia/Shanghai'),
              (${end.toISOString()}::timestamptz - interval '1 millisecond') at time zone 'Asia/Shanghai',
              ${`1 ${interval}`}::interval) as bucket
          )
          select to_char(b.bucket, 'YYYY-MM-DD') as bucket,
            coalesce(found.value, ${m.empty ?? null}::float8) as value, coalesce(found.count, 0)::int as count
          from buckets b left join found on found.bucket = b.bucket
          order by b.bucket`,
    );
  const overall = async (start: Date, end: Date) => {
    const [r] = await rows<{ value: number | null }>(
      db,
      sql`select ${m.value}::float8 as value from ticket_facts f
          where ${dims} and ${m.at} >= ${start.toISOString()}::timestamptz and ${m.at} < ${end.toISOString()}::timestamptz`,
    );
    return r?.value ?? null;
  };
  const [points, previous, value, previousValue] = await Promise.all([
    series(from, to),
    series(previousFrom, from),
    overall(from, to),
    overall(previousFrom, from),
  ]);
  return { measure, interval, points, previous, total: { value, previousValue } };
}

/** The engineer leaderboard: closed tickets in the period with their resolution time, first-time fix and CSAT, and open load now. */
export async function engineerStats(db: Executor, filter: AnalyticsFilter, scope: SQL): Promise<EngineerStats[]> {
  const dims = and(scope, dimensionFilter(filter), sql`f.engineer_id is not null`);
  const closedIn = and(
    sql`f.closed_at is not null`,
    filter.from ? sql`f.closed_at >= ${filter.from}::timestamptz` : undefined,
    filter.to ? sql`f.closed_at < ${filter.to}::timestamptz` : undefined,
  )!;
  const found = await rows<{
    engineer_id: string;
    name: string | null;
    closed: number;
    median: number | null;
    onsite: number;
    ftf: number;
    csat: number | null;
    open_now: number;
  }>(
    db,
    sql`select f.engineer_id, min(u.display_name) as name,
          count(*) filter (where ${closedIn})::int as closed,
          percentile_cont(0.5) within group (order by f.close_minutes) filter (where ${closedIn}) as median,
          count(*) filter (where ${closedIn} and f.visits > 0)::int as onsite,
          count(*) filter (where ${closedIn} and f.visits = 1 and not f.reopened)::int as ftf,
          avg(f.csat) filter (where ${closedIn})::float8 as csat,
          count(*) filter (where f.closed_at is null and not f.cancelled)::int as open_now
        from ticket_facts f left join users u on u.id = f.engineer_id
        where ${dims}
        group by f.engineer_id
        order by 3 desc, 1
        limit 200`,
  );
  return found.map((r) => ({
    engineerId: r.engineer_id,
    name: r.name ?? r.engineer_id,
    closed: r.closed,
    medianResolveMinutes: r.median === null ? null : Number(r.median),
    firstTimeFix: { value: r.onsite > 0 ? r.ftf / r.onsite : null, numerator: r.ftf, denominator: r.onsite },
    csat: r.csat === null ? null : Number(r.csat),
    openNow: r.open_now,
  }));
}
