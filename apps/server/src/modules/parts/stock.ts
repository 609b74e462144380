import type {
  Balance,
  EventName,
  LedgerCheck,
  MovementResult,
  NewMovement,
  Reservation,
  SlowMovingReport,
  StockLevel,
  StockMovement,
  WarehouseKind,
  WarehouseStock,
} from '@serviceloop/contracts';
import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows, type Tx } from '../../platform/db/client';
import type { EventActor } from '../../platform/events/event-log';
import { AppError, notFound } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { invalid } from '../customers/index';
import { findTicket } from '../tickets/index';
import { available, type Quantities } from './ledger';
import { LedgerStore, type MovementRow, type MovementSpec } from './ledger-store';
import { parts, reorderPoints, stockMovements, warehouses } from './tables';

type Paged = { page: number; pageSize: number };
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const presentMovement = (m: MovementRow): StockMovement => ({
  ...m,
  seq: Number(m.seq),
  kind: m.kind as StockMovement['kind'],
  occurredAt: m.occurredAt.toISOString(),
  serialNumbers: m.serialNumbers ?? null,
});

const presentBalances = (balances: Map<string, Quantities>): Balance[] =>
  [...balances].map(([k, q]) => {
    const [partId, warehouseId] = k.split('|') as [string, string];
    return { partId, warehouseId, ...q, available: available(q) };
  });

const TICKET_EVENTS: Partial<Record<NewMovement['kind'], EventName>> = {
  consumption: 'part.consumed',
  return_defective: 'part.defective_returned',
  issue: 'part.issued',
};
/** Movements that are not a ticket's belong to the part (consumption and returns always name one). */
const PART_EVENTS: Partial<Record<NewMovement['kind'], EventName>> = {
  receipt: 'stock.receipt',
  adjustment: 'stock.adjustment',
  issue: 'stock.issue',
  transfer: 'stock.transfer',
};

/** Stock commands and queries: what a keeper posts, what everyone reads. */
export class StockService {
  readonly ledger: LedgerStore;

  constructor(private readonly platform: Platform) {
    this.ledger = new LedgerStore(platform);
  }

  /** A ticket named by a movement must exist; read with the transaction's connection. */
  async assertTicket(tx: Tx, ticketId: string | null | undefined, path = 'ticketId') {
    if (!ticketId) return null;
    const ticket = await findTicket(tx, ticketId);
    if (!ticket) throw invalid(path, 'validation.reference');
    return ticket;
  }

  /** A movement posted by a person: receipt, adjustment, issue, consumption, defective return or a transfer pair. */
  async record(input: NewMovement, actor: EventActor): Promise<MovementResult> {
    return this.platform.transaction(async (tx) => {
      const ticketId = 'ticketId' in input ? (input.ticketId ?? null) : null;
      await this.assertTicket(tx, ticketId);
      await this.assertSerials(tx, input);
      const common = {
        reason: 'reason' in input ? (input.reason ?? null) : null,
        serialNumbers: 'serialNumbers' in input ? input.serialNumbers : undefined,
      };
      const specs: MovementSpec[] =
        input.kind === 'transfer'
          ? (() => {
              const transferId = newId();
              return [
                {
                  kind: 'transfer_out',
                  partId: input.partId,
                  warehouseId: input.fromWarehouseId,
                  quantity: input.quantity,
                  transferId,
                  ...common,
                },
                {
                  kind: 'transfer_in',
                  partId: input.partId,
                  warehouseId: input.toWarehouseId,
                  quantity: input.quantity,
                  transferId,
                  ...common,
                },
              ];
            })()
          : [
              {
                kind: input.kind,
                partId: input.partId,
                warehouseId: input.warehouseId,
                quantity: input.quantity,
                ticketId,
                ...common,
              },
            ];
      const { movements, balances } = await this.ledger.move(tx, specs, actor);
      // Parts used on (or returned from) a ticket show on its timeline; other movements belong to the part.
      const ticketEvent = ticketId ? TICKET_EVENTS[input.kind] : undefined;
      await this.platform.events.append(tx, {
        type: (ticketEvent ?? PART_EVENTS[input.kind])!,
        entityType: ticketEvent ? 'ticket' : 'part',
        entityId: ticketEvent ? ticketId! : input.partId,
        actor,
        data: {
          partId: input.partId,
          quantity: input.quantity,
          movementIds: movements.map((m) => m.id),
          warehouseId: 'warehouseId' in input ? input.warehouseId : input.toWarehouseId,
        },
      });
      return { movements: movements.map(presentMovement), balances: presentBalances(balances) };
    });
  }

