import type { TicketPartsCost } from '@serviceloop/contracts';
import { eq, inArray, sql } from 'drizzle-orm';
import { rows } from '../../platform/db/client';
import type { Platform } from '../../platform/index';
import { tickets } from '../tickets/index';
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
 * so a fix done from stock nobody booked still shows what it cost.
 */
export async function ticketPartsCost(platform: Platform, ticketId: string): Promise<TicketPartsCost> {
  const db = platform.db;
  const [ticket] = await db.select({ resolution: tickets.resolution }).from(tickets).where(eq(tickets.id, ticketId));
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
