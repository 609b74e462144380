import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows, uuidArray } from '../../platform/db/client';
import { ticketPartsCostFenSql } from '../parts/index';
import { businessTimes } from './business-time';
import { applyToRollup, contribute, readFacts } from './rollup';

/**
 * The fact row of each ticket, derived from the ticket, its customer, device, category, visits
 * and events by one statement. The same statement refreshes the facts of the tickets an event
 * touched (incrementally, see index.ts) and rebuilds them all — so a rebuild from scratch must
 * always equal what the increments produced, which the tests check. Resolution time in business
 * hours needs the SLA calendar arithmetic, in TypeScript: `businessTimes` computes it for the same
 * tickets beforehand and the statement takes it as one JSON parameter. The parts cost is the parts
 * module's rule (`ticketPartsCostFenSql`, the SQL twin of its `ticketPartsCost`).
 */
async function refreshStatement(db: Executor, which: SQL, now: Date): Promise<SQL> {
  const at = now.toISOString();
  const business = JSON.stringify(await businessTimes(db, which));
  return sql`
    insert into ticket_facts (ticket_id, created_at, closed_at, cancelled, state, channel, priority, region_code,
      customer_id, industry, customer_tier, product_model_id, device_id, batch, category_id, root_category_id, team_id,
      engineer_id, response_minutes, resolve_minutes, close_minutes, suspended_minutes, response_met, resolution_met,
      visits, reopened, is_repeat, repeated, csat, nps, labour_minutes, travel_minutes, parts_cost_fen, fields,
      business_close_minutes, refreshed_at)
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
      (select count(*)::int from visits v where v.ticket_id = t.id and v.checked_in_at is not null)
        + coalesce(t.imported_visits, 0),
      t.reopen_count > 0, t.is_repeat,
      exists (select 1 from tickets r where r.repeat_of = t.id and r.id <> t.id and r.cancelled_at is null),
      -- a rating given at the confirmation, else the one answered in the satisfaction survey
      coalesce(t.csat, s.csat), s.nps,
      coalesce((t.resolution ->> 'labourMinutes')::int, 0),
      coalesce((t.resolution ->> 'travelMinutes')::int, 0),
      ${ticketPartsCostFenSql(sql`t.id`, sql`t.resolution`)},
      t.fields, b.minutes, ${at}::timestamptz
    from tickets t
      left join customers c on c.id = t.customer_id
      left join devices d on d.id = t.device_id
      left join fault_categories cat on cat.id = t.category_id
      left join surveys s on s.ticket_id = t.id
      left join jsonb_to_recordset(${business}::jsonb) as b(id uuid, minutes float8) on b.id = t.id
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
      is_repeat = excluded.is_repeat, repeated = excluded.repeated, csat = excluded.csat, nps = excluded.nps,
      labour_minutes = excluded.labour_minutes, travel_minutes = excluded.travel_minutes,
      parts_cost_fen = excluded.parts_cost_fen, fields = excluded.fields,
      business_close_minutes = excluded.business_close_minutes, refreshed_at = excluded.refreshed_at`;
}

/**
 * Facts and rollup change together under one transaction-level advisory lock, so two writers (the
 * subscriber on two replicas, or it and a backfill) never both subtract or add the same ticket's
 * contribution to the rollup.
 */
const PROJECTION_LOCK = 0x5e41_7a11;
const lockProjection = (db: Executor) => db.execute(sql`select pg_advisory_xact_lock(${PROJECTION_LOCK})`);

/**
 * Refreshes the facts of these tickets and of the tickets they repeat (whose `repeated` flag a
 * new repeat changes), and moves the rollup by the difference: their old contribution out, the
 * new one in. A few statements, however many tickets.
 */