  /**
   * Parts an engineer reports used on a ticket, taken from their van inside the caller's transaction
   * (the field sync claims its operation in the same one, so a replay consumes nothing twice). Each
   * SKU takes what the van has, up to the quantity; what it lacks is returned as a shortfall (the
   * ticket's parts cost still counts it, at catalogue cost, from the resolution).
   */
  async consumeFromVan(
    tx: Tx,
    input: { ticketId: string; engineerId: string; parts: { sku: string; quantity: number }[] },
    actor: EventActor,
  ) {
    const consumed: { sku: string; partId: string; quantity: number }[] = [];
    const shortfall: { sku: string; quantity: number }[] = [];
    const [van] = await tx
      .select({ id: warehouses.id })
      .from(warehouses)
      .where(
        and(eq(warehouses.kind, 'van'), eq(warehouses.ownerUserId, input.engineerId), eq(warehouses.active, true)),
      );
    const wanted = new Map<string, number>();
    for (const p of input.parts) wanted.set(p.sku, (wanted.get(p.sku) ?? 0) + p.quantity);
    // In SKU order, like every multi-part movement, so two syncs can't deadlock on the balance locks.
    for (const [sku, quantity] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
      const [part] = van ? await tx.select({ id: parts.id }).from(parts).where(eq(parts.sku, sku)) : [];
      const onHand = part && van ? available(await this.ledger.lockPlace(tx, part.id, van.id)) : 0;
      const take = Math.min(quantity, Math.max(onHand, 0));
      if (take > 0 && part && van) {
        const { movements } = await this.ledger.move(
          tx,
          [{ kind: 'consumption', partId: part.id, warehouseId: van.id, quantity: take, ticketId: input.ticketId }],
          actor,
        );
        await this.platform.events.append(tx, {
          type: 'part.consumed',
          entityType: 'ticket',
          entityId: input.ticketId,
          actor,
          data: { partId: part.id, quantity: take, movementIds: movements.map((m) => m.id), warehouseId: van.id },
        });
        consumed.push({ sku, partId: part.id, quantity: take });
      }
      if (take < quantity) shortfall.push({ sku, quantity: quantity - take });
    }
    return { vanId: van?.id ?? null, consumed, shortfall };
  }

  /** A serial-tracked part moves with one serial number per unit. */
  private async assertSerials(tx: Tx, input: NewMovement) {
    if (input.kind === 'adjustment') return;
    const [part] = await tx
      .select({ serialTracked: parts.serialTracked })
      .from(parts)
      .where(eq(parts.id, input.partId));
    if (!part) throw invalid('partId', 'validation.reference');
    const serials = ('serialNumbers' in input ? input.serialNumbers : undefined) ?? [];
    if (part.serialTracked && (serials.length !== input.quantity || new Set(serials).size !== serials.length))
      throw invalid('serialNumbers', 'validation.parts.serials');
  }

  async reserve(
    input: { partId: string; warehouseId: string; quantity: number; ticketId?: string | null },
    actor: EventActor,
  ): Promise<Reservation> {
    return this.platform.transaction(async (tx) => {
      await this.assertTicket(tx, input.ticketId);
      const { movements } = await this.ledger.move(tx, [{ kind: 'reservation', ...input }], actor);
      const reservation = movements[0]!;
      await this.platform.events.append(tx, {
        type: 'stock.reserved',
        entityType: 'part',
        entityId: input.partId,
        actor,
        data: {
          reservationId: reservation.id,
          warehouseId: input.warehouseId,
          quantity: input.quantity,
          ticketId: input.ticketId ?? null,
        },
      });
      return this.presentReservation(reservation, input.quantity);
    });
  }

