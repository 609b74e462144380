import type { FieldOp, TicketCommand } from '@serviceloop/contracts';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client';
import { events } from '../../platform/events/tables';
import type { Actor } from '../../platform/http/actor';
import { AppError } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { eventActor, userNames } from '../identity/index';
import type { RequisitionService, StockService } from '../parts/index';
import { findTicket, leadsVisitOf, type TicketService } from '../tickets/index';
import { fieldSyncOps, type StoredOutcome, visitAssistants } from './tables';

export interface SyncOutcome {
  opId: string;
  status: 'applied' | 'conflict';
  replayed: boolean;
  outcome: StoredOutcome;
}

const NOTHING: StoredOutcome = { ticketVersion: null, code: null, params: {}, happened: [], detail: {} };
const conflict = (code: string, params: Record<string, unknown> = {}, happened: StoredOutcome['happened'] = []) => ({
  status: 'conflict' as const,
  outcome: { ...NOTHING, code, params, happened },
});

/**
 * Applies what a phone queued, each operation exactly once.
 *
 * Exactly once: the operation's id is inserted into `field_sync_ops` first, in the transaction that
 * then makes its effect — ticket transition, parts taken from the van, requisition — and records
 * the outcome. Replaying the id (a response lost on a bad network) finds the row and answers with
 * the first outcome; a replay racing the first attempt waits on the row's unique index and then
 * reads it. If the effect fails the whole transaction rolls back, the claim with it.
 *
 * Conflicts: an operation names the ticket version the phone had. Versions the engineer's own
 * operations added since are expected; but if anyone else changed the ticket's state or assignee
 * since (reassigned, cancelled, resolved, suspended…), the ticket moved under the phone and the
 * operation is kept as a conflict with what happened, never applied to a situation the engineer did
 * not see. An operation the lifecycle refuses is kept as a conflict too. Either way the phone shows
 * it; the engineer discards it or retries it as a new operation on the current version.
 */
export class FieldSync {
  constructor(
    private readonly platform: Platform,
    private readonly tickets: TicketService,
    private readonly parts: { stock: StockService; requisitions: RequisitionService },
  ) {}

  /** In the order given: a phone's check-in comes before its resolve. */
  async apply(ops: FieldOp[], actor: Actor, canUpdate: boolean): Promise<SyncOutcome[]> {
    const results: SyncOutcome[] = [];
    for (const op of ops) results.push(await this.applyOne(op, actor, canUpdate));
    return results;
  }

  private applyOne(op: FieldOp, actor: Actor, canUpdate: boolean): Promise<SyncOutcome> {
    return this.platform.transaction(async (tx) => {
      const claimed = await tx
        .insert(fieldSyncOps)
        .values({
          id: op.opId,
          userId: actor.userId,
          ticketId: op.ticketId,
          kind: op.command.action,
          baseVersion: op.baseVersion,
          status: 'applied',
          result: NOTHING,
          createdOnDeviceAt: new Date(op.createdAt),
          receivedAt: this.platform.clock.now(),
        })
        .onConflictDoNothing()
        .returning({ id: fieldSyncOps.id });
      if (claimed.length === 0) {
        const [first] = await tx.select().from(fieldSyncOps).where(eq(fieldSyncOps.id, op.opId));
        // Somebody else's id: refuse without revealing their outcome.
        if (!first || first.userId !== actor.userId)
          return { opId: op.opId, replayed: false, ...conflict('sync.op_id_taken') };
        return {
          opId: op.opId,
          status: first.status as SyncOutcome['status'],
          replayed: true,
          outcome: first.result,
        };
      }
      const decided = await this.decide(tx, op, actor, canUpdate);
      await tx
        .update(fieldSyncOps)
        .set({ status: decided.status, result: decided.outcome })
        .where(eq(fieldSyncOps.id, op.opId));
      return { opId: op.opId, replayed: false, ...decided };
    });
  }

  private async decide(
    tx: Tx,
    op: FieldOp,
    actor: Actor,
    canUpdate: boolean,
  ): Promise<{ status: 'applied' | 'conflict'; outcome: StoredOutcome }> {
    const ticket = await findTicket(tx, op.ticketId, { lock: true });
    if (!ticket) return conflict('resource.not_found', { resource: 'ticket' });
    if (!(await this.involved(tx, op.ticketId, actor.userId))) return conflict('sync.not_your_job');
    const happened = await this.movedByOthers(tx, op.ticketId, op.baseVersion, actor.userId);
    if (happened.length > 0) return conflict('sync.ticket_moved', {}, happened);
    try {
      // A savepoint: a refused effect leaves the claim in place, recorded as a conflict.
      const { version, detail } = await tx.transaction((sp) => this.effect(sp, op, ticket.version, actor, canUpdate));
      return { status: 'applied', outcome: { ...NOTHING, ticketVersion: version, detail } };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return conflict(error.code, error.params);
    }
  }

