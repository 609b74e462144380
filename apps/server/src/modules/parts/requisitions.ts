import type {
  ApprovalCapacity,
  CreateRequisition,
  EventName,
  Requisition,
  RequisitionAction,
  RequisitionApproval,
  RequisitionState,
  Role,
} from '@serviceloop/contracts';
import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../platform/db/client';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound, staleVersion } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { invalid } from '../customers/index';
import { eventActor, userNames } from '../identity/index';
import { ticketHeadlines } from '../tickets/index';
import type { MovementSpec } from './ledger-store';
import { allowedActions, decide, type RequisitionFacts } from './requisition-flow';
import type { PartsSettingsStore } from './settings';
import type { StockService } from './stock';
import { parts, requisitionLines, requisitions, warehouses } from './tables';

type RequisitionRow = typeof requisitions.$inferSelect;
type LineRow = typeof requisitionLines.$inferSelect;

const facts = (r: RequisitionRow): RequisitionFacts => ({
  state: r.state as RequisitionState,
  approvalMode: r.approvalMode as RequisitionApproval,
  approvals: r.approvals,
  requestedBy: r.requestedBy,
});
const caller = (actor: Actor) => ({ userId: actor.userId, roles: actor.roles as Role[] });

export type ActionInput =
  | { action: 'approve'; version: number; note?: string | null }
  | { action: 'reject'; version: number; reason: string }
  | { action: 'issue'; version: number }
  | { action: 'consume'; version: number; lines?: { lineId: string; quantity: number }[] }
  | { action: 'cancel'; version: number; reason?: string | null };

/**
 * Requisitions (领料申请): an engineer asks for parts for a ticket; the stock is reserved at
 * once, so what was promised at request time is there at issue time; approval as the
 * installation configures it; the keeper issues (to the engineer's van when there is one);
 * the engineer records what was used. Every step is one transaction with its stock movements
 * and an internal event on the ticket's timeline.
 */
export class RequisitionService {
  constructor(
    private readonly platform: Platform,
    private readonly stock: StockService,
    private readonly settings: PartsSettingsStore,
  ) {}

  async create(input: CreateRequisition, actor: Actor, ticketVisible: (ticketId: string) => Promise<void>) {
    // Read before the write transaction: PGlite has one connection.
    await ticketVisible(input.ticketId);
    const id = await this.platform.transaction((tx) => this.createIn(tx, input, actor));
    return this.get(id, undefined, actor);
  }

  /** Requests and reserves inside the caller's transaction (the field sync claims its operation in it); returns the id. */
  async createIn(tx: Tx, input: CreateRequisition, actor: Actor): Promise<string> {
    const ticket = await this.stock.assertTicket(tx, input.ticketId);
    if (!ticket || ['closed', 'cancelled'].includes(ticket.state))
      throw invalid('ticketId', 'requisition.ticket_closed');
    const settings = await this.settings.get(tx);
    const now = this.platform.clock.now();
    const id = newId(now.getTime());
    await tx.insert(requisitions).values({
      id,
      ticketId: input.ticketId,
      regionCode: ticket.regionCode,
      requestedBy: actor.userId,
      state: 'pending',
      approvalMode: settings.requisitionApproval,
      approvals: [],
      note: input.note ?? null,
      closingReason: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    const { movements } = await this.stock.ledger.move(
      tx,
      input.lines.map((l, i) => ({
        kind: 'reservation',
        partId: l.partId,
        warehouseId: l.warehouseId,
        quantity: l.quantity,
        ticketId: input.ticketId,
        requisitionId: id,
        path: `lines.${i}`,
      })),
      eventActor(actor),
    );
    await tx.insert(requisitionLines).values(
      input.lines.map((l, i) => ({
        id: newId(now.getTime()),
        requisitionId: id,
        lineNo: i + 1,
        partId: l.partId,
        warehouseId: l.warehouseId,
        quantity: l.quantity,
        reservationId: movements[i]!.id,
        issuedToWarehouseId: null,
        issuedQuantity: 0,
        consumedQuantity: 0,
      })),
    );
    await this.event(tx, 'requisition.requested', input.ticketId, id, actor, {
      approvalMode: settings.requisitionApproval,
      lines: input.lines,
    });
    return id;
  }

  async act(id: string, input: ActionInput, actor: Actor, scope: SQL): Promise<Requisition> {
    await this.platform.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(requisitions)
        .where(and(eq(requisitions.id, id), scope))
        .for('update');
      if (!row) throw notFound('requisition');
      if (row.version !== input.version) throw staleVersion(row.version);
      const decision = decide(facts(row), input.action, caller(actor));
      if (!decision.ok) throw new AppError(decision.status, decision.code, { state: row.state });
      const lines = await tx
        .select()
        .from(requisitionLines)
        .where(eq(requisitionLines.requisitionId, id))
        .orderBy(asc(requisitionLines.lineNo));
      const now = this.platform.clock.now();
      const patch: Partial<RequisitionRow> = { state: decision.next, version: row.version + 1, updatedAt: now };
      let data: Record<string, unknown> = {};
      switch (input.action) {
        case 'approve':
          patch.approvals = [
            ...row.approvals,
            { capacity: decision.capacity as ApprovalCapacity, userId: actor.userId, at: now.toISOString() },
          ];
          data = { capacity: decision.capacity, complete: decision.next === 'approved', note: input.note ?? null };
          break;
        case 'reject':
        case 'cancel':
          await this.releaseAll(tx, row, lines, actor);
          patch.closingReason = input.reason ?? null;
          data = { reason: input.reason ?? null };
          break;
        case 'issue':
          data = await this.issue(tx, row, lines, actor);
          break;
        case 'consume':
          data = await this.consume(tx, row, lines, input.lines ?? [], actor);
          break;
      }
      await tx.update(requisitions).set(patch).where(eq(requisitions.id, id));
      await this.event(tx, EVENT_OF[input.action], row.ticketId, id, actor, {
        ...data,
        version: row.version + 1,
      });
    });
    return this.get(id, scope, actor);
  }