  /** Gives back what a stand-alone reservation still holds (all of it unless a quantity is named). */
  async release(reservationId: string, quantity: number | undefined, actor: EventActor): Promise<Reservation> {
    return this.platform.transaction(async (tx) => {
      const [reservation] = await tx
        .select()
        .from(stockMovements)
        .where(and(eq(stockMovements.id, reservationId), eq(stockMovements.kind, 'reservation')));
      if (!reservation) throw notFound('reservation');
      // A requisition's reservation moves with the requisition (issue, reject, cancel), never alone.
      if (reservation.requisitionId) throw new AppError(409, 'stock.reservation_owned');
      await this.ledger.lockPlace(tx, reservation.partId, reservation.warehouseId);
      const left = await this.outstanding(tx, reservationId);
      if (left === 0) throw new AppError(409, 'stock.reservation_exceeded', { outstanding: 0 }, { outstanding: 0 });
      const giveBack = quantity ?? left;
      await this.ledger.move(
        tx,
        [
          {
            kind: 'release',
            partId: reservation.partId,
            warehouseId: reservation.warehouseId,
            quantity: giveBack,
            reservationId,
            ticketId: reservation.ticketId,
          },
        ],
        actor,
      );
      await this.platform.events.append(tx, {
        type: 'stock.released',
        entityType: 'part',
        entityId: reservation.partId,
        actor,
        data: { reservationId, warehouseId: reservation.warehouseId, quantity: giveBack },
      });
      return this.presentReservation(reservation, left - giveBack);
    });
  }

  private async outstanding(tx: Tx, reservationId: string): Promise<number> {
    const [row] = await rows<{ left: number }>(
      tx,
      sql`select r.quantity - coalesce((select sum(x.quantity) from stock_movements x where x.reservation_id = r.id and x.kind = 'release'), 0) as left
          from stock_movements r where r.id = ${reservationId}`,
    );
    return Number(row?.left ?? 0);
  }

  private presentReservation(m: MovementRow, outstanding: number): Reservation {
    return {
      id: m.id,
      partId: m.partId,
      warehouseId: m.warehouseId,
      quantity: m.quantity,
      outstanding,
      ticketId: m.ticketId,
      requisitionId: m.requisitionId,
      reservedAt: m.occurredAt.toISOString(),
    };
  }

