import { and, asc, eq, ne } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { searchText } from '../../platform/db/records';
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

/** Active stock-holding warehouses (not vans) whose name or code contains the text: known places. */
export function warehousesMatching(db: Executor, text: string, limit: number) {
  return db
    .select({ name: warehouses.name, code: warehouses.code, regionCode: warehouses.regionCode })
    .from(warehouses)
    .where(
      and(eq(warehouses.active, true), ne(warehouses.kind, 'van'), searchText(text, warehouses.name, warehouses.code)),
    )
    .orderBy(asc(warehouses.code))
    .limit(limit);
}
