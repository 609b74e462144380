import type { ReportDefinition, ReportMeasure, ReportResult } from '@serviceloop/contracts';
import { and, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import { AppError } from '../../platform/http/errors';
import { provinceName } from '../customers/index';
import { dimensionFilter, inPeriod } from './kpis';
import { DIMENSIONS } from './reports';

const closed = sql`f.closed_at is not null`;
const ratio = (numerator: SQL, denominator: SQL) =>
  sql`(count(*) filter (where ${numerator}))::float8 / nullif(count(*) filter (where ${denominator}), 0)`;

/**
 * The report builder's measures. A report counts the tickets *created* in its period (a cohort);
 * closure measures are over those of them that are closed by now — one basis for every cell, so a
 * table's numbers add up (docs/kpis.md has the per-KPI definitions these follow).
 */
const MEASURES: Record<ReportMeasure, SQL> = {
  tickets: sql`count(*)::float8`,
  closed: sql`(count(*) filter (where ${closed}))::float8`,
  firstContactResolution: ratio(sql`${closed} and f.visits = 0 and not f.reopened`, closed),
  firstTimeFix: ratio(sql`${closed} and f.visits = 1 and not f.reopened`, sql`${closed} and f.visits > 0`),
  csat: sql`avg(f.csat)::float8`,
  medianTimeToResolve: sql`percentile_cont(0.5) within group (order by f.close_minutes)`,
  resolutionSla: ratio(sql`f.resolution_met`, sql`f.resolution_met is not null`),
  repeatRepair: ratio(sql`${closed} and f.repeated`, closed),
};

/** Runs a report definition within the caller's scope: one row per combination of its dimensions. */
export async function runReport(
  db: Executor,
  definition: ReportDefinition,
  scope: SQL,
  locale: string,
): Promise<ReportResult> {
  const [first, second] = definition.dimensions;
  // Both category dimensions read the same taxonomy join; grouping by one twice says nothing.
  const categories = ['category', 'rootCategory'];
  if (first === second || (second && categories.includes(first!) && categories.includes(second)))
    throw new AppError(400, 'validation.failed', {}, [
      { path: 'definition.dimensions', code: 'custom', message: 'analytics.dimensions_overlap' },
    ]);
  const dims = definition.dimensions.map((d) => DIMENSIONS[d]);
  const joins = dims.map((d) => d.join).filter((j): j is SQL => !!j);
  const where = and(
    sql`not f.cancelled`,
    inPeriod(sql`f.created_at`, definition.filters),
    scope,
    dimensionFilter(definition.filters),
  );
  const select = [
    ...dims.flatMap((d, i) => [
      sql`${d.key} as ${sql.raw(`k${i}`)}`,
      sql`min(${d.label(locale)}) as ${sql.raw(`l${i}`)}`,
    ]),
    ...definition.measures.map((m) => sql`${MEASURES[m]} as ${sql.raw(`"${m}"`)}`),
  ];
  const groupBy = dims.map((_, i) => sql.raw(`k${i}`));
  const found = await rows<Record<string, string | number | null>>(
    db,
    sql`select ${sql.join(select, sql`, `)}
        from ticket_facts f ${sql.join(joins, sql` `)}
        where ${where}
        group by ${sql.join(groupBy, sql`, `)}
        order by ${sql.raw(`"${definition.measures[0]}"`)} desc nulls last, ${sql.join(groupBy, sql`, `)}
        limit ${definition.limit}`,
  );
  return {
    columns: [...definition.dimensions, ...definition.measures],
    rows: found.map((r) => ({
      ...Object.fromEntries(
        definition.dimensions.map((d, i) => {
          const key = r[`k${i}`] as string | null;
          const label = d === 'region' && key ? provinceName(key) : ((r[`l${i}`] as string | null) ?? key);
          return [d, label];
        }),
      ),
      ...Object.fromEntries(definition.measures.map((m) => [m, r[m] === null ? null : Number(r[m])])),
    })),
  };
}