  /** Gives back every line's reservation (a rejected or cancelled request promised nothing). */
  private async releaseAll(tx: Tx, row: RequisitionRow, lines: LineRow[], actor: Actor) {
    const specs: MovementSpec[] = lines.map((l) => ({
      kind: 'release',
      partId: l.partId,
      warehouseId: l.warehouseId,
      quantity: l.quantity,
      reservationId: l.reservationId,
      ticketId: row.ticketId,
      requisitionId: row.id,
    }));
    if (specs.length) await this.stock.ledger.move(tx, specs, eventActor(actor));
  }

  /**
   * Hands the parts out: each reservation becomes a transfer into the requester's van when
   * they have one (the van's stock then shows what they carry), or an issue out of stock.
   */
  private async issue(tx: Tx, row: RequisitionRow, lines: LineRow[], actor: Actor) {
    const [van] = await tx
      .select({ id: warehouses.id })
      .from(warehouses)
      .where(and(eq(warehouses.ownerUserId, row.requestedBy), eq(warehouses.kind, 'van'), eq(warehouses.active, true)));
    const specs: MovementSpec[] = [];
    const base = { ticketId: row.ticketId, requisitionId: row.id };
    for (const l of lines) {
      specs.push({
        kind: 'release',
        partId: l.partId,
        warehouseId: l.warehouseId,
        quantity: l.quantity,
        reservationId: l.reservationId,
        ...base,
      });
      const target = van && van.id !== l.warehouseId ? van.id : null;
      if (target) {
        const transferId = newId();
        specs.push({
          kind: 'transfer_out',
          partId: l.partId,
          warehouseId: l.warehouseId,
          quantity: l.quantity,
          transferId,
          ...base,
        });
        specs.push({
          kind: 'transfer_in',
          partId: l.partId,
          warehouseId: target,
          quantity: l.quantity,
          transferId,
          ...base,
        });
      } else if (!van) {
        specs.push({ kind: 'issue', partId: l.partId, warehouseId: l.warehouseId, quantity: l.quantity, ...base });
      }
      // Taken from the requester's own van: releasing the reservation is all there is to do.
      await tx
        .update(requisitionLines)
        .set({ issuedQuantity: l.quantity, issuedToWarehouseId: van?.id ?? null })
        .where(eq(requisitionLines.id, l.id));
    }
    await this.stock.ledger.move(tx, specs, eventActor(actor));
    return { toWarehouseId: van?.id ?? null };
  }

  /**
   * Records what was used on the ticket. Parts in the van are consumed from it (unused ones stay
   * there); parts issued without a van already left stock at issue and count as used by it.
   */
  private async consume(
    tx: Tx,
    row: RequisitionRow,
    lines: LineRow[],
    used: { lineId: string; quantity: number }[],
    actor: Actor,
  ) {
    const byLine = new Map(used.map((u) => [u.lineId, u.quantity]));
    used.forEach((u, i) => {
      const line = lines.find((l) => l.id === u.lineId);
      if (!line) throw invalid(`lines.${i}.lineId`, 'validation.reference');
      if (u.quantity > line.issuedQuantity) throw invalid(`lines.${i}.quantity`, 'requisition.more_than_issued');
    });
    const specs: MovementSpec[] = [];
    const consumed: { partId: string; quantity: number }[] = [];
    for (const l of lines) {
      const quantity = byLine.get(l.id) ?? l.issuedQuantity;
      await tx.update(requisitionLines).set({ consumedQuantity: quantity }).where(eq(requisitionLines.id, l.id));
      if (quantity === 0) continue;
      consumed.push({ partId: l.partId, quantity });
      if (l.issuedToWarehouseId)
        specs.push({
          kind: 'consumption',
          partId: l.partId,
          warehouseId: l.issuedToWarehouseId,
          quantity,
          ticketId: row.ticketId,
          requisitionId: row.id,
        });
    }
    if (specs.length) await this.stock.ledger.move(tx, specs, eventActor(actor));
    return { consumed };
  }

