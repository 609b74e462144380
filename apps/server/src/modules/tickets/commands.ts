import {
  AMBIENT_ACTIONS,
  type Priority,
  type Role,
  type Ticket,
  type TicketAction,
  TicketCommand,
  type TicketState,
  type TransitionDefinition,
} from '@serviceloop/contracts';
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../platform/db/client';
import { events } from '../../platform/events/tables';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import type { FormsModule } from '../forms/index';
import { eventActor, userStanding } from '../identity/index';
import {
  failedGuards,
  mayTake,
  missingFields,
  stageOf,
  transitionForAction,
  type WorkflowStore,
} from '../workflows/index';
import { type Decision, decide, mayReprioritise, type VisitChange } from './lifecycle';
import { caller, facts, present, REQUESTER_ACTIONS, type TicketRow } from './presenter';
import { guardFacts, type TicketQueries } from './queries';
import { ticketLinks, tickets, visits } from './tables';

/** Omit over each member of a union (a command without its version). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A transition's built-in action, with the inputs sent beside it checked as that command. */
function commandOf(action: string, version: number, params: Record<string, unknown>): TicketCommand {
  const parsed = TicketCommand.safeParse({ ...params, action, version });
  if (parsed.success) return parsed.data;
  throw new AppError(
    400,
    'validation.failed',
    {},
    parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
  );
}

/** A step on a ticket: a lifecycle command, or a workflow transition by key with its inputs. */
export type StepInput =
  | { command: DistributiveOmit<TicketCommand, 'version'> }
  | { key: string; fields: Record<string, unknown>; params: Record<string, unknown> };

/**
 * Every change to a ticket. Lifecycle changes take one path — `stepIn`: the row locked (at the
 * version the caller saw, when it saw one), workflow checks, `decide()` in lifecycle.ts, then the
 * patch, the visit change and the catalogue events it returns, in the caller's transaction; `step`
 * is the same in a transaction of its own. Edits outside the lifecycle (`update`: priority and
 * custom fields), links and the sla module's due times are the only other writes.
 */
export class TicketCommands {
  constructor(
    private readonly platform: Platform,
    private readonly workflows: Pick<WorkflowStore, 'used'>,
    private readonly forms: Pick<FormsModule, 'checkTicketFields' | 'checkChangedFields' | 'claimAttachments'>,
    private readonly queries: Pick<TicketQueries, 'visitsOf' | 'links'>,
  ) {}

  /**
   * Due times derived elsewhere (the sla module's business-calendar clocks) replace the wall-clock
   * ones set at triage; `slaDueAt` is the next running deadline (null while none runs). Not a user
   * edit: no version bump, so nobody's next command turns stale.
   */
  async setDueTimes(
    tx: Executor,
    id: string,
    due: { responseDueAt?: Date; resolutionDueAt?: Date; slaDueAt?: Date | null },
  ) {
    if (Object.keys(due).length === 0) return;
    await tx.update(tickets).set(due).where(eq(tickets.id, id));
  }

  /**
   * Guards other modules put on an action (a quote waiting for the customer blocks a dispatch):
   * asked inside the command's transaction, after the lifecycle accepted it; they throw to refuse.
   */
  private readonly guards: { action: TicketAction; check: (tx: Tx, ticket: TicketRow) => Promise<void> }[] = [];
  addGuard(action: TicketAction, check: (tx: Tx, ticket: TicketRow) => Promise<void>) {
    this.guards.push({ action, check });
  }

  /**
   * One step — a lifecycle command (an action of the engine) or a workflow transition by key (its
   * built-in action with inputs in `params`, or a pure stage move, with custom field values) — at the
   * version the caller saw, in a transaction of its own; answers the ticket as its page shows it.
   * Unless the action works inside any stage (comment, suspend, …), a command takes the workflow
   * transition with that action from the ticket's stage that ends where the engine leaves the ticket.
   */
  async step(
    id: string,
    version: number,
    what: StepInput,
    actor: Actor,
    scope: SQL,
    canUpdate: boolean,
  ): Promise<Ticket> {
    const updated = await this.platform.transaction((tx) =>
      this.stepIn(tx, id, what, actor, { version, scope, canUpdate }),
    );
    const visitRows = await this.queries.visitsOf(this.platform.db, id);
    return (await present(this.platform.db, [updated], { visits: visitRows, actor, canUpdate }))[0]!;
  }

