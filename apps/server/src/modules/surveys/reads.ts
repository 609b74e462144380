import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { surveys } from './tables';

/** The ticket's most recent survey, for the customer's tracking page to link to. */
export async function latestSurveyOf(db: Executor, ticketId: string): Promise<{ id: string } | undefined> {
  const [found] = await db
    .select({ id: surveys.id })
    .from(surveys)
    .where(eq(surveys.ticketId, ticketId))
    .orderBy(desc(surveys.createdAt))
    .limit(1);
  return found;
}
