import { eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { faultCategories } from './tables';

/**
 * Named reads of tickets and their taxonomy for other modules, so none of them queries this
 * module's tables. Reads only; every change to a ticket goes through `TicketService`.
 */

export async function faultCategoryExists(db: Executor, id: string): Promise<boolean> {
  const [found] = await db.select({ id: faultCategories.id }).from(faultCategories).where(eq(faultCategories.id, id));
  return !!found;
}