  /**
   * The same step inside the caller's transaction: the field sync claims its operation in the same
   * one, automation's actions run in the event delivery's. Without a `version` it applies to the
   * ticket as it is now. `data` rides on the events it writes (automation's causal chain).
   */
  async stepIn(
    tx: Tx,
    id: string,
    what: StepInput,
    actor: Actor,
    options: { version?: number; scope?: SQL; canUpdate: boolean; data?: Record<string, unknown> },
  ): Promise<TicketRow> {
    const row = await this.locked(tx, id, options.scope, options.version);
    return this.apply(tx, row, what, actor, options.canUpdate, options.data);
  }

  /** The ticket row locked for a step, at the version the caller saw (if it saw one). */
  private async locked(tx: Tx, id: string, scope: SQL | undefined, version?: number): Promise<TicketRow> {
    const [row] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, id), scope))
      .for('update');
    if (!row) throw notFound('ticket');
    if (version !== undefined && row.version !== version) throw await this.stale(tx, row, version);
    return row;
  }

  /**
   * Sets the priority and custom field values outside the lifecycle (an automation rule's "set
   * field" and "escalate"): one `ticket.updated` event with before → after per field
   * (`priority`, `fields.<key>`). Values equal to the current ones change nothing; changed custom
   * field values pass the form's check first (400, field by field), so a rule writes nothing the
   * report form would refuse.
   */
  async update(
    tx: Tx,
    id: string,
    patch: { priority?: Priority; fields?: Record<string, unknown> },
    actor: Actor,
    data: Record<string, unknown> = {},
  ): Promise<TicketRow | null> {
    const [row] = await tx.select().from(tickets).where(eq(tickets.id, id)).for('update');
    if (!row) throw notFound('ticket');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const set: Partial<TicketRow> = {};
    if (patch.priority && patch.priority !== row.priority) {
      changes.priority = { from: row.priority, to: patch.priority };
      set.priority = patch.priority;
    }
    const before = row.fields as Record<string, unknown>;
    const fields = { ...before };
    for (const [key, to] of Object.entries(patch.fields ?? {})) {
      if (JSON.stringify(before[key] ?? null) === JSON.stringify(to)) continue;
      changes[`fields.${key}`] = { from: before[key] ?? null, to };
      fields[key] = to;
    }
    if (Object.keys(changes).length === 0) return null;
    const changedFields = Object.keys(changes)
      .filter((k) => k.startsWith('fields.'))
      .map((k) => k.slice('fields.'.length));
    if (changedFields.length > 0) await this.forms.checkChangedFields(tx, row.type, fields, changedFields, id);
    if (patch.fields) set.fields = fields;
    const version = row.version + 1;
    const now = this.platform.clock.now();
    const [after] = await tx
      .update(tickets)
      .set({ ...set, version, updatedAt: now })
      .where(eq(tickets.id, id))
      .returning();
    await this.platform.events.append(tx, {
      type: 'ticket.updated',
      entityType: 'ticket',
      entityId: id,
      actor: eventActor(actor),
      visibility: 'internal',
      changes,
      data: { ...data, version },
    });
    return after!;
  }

  /**
   * A person changes the priority of a ticket they may update (the list's bulk action): the
   * version they saw, then the same `ticket.updated` as a rule's escalation, which the SLA clocks
   * follow. A finished ticket keeps the priority it was worked under.
   */
  async reprioritise(id: string, version: number, priority: Priority, actor: Actor, scope: SQL): Promise<number> {
    return this.platform.transaction(async (tx) => {
      const row = await this.locked(tx, id, scope, version);
      if (!mayReprioritise(row.state as TicketState)) {
        throw new AppError(409, 'ticket.invalid_transition', { state: row.state, action: 'priority' });
      }
      return (await this.update(tx, id, { priority }, actor))?.version ?? row.version;
    });
  }

  /** Links two tickets inside the caller's transaction (a follow-up an automation rule created). */
  async linkIn(
    tx: Tx,
    id: string,
    linkedTicketId: string,
    kind: string,
    actor: Actor,
    data: Record<string, unknown> = {},
  ) {
    await tx
      .insert(ticketLinks)
      .values({
        ticketId: id,
        linkedTicketId,
        kind,
        createdBy: actor.kind === 'system' ? null : actor.userId,
        createdAt: this.platform.clock.now(),
      })
      .onConflictDoNothing();
    await this.platform.events.append(tx, {
      type: 'ticket.linked',
      entityType: 'ticket',
      entityId: id,
      actor: eventActor(actor),
      data: { ...data, linkedTicketId, kind },
    });
  }

  async link(id: string, linkedTicketId: string, kind: string, actor: Actor, scope: SQL) {
    if (id === linkedTicketId)
      throw new AppError(400, 'validation.failed', {}, [{ path: 'linkedTicketId', code: 'ticket.self_link' }]);
    const found = await this.platform.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(inArray(tickets.id, [id, linkedTicketId]), scope));
    if (found.length !== 2) throw notFound('ticket');
    await this.platform.transaction(async (tx) => {
      await tx
        .insert(ticketLinks)
        .values({ ticketId: id, linkedTicketId, kind, createdBy: actor.userId, createdAt: this.platform.clock.now() })
        .onConflictDoNothing();
      await this.platform.events.append(tx, {
        type: 'ticket.linked',
        entityType: 'ticket',
        entityId: id,
        actor: eventActor(actor),
        data: { linkedTicketId, kind },
      });
    });
    return this.queries.links(id);
  }

  /**
   * Decides a step on the locked row — a lifecycle command or a workflow transition by key — and
   * writes the patch, the visit change and the event. `data` rides on the event (automation's
   * causal chain).
   */
  private async apply(
    tx: Tx,
    row: TicketRow,
    what: StepInput,
    actor: Actor,
    canUpdate: boolean,
    data: Record<string, unknown> = {},
  ): Promise<TicketRow> {
    const { id, version } = row;
    const flow = (await this.workflows.used(tx, row.workflowVersionId)).definition;
    let chosen: TransitionDefinition | undefined;
    let cmd: TicketCommand | null;
    let fields = row.fields as Record<string, unknown>;
    if ('command' in what) cmd = { ...what.command, version } as TicketCommand;
    else {
      chosen = flow.transitions.find((t) => t.key === what.key && t.from.includes(row.stage));
      if (!chosen) throw new AppError(409, 'workflow.no_transition', { stage: row.stage, action: what.key });
      if (row.state === 'suspended' || row.state === 'cancelled') throw new AppError(409, 'workflow.ticket_ended');
      if (!mayTake(chosen, actor.roles as Role[]))
        throw new AppError(403, 'workflow.role_not_allowed', { transition: chosen.key });
      cmd = chosen.action ? commandOf(chosen.action, version, what.params) : null;
      if (Object.keys(what.fields).length > 0) {
        fields = { ...fields, ...what.fields };
        await this.forms.checkTicketFields(tx, row.type, fields, actor.userId, id);
        await this.forms.claimAttachments(tx, row.type, id, what.fields);
      }
    }
    if (cmd && !canUpdate && !REQUESTER_ACTIONS.has(cmd.action))
      throw new AppError(403, 'ticket.not_allowed', { action: cmd.action });
    const visitRows = await tx.select().from(visits).where(eq(visits.ticketId, id));
    const now = this.platform.clock.now();
    const decision: Decision = cmd
      ? decide(facts(row, visitRows), cmd, caller(actor), { now, newId: () => newId(now.getTime()) })
      : {
          ok: true,
          event: {
            type: 'ticket.stage_changed',
            visibility: 'customer',
            data: { transition: chosen!.key, from: row.stage, to: chosen!.to },
          },
          patch: {},
        };
    if (!decision.ok)
      throw new AppError(decision.code === 'ticket.not_allowed' ? 403 : 409, decision.code, decision.params ?? {});
    if (cmd) for (const guard of this.guards) if (guard.action === cmd.action) await guard.check(tx, row);
    const patch: Record<string, unknown> = Object.fromEntries(
      Object.entries(decision.patch).filter(([, v]) => v !== undefined),
    );
    const produced = (patch.state as TicketState | undefined) ?? (row.state as TicketState);
    if (cmd && !AMBIENT_ACTIONS.includes(cmd.action)) {
      if (chosen && stageOf(flow, chosen.to)?.lifecycle !== produced)
        throw new AppError(409, 'workflow.outcome_mismatch', { produced, transition: chosen.key });
      chosen ??= transitionForAction(flow, row.stage, cmd.action, produced);
      if (!chosen) throw new AppError(409, 'workflow.no_transition', { stage: row.stage, action: cmd.action });
    }
    if (cmd?.action === 'dispatch') await this.assertEngineer(tx, cmd.engineerId);
    if (cmd?.action === 'transfer' && cmd.toUserId) await this.assertEngineer(tx, cmd.toUserId, true);
    if (chosen) {
      if (!mayTake(chosen, actor.roles as Role[]))
        throw new AppError(403, 'workflow.role_not_allowed', { transition: chosen.key });
      const failed = failedGuards(chosen, await guardFacts(tx, row, visitRows, chosen));
      if (failed.length > 0)
        throw new AppError(409, 'workflow.guard_failed', { transition: chosen.key, guard: failed.join(', ') });
      const missing = missingFields(chosen, { ...row, ...patch }, fields);
      if (missing.length > 0)
        throw new AppError(
          400,
          'validation.failed',
          {},
          missing.map((f) => ({
            path: f in row ? f : `fields.${f}`,
            code: 'custom',
            message: 'validation.required',
          })),
        );
      if (chosen.to !== row.stage) patch.stage = chosen.to;
    }
    if (fields !== row.fields) patch.fields = fields;
    const next = row.version + 1;
    const [after] = await tx
      .update(tickets)
      .set({ ...patch, version: next, updatedAt: now })
      .where(eq(tickets.id, id))
      .returning();
    await this.applyVisit(tx, id, decision.visit, now);
    const changes = Object.fromEntries(
      Object.entries(patch)
        .filter(([k]) => !['resolution', 'confirmation'].includes(k))
        .map(([k, to]) => [k, { from: (row as Record<string, unknown>)[k] ?? null, to }]),
    );
    const moved = chosen ? { transition: chosen.key, from: row.stage, to: chosen.to } : {};
    await this.platform.events.append(tx, {
      type: decision.event.type,
      entityType: 'ticket',
      entityId: id,
      actor: eventActor(actor),
      visibility: decision.event.visibility,
      changes,
      data: { ...data, ...(cmd ? { ...decision.event.data, workflow: moved } : moved), version: next },
    });
    const followUp = decision.followUp;
    if (followUp) {
      // The same change, told once more in the follow-up's words: only the fields it is about.
      const its = Object.fromEntries(Object.entries(changes).filter(([k]) => k === 'state' || k === 'closedAt'));
      await this.platform.events.append(tx, {
        type: followUp.type,
        entityType: 'ticket',
        entityId: id,
        actor: eventActor(actor),
        visibility: followUp.visibility,
        changes: its,
        data: { ...data, ...followUp.data, version: next },
      });
    }
    return after!;
  }

  private async applyVisit(tx: Tx, ticketId: string, change: VisitChange | undefined, now: Date) {
    if (!change) return;
    if (change.kind === 'create') {
      await tx.insert(visits).values({ ...change.visit, ticketId, createdAt: now });
    } else if (change.kind === 'accept') {
      await tx.update(visits).set({ acceptedAt: change.at }).where(eq(visits.id, change.visitId));
    } else if (change.kind === 'decline') {
      await tx
        .update(visits)
        .set({ declinedAt: change.at, declineReason: change.reason })
        .where(eq(visits.id, change.visitId));
    } else if (change.kind === 'check_in') {
      await tx
        .update(visits)
        .set({ checkedInAt: change.at, checkInLocation: change.location })
        .where(eq(visits.id, change.visitId));
    } else {
      await tx
        .update(visits)
        .set({ checkedOutAt: change.at, checkOutLocation: change.location, notes: change.note })
        .where(eq(visits.id, change.visitId));
    }
  }

  /** A stale command learns what happened since the version it saw. */
  private async stale(db: Executor, row: TicketRow, seen: number) {
    const since = await db
      .select({ type: events.type, occurredAt: events.occurredAt, changes: events.changes })
      .from(events)
      .where(
        and(
          eq(events.entityType, 'ticket'),
          eq(events.entityId, row.id),
          sql`(${events.data}->>'version')::int > ${seen}`,
        ),
      )
      .orderBy(asc(events.seq));
    return new AppError(
      409,
      'resource.stale_version',
      { current: row.version },
      { currentVersion: row.version, changes: since },
    );
  }

  private async assertEngineer(db: Executor, userId: string, anyStaff = false) {
    const user = await userStanding(db, userId);
    const ok = user?.active && (user.roles.includes('engineer') || (anyStaff && !user.roles.includes('customer')));
    if (!ok)
      throw new AppError(400, 'validation.failed', {}, [
        { path: anyStaff ? 'toUserId' : 'engineerId', code: 'ticket.not_an_engineer' },
      ]);
  }
}
