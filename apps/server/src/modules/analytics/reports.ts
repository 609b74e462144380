import type { AnalyticsFilter, FaultStatistics, Pareto, ParetoDimension } from '@serviceloop/contracts';
import { and, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import { provinceName } from '../customers/index';
import { dimensionFilter, inPeriod } from './kpis';

/** Years are counted in China time: a ticket reported at 2025-01-01 00:30 +08:00 belongs to 2025. */
const yearStart = (year: number) => `${year}-01-01T00:00:00+08:00`;

interface CategoryRow {
  id: string;
  code: string;
  parent_id: string | null;
  name_zh: string;
  name_en: string;
}

/**
 * Seed 000's table for any year: each fault category and sub-type, its share of the year's
 * tickets and the change against the year before in percentage points; plus the same per
 * industry. Cancelled tickets are not faults and are left out. Every dimension filter applies to
 * both years, so a region's table compares the region with itself.
 */
export async function faultStatistics(
  db: Executor,
  year: number,
  scope: SQL,
  filter: AnalyticsFilter = {},
): Promise<FaultStatistics> {
  const where = and(
    sql`not f.cancelled and f.created_at >= ${yearStart(year - 1)}::timestamptz and f.created_at < ${yearStart(year + 1)}::timestamptz`,
    scope,
    dimensionFilter(filter),
  );
  const counts = await rows<{ this_year: boolean; industry: string | null; category_id: string | null; n: number }>(
    db,
    sql`select f.created_at >= ${yearStart(year)}::timestamptz as this_year, f.industry, f.category_id, count(*)::int as n
        from ticket_facts f where ${where} group by 1, 2, 3`,
  );
  const categories = await rows<CategoryRow>(
    db,
    sql`select id, code, parent_id, name_zh, name_en from fault_categories where active order by sort, code`,
  );
  const parentOf = new Map(categories.map((c) => [c.id, c.parent_id ?? c.id]));
  const tally = (rowsOf: typeof counts) => {
    const byCategory = new Map<string, number>();
    let total = 0;
    for (const r of rowsOf) {
      total += r.n;
      if (!r.category_id) continue;
      for (const id of new Set([r.category_id, parentOf.get(r.category_id) ?? r.category_id]))
        byCategory.set(id, (byCategory.get(id) ?? 0) + r.n);
    }
    return { byCategory, total };
  };
  const current = tally(counts.filter((r) => r.this_year));
  const previous = tally(counts.filter((r) => !r.this_year));
  const share = (n: number, total: number) => (total > 0 ? (n * 100) / total : 0);
  const line = (c: CategoryRow, now: ReturnType<typeof tally>, before: ReturnType<typeof tally> | null) => {
    const count = now.byCategory.get(c.id) ?? 0;
    const previousShare = before && before.total > 0 ? share(before.byCategory.get(c.id) ?? 0, before.total) : null;
    const thisShare = share(count, now.total);
    return {
      categoryId: c.id,
      code: c.code,
      nameZh: c.name_zh,
      nameEn: c.name_en,
      count,
      share: thisShare,
      previousShare,
      changePoints: previousShare === null ? null : thisShare - previousShare,
    };
  };
  const roots = categories.filter((c) => !c.parent_id);
  const industries = [...new Set(counts.filter((r) => r.this_year).map((r) => r.industry ?? 'other'))].sort();
  return {
    year,
    total: current.total,
    previousTotal: previous.total,
    categories: roots.map((root) => ({
      ...line(root, current, previous),
      subTypes: categories.filter((c) => c.parent_id === root.id).map((c) => line(c, current, previous)),
    })),
    byIndustry: industries.map((name) => {
      const of = tally(counts.filter((r) => r.this_year && (r.industry ?? 'other') === name));
      return { industry: name, total: of.total, categories: roots.map((root) => line(root, of, null)) };
    }),
  };
}

/** What each Pareto dimension groups by, and how its key reads. */
export const DIMENSIONS: Record<ParetoDimension, { key: SQL; label: (locale: string) => SQL; join?: SQL }> = {
  productModel: {
    key: sql`f.product_model_id::text`,
    label: () => sql`pm.name`,
    join: sql`left join product_models pm on pm.id = f.product_model_id`,
  },
  region: { key: sql`f.region_code`, label: () => sql`f.region_code` },
  batch: { key: sql`f.batch`, label: () => sql`f.batch` },
  category: {
    key: sql`f.category_id::text`,
    label: (locale) => (locale === 'en-US' ? sql`fc.name_en` : sql`fc.name_zh`),
    join: sql`left join fault_categories fc on fc.id = f.category_id`,
  },
  rootCategory: {
    key: sql`f.root_category_id::text`,
    label: (locale) => (locale === 'en-US' ? sql`fc.name_en` : sql`fc.name_zh`),
    join: sql`left join fault_categories fc on fc.id = f.root_category_id`,
  },
  customer: {
    key: sql`f.customer_id::text`,
    label: () => sql`cu.name`,
    join: sql`left join customers cu on cu.id = f.customer_id`,
  },
  industry: { key: sql`f.industry`, label: () => sql`f.industry` },
  channel: { key: sql`f.channel`, label: () => sql`f.channel` },
  engineer: {
    key: sql`f.engineer_id::text`,
    label: () => sql`u.display_name`,
    join: sql`left join users u on u.id = f.engineer_id`,
  },
};

/** The share of the total that the "vital few" make up (the Pareto principle's 80 %). */
const VITAL_SHARE = 80;

/**
 * Tickets created in the period, counted per value of one dimension, largest first, with the
 * cumulative share; bars up to and including the one that crosses 80 % are the vital few.
 */
export async function pareto(
  db: Executor,
  dimension: ParetoDimension,
  filter: AnalyticsFilter,
  scope: SQL,
  locale: string,
  limit: number,
): Promise<Pareto> {
  const d = DIMENSIONS[dimension];
  const where = and(sql`not f.cancelled`, inPeriod(sql`f.created_at`, filter), scope, dimensionFilter(filter));
  const grouped = await rows<{ key: string | null; label: string | null; count: number; total: number }>(
    db,
    sql`select ${d.key} as key, min(${d.label(locale)}) as label, count(*)::int as count,
          sum(count(*)) over ()::int as total
        from ticket_facts f ${d.join ?? sql``}
        where ${where}
        group by 1 order by 3 desc, 1 limit ${limit}`,
  );
  const total = grouped[0]?.total ?? 0;
  let running = 0;
  let crossed = false;
  return {
    dimension,
    total,
    bars: grouped.map((g) => {
      const before = running;
      running += g.count;
      const vital = !crossed && (before * 100) / total < VITAL_SHARE;
      if ((running * 100) / total >= VITAL_SHARE) crossed = true;
      return {
        key: g.key,
        label: dimension === 'region' && g.key ? provinceName(g.key) : (g.label ?? g.key ?? '—'),
        count: g.count,
        share: (g.count * 100) / total,
        cumulative: (running * 100) / total,
        vital,
      };
    }),
  };
}
