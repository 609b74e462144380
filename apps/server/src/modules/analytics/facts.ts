import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows, uuidArray } from '../../platform/db/client';

/**
 * The fact row of each ticket, derived from the ticket, its customer, device, category, visits
 * and events by one statement. The same statement refreshes the facts of the tickets an event
 * touched (incrementally, see index.ts) and rebuilds them all — so a rebuild from scratch must
 * always equal what the increments produced, which the tests check.
 */
function refreshStatement(which: SQL, now: Date): SQL {
  const at = now.toISOString();
  return sql`
    insert into ticket_facts (ticket_id, created_at, closed_at, cancelled, state, channel, priority, region_code,
      customer_id, industry, customer_tier, product_model_id, device_id, batch, category_id, root_category_id, team_id,
      engineer_id, response_minutes, resolve_minutes, close_minutes, suspended_minutes, response_met, resolution_met,
      visits, reopened, is_repeat, repeated, csat, labour_minutes, travel_minutes, fields, refreshed_at)
    select t.id, t.created_at, t.closed_at, t.cancelled_at is not null, t.state, t.channel, t.priority, t.region_code,
      t.customer_id, c.industry, c.tier, t.product_model_id, t.device_id, d.batch, t.category_id,
      coalesce(cat.parent_id, cat.id), t.team_id, t.assignee_id,
      extract(epoch from t.first_responded_at - t.reported_at) / 60,
      extract(epoch from t.resolved_at - t.reported_at) / 60,
      extract(epoch from t.closed_at - t.reported_at) / 60,
      coalesce((
        select sum(extract(epoch from coalesce(s.until, t.closed_at, t.cancelled_at, ${at}::timestamptz) - s.occurred_at)) / 60
        from (select e.type, e.occurred_at, lead(e.occurred_at) over (order by e.seq) as until
              from events e
              where e.entity_type = 'ticket' and e.entity_id = t.id::text
                and e.type in ('ticket.suspended', 'ticket.resumed')) s
        where s.type = 'ticket.suspended'), 0),
      case when t.response_due_at is not null and t.first_responded_at is not null
           then t.first_responded_at <= t.response_due_at end,
      case when t.resolution_due_at is not null and t.resolved_at is not null
           then t.resolved_at <= t.resolution_due_at end,
      (select count(*)::int from visits v where v.ticket_id = t.id and v.checked_in_at is not null),
      t.reopen_count > 0, t.is_repeat,
      exists (select 1 from tickets r where r.repeat_of = t.id and r.id <> t.id and r.cancelled_at is null),
      t.csat,
      coalesce((t.resolution ->> 'labourMinutes')::int, 0),
      coalesce((t.resolution ->> 'travelMinutes')::int, 0),
      t.fields, ${at}::timestamptz
    from tickets t
      left join customers c on c.id = t.customer_id
      left join devices d on d.id = t.device_id
      left join fault_categories cat on cat.id = t.category_id
    where ${which}
    on conflict (ticket_id) do update set
      closed_at = excluded.closed_at, cancelled = excluded.cancelled, state = excluded.state,
      channel = excluded.channel, priority = excluded.priority, region_code = excluded.region_code,
      customer_id = excluded.customer_id, industry = excluded.industry, customer_tier = excluded.customer_tier,
      product_model_id = excluded.product_model_id, device_id = excluded.device_id, batch = excluded.batch,
      category_id = excluded.category_id, root_category_id = excluded.root_category_id, team_id = excluded.team_id,
      engineer_id = excluded.engineer_id, response_minutes = excluded.response_minutes,
      resolve_minutes = excluded.resolve_minutes, close_minutes = excluded.close_minutes,
      suspended_minutes = excluded.suspended_minutes, response_met = excluded.response_met,
      resolution_met = excluded.resolution_met, visits = excluded.visits, reopened = excluded.reopened,
      is_repeat = excluded.is_repeat, repeated = excluded.repeated, csat = excluded.csat,
      labour_minutes = excluded.labour_minutes, travel_minutes = excluded.travel_minutes, fields = excluded.fields,
      refreshed_at = excluded.refreshed_at`;
}

/**
 * Refreshes the facts of these tickets and of the tickets they repeat (whose `repeated` flag a
 * new repeat changes). One statement, however many tickets.
 */
export async function refreshFacts(db: Executor, ticketIds: string[], now: Date): Promise<void> {
  if (ticketIds.length === 0) return;
  const ids = uuidArray(ticketIds);
  await db.execute(
    // A union, not `id = any(…) or id in (…)`: with the OR the planner scans every ticket.
    refreshStatement(
      sql`t.id in (select unnest(${ids}) union select r.repeat_of from tickets r where r.id = any(${ids}))`,
      now,
    ),
  );
}

/**
 * Fills in the facts of tickets that have none — the first start after this module arrived, or
 * history written in bulk, which notifies no subscriber — in batches, so a million tickets do not
 * become one huge statement. Returns how many were added.
 */
export async function backfillFacts(db: Executor, now: Date, batch = 20_000): Promise<number> {
  const [counts] = await rows<{ tickets: number; facts: number }>(
    db,
    sql`select (select count(*)::int from tickets) as tickets, (select count(*)::int from ticket_facts) as facts`,
  );
  if (counts!.facts >= counts!.tickets) return 0;
  let added = 0;
  // Keyset pages over the primary key: each page is an index range, not a rescan from the start.
  for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
    const page = await rows<{ id: string }>(
      db,
      sql`select id from tickets where id > ${after}::uuid order by id limit ${batch}`,
    );
    if (page.length === 0) return added;
    const last = page.at(-1)!.id;
    // A key range, not a list of ids: the primary key index serves it directly.
    const result = (await db.execute(
      refreshStatement(
        sql`t.id > ${after}::uuid and t.id <= ${last}::uuid
            and not exists (select 1 from ticket_facts f where f.ticket_id = t.id)`,
        now,
      ),
    )) as unknown as { rowCount?: number; affectedRows?: number };
    added += result.rowCount ?? result.affectedRows ?? 0;
    after = last;
  }
}

/** Recomputes every fact row from scratch (an administrator's repair, and the tests' oracle). */
export async function rebuildFacts(db: Executor, now: Date): Promise<number> {
  await db.execute(sql`delete from ticket_facts`);
  return backfillFacts(db, now);
}