export async function refreshFacts(db: Executor, ticketIds: string[], now: Date): Promise<void> {
  if (ticketIds.length === 0) return;
  await db.transaction(async (tx) => {
    await lockProjection(tx);
    const given = uuidArray(ticketIds);
    const ids = (
      await rows<{ id: string }>(
        tx,
        sql`select id from tickets where id = any(${given})
            union select repeat_of from tickets where id = any(${given}) and repeat_of is not null`,
      )
    ).map((r) => r.id);
    const mine = sql`f.ticket_id = any(${uuidArray(ids)})`;
    const cells = new Map();
    contribute(cells, await readFacts(tx, mine), -1);
    await tx.execute(await refreshStatement(tx, sql`t.id = any(${uuidArray(ids)})`, now));
    contribute(cells, await readFacts(tx, mine), 1);
    await applyToRollup(tx, cells);
  });
}

/** Tickets by id, both ends included (ids are time-ordered UUIDv7: a range is a period of reports). */
export interface TicketRange {
  from?: string;
  to?: string;
}

/**
 * Fills in the facts of tickets that have none — the first start after this module arrived (or
 * after migration 0020 emptied them), or history written in bulk (an import, whose one
 * `import.committed` event brings the id range it wrote) — and adds them to the rollup, in batches
 * of one transaction each, so a million tickets do not become one huge statement. Tickets that
 * already had facts and that a new one repeats are refreshed too: their `repeated` flag changed.
 * Returns how many were added.
 */
export async function backfillFacts(db: Executor, now: Date, range: TicketRange = {}, batch = 20_000): Promise<number> {
  const [counts] = await rows<{ tickets: number; facts: number }>(
    db,
    sql`select (select count(*)::int from tickets) as tickets, (select count(*)::int from ticket_facts) as facts`,
  );
  if (counts!.facts >= counts!.tickets) return 0;
  let added = 0;
  // Keyset pages over the primary key: each page is an index range, not a rescan from the start.
  // Ticket ids are time-ordered (UUIDv7), so a page also touches only a few weeks of the rollup.
  const until = range.to ? sql`and id <= ${range.to}::uuid` : sql``;
  for (let after = range.from ? before(range.from) : '00000000-0000-0000-0000-000000000000'; ; ) {
    const page = await rows<{ id: string }>(
      db,
      sql`select id from tickets where id > ${after}::uuid ${until} order by id limit ${batch}`,
    );
    if (page.length === 0) return added;
    const last = page.at(-1)!.id;
    const range = (column: SQL) => sql`${column} > ${after}::uuid and ${column} <= ${last}::uuid`;
    await db.transaction(async (tx) => {
      await lockProjection(tx);
      // A key range, not a list of ids: the primary key index serves it directly.
      const ids = (
        await rows<{ id: string }>(
          tx,
          sql`${await refreshStatement(
            tx,
            sql`${range(sql`t.id`)} and not exists (select 1 from ticket_facts f where f.ticket_id = t.id)`,
            now,
          )} returning ticket_facts.ticket_id as id`,
        )
      ).map((r) => r.id);
      const cells = new Map();
      contribute(
        cells,
        await readFacts(tx, sql`${range(sql`f.ticket_id`)} and f.ticket_id = any(${uuidArray(ids)})`),
        1,
      );
      await applyToRollup(tx, cells);
      // A ticket that had its facts before and that one of these repeats: its flag is now stale.
      const stale = await rows<{ id: string }>(
        tx,
        sql`select distinct t.repeat_of::text as id from tickets t join ticket_facts f on f.ticket_id = t.repeat_of
            where ${range(sql`t.id`)} and t.id = any(${uuidArray(ids)}) and not f.repeated`,
      );
      await refreshFacts(
        tx,
        stale.map((r) => r.id),
        now,
      );
      added += ids.length;
    });
    after = last;
  }
}

/** The uuid just below this one, so that a range can start at it inclusively with `id > …`. */
function before(id: string): string {
  const n = BigInt(`0x${id.replace(/-/g, '')}`);
  const hex = (n === 0n ? 0n : n - 1n).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Recomputes every fact row and the rollup from scratch (an administrator's repair, and the tests' oracle). */
export async function rebuildFacts(db: Executor, now: Date): Promise<number> {
  await db.transaction(async (tx) => {
    await lockProjection(tx);
    await tx.execute(sql`delete from kpi_daily`);
    await tx.execute(sql`delete from ticket_facts`);
  });
  return backfillFacts(db, now);
}