  private async effect(
    tx: Tx,
    op: FieldOp,
    version: number,
    actor: Actor,
    canUpdate: boolean,
  ): Promise<{ version: number; detail: Record<string, unknown> }> {
    const command = op.command;
    switch (command.action) {
      case 'assist_check_in':
      case 'assist_check_out':
        await this.assist(tx, op.ticketId, command, actor);
        return { version, detail: {} };
      case 'request_parts': {
        const requisitionId = await this.parts.requisitions.createIn(
          tx,
          { ticketId: op.ticketId, note: command.note ?? null, lines: command.lines },
          actor,
        );
        return { version, detail: { requisitionId } };
      }
      default: {
        const cmd = { ...command, version } as TicketCommand;
        const after = await this.tickets.stepIn(tx, op.ticketId, { command: cmd }, actor, { version, canUpdate });
        if (cmd.action !== 'resolve' || cmd.partsUsed.length === 0) return { version: after.version, detail: {} };
        // Parts used on site come out of the engineer's van: in this transaction, so once.
        const taken = await this.parts.stock.consumeFromVan(
          tx,
          { ticketId: op.ticketId, engineerId: actor.userId, parts: cmd.partsUsed },
          eventActor(actor),
        );
        return { version: after.version, detail: taken };
      }
    }
  }

  /** A helper checks in or out of the visit they assist on. Not a lifecycle step: the version stays. */
  private async assist(
    tx: Tx,
    ticketId: string,
    command: Extract<FieldOp['command'], { action: 'assist_check_in' | 'assist_check_out' }>,
    actor: Actor,
  ) {
    const now = this.platform.clock.now();
    const device = command.at ? new Date(command.at) : null;
    const at = device && device < now ? device : now;
    const mine = and(
      eq(visitAssistants.visitId, command.visitId),
      eq(visitAssistants.engineerId, actor.userId),
      eq(visitAssistants.ticketId, ticketId),
    );
    const checkingIn = command.action === 'assist_check_in';
    const updated = await tx
      .update(visitAssistants)
      .set(
        checkingIn
          ? { checkedInAt: at, checkInLocation: command.location ?? null }
          : { checkedOutAt: at, checkOutLocation: command.location ?? null },
      )
      .where(
        checkingIn
          ? and(mine, isNull(visitAssistants.checkedInAt))
          : and(mine, sql`${visitAssistants.checkedInAt} is not null`, isNull(visitAssistants.checkedOutAt)),
      )
      .returning({ visitId: visitAssistants.visitId });
    if (updated.length === 0)
      throw new AppError(409, checkingIn ? 'ticket.visit_not_pending' : 'ticket.visit_not_open');
    await this.platform.events.append(tx, {
      type: checkingIn ? 'ticket.assistant_checked_in' : 'ticket.assistant_checked_out',
      entityType: 'ticket',
      entityId: ticketId,
      actor: eventActor(actor),
      visibility: 'internal',
      data: { visitId: command.visitId, engineerId: actor.userId, at: at.toISOString() },
    });
  }

  /** The caller leads or assists a visit of the ticket (now or before it was taken away). */
  private async involved(tx: Tx, ticketId: string, userId: string) {
    if (await leadsVisitOf(tx, ticketId, userId)) return true;
    const [helper] = await tx
      .select({ id: visitAssistants.visitId })
      .from(visitAssistants)
      .where(and(eq(visitAssistants.ticketId, ticketId), eq(visitAssistants.engineerId, userId)))
      .limit(1);
    return !!helper;
  }

  /** Changes of state or assignee someone else made after the version the phone saw. */
  private async movedByOthers(tx: Tx, ticketId: string, seen: number, userId: string) {
    const found = await tx
      .select({
        type: events.type,
        occurredAt: events.occurredAt,
        changes: events.changes,
        actorId: events.actorId,
      })
      .from(events)
      .where(
        and(
          eq(events.entityType, 'ticket'),
          eq(events.entityId, ticketId),
          sql`(${events.data}->>'version')::int > ${seen}`,
          or(isNull(events.actorId), sql`${events.actorId} <> ${userId}`),
          sql`(${events.changes} -> 'state' is not null or ${events.changes} -> 'assigneeId' is not null)`,
        ),
      )
      .orderBy(asc(events.seq));
    const names = await userNames(
      tx,
      found.map((e) => e.actorId),
    );
    return found.map((e) => ({
      type: e.type,
      occurredAt: e.occurredAt.toISOString(),
      actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
      changes: e.changes as Record<string, unknown>,
    }));
  }
}
