import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { productModels, serviceContracts } from './tables';

/**
 * Named reads of the installed base for other modules: they ask about models and devices here
 * instead of querying this module's tables.
 */

/** Which of these product model ids exist. */
export async function existingModelIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await db.select({ id: productModels.id }).from(productModels).where(inArray(productModels.id, ids));
  return new Set(found.map((m) => m.id));
}

export async function contractExists(db: Executor, id: string): Promise<boolean> {
  const [found] = await db
    .select({ id: serviceContracts.id })
    .from(serviceContracts)
    .where(eq(serviceContracts.id, id));
  return !!found;
}

export async function contractIdByNumber(db: Executor, number: string): Promise<string | undefined> {
  const [found] = await db
    .select({ id: serviceContracts.id })
    .from(serviceContracts)
    .where(eq(serviceContracts.number, number));
  return found?.id;
}