  private event(
    tx: Tx,
    type: EventName,
    ticketId: string,
    requisitionId: string,
    actor: Actor,
    data: Record<string, unknown>,
  ) {
    // On the ticket, so the requisition's steps appear on its (internal) timeline.
    return this.platform.events.append(tx, {
      type,
      entityType: 'ticket',
      entityId: ticketId,
      actor: eventActor(actor),
      visibility: 'internal',
      data: { requisitionId, ...data },
    });
  }

  async get(id: string, scope: SQL | undefined, actor: Actor): Promise<Requisition> {
    const [row] = await this.platform.db
      .select()
      .from(requisitions)
      .where(and(eq(requisitions.id, id), scope));
    if (!row) throw notFound('requisition');
    return (await this.present([row], actor))[0]!;
  }

  async list(
    q: { page: number; pageSize: number; state?: string; ticketId?: string; mine?: 'true' | 'false' },
    scope: SQL,
    actor: Actor,
  ) {
    const where = and(
      scope,
      q.state ? eq(requisitions.state, q.state) : undefined,
      q.ticketId ? eq(requisitions.ticketId, q.ticketId) : undefined,
      q.mine === 'true' ? eq(requisitions.requestedBy, actor.userId) : undefined,
    );
    const [found, [total]] = await Promise.all([
      this.platform.db
        .select()
        .from(requisitions)
        .where(where)
        .orderBy(desc(requisitions.createdAt), desc(requisitions.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
      this.platform.db.select({ n: count() }).from(requisitions).where(where),
    ]);
    return { items: await this.present(found, actor), total: total!.n, page: q.page, pageSize: q.pageSize };
  }

  /** Requisitions with their lines and the names a reader needs, looked up for the page at once. */
  private async present(
    rowsFound: RequisitionRow[],
    actor: Actor,
    db: Executor = this.platform.db,
  ): Promise<Requisition[]> {
    if (rowsFound.length === 0) return [];
    const ids = rowsFound.map((r) => r.id);
    const lines = await db
      .select({
        line: requisitionLines,
        sku: parts.sku,
        partName: parts.nameZh,
        warehouseName: warehouses.name,
      })
      .from(requisitionLines)
      .innerJoin(parts, eq(parts.id, requisitionLines.partId))
      .innerJoin(warehouses, eq(warehouses.id, requisitionLines.warehouseId))
      .where(inArray(requisitionLines.requisitionId, ids))
      .orderBy(asc(requisitionLines.lineNo));
    const headlines = await ticketHeadlines(
      db,
      rowsFound.map((r) => r.ticketId),
    );
    const userName = await userNames(
      db,
      rowsFound.map((r) => r.requestedBy),
    );
    return rowsFound.map((r) => ({
      id: r.id,
      ticketId: r.ticketId,
      ticketNumber: headlines.get(r.ticketId)?.number ?? '',
      requestedBy: r.requestedBy,
      requesterName: userName.get(r.requestedBy) ?? '',
      state: r.state as RequisitionState,
      approvalMode: r.approvalMode as RequisitionApproval,
      approvals: r.approvals,
      note: r.note,
      closingReason: r.closingReason,
      lines: lines
        .filter((l) => l.line.requisitionId === r.id)
        .map((l) => ({
          id: l.line.id,
          partId: l.line.partId,
          sku: l.sku,
          partName: l.partName,
          warehouseId: l.line.warehouseId,
          warehouseName: l.warehouseName,
          quantity: l.line.quantity,
          reservationId: l.line.reservationId,
          issuedToWarehouseId: l.line.issuedToWarehouseId,
          issuedQuantity: l.line.issuedQuantity,
          consumedQuantity: l.line.consumedQuantity,
        })),
      allowedActions: allowedActions(facts(r), caller(actor)),
      version: r.version,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }));
  }
}

const EVENT_OF: Record<RequisitionAction, EventName> = {
  approve: 'requisition.approved',
  reject: 'requisition.rejected',
  issue: 'requisition.issued',
  consume: 'requisition.consumed',
  cancel: 'requisition.cancelled',
};
