import { eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { parts, warehouses } from './tables';

/** Named reads of the parts catalogue and warehouses for other modules (notifications name them). */

export async function findPart(db: Executor, id: string) {
  const [found] = await db.select().from(parts).where(eq(parts.id, id));
  return found;
}

export async function findWarehouse(db: Executor, id: string) {
  const [found] = await db.select().from(warehouses).where(eq(warehouses.id, id));
  return found;
}