  async reservations(q: Paged & { partId?: string; warehouseId?: string; open?: 'true' | 'false' }) {
    const where = sql.join(
      [
        sql`r.kind = 'reservation'`,
        q.partId ? sql`r.part_id = ${q.partId}` : undefined,
        q.warehouseId ? sql`r.warehouse_id = ${q.warehouseId}` : undefined,
      ].filter((x): x is SQL => !!x),
      sql` and `,
    );
    const openFilter =
      q.open === 'true' ? sql`where outstanding > 0` : q.open === 'false' ? sql`where outstanding = 0` : sql``;
    const base = sql`select r.*, r.quantity - coalesce((select sum(x.quantity) from stock_movements x where x.reservation_id = r.id and x.kind = 'release'), 0) as outstanding
                     from stock_movements r where ${where}`;
    const [found, [total]] = await Promise.all([
      rows<Record<string, unknown>>(
        this.platform.db,
        sql`select * from (${base}) s ${openFilter} order by seq desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
      ),
      rows<{ n: number }>(this.platform.db, sql`select count(*)::int as n from (${base}) s ${openFilter}`),
    ]);
    return {
      items: found.map((r) => ({
        id: r.id as string,
        partId: r.part_id as string,
        warehouseId: r.warehouse_id as string,
        quantity: Number(r.quantity),
        outstanding: Number(r.outstanding),
        ticketId: (r.ticket_id as string | null) ?? null,
        requisitionId: (r.requisition_id as string | null) ?? null,
        reservedAt: iso(r.occurred_at as string)!,
      })),
      total: total!.n,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async levels(
    q: Paged & { q?: string; partId?: string; warehouseId?: string; belowReorder?: 'true' | 'false' },
    db: Executor = this.platform.db,
  ) {
    const like = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const where = sql.join(
      [
        sql`true`,
        q.partId ? sql`b.part_id = ${q.partId}` : undefined,
        q.warehouseId ? sql`b.warehouse_id = ${q.warehouseId}` : undefined,
        like
          ? sql`(p.sku ilike ${like} or p.name_zh ilike ${like} or p.name_en ilike ${like} or w.name ilike ${like})`
          : undefined,
        q.belowReorder === 'true'
          ? sql`rp.reorder_point is not null and b.on_hand - b.reserved < rp.reorder_point`
          : undefined,
        q.belowReorder === 'false'
          ? sql`(rp.reorder_point is null or b.on_hand - b.reserved >= rp.reorder_point)`
          : undefined,
      ].filter((x): x is SQL => !!x),
      sql` and `,
    );
    const from = sql`from stock_balances b
      join parts p on p.id = b.part_id
      join warehouses w on w.id = b.warehouse_id
      left join reorder_points rp on rp.part_id = b.part_id and rp.warehouse_id = b.warehouse_id
      where ${where}`;
    const [found, [total]] = await Promise.all([
      rows<Record<string, unknown>>(
        db,
        sql`select b.*, p.sku, p.name_zh, p.unit, w.code as warehouse_code, w.name as warehouse_name, w.kind as warehouse_kind,
                   rp.reorder_point ${from}
            order by w.code, p.sku limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
      ),
      rows<{ n: number }>(db, sql`select count(*)::int as n ${from}`),
    ]);
    const items: StockLevel[] = found.map((r) => {
      const onHand = Number(r.on_hand);
      const reserved = Number(r.reserved);
      const reorderPoint = r.reorder_point === null ? null : Number(r.reorder_point);
      return {
        partId: r.part_id as string,
        warehouseId: r.warehouse_id as string,
        onHand,
        reserved,
        available: onHand - reserved,
        defective: Number(r.defective),
        sku: r.sku as string,
        partName: r.name_zh as string,
        unit: r.unit as string,
        warehouseCode: r.warehouse_code as string,
        warehouseName: r.warehouse_name as string,
        warehouseKind: r.warehouse_kind as WarehouseKind,
        reorderPoint,
        belowReorder: reorderPoint !== null && onHand - reserved < reorderPoint,
        lastMovementAt: iso(r.last_movement_at as string | null),
      };
    });
    return { items, total: total!.n, page: q.page, pageSize: q.pageSize };
  }

  async movements(
    q: Paged & { partId?: string; warehouseId?: string; ticketId?: string; requisitionId?: string; kind?: string },
  ) {
    const where = and(
      q.partId ? eq(stockMovements.partId, q.partId) : undefined,
      q.warehouseId ? eq(stockMovements.warehouseId, q.warehouseId) : undefined,
      q.ticketId ? eq(stockMovements.ticketId, q.ticketId) : undefined,
      q.requisitionId ? eq(stockMovements.requisitionId, q.requisitionId) : undefined,
      q.kind ? eq(stockMovements.kind, q.kind) : undefined,
    );
    const [found, [total]] = await Promise.all([
      this.platform.db
        .select()
        .from(stockMovements)
        .where(where)
        .orderBy(desc(stockMovements.seq))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
      this.platform.db.select({ n: count() }).from(stockMovements).where(where),
    ]);
    return { items: found.map(presentMovement), total: total!.n, page: q.page, pageSize: q.pageSize };
  }

