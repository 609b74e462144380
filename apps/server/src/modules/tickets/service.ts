import {
  AMBIENT_ACTIONS,
  type CreateTicket,
  type Priority,
  type Role,
  type Ticket,
  type TicketAction,
  TicketCommand,
  type TicketState,
  type TicketWorkflowView,
  type TransitionDefinition,
} from '@serviceloop/contracts';
import { and, asc, count, desc, eq, gte, inArray, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, PreparedStatement, rowAsJson, rows, type Tx } from '../../platform/db/client';
import { searchText } from '../../platform/db/records';
import { events } from '../../platform/events/tables';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { customers } from '../customers/index';
import type { FormsModule } from '../forms/index';
import { eventActor, type Grant, scopeFilter } from '../identity/index';
import { users } from '../identity/tables';
import {
  failedGuards,
  type GuardFacts,
  mayTake,
  missingFields,
  stageOf,
  transitionForAction,
  transitionsFrom,
  type WorkflowStore,
} from '../workflows/index';
import { likelyDuplicates, nextNumber, repeatOf, resolveReport } from './intake';
import {
  allowedActions,
  type Caller,
  checklistComplete,
  type Decision,
  decide,
  mayReprioritise,
  type TicketFacts,
  type VisitChange,
} from './lifecycle';
import { ticketLinks, tickets, visits } from './tables';

export type TicketRow = typeof tickets.$inferSelect;
/** Omit over each member of a union (a command without its version). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type VisitRow = typeof visits.$inferSelect;

/** Actions a caller without the ticket `update` permission may still take on a ticket they can see. */
const REQUESTER_ACTIONS = new Set(['confirm', 'reopen', 'comment', 'cancel']);

export const caller = (actor: Actor): Caller => ({
  userId: actor.userId,
  roles: actor.roles as Role[],
  customerId: actor.customerId,
});

/** The rows a ticket grant reaches; `own` means assigned to me. */
export const ticketScope = (grant: Grant, actor: Actor): SQL =>
  scopeFilter(grant, actor, {
    region: tickets.regionCode,
    team: tickets.teamId,
    organisation: tickets.customerId,
    owner: tickets.assigneeId,
  });

const iso = (d: Date | null) => d?.toISOString() ?? null;

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

function facts(row: TicketRow, visitRows: VisitRow[]): TicketFacts {
  return {
    state: row.state as TicketState,
    suspendedFrom: row.suspendedFrom as TicketState | null,
    priority: row.priority as Priority | null,
    assigneeId: row.assigneeId,
    teamId: row.teamId,
    customerId: row.customerId,
    checklistComplete: checklistComplete(row.resolution),
    confirmed: row.confirmation !== null,
    closedAt: row.closedAt,
    reopenCount: row.reopenCount,
    reportedAt: row.reportedAt,
    visits: visitRows.map((v) => ({
      id: v.id,
      engineerId: v.engineerId,
      checkedInAt: v.checkedInAt,
      checkedOutAt: v.checkedOutAt,
      acceptedAt: v.acceptedAt,
      declinedAt: v.declinedAt,
    })),
  };
}

/** A ticket row as the API shows it (without the detail-only parts). */
function view(r: TicketRow, customerName: string | null) {
  const { repeatOf: repeat, slaDueAt: _internal, ...rest } = r;
  return {
    ...rest,
    state: r.state as TicketState,
    suspendedFrom: r.suspendedFrom as TicketState | null,
    priority: r.priority as Priority | null,
    channel: r.channel as Ticket['channel'],
    severity: r.severity as Ticket['severity'],
    serviceType: r.serviceType as Ticket['serviceType'],
    customerName,
    faultAt: iso(r.faultAt),
    reportedAt: r.reportedAt.toISOString(),
    responseDueAt: iso(r.responseDueAt),
    resolutionDueAt: iso(r.resolutionDueAt),
    firstRespondedAt: iso(r.firstRespondedAt),
    resolvedAt: iso(r.resolvedAt),
    closedAt: iso(r.closedAt),
    createdAt: r.createdAt.toISOString(),
    repeatOf: repeat,
    fields: r.fields as Record<string, unknown>,
  };
}

/** `key=value` on a custom field, compared as text so numbers and booleans match too. */
function customField(condition: string): SQL {
  const at = condition.indexOf('=');
  return sql`${tickets.fields} ->> ${condition.slice(0, at)} = ${condition.slice(at + 1)}`;
}

