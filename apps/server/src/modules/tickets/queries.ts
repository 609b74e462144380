import type { Role, Ticket, TicketWorkflowView, TransitionDefinition } from '@serviceloop/contracts';
import { and, asc, count, desc, eq, gte, inArray, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import { searchText } from '../../platform/db/records';
import { events } from '../../platform/events/tables';
import type { Actor } from '../../platform/http/actor';
import { notFound } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { deviceIdsInBatch } from '../assets/index';
import { type Grant, scopeFilter, userNameOf } from '../identity/index';
import {
  failedGuards,
  type GuardFacts,
  missingFields,
  stageOf,
  transitionsFrom,
  type WorkflowStore,
} from '../workflows/index';
import { allowedActions, checklistComplete } from './lifecycle';
import { caller, facts, present, REQUESTER_ACTIONS, type TicketRow, type VisitRow } from './presenter';
import { ticketLinks, tickets, visits } from './tables';

/*
 * Reads of tickets for the API and other modules: scoped by the caller's grant, presented by
 * presenter.ts. Nothing here writes.
 */

/** The rows a ticket grant reaches; `own` means assigned to me. */
export const ticketScope = (grant: Grant, actor: Actor): SQL =>
  scopeFilter(grant, actor, {
    region: tickets.regionCode,
    team: tickets.teamId,
    organisation: tickets.customerId,
    owner: tickets.assigneeId,
  });

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

/** What a ticket's guards look at; the quote is read only when a guard asks for it. */
export async function guardFacts(
  db: Executor,
  row: TicketRow,
  visitRows: VisitRow[],
  ...asking: TransitionDefinition[]
): Promise<GuardFacts> {
  const quoteApproved = asking.some((t) => t.guards.includes('quote_approved'))
    ? (await rows(db, sql`select 1 from quotes where ticket_id = ${row.id} and state = 'approved' limit 1`)).length > 0
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

/** Reads of tickets: one, a filtered page, an export, the timeline, the links and the workflow view. */
export class TicketQueries {
  constructor(
    private readonly platform: Platform,
    private readonly workflows: Pick<WorkflowStore, 'used'>,
  ) {}

  /** A ticket's visits in planned order. */
  visitsOf(db: Executor, id: string): Promise<VisitRow[]> {
    return db.select().from(visits).where(eq(visits.ticketId, id)).orderBy(asc(visits.plannedStart));
  }

  async get(id: string, scope: SQL, actor: Actor, canUpdate: boolean): Promise<Ticket> {
    const [row] = await this.platform.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, id), scope));
    if (!row) throw notFound('ticket');
    const visitRows = await this.visitsOf(this.platform.db, id);
    return (await present(this.platform.db, [row], { visits: visitRows, actor, canUpdate }))[0]!;
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
      q.batch ? sql`${tickets.deviceId} in (${deviceIdsInBatch(q.batch as string)})` : undefined,
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
      yield await present(this.platform.db, page);
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
      items: await present(this.platform.db, rows),
      total: Math.min(total!.n, COUNT_CAP),
      totalCapped: total!.n > COUNT_CAP,
      page: q.page,
      pageSize: q.pageSize,
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
    const facing = await guardFacts(this.platform.db, row, visitRows, ...offered);
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
        failedGuards: failedGuards(t, facing),
      })),
    };
  }

  async timeline(id: string, customerView: boolean) {
    const rows = await this.platform.db
      .select({ e: events, actorName: userNameOf(events.actorId) })
      .from(events)
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
