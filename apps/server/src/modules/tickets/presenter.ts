import type { Priority, Role, Ticket, TicketState } from '@serviceloop/contracts';
import type { Executor } from '../../platform/db/client';
import type { Actor } from '../../platform/http/actor';
import { customerNames } from '../customers/index';
import { userNames } from '../identity/index';
import { allowedActions, type Caller, checklistComplete, type TicketFacts } from './lifecycle';
import type { tickets, visits } from './tables';

/**
 * How tickets look to the API: a row with its customer's and assignee's names, and on the detail
 * page its visits and the actions this caller may take now.
 */
export type TicketRow = typeof tickets.$inferSelect;
export type VisitRow = typeof visits.$inferSelect;

/** Actions a caller without the ticket `update` permission may still take on a ticket they can see. */
export const REQUESTER_ACTIONS = new Set(['confirm', 'reopen', 'comment', 'cancel']);

export const caller = (actor: Actor): Caller => ({
  userId: actor.userId,
  roles: actor.roles as Role[],
  customerId: actor.customerId,
});

export const iso = (d: Date | null) => d?.toISOString() ?? null;

export function facts(row: TicketRow, visitRows: VisitRow[]): TicketFacts {
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
export function view(r: TicketRow, customerName: string | null) {
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

/** Rows as the API shows them; with `detail`, also the visits and the actions offered to `actor`. */
export async function present(
  db: Executor,
  rows: TicketRow[],
  detail?: { visits: VisitRow[]; actor: Actor; canUpdate: boolean },
): Promise<Ticket[]> {
  // Who works the ticket, by name: what people ask first on a ticket page and in lists.
  const assignees = await userNames(
    db,
    rows.map((r) => r.assigneeId),
  );
  const names = await customerNames(
    db,
    rows.map((r) => r.customerId),
  );
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
