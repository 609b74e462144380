import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, rows } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import { keyedSection, type SectionProblem } from '../config/index';
import { normaliseProblemType } from './taxonomy';

const FaultCategoryItem = z.object({
  code: z.string().trim().min(1).max(64),
  /** The parent's code; null for a top-level category. */
  parent: z.string().nullable(),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  sort: z.number().int().min(0).max(10_000),
  active: z.boolean(),
});
type FaultCategoryItem = z.infer<typeof FaultCategoryItem>;

const FaultSynonymItem = z.object({
  phrase: z.string().trim().min(1).max(100),
  /** The code of the category the phrase means. */
  category: z.string().min(1).max(64),
});
type FaultSynonymItem = z.infer<typeof FaultSynonymItem>;

const categoryCodes = async (db: Executor) =>
  new Set((await rows<{ code: string }>(db, sql`select code from fault_categories`)).map((r) => r.code));
const categoryId = async (db: Executor, code: string | null) =>
  code === null
    ? null
    : ((await rows<{ id: string }>(db, sql`select id from fault_categories where code = ${code}`))[0]?.id ?? null);

/** References to categories that exist neither here nor in the document's categories. */
async function missingCategories(
  db: Executor,
  document: Record<string, unknown[]>,
  wanted: { index: number; field: string; code: string | null }[],
): Promise<SectionProblem[]> {
  const known = await categoryCodes(db);
  for (const c of (document['tickets.faultCategories'] ?? []) as FaultCategoryItem[]) known.add(c.code);
  return wanted
    .filter((w) => w.code !== null && !known.has(w.code))
    .map((w) => ({ path: `${w.index}.${w.field}`, message: 'config.missing_reference', params: { key: w.code } }));
}

/** The fault taxonomy (seed 000), categories named by code, parents by their code. */
export const faultCategoriesSection = keyedSection<FaultCategoryItem>({
  key: 'tickets.faultCategories',
  titleZh: '故障分类',
  titleEn: 'Fault categories',
  item: FaultCategoryItem,
  keyOf: (c) => c.code,
  load: (db) =>
    rows<FaultCategoryItem>(
      db,
      sql`select c.code, p.code as parent, c.name_zh as "nameZh", c.name_en as "nameEn", c.sort, c.active
          from fault_categories c left join fault_categories p on p.id = c.parent_id`,
    ),
  check: (db, items, { document }) =>
    missingCategories(
      db,
      document,
      items.map((c, index) => ({ index, field: 'parent', code: c.parent })),
    ),
  // Parents first: a child's parent may be new in the same document.
  importOrder: (items) => {
    const byCode = new Map(items.map((c) => [c.code, c]));
    const depth = (c: FaultCategoryItem, seen = 0): number => {
      const parent = c.parent ? byCode.get(c.parent) : undefined;
      return parent && seen < items.length ? 1 + depth(parent, seen + 1) : 0;
    };
    return [...items].sort((a, b) => depth(a) - depth(b));
  },
  async save(tx, c, before, { now }) {
    const parentId = await categoryId(tx, c.parent);
    if (before)
      await tx.execute(sql`
        update fault_categories set parent_id = ${parentId}, name_zh = ${c.nameZh}, name_en = ${c.nameEn},
          sort = ${c.sort}, active = ${c.active}
        where code = ${c.code}`);
    else
      await tx.execute(sql`
        insert into fault_categories (id, code, parent_id, name_zh, name_en, sort, active, created_at)
        values (${newId(now.getTime())}, ${c.code}, ${parentId}, ${c.nameZh}, ${c.nameEn}, ${c.sort}, ${c.active},
                ${now.toISOString()})`);
  },
});

/** Free-text problem types as people write them, each meaning one category (seed 004). */
export const faultSynonymsSection = keyedSection<FaultSynonymItem>({
  key: 'tickets.faultSynonyms',
  titleZh: '故障类型同义词',
  titleEn: 'Fault type synonyms',
  item: FaultSynonymItem,
  // Two spellings that normalise alike are one synonym, as in the table.
  keyOf: (s) => normaliseProblemType(s.phrase),
  load: (db) =>
    rows<FaultSynonymItem>(
      db,
      sql`select s.phrase, c.code as category from fault_synonyms s join fault_categories c on c.id = s.category_id`,
    ),
  check: (db, items, { document }) =>
    missingCategories(
      db,
      document,
      items.map((s, index) => ({ index, field: 'category', code: s.category })),
    ),
  async save(tx, s, _before, { now }) {
    const id = await categoryId(tx, s.category);
    await tx.execute(sql`
      insert into fault_synonyms (normalised, phrase, category_id, created_at)
      values (${normaliseProblemType(s.phrase)}, ${s.phrase}, ${id}, ${now.toISOString()})
      on conflict (normalised) do update set phrase = excluded.phrase, category_id = excluded.category_id`);
  },
});
