import { sql } from 'drizzle-orm';

/**
 * The visits that still stand for their ticket, over `visits v join tickets t`: not declined, and
 * either started (checked in) or — for a ticket not cancelled — its latest dispatch, since a
 * re-dispatch replaces a visit nobody started. The one definition the day's jobs (jobs.ts) and the
 * dispatch board (facts.ts) share.
 */
export const currentVisit = sql`v.declined_at is null
     and (v.checked_in_at is not null
          or (t.state <> 'cancelled'
              and v.id = coalesce((select (e.data->>'visitId')::uuid from events e
                                    where e.entity_type = 'ticket' and e.entity_id = v.ticket_id::text
                                      and e.type = 'ticket.dispatched'
                                    order by e.seq desc limit 1), v.id)))`;