  /**
   * Recomputes every balance from the ledger and lists where the projection differs — which
   * must never happen, since both are written in one transaction under the pair's lock.
   */
  async check(): Promise<LedgerCheck> {
    const db = this.platform.db;
    const mismatches = await rows<Record<string, unknown>>(
      db,
      sql`with ledger as (
            select part_id, warehouse_id, sum(on_hand_delta)::int as on_hand, sum(reserved_delta)::int as reserved,
                   sum(defective_delta)::int as defective
            from stock_movements group by part_id, warehouse_id)
          select coalesce(b.part_id, l.part_id) as part_id, coalesce(b.warehouse_id, l.warehouse_id) as warehouse_id,
                 coalesce(b.on_hand, 0) as b_on_hand, coalesce(b.reserved, 0) as b_reserved, coalesce(b.defective, 0) as b_defective,
                 coalesce(l.on_hand, 0) as l_on_hand, coalesce(l.reserved, 0) as l_reserved, coalesce(l.defective, 0) as l_defective
          from stock_balances b full join ledger l on l.part_id = b.part_id and l.warehouse_id = b.warehouse_id
          where coalesce(b.on_hand, 0) <> coalesce(l.on_hand, 0)
             or coalesce(b.reserved, 0) <> coalesce(l.reserved, 0)
             or coalesce(b.defective, 0) <> coalesce(l.defective, 0)`,
    );
    const overReleased = await rows<{ id: string }>(
      db,
      sql`select r.id from stock_movements r
          where r.kind = 'reservation'
            and r.quantity < (select coalesce(sum(x.quantity), 0) from stock_movements x where x.reservation_id = r.id and x.kind = 'release')`,
    );
    const [counts] = await rows<{ balances: number; movements: number }>(
      db,
      sql`select (select count(*)::int from stock_balances) as balances, (select count(*)::int from stock_movements) as movements`,
    );
    return {
      checkedAt: this.platform.clock.now().toISOString(),
      balances: counts!.balances,
      movements: counts!.movements,
      consistent: mismatches.length === 0 && overReleased.length === 0,
      mismatches: mismatches.map((r) => ({
        partId: r.part_id as string,
        warehouseId: r.warehouse_id as string,
        projected: { onHand: Number(r.b_on_hand), reserved: Number(r.b_reserved), defective: Number(r.b_defective) },
        ledger: { onHand: Number(r.l_on_hand), reserved: Number(r.l_reserved), defective: Number(r.l_defective) },
      })),
      overReleased: overReleased.map((r) => r.id),
    };
  }

  /** Sets (or, with null, removes) a reorder point and evaluates it at once against current stock. */
  async setReorderPoint(
    input: { partId: string; warehouseId: string; reorderPoint: number | null },
    actor: EventActor,
  ) {
    return this.platform.transaction(async (tx) => {
      await this.assertPlace(tx, input.partId, input.warehouseId);
      const quantities = await this.ledger.lockPlace(tx, input.partId, input.warehouseId);
      const [existing] = await tx
        .select()
        .from(reorderPoints)
        .where(and(eq(reorderPoints.partId, input.partId), eq(reorderPoints.warehouseId, input.warehouseId)));
      const now = this.platform.clock.now();
      if (input.reorderPoint === null) {
        if (existing)
          await tx.execute(
            sql`delete from reorder_points where part_id = ${input.partId} and warehouse_id = ${input.warehouseId}`,
          );
      } else {
        await tx
          .insert(reorderPoints)
          .values({
            ...input,
            reorderPoint: input.reorderPoint,
            alertRaisedAt: existing?.alertRaisedAt ?? null,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: [reorderPoints.partId, reorderPoints.warehouseId],
            set: { reorderPoint: input.reorderPoint, updatedAt: now },
          });
      }
      await this.platform.events.append(tx, {
        type: 'parts.reorder_point_set',
        entityType: 'part',
        entityId: input.partId,
        actor,
        changes: { reorderPoint: { from: existing?.reorderPoint ?? null, to: input.reorderPoint } },
        data: { warehouseId: input.warehouseId },
      });
      await this.ledger.applyReorderTransition(
        tx,
        input.partId,
        input.warehouseId,
        available(quantities),
        input.reorderPoint,
        !!existing?.alertRaisedAt,
        actor,
      );
      const level = await this.levels(
        { page: 1, pageSize: 1, partId: input.partId, warehouseId: input.warehouseId },
        tx,
      );
      return level.items[0]!;
    });
  }

