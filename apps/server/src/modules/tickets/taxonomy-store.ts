import type { FaultCategory } from '@serviceloop/contracts';
import { asc, count, eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import { faultCategories, faultSynonyms } from './tables';
import { DEFAULT_TAXONOMY, normaliseProblemType } from './taxonomy';

/** Installs seed 000's taxonomy and its synonyms on a database that has no categories yet. */
export async function ensureDefaultTaxonomy(db: Executor, now: Date): Promise<void> {
  const [{ n }] = (await db.select({ n: count() }).from(faultCategories)) as [{ n: number }];
  if (n > 0) return;
  for (const [i, root] of DEFAULT_TAXONOMY.entries()) {
    const rootId = newId(now.getTime());
    await db.insert(faultCategories).values({
      id: rootId,
      code: root.code,
      parentId: null,
      nameZh: root.zh,
      nameEn: root.en,
      sort: i,
      active: true,
      createdAt: now,
    });
    for (const [j, child] of root.children.entries()) {
      const id = newId(now.getTime());
      await db.insert(faultCategories).values({
        id,
        code: child.code,
        parentId: rootId,
        nameZh: child.zh,
        nameEn: child.en,
        sort: j,
        active: true,
        createdAt: now,
      });
      const phrases = [...new Set([child.zh, child.en, ...child.synonyms])];
      await db
        .insert(faultSynonyms)
        .values(
          phrases.map((phrase) => ({
            normalised: normaliseProblemType(phrase),
            phrase,
            categoryId: id,
            createdAt: now,
          })),
        )
        .onConflictDoNothing();
    }
  }
}

export async function listCategories(db: Executor): Promise<FaultCategory[]> {
  return db
    .select()
    .from(faultCategories)
    .orderBy(asc(faultCategories.parentId), asc(faultCategories.sort)) as unknown as Promise<FaultCategory[]>;
}

export async function categoryById(db: Executor, id: string) {
  const [row] = await db.select().from(faultCategories).where(eq(faultCategories.id, id));
  return row;
}
