import type { TicketPartsCost } from '@serviceloop/contracts';
import { inArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows, textArray } from '../../platform/db/client';
import type { StoredEvent } from '../../platform/events/event-log';
import type { Platform } from '../../platform/index';
import { findTicket } from '../tickets/index';
import { parts } from './tables';

interface PartUsed {
  sku: string;
  name: string;
  quantity: number;
}

/**
 * A ticket's parts cost: what the ledger says left stock for it (consumed from a van, or
 * issued without one), at the unit cost of the day it moved. The engineer's resolution also
 * lists parts used (`resolution.partsUsed`, free text by SKU); units listed there beyond what
 * the ledger holds are added at today's catalogue cost, or left unpriced for an unknown SKU,
 * so a fix done from stock nobody booked still shows what it cost. `ticketPartsCostFenSql` is the
 * same rule in SQL for the analytics facts; keep the two in step (analytics.test.ts checks them equal).
 */
export async function ticketPartsCost(platform: Platform, ticketId: string): Promise<TicketPartsCost> {
  const db = platform.db;
  const ticket = await findTicket(db, ticketId);
  const booked = await rows<{ part_id: string; sku: string; name_zh: string; quantity: number; unit_cost_fen: number }>(
    db,
    sql`select m.part_id, p.sku, p.name_zh, sum(m.quantity)::int as quantity, m.unit_cost_fen
        from stock_movements m join parts p on p.id = m.part_id
        where m.ticket_id = ${ticketId} and m.kind in ('consumption', 'issue')
        group by m.part_id, p.sku, p.name_zh, m.unit_cost_fen
        order by p.sku, m.unit_cost_fen`,
  );
  const lines: TicketPartsCost['lines'] = booked.map((b) => ({
    source: 'ledger',
    partId: b.part_id,
    sku: b.sku,
    name: b.name_zh,
    quantity: Number(b.quantity),
    unitCostFen: Number(b.unit_cost_fen),
    costFen: Number(b.quantity) * Number(b.unit_cost_fen),
  }));
  const listed = ((ticket?.resolution as { partsUsed?: PartUsed[] } | null)?.partsUsed ?? []).filter(
    (p) => p.quantity > 0,
  );
  const listedBySku = new Map<string, PartUsed>();
  for (const p of listed) {
    const seen = listedBySku.get(p.sku);
    listedBySku.set(p.sku, seen ? { ...seen, quantity: seen.quantity + p.quantity } : { ...p });
  }
  const catalogue = listedBySku.size
    ? await db
        .select({ id: parts.id, sku: parts.sku, unitCostFen: parts.unitCostFen })
        .from(parts)
        .where(inArray(parts.sku, [...listedBySku.keys()]))
    : [];
  for (const p of listedBySku.values()) {
    const inLedger = lines.filter((l) => l.sku === p.sku).reduce((s, l) => s + l.quantity, 0);
    const extra = p.quantity - inLedger;
    if (extra <= 0) continue;
    const known = catalogue.find((c) => c.sku === p.sku);
    lines.push({
      source: 'resolution',
      partId: known?.id ?? null,
      sku: p.sku,
      name: p.name,
      quantity: extra,
      unitCostFen: known ? known.unitCostFen : null,
      costFen: known ? known.unitCostFen * extra : null,
    });
  }
  return {
    ticketId,
    totalFen: lines.reduce((s, l) => s + (l.costFen ?? 0), 0),
    unpricedLines: lines.filter((l) => l.costFen === null).length,
    lines,
  };
}

/** A resolution's `partsUsed` as a jsonb array (empty when there is none). */
const partsUsedOf = (resolution: SQL) =>
  sql`case jsonb_typeof(${resolution} -> 'partsUsed') when 'array' then ${resolution} -> 'partsUsed' else '[]'::jsonb end`;

/**
 * `ticketPartsCost(…).totalFen` as one SQL expression (bigint), for the ticket with this id and
 * resolution (columns of the caller's query): the analytics facts compute a ticket's parts cost
 * with it. Ledger consumption and issues at their movement's unit cost; units the resolution lists
 * beyond the ledger's, SKU by SKU, at the catalogue's current unit cost; unknown SKUs count 0.
 */
export function ticketPartsCostFenSql(ticketId: SQL, resolution: SQL): SQL {
  return sql`(
    coalesce((select sum(m.quantity::bigint * m.unit_cost_fen) from stock_movements m
              where m.ticket_id = ${ticketId} and m.kind in ('consumption', 'issue')), 0)
    + coalesce((
        select sum((u.quantity - coalesce(b.quantity, 0)) * p.unit_cost_fen)
        from (select x.sku, sum(x.quantity) as quantity
              from (select e ->> 'sku' as sku,
                      case jsonb_typeof(e -> 'quantity') when 'number' then (e ->> 'quantity')::numeric end as quantity
                    from jsonb_array_elements(${partsUsedOf(resolution)}) e) x
              where x.quantity > 0
              group by 1) u
          join parts p on p.sku = u.sku
          left join lateral (
            select sum(m.quantity) as quantity from stock_movements m join parts mp on mp.id = m.part_id
            where m.ticket_id = ${ticketId} and m.kind in ('consumption', 'issue') and mp.sku = u.sku) b on true
        where u.quantity > coalesce(b.quantity, 0)), 0)
  )::bigint`;
}

/**
 * The tickets whose parts cost this catalogue event may have changed: those whose resolution
 * lists the part's SKU (before and after a change of SKU; for a deleted part, its last SKU as its
 * events recorded it). A scan of the tickets, for a rare event.
 */
export async function ticketsPricedByCatalogueEvent(db: Executor, event: StoredEvent): Promise<string[]> {
  const changes = event.changes as Record<string, { from: unknown; to: unknown } | undefined>;
  if (event.type === 'part.updated' && !changes.sku && !changes.unitCostFen) return [];
  const skus = new Set<string>();
  for (const value of [changes.sku?.from, changes.sku?.to]) if (typeof value === 'string') skus.add(value);
  const [current] = await rows<{ sku: string | null }>(
    db,
    event.type === 'part.deleted'
      ? sql`select changes -> 'sku' ->> 'to' as sku from events
            where entity_type = 'part' and entity_id = ${event.entityId} and changes -> 'sku' is not null
            order by seq desc limit 1`
      : sql`select sku from parts where id::text = ${event.entityId}`,
  );
  if (current?.sku) skus.add(current.sku);
  if (skus.size === 0) return [];
  const listed = await rows<{ id: string }>(
    db,
    sql`select t.id::text as id from tickets t
        where exists (select 1 from jsonb_array_elements(${partsUsedOf(sql`t.resolution`)}) x
                      where x ->> 'sku' = any(${textArray([...skus])}))`,
  );
  return listed.map((r) => r.id);
}