  async assertPlace(tx: Tx, partId: string, warehouseId: string) {
    const [p] = await tx.select({ id: parts.id }).from(parts).where(eq(parts.id, partId));
    if (!p) throw invalid('partId', 'validation.reference');
    const [w] = await tx.select({ id: warehouses.id }).from(warehouses).where(eq(warehouses.id, warehouseId));
    if (!w) throw invalid('warehouseId', 'validation.reference');
  }

  async reorderAlerts() {
    const found = await rows<Record<string, unknown>>(
      this.platform.db,
      sql`select rp.part_id, p.sku, p.name_zh, rp.warehouse_id, w.name as warehouse_name, rp.reorder_point, rp.alert_raised_at,
                 coalesce(b.on_hand - b.reserved, 0) as available
          from reorder_points rp
          join parts p on p.id = rp.part_id
          join warehouses w on w.id = rp.warehouse_id
          left join stock_balances b on b.part_id = rp.part_id and b.warehouse_id = rp.warehouse_id
          where rp.alert_raised_at is not null
          order by rp.alert_raised_at, p.sku`,
    );
    return found.map((r) => ({
      partId: r.part_id as string,
      sku: r.sku as string,
      partName: r.name_zh as string,
      warehouseId: r.warehouse_id as string,
      warehouseName: r.warehouse_name as string,
      available: Number(r.available),
      reorderPoint: Number(r.reorder_point),
      raisedAt: iso(r.alert_raised_at as string)!,
    }));
  }

  /** Stock on hand that has not moved in `days` (reservations don't count as movement), valued at today's cost. */
  async slowMoving(days: number): Promise<SlowMovingReport> {
    const since = new Date(this.platform.clock.now().getTime() - days * 86_400_000);
    const found = await rows<Record<string, unknown>>(
      this.platform.db,
      sql`select b.part_id, p.sku, p.name_zh, b.warehouse_id, w.name as warehouse_name, b.on_hand, p.unit_cost_fen, m.last_at
          from stock_balances b
          join parts p on p.id = b.part_id
          join warehouses w on w.id = b.warehouse_id
          left join lateral (select max(occurred_at) as last_at from stock_movements x
                             where x.part_id = b.part_id and x.warehouse_id = b.warehouse_id and x.on_hand_delta <> 0) m on true
          where b.on_hand > 0 and (m.last_at is null or m.last_at < ${since.toISOString()})
          order by b.on_hand * p.unit_cost_fen desc, p.sku`,
    );
    const items = found.map((r) => ({
      partId: r.part_id as string,
      sku: r.sku as string,
      partName: r.name_zh as string,
      warehouseId: r.warehouse_id as string,
      warehouseName: r.warehouse_name as string,
      onHand: Number(r.on_hand),
      unitCostFen: Number(r.unit_cost_fen),
      valueFen: Number(r.on_hand) * Number(r.unit_cost_fen),
      lastMovementAt: iso(r.last_at as string | null),
    }));
    return { days, since: since.toISOString(), totalValueFen: items.reduce((s, i) => s + i.valueFen, 0), items };
  }

  async byWarehouse(): Promise<WarehouseStock[]> {
    const found = await rows<Record<string, unknown>>(
      this.platform.db,
      sql`select w.id, w.code, w.name, w.kind,
                 count(b.part_id) filter (where b.on_hand > 0)::int as parts,
                 coalesce(sum(b.on_hand), 0)::int as on_hand, coalesce(sum(b.reserved), 0)::int as reserved,
                 coalesce(sum(b.defective), 0)::int as defective,
                 coalesce(sum(b.on_hand::bigint * p.unit_cost_fen), 0)::bigint as value_fen
          from warehouses w
          left join stock_balances b on b.warehouse_id = w.id
          left join parts p on p.id = b.part_id
          group by w.id order by w.code`,
    );
    return found.map((r) => ({
      warehouseId: r.id as string,
      code: r.code as string,
      name: r.name as string,
      kind: r.kind as WarehouseKind,
      parts: Number(r.parts),
      onHand: Number(r.on_hand),
      reserved: Number(r.reserved),
      defective: Number(r.defective),
      valueFen: Number(r.value_fen),
    }));
  }
}
