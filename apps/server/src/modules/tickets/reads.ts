import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import { faultCategories, tickets, visits } from './tables';

/**
 * Named reads of tickets, their visits and their taxonomy for other modules, so none of them
 * queries this module's tables. Reads only, in the caller's transaction; every change to a
 * ticket goes through `TicketService`. A `scope` is `ticketScope(grant, actor)`.
 */

export type TicketRow = typeof tickets.$inferSelect;
export type VisitRow = typeof visits.$inferSelect;

/** The ticket as stored, if it exists (and is in `scope`); `lock` holds its row for the transaction. */
export async function findTicket(
  db: Executor,
  id: string,
  options: { scope?: SQL; lock?: boolean } = {},
): Promise<TicketRow | undefined> {
  const query = db
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, id), options.scope));
  const [found] = options.lock ? await query.for('update') : await query;
  return found;
}

/** The tickets of `ids` as stored (unknown ids are absent), for a reaction to a batch of events. */
export async function findTickets(db: Executor, ids: Iterable<string>): Promise<TicketRow[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  return db.select().from(tickets).where(inArray(tickets.id, wanted));
}

/** Whether the ticket exists within `scope`. */
export async function ticketInScope(db: Executor, id: string, scope: SQL): Promise<boolean> {
  const [found] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.id, id), scope));
  return !!found;
}

/** The ids of the tickets within `scope`, as a subquery for another module's `in (…)`. */
export const ticketIdsIn = (scope: SQL): SQL => sql`select ${tickets.id} from ${tickets} where ${scope}`;

/** Number and title by ticket id, for lists that name the ticket a row belongs to. */
export async function ticketHeadlines(
  db: Executor,
  ids: Iterable<string>,
): Promise<Map<string, { number: string; title: string }>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const found = await db
    .select({ id: tickets.id, number: tickets.number, title: tickets.title })
    .from(tickets)
    .where(inArray(tickets.id, wanted));
  return new Map(found.map((t) => [t.id, { number: t.number, title: t.title }]));
}

/** A ticket's visits, earliest planned first. */
export function visitsOfTicket(db: Executor, ticketId: string): Promise<VisitRow[]> {
  return db.select().from(visits).where(eq(visits.ticketId, ticketId)).orderBy(asc(visits.plannedStart));
}

/** One visit; `lock` holds its row for the transaction. */
export async function findVisit(db: Executor, id: string, options: { lock?: boolean } = {}) {
  const query = db.select().from(visits).where(eq(visits.id, id));
  const [found] = options.lock ? await query.for('update') : await query;
  return found;
}

/** Whether the engineer leads (or led) a visit of the ticket. */
export async function leadsVisitOf(db: Executor, ticketId: string, engineerId: string): Promise<boolean> {
  const [lead] = await db
    .select({ id: visits.id })
    .from(visits)
    .where(and(eq(visits.ticketId, ticketId), eq(visits.engineerId, engineerId)))
    .limit(1);
  return !!lead;
}

export async function faultCategoryExists(db: Executor, id: string): Promise<boolean> {
  const [found] = await db.select({ id: faultCategories.id }).from(faultCategories).where(eq(faultCategories.id, id));
  return !!found;
}

interface TicketKey {
  id: string;
  reported_at: string;
}

/**
 * The ids of the tickets outside `endedStates` when the walk starts, oldest report first, a page
 * at a time: keyset on `(reported_at, id)`, so each page is one index range however deep the
 * backlog, and a ticket reported during the walk is not met.
 */
export async function* openTicketIdPages(
  db: Executor,
  endedStates: readonly string[],
  pageSize: number,
): AsyncGenerator<string[]> {
  const open = sql`state <> all(${`{${endedStates.join(',')}}`}::text[])`;
  const [last] = await rows<TicketKey>(
    db,
    sql`select id, reported_at::text from tickets where ${open} order by reported_at desc, id desc limit 1`,
  );
  if (!last) return;
  const upTo = sql`(reported_at, id) <= (${last.reported_at}::timestamptz, ${last.id}::uuid)`;
  let after: TicketKey | undefined;
  for (;;) {
    const page = await rows<TicketKey>(
      db,
      sql`select id, reported_at::text from tickets
          where ${open} and ${upTo}
            ${after ? sql`and (reported_at, id) > (${after.reported_at}::timestamptz, ${after.id}::uuid)` : sql``}
          order by reported_at, id limit ${pageSize}`,
    );
    if (page.length === 0) return;
    yield page.map((t) => t.id);
    if (page.length < pageSize) return;
    after = page[page.length - 1];
  }
}