/** Lists report "10,000+" rather than counting every match of a broad filter. */
export const COUNT_CAP = 10_000;

/**
 * Ticket numbers and serial numbers are searched by prefix (indexed); other text — titles,
 * contacts — by substring, which scans: fine for narrowed lists, slow on all of a million.
 * Four or more digits may also be part of the contact's phone (callers give the last four).
 */
function ticketSearch(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(q)) {
    const prefix = `${escaped.toUpperCase()}%`;
    const phone = /^\d{4,}$/.test(q) ? sql` or ${tickets.contactPhone} like ${`%${escaped}%`}` : sql``;
    return sql`(${tickets.number} like ${prefix} or ${tickets.serialNumber} like ${prefix} or ${tickets.serialNumber} like ${`${escaped}%`}${phone})`;
  }
  return searchText(q, tickets.title, tickets.contactName);
}

/** A step on a ticket: a lifecycle command, or a workflow transition by key with its inputs. */
type StepInput =
  | { command: TicketCommand }
  | { key: string; fields: Record<string, unknown>; params: Record<string, unknown> };

export class TicketService {
  constructor(
    private readonly platform: Platform,
    private readonly workflows: Pick<WorkflowStore, 'used'>,
    private readonly forms: Pick<FormsModule, 'checkTicketFields' | 'checkChangedFields' | 'claimAttachments'>,
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

  async present(
    rows: TicketRow[],
    detail?: { visits: VisitRow[]; actor: Actor; canUpdate: boolean },
    db: Executor = this.platform.db,
  ): Promise<Ticket[]> {
    const ids = [...new Set(rows.map((r) => r.customerId).filter((x): x is string => !!x))];
    const assigneeIds = [...new Set(rows.map((r) => r.assigneeId).filter((x): x is string => !!x))];
    // Who works the ticket, by name: what people ask first on a ticket page and in lists.
    const assignees = assigneeIds.length
      ? new Map(
          (
            await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, assigneeIds))
          ).map((u) => [u.id, u.name]),
        )
      : new Map<string, string>();
    const names = ids.length
      ? new Map(
          (
            await db
              .select({ id: customers.id, name: customers.name })
              .from(customers)
              .where(inArray(customers.id, ids))
          ).map((c) => [c.id, c.name]),
        )
      : new Map<string, string>();
    return rows.map((r) => {
      const base = {
        ...view(r, r.customerId ? (names.get(r.customerId) ?? null) : null),
        assigneeName: r.assigneeId ? (assignees.get(r.assigneeId) ?? null) : null,
      };
      if (!detail) return base as unknown as Ticket;
      const offered = allowedActions(facts(r, detail.visits), caller(detail.actor)).filter(
        (a) => detail.canUpdate || REQUESTER_ACTIONS.has(a),
      );
      return {
        ...base,
        visits: detail.visits.map((v) => ({
          id: v.id,
          engineerId: v.engineerId,
          plannedStart: v.plannedStart.toISOString(),
          plannedEnd: v.plannedEnd.toISOString(),
          checkedInAt: iso(v.checkedInAt),
          checkedOutAt: iso(v.checkedOutAt),
          acceptedAt: iso(v.acceptedAt),
          declinedAt: iso(v.declinedAt),
        })),
        allowedActions: offered,
      } as unknown as Ticket;
    });
  }

  /**
   * Works out what a report implies (device, customer, category, repeat, likely duplicates) and
   * checks the caller may report for that customer. Only reads, all before the write — which may
   * run in a transaction holding the only PGlite connection.
   */
  async prepare(
    input: CreateTicket,
    actor: Actor,
    customerScope: (customerId: string) => Promise<void>,
    db: Executor = this.platform.db,
  ) {
    const { clock } = this.platform;
    const now = clock.now();
    // A customer contact always reports for its own organisation.
    const report = actor.roles.includes('customer')
      ? { ...input, customerId: actor.customerId, channel: 'portal' as const }
      : input;
    const resolved = await resolveReport(db, report, now);
    if (resolved.customerId) await customerScope(resolved.customerId);
    const repeat = await repeatOf(db, resolved.deviceId, resolved.categoryId, now);
    const possibleDuplicates = await likelyDuplicates(db, resolved, report.description, now);
    return { report, resolved, repeat, possibleDuplicates };
  }

  /**
   * Writes a prepared report: the ticket, its number and its `ticket.created` event in one
   * statement, so it is atomic on its own and costs one round trip.
   */
  async create(
    db: Executor,
    prepared: Awaited<ReturnType<TicketService['prepare']>>,
    actor: Actor,
    /** Extra data on the `ticket.created` event (automation's causal chain). */
    data: Record<string, unknown> = {},
  ) {
    const { report, resolved, repeat, possibleDuplicates } = prepared;
    const { customerName, ...implied } = resolved;
    const now = this.platform.clock.now();
    const row: TicketRow = {
      id: newId(now.getTime()),
      number: '',
      version: 1,
      type: report.type,
      channel: report.channel,
      state: 'new',
      suspendedFrom: null,
      priority: null,
      severity: report.severity,
      serviceType: report.serviceType,
      contactName: report.contactName,
      contactPhone: report.contactPhone ?? null,
      contactEmail: report.contactEmail ?? null,
      serviceAddress: report.serviceAddress ?? null,
      orderNumber: report.orderNumber ?? null,
      faultAt: report.faultAt ? new Date(report.faultAt) : null,
      title: report.title,
      description: report.description,
      initialDiagnosis: report.initialDiagnosis ?? null,
      reporterId: actor.kind === 'system' ? null : actor.userId,
      reporterName: report.reporterName ?? null,
      reportedAt: now,
      ...implied,
      assigneeId: null,
      teamId: null,
      responseDueAt: null,
      resolutionDueAt: null,
      slaDueAt: null,
      firstRespondedAt: null,
      resolvedAt: null,
      closedAt: null,
      cancelledAt: null,
      resolution: null,
      confirmation: null,
      csat: null,
      repeatOf: repeat,
      isRepeat: repeat !== null,
      reopenCount: 0,
      fields: report.fields,
      importedVisits: null,
      // Filled in by the statement: the type's active workflow version and its initial stage.
      workflowVersionId: '',
      stage: '',
      createdAt: now,
      updatedAt: now,
    };
    const event = this.platform.events.record({
      type: 'ticket.created',
      entityType: 'ticket',
      entityId: row.id,
      actor: eventActor(actor),
      visibility: 'customer',
      data: { ...data, channel: row.channel, version: 1, repeatOf: repeat, unknownDevice: row.unknownDevice },
    });
    const [created] = await (await this.createStatement(db, now)).rows(db, {
      ticket: rowAsJson(tickets, row),
      type: row.type,
      event: event.json,
    });
    row.number = created!.number;
    row.workflowVersionId = created!.workflow_version_id;
    row.stage = created!.stage;
    return { ticket: view(row, customerName) as unknown as Ticket, possibleDuplicates };
  }

  private readonly createStatements = new Map<
    string,
    PreparedStatement<{ number: string; workflow_version_id: string; stage: string }>
  >();

  /**
   * The create as one prepared statement: the ticket (one jsonb value), its number drawn from the
   * year's sequence, the active workflow version of its type with that version's initial stage
   * (read inside the statement, so a just-activated version applies on every replica at once), and
   * its `ticket.created` event carrying that number. One per year and set of subscribers, since
   * both are part of its text.
   */
  private async createStatement(db: Executor, now: Date) {
    const number = await nextNumber(db, now);
    const subscribers = this.platform.subscribers.namesFor('ticket.created');
    const key = `${number.sequence}:${subscribers.join(',')}`;
    let statement = this.createStatements.get(key);
    if (!statement) {
      const writes = this.platform.events.writes(
        'ticket.created',
        sql`${sql.placeholder('event')}::jsonb`,
        sql`jsonb_build_object('number', (select number from created))`,
      );
      statement = new PreparedStatement(
        `ticket_create_${this.createStatements.size + 1}_${number.sequence}`,
        sql`with workflow as (
              select id, definition ->> 'initial' as initial from workflow_versions
              where ticket_type = ${sql.placeholder('type')}::text and status = 'active'),
            created as (
              insert into tickets
              select * from jsonb_populate_record(null::tickets, ${sql.placeholder('ticket')}::jsonb || jsonb_build_object(
                'number', ${number.expression},
                'workflow_version_id', (select id from workflow),
                'stage', (select initial from workflow)))
              returning number, workflow_version_id, stage),
            ${writes}
            select number, workflow_version_id, stage from created`,
      );
      this.createStatements.set(key, statement);
    }
    return statement;
  }

  async get(id: string, scope: SQL, actor: Actor, canUpdate: boolean): Promise<Ticket> {
    const [row] = await this.platform.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, id), scope));
    if (!row) throw notFound('ticket');
    const visitRows = await this.platform.db
      .select()
      .from(visits)
      .where(eq(visits.ticketId, id))
      .orderBy(asc(visits.plannedStart));
    return (await this.present([row], { visits: visitRows, actor, canUpdate }))[0]!;
  }

  /** The WHERE of a ticket list query, shared by the paged list and the exports. */
  private listFilter(q: Record<string, unknown>, scope: SQL): SQL | undefined {
    const now = this.platform.clock.now();
    const states = typeof q.state === 'string' ? q.state.split(',') : undefined;
    return and(
      scope,
      ticketSearch(q.q as string | undefined),
      states ? inArray(tickets.state, states) : undefined,
      q.priority ? eq(tickets.priority, q.priority as string) : undefined,
      q.categoryId ? eq(tickets.categoryId, q.categoryId as string) : undefined,
      q.customerId ? eq(tickets.customerId, q.customerId as string) : undefined,
      q.deviceId ? eq(tickets.deviceId, q.deviceId as string) : undefined,
      q.productModelId ? eq(tickets.productModelId, q.productModelId as string) : undefined,
      q.batch ? sql`${tickets.deviceId} in (select id from devices where batch = ${q.batch as string})` : undefined,
      q.field ? customField(q.field as string) : undefined,
      q.assigneeId ? eq(tickets.assigneeId, q.assigneeId as string) : undefined,
      q.regionCode ? eq(tickets.regionCode, q.regionCode as string) : undefined,
      q.channel ? eq(tickets.channel, q.channel as string) : undefined,
      q.createdFrom ? gte(tickets.createdAt, new Date(q.createdFrom as string)) : undefined,
      q.createdTo ? lt(tickets.createdAt, new Date(q.createdTo as string)) : undefined,
      q.overdue === 'true'
        ? and(lt(tickets.resolutionDueAt, now), notInArray(tickets.state, ['closed', 'cancelled']))
        : undefined,
    );
  }

  /**
   * Every ticket a list query matches, newest first, a page at a time by key (not offset), so an
   * export of a million rows streams in constant memory and never skips or repeats a row.
   */
  async *exportRows(q: Record<string, unknown>, scope: SQL, pageSize = 1_000): AsyncGenerator<Ticket[]> {
    const where = this.listFilter(q, scope);
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const page: TicketRow[] = await this.platform.db
        .select()
        .from(tickets)
        .where(
          and(
            where,
            after
              ? sql`(${tickets.createdAt}, ${tickets.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(desc(tickets.createdAt), desc(tickets.id))
        .limit(pageSize);
      if (page.length === 0) return;
      yield await this.present(page);
      if (page.length < pageSize) return;
      const last = page.at(-1)!;
      after = { createdAt: last.createdAt, id: last.id };
    }
  }

  async list(q: Record<string, unknown> & { page: number; pageSize: number; sort: string }, scope: SQL) {
    const where = this.listFilter(q, scope);
    const order = {
      created_desc: [desc(tickets.createdAt), desc(tickets.id)],
      created_asc: [asc(tickets.createdAt), asc(tickets.id)],
      due_asc: [sql`${tickets.resolutionDueAt} asc nulls last`, desc(tickets.createdAt)],
      priority: [sql`${tickets.priority} asc nulls last`, desc(tickets.createdAt)],
      // Nearest running SLA deadline first (kept by the sla module); tickets with none after.
      sla_asc: [sql`${tickets.slaDueAt} asc nulls last`, desc(tickets.createdAt)],
    }[q.sort] ?? [desc(tickets.createdAt)];
    const [rows, [total]] = await Promise.all([
      this.platform.db
        .select()
        .from(tickets)
        .where(where)
        .orderBy(...order)
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
      // Counting a million matches exactly costs more than the page itself: count up to a cap.
      this.platform.db.select({ n: count() }).from(
        this.platform.db
          .select({ one: sql`1` })
          .from(tickets)
          .where(where)
          .limit(COUNT_CAP + 1)
          .as('capped'),
      ),
    ]);
    return {
      items: await this.present(rows),
      total: Math.min(total!.n, COUNT_CAP),
      totalCapped: total!.n > COUNT_CAP,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /**
   * One lifecycle command (an action of the engine). Unless the action works inside any stage
   * (comment, suspend, …), it takes the workflow transition with that action from the ticket's
   * stage that ends where the engine leaves the ticket — with that transition's roles, guards and
   * required fields.
   */
  async transition(id: string, cmd: TicketCommand, actor: Actor, scope: SQL, canUpdate: boolean): Promise<Ticket> {
    return this.step(id, cmd.version, actor, scope, canUpdate, { command: cmd });
  }

  /**
   * One workflow transition by key: its built-in action (inputs in `params`) or a pure stage move,
   * and custom field values to store with it.
   */
  async takeTransition(
    id: string,
    key: string,
    input: { version: number; fields: Record<string, unknown>; params: Record<string, unknown> },
    actor: Actor,
    scope: SQL,
    canUpdate: boolean,
  ): Promise<Ticket> {
    return this.step(id, input.version, actor, scope, canUpdate, { key, fields: input.fields, params: input.params });
  }

  /** Version check, workflow checks, decision, patch, visit change and event, in one transaction. */
  private async step(
    id: string,
    version: number,
    actor: Actor,
    scope: SQL,
    canUpdate: boolean,
    what: StepInput,
  ): Promise<Ticket> {
    const updated = await this.platform.transaction(async (tx) =>
      this.apply(tx, await this.locked(tx, id, scope, version), what, actor, canUpdate),
    );
    const visitRows = await this.platform.db
      .select()
      .from(visits)
      .where(eq(visits.ticketId, id))
      .orderBy(asc(visits.plannedStart));
    return (await this.present([updated], { visits: visitRows, actor, canUpdate }))[0]!;
  }

  /**
   * Guards other modules put on an action (a quote waiting for the customer blocks a dispatch):
   * asked inside the command's transaction, after the lifecycle accepted it; they throw to refuse.
   */
  private readonly guards: { action: TicketAction; check: (tx: Tx, ticket: TicketRow) => Promise<void> }[] = [];
  addGuard(action: TicketAction, check: (tx: Tx, ticket: TicketRow) => Promise<void>) {
    this.guards.push({ action, check });
  }

  /** A lifecycle command inside the caller's transaction (the field sync claims its operation in the same one). */
  async transitionIn(
    tx: Tx,
    id: string,
    cmd: TicketCommand,
    actor: Actor,
    scope: SQL | undefined,
    canUpdate: boolean,
  ): Promise<TicketRow> {
    return this.apply(tx, await this.locked(tx, id, scope, cmd.version), { command: cmd }, actor, canUpdate);
  }

  /** The ticket row locked for a step, at the version the caller saw. */
  private async locked(tx: Tx, id: string, scope: SQL | undefined, version: number): Promise<TicketRow> {
    const [row] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, id), scope))
      .for('update');
    if (!row) throw notFound('ticket');
    if (row.version !== version) throw await this.stale(tx, row, version);
    return row;
  }

  /** What a ticket's guards look at; the quote is read only when a guard asks for it. */
  private async guardFacts(
    db: Executor,
    row: TicketRow,
    visitRows: VisitRow[],
    ...asking: TransitionDefinition[]
  ): Promise<GuardFacts> {
    const quoteApproved = asking.some((t) => t.guards.includes('quote_approved'))
      ? (await rows(db, sql`select 1 from quotes where ticket_id = ${row.id} and state = 'approved' limit 1`)).length >
        0
      : false;
    return {
      checklistComplete: checklistComplete(row.resolution),
      confirmed: row.confirmation !== null,
      hasCheckedOutVisit: visitRows.some((v) => v.checkedOutAt !== null),
      quoteApproved,
      priority: row.priority,
      assigneeId: row.assigneeId,
    };
  }

  /**
   * The ticket's workflow as its page shows it: the stage, and the transitions this caller may take
   * from it now (the engine must allow their action too), with the fields and guards still missing.
   */
  async workflow(id: string, scope: SQL, actor: Actor, canUpdate: boolean): Promise<TicketWorkflowView> {
    const [row] = await this.platform.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, id), scope));
    if (!row) throw notFound('ticket');
    const visitRows = await this.platform.db.select().from(visits).where(eq(visits.ticketId, id));
    const used = await this.workflows.used(this.platform.db, row.workflowVersionId);
    const flow = used.definition;
    const ticketFacts = facts(row, visitRows);
    const actions = new Set(
      allowedActions(ticketFacts, caller(actor)).filter((a) => canUpdate || REQUESTER_ACTIONS.has(a)),
    );
    // Signing closes only with a complete verification: offer the one confirm transition that applies.
    const produced = (action: string) =>
      action === 'confirm' ? (ticketFacts.checklistComplete ? 'closed' : 'awaiting_confirmation') : null;
    const paused = row.state === 'suspended' || row.state === 'cancelled';
    const offered = paused
      ? []
      : transitionsFrom(flow, row.stage, actor.roles as Role[]).filter(
          (t) =>
            !t.action ||
            (actions.has(t.action) && (!produced(t.action) || produced(t.action) === stageOf(flow, t.to)?.lifecycle)),
        );
    const guardFacts = await this.guardFacts(this.platform.db, row, visitRows, ...offered);
    const stage = stageOf(flow, row.stage);
    const named = (key: string) => {
      const s = stageOf(flow, key);
      return { key, name: s?.name ?? { 'zh-CN': key, 'en-US': key }, phase: s?.phase ?? 'open' };
    };
    return {
      ticketType: row.type as TicketWorkflowView['ticketType'],
      workflowVersionId: used.id,
      workflowVersion: used.version,
      stage: {
        ...named(row.stage),
        phase: row.state === 'suspended' ? 'waiting' : row.state === 'cancelled' ? 'done' : (stage?.phase ?? 'open'),
      },
      transitions: offered.map((t) => ({
        key: t.key,
        name: t.name,
        action: t.action,
        to: named(t.to),
        requiredFields: t.requiredFields,
        missingFields: missingFields(t, row, row.fields as Record<string, unknown>),
        failedGuards: failedGuards(t, guardFacts),
      })),
    };
  }

  /**
   * A lifecycle command inside the caller's transaction (automation's actions run in the event
   * delivery's): it applies to the ticket as it is now, and `data` rides on the event it writes
   * (the automation's causal chain). Refusals throw like `transition`'s.
   */
  async command(
    tx: Tx,
    id: string,
    cmd: DistributiveOmit<TicketCommand, 'version'>,
    actor: Actor,
    data: Record<string, unknown> = {},
  ): Promise<TicketRow> {
    const [row] = await tx.select().from(tickets).where(eq(tickets.id, id)).for('update');
    if (!row) throw notFound('ticket');
    return this.apply(tx, row, { command: { ...cmd, version: row.version } as TicketCommand }, actor, true, data);
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
    if ('command' in what) cmd = what.command;
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
      const failed = failedGuards(chosen, await this.guardFacts(tx, row, visitRows, chosen));
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
    const [user] = await db
      .select({ roles: users.roles, active: users.active })
      .from(users)
      .where(eq(users.id, userId));
    const ok = user?.active && (user.roles.includes('engineer') || (anyStaff && !user.roles.includes('customer')));
    if (!ok)
      throw new AppError(400, 'validation.failed', {}, [
        { path: anyStaff ? 'toUserId' : 'engineerId', code: 'ticket.not_an_engineer' },
      ]);
  }

  async timeline(id: string, customerView: boolean) {
    const rows = await this.platform.db
      .select({ e: events, actorName: users.displayName })
      .from(events)
      .leftJoin(users, eq(users.id, events.actorId))
      .where(
        and(
          eq(events.entityType, 'ticket'),
          eq(events.entityId, id),
          customerView ? eq(events.visibility, 'customer') : undefined,
        ),
      )
      .orderBy(asc(events.seq));
    return rows.map(({ e, actorName }) => ({
      id: e.id,
      occurredAt: e.occurredAt.toISOString(),
      type: e.type,
      actorId: e.actorId,
      actorName: actorName ?? null,
      visibility: e.visibility as 'internal' | 'customer',
      changes: e.changes as Record<string, unknown>,
      data: e.data as Record<string, unknown>,
    }));
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
    return this.links(id);
  }

  async links(id: string) {
    const rows = await this.platform.db
      .select({
        id: tickets.id,
        number: tickets.number,
        title: tickets.title,
        state: tickets.state,
        kind: ticketLinks.kind,
      })
      .from(ticketLinks)
      .innerJoin(tickets, eq(tickets.id, ticketLinks.linkedTicketId))
      .where(eq(ticketLinks.ticketId, id));
    return rows;
  }
}
