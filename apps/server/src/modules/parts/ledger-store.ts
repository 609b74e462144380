import type { MovementKind, Shortage } from '@serviceloop/contracts';
import { eq, inArray, sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/client';
import type { EventActor } from '../../platform/events/event-log';
import { AppError } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { invalid } from '../customers/index';
import { apply, available, effect, type Quantities, reorderTransition } from './ledger';
import { parts, reorderPoints, stockBalances, stockMovements, warehouses } from './tables';

export type MovementRow = typeof stockMovements.$inferSelect;

/** One movement to write. `path` says where in the request it came from, for error details. */
export interface MovementSpec {
  kind: MovementKind;
  partId: string;
  warehouseId: string;
  quantity: number;
  ticketId?: string | null;
  requisitionId?: string | null;
  reservationId?: string | null;
  transferId?: string | null;
  reason?: string | null;
  serialNumbers?: string[] | null;
  path?: string;
}

const key = (partId: string, warehouseId: string) => `${partId}|${warehouseId}`;
/** Kinds that put stock into a place: refused for a part or warehouse no longer in use. */
const INBOUND: MovementKind[] = ['receipt', 'transfer_in', 'reservation'];

/**
 * The only writer of `stock_movements` and `stock_balances`.
 *
 * Concurrency: every movement of a (part, warehouse) first locks that pair's balance row
 * (`SELECT … FOR UPDATE`, rows of one command locked in key order so two commands touching
 * the same pairs can't deadlock), decides on the locked quantities, then appends the ledger
 * rows and writes the new quantities before commit. A second request for the same pair waits
 * on the lock and then decides on the committed result — so two requests can never both take
 * the last unit. A conditional `UPDATE … WHERE on_hand - reserved >= n` would also be safe
 * for one reservation, but the lock lets one pure function (`ledger.apply`) decide every
 * kind, check a release against its reservation, and raise reorder alerts — all against the
 * same row version the ledger row is appended for. The table's CHECK constraints are the
 * backstop if a future writer forgets.
 */
export class LedgerStore {
  constructor(private readonly platform: Platform) {}

  async move(
    tx: Tx,
    specs: MovementSpec[],
    actor: EventActor,
  ): Promise<{ movements: MovementRow[]; balances: Map<string, Quantities> }> {
    const now = this.platform.clock.now();
    const partIds = [...new Set(specs.map((s) => s.partId))];
    const warehouseIds = [...new Set(specs.map((s) => s.warehouseId))];
    const [partRows, warehouseRows] = await Promise.all([
      tx
        .select({ id: parts.id, unitCostFen: parts.unitCostFen, active: parts.active })
        .from(parts)
        .where(inArray(parts.id, partIds)),
      tx
        .select({ id: warehouses.id, active: warehouses.active })
        .from(warehouses)
        .where(inArray(warehouses.id, warehouseIds)),
    ]);
    const partById = new Map(partRows.map((p) => [p.id, p]));
    const warehouseById = new Map(warehouseRows.map((w) => [w.id, w]));
    for (const s of specs) {
      const prefix = s.path ? `${s.path}.` : '';
      const part = partById.get(s.partId);
      const warehouse = warehouseById.get(s.warehouseId);
      if (!part) throw invalid(`${prefix}partId`, 'validation.reference');
      if (!warehouse) throw invalid(`${prefix}warehouseId`, 'validation.reference');
      if (INBOUND.includes(s.kind) && !part.active) throw invalid(`${prefix}partId`, 'validation.parts.inactive');
      if (INBOUND.includes(s.kind) && !warehouse.active)
        throw invalid(`${prefix}warehouseId`, 'validation.parts.inactive');
    }

    const places = [...new Map(specs.map((s) => [key(s.partId, s.warehouseId), s])).values()]
      .map((s) => ({ p: s.partId, w: s.warehouseId }))
      .sort((a, b) => (a.p === b.p ? (a.w < b.w ? -1 : 1) : a.p < b.p ? -1 : 1));
    const placesJson = JSON.stringify(places);
    // A first movement creates the pair's row; inserting in key order keeps two commands that
    // create the same new pairs from waiting on each other crosswise.
    await tx.execute(sql`insert into stock_balances (part_id, warehouse_id)
      select p, w from jsonb_to_recordset(${placesJson}::jsonb) as x(p uuid, w uuid) order by p, w
      on conflict do nothing`);
    const locked = await rows<{
      part_id: string;
      warehouse_id: string;
      on_hand: number;
      reserved: number;
      defective: number;
    }>(
      tx,
      sql`select part_id, warehouse_id, on_hand, reserved, defective from stock_balances
          where (part_id, warehouse_id) in (select p, w from jsonb_to_recordset(${placesJson}::jsonb) as x(p uuid, w uuid))
          order by part_id, warehouse_id
          for update of stock_balances`,
    );
    const balances = new Map<string, Quantities>(
      locked.map((r) => [
        key(r.part_id, r.warehouse_id),
        { onHand: Number(r.on_hand), reserved: Number(r.reserved), defective: Number(r.defective) },
      ]),
    );
    const before = new Map(balances);

    const outstanding = await this.outstandingReservations(tx, specs);
    const written: MovementRow[] = [];
    const touchedOnHand = new Set<string>();
    for (const s of specs) {
      const k = key(s.partId, s.warehouseId);
      if (s.kind === 'release') this.takeFromReservation(s, outstanding);
      const result = apply(balances.get(k)!, effect(s.kind, s.quantity));
      if (!result.ok) {
        const shortage: Shortage = {
          ...(s.path ? { path: `${s.path}.quantity` } : {}),
          partId: s.partId,
          warehouseId: s.warehouseId,
          requested: Math.abs(s.quantity),
          available: result.available,
        };
        throw new AppError(409, 'stock.insufficient', shortage, shortage);
      }
      balances.set(k, result.after);
      const delta = effect(s.kind, s.quantity);
      if (delta.onHand !== 0) touchedOnHand.add(k);
      written.push({
        id: newId(now.getTime()),
        seq: 0,
        occurredAt: now,
        kind: s.kind,
        partId: s.partId,
        warehouseId: s.warehouseId,
        quantity: s.quantity,
        onHandDelta: delta.onHand,
        reservedDelta: delta.reserved,
        defectiveDelta: delta.defective,
        unitCostFen: partById.get(s.partId)!.unitCostFen,
        ticketId: s.ticketId ?? null,
        requisitionId: s.requisitionId ?? null,
        reservationId: s.reservationId ?? null,
        transferId: s.transferId ?? null,
        reason: s.reason ?? null,
        serialNumbers: s.serialNumbers?.length ? s.serialNumbers : null,
        actorId: actor.id,
      });
    }

    const inserted = await tx
      .insert(stockMovements)
      .values(written.map(({ seq: _seq, ...row }) => row))
      .returning();
    const order = new Map(written.map((m, i) => [m.id, i]));
    inserted.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    for (const [k, q] of balances) {
      const [partId, warehouseId] = k.split('|') as [string, string];
      await tx
        .update(stockBalances)
        .set({
          onHand: q.onHand,
          reserved: q.reserved,
          defective: q.defective,
          ...(touchedOnHand.has(k) ? { lastMovementAt: now } : {}),
        })
        .where(sql`${stockBalances.partId} = ${partId} and ${stockBalances.warehouseId} = ${warehouseId}`);
    }
    const changed = [...balances.keys()].filter((k) => available(balances.get(k)!) !== available(before.get(k)!));
    await this.reviewReorderPoints(tx, changed, balances, actor);
    return { movements: inserted, balances };
  }

  /** What each reservation released in this batch still holds, read under the pair's lock. */
  private async outstandingReservations(tx: Tx, specs: MovementSpec[]) {
    const ids = [...new Set(specs.filter((s) => s.kind === 'release').map((s) => s.reservationId!))];
    const found = new Map<string, { partId: string; warehouseId: string; left: number }>();
    if (ids.length === 0) return found;
    const rowsFound = await rows<{ id: string; part_id: string; warehouse_id: string; left: number }>(
      tx,
      sql`select r.id, r.part_id, r.warehouse_id,
                 r.quantity - coalesce((select sum(x.quantity) from stock_movements x
                                         where x.reservation_id = r.id and x.kind = 'release'), 0) as left
          from stock_movements r
          where r.kind = 'reservation'
            and r.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`,
    );
    for (const r of rowsFound)
      found.set(r.id, { partId: r.part_id, warehouseId: r.warehouse_id, left: Number(r.left) });
    return found;
  }

  private takeFromReservation(
    s: MovementSpec,
    outstanding: Map<string, { partId: string; warehouseId: string; left: number }>,
  ) {
    const reservation = s.reservationId ? outstanding.get(s.reservationId) : undefined;
    if (!reservation || reservation.partId !== s.partId || reservation.warehouseId !== s.warehouseId)
      throw new Error(`release of unknown reservation ${s.reservationId}`);
    if (s.quantity > reservation.left)
      throw new AppError(
        409,
        'stock.reservation_exceeded',
        { outstanding: reservation.left },
        { outstanding: reservation.left },
      );
    reservation.left -= s.quantity;
  }

  /** Raises or clears reorder alerts of the pairs whose available quantity changed (their rows are locked). */
  async reviewReorderPoints(tx: Tx, keys: string[], balances: Map<string, Quantities>, actor: EventActor) {
    if (keys.length === 0) return;
    const wanted = keys.map((k) => k.split('|') as [string, string]);
    const points = await rows<{
      part_id: string;
      warehouse_id: string;
      reorder_point: number;
      alert_raised_at: Date | string | null;
    }>(
      tx,
      sql`select part_id, warehouse_id, reorder_point, alert_raised_at from reorder_points
          where (part_id, warehouse_id) in (select p, w from jsonb_to_recordset(${JSON.stringify(
            wanted.map(([p, w]) => ({ p, w })),
          )}::jsonb) as x(p uuid, w uuid))`,
    );
    for (const point of points) {
      const q = balances.get(key(point.part_id, point.warehouse_id))!;
      await this.applyReorderTransition(
        tx,
        point.part_id,
        point.warehouse_id,
        available(q),
        Number(point.reorder_point),
        point.alert_raised_at !== null,
        actor,
      );
    }
  }

  async applyReorderTransition(
    tx: Tx,
    partId: string,
    warehouseId: string,
    availableNow: number,
    reorderPoint: number | null,
    alertOpen: boolean,
    actor: EventActor,
  ) {
    const transition = reorderTransition(availableNow, reorderPoint, alertOpen);
    if (!transition) return;
    const now = this.platform.clock.now();
    if (reorderPoint !== null) {
      await tx
        .update(reorderPoints)
        .set({ alertRaisedAt: transition === 'raise' ? now : null })
        .where(sql`${reorderPoints.partId} = ${partId} and ${reorderPoints.warehouseId} = ${warehouseId}`);
    }
    await this.platform.events.append(tx, {
      type: transition === 'raise' ? 'parts.reorder_needed' : 'parts.reorder_cleared',
      entityType: 'part',
      entityId: partId,
      actor,
      data: { warehouseId, available: availableNow, reorderPoint },
    });
  }

  /** Locks one pair's balance row (creating it if needed) and returns its quantities. */
  async lockPlace(tx: Tx, partId: string, warehouseId: string): Promise<Quantities> {
    await tx
      .insert(stockBalances)
      .values({ partId, warehouseId, onHand: 0, reserved: 0, defective: 0 })
      .onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(stockBalances)
      .where(sql`${stockBalances.partId} = ${partId} and ${stockBalances.warehouseId} = ${warehouseId}`)
      .for('update');
    return { onHand: row!.onHand, reserved: row!.reserved, defective: row!.defective };
  }

  async partExists(tx: Tx, partId: string) {
    return (await tx.select({ id: parts.id }).from(parts).where(eq(parts.id, partId))).length > 0;
  }
}
