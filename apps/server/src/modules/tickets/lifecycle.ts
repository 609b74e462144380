import {
  ACTION_FROM,
  type EventName,
  type EventPayload,
  type Priority,
  type Role,
  type TicketAction,
  type TicketCommand,
  TicketState,
} from '@serviceloop/contracts';

/**
 * The ticket lifecycle as pure functions: given what a ticket is, a command and who gives it,
 * decide the one event it produces and the fields it changes — or refuse with a reason.
 * No I/O here; the service loads the facts, asks, and writes the answer in one transaction.
 */

export interface VisitFacts {
  id: string;
  engineerId: string;
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
  acceptedAt?: Date | null;
  declinedAt?: Date | null;
}

export interface TicketFacts {
  state: TicketState;
  suspendedFrom: TicketState | null;
  priority: Priority | null;
  assigneeId: string | null;
  teamId: string | null;
  customerId: string | null;
  checklistComplete: boolean;
  confirmed: boolean;
  closedAt: Date | null;
  reopenCount: number;
  visits: VisitFacts[];
  /** When it was reported: triage's due times count from here (from the triage when unknown). */
  reportedAt?: Date;
}

export interface Caller {
  userId: string;
  roles: Role[];
  customerId: string | null;
}

/** The catalogued ticket events (decide() produces the lifecycle's; the service a stage move). */
export type LifecycleEventName = Extract<EventName, `ticket.${string}`>;

/** A catalogue event with its typed payload, as a decision produces it. */
export type TicketEvent = {
  [N in LifecycleEventName]: { type: N; visibility: 'internal' | 'customer'; data: EventPayload<N> };
}[LifecycleEventName];

export type TicketPatch = Partial<{
  state: TicketState;
  suspendedFrom: TicketState | null;
  priority: Priority;
  categoryId: string | null;
  assigneeId: string | null;
  teamId: string | null;
  firstRespondedAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date;
  resolution: Record<string, unknown> | null;
  confirmation: Record<string, unknown> | null;
  csat: number | null;
  reopenCount: number;
  isRepeat: boolean;
}>;

export type VisitChange =
  | { kind: 'create'; visit: { id: string; engineerId: string; plannedStart: Date; plannedEnd: Date } }
  | { kind: 'accept'; visitId: string; at: Date }
  | { kind: 'decline'; visitId: string; at: Date; reason: string }
  | { kind: 'check_in'; visitId: string; at: Date; location: unknown }
  | { kind: 'check_out'; visitId: string; at: Date; location: unknown; note: string | null };

export type Decision =
  | {
      ok: true;
      event: TicketEvent;
      /**
       * A second event the same change means, written right after `event`: a confirmation that
       * closes the ticket is also `ticket.closed`, so whoever listens for closing hears every close.
       */
      followUp?: TicketEvent;
      patch: TicketPatch;
      visit?: VisitChange;
    }
  | { ok: false; code: string; params?: Record<string, unknown> };

/**
 * Triage levels from seed 001 §二 (P0 system down / production stopped / safety … P3 consultation
 * or cosmetic). The seed gives no minutes; these wall-clock targets are the starting point of the
 * sla module's default policies, and the due times a ticket shows from triage until its SLA
 * clocks (business calendars, per-tier and per-contract policies) replace them.
 */
export const PRIORITY_TARGETS: Record<Priority, { responseMinutes: number; resolutionMinutes: number }> = {
  P0: { responseMinutes: 30, resolutionMinutes: 4 * 60 },
  P1: { responseMinutes: 2 * 60, resolutionMinutes: 24 * 60 },
  P2: { responseMinutes: 8 * 60, resolutionMinutes: 3 * 24 * 60 },
  P3: { responseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60 },
};

export function dueTimes(priority: Priority, reportedAt: Date) {
  const t = PRIORITY_TARGETS[priority];
  return {
    responseDueAt: new Date(reportedAt.getTime() + t.responseMinutes * 60_000),
    resolutionDueAt: new Date(reportedAt.getTime() + t.resolutionMinutes * 60_000),
  };
}

export const REOPEN_WINDOW_DAYS = 30;
const ENDED: TicketState[] = ['closed', 'cancelled'];
export const OPEN_STATES: TicketState[] = TicketState.options.filter((s) => !ENDED.includes(s));

/** From which states each action may be taken (shared with workflow validation). */
const FROM = ACTION_FROM;

const isStaff = (c: Caller) => c.roles.some((r) => r === 'agent' || r === 'manager' || r === 'admin');
const isManager = (c: Caller) => c.roles.some((r) => r === 'manager' || r === 'admin');
const isAssignedEngineer = (t: TicketFacts, c: Caller) =>
  c.roles.includes('engineer') && (t.assigneeId === c.userId || t.visits.some((v) => v.engineerId === c.userId));
const isOwnCustomer = (t: TicketFacts, c: Caller) =>
  c.roles.includes('customer') && !!c.customerId && c.customerId === t.customerId;

/** Who may give each action (before state rules apply). */
const WHO: Record<TicketAction, (t: TicketFacts, c: Caller) => boolean> = {
  triage: (_t, c) => isStaff(c),
  start_remote: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  record_remote: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  dispatch: (_t, c) => isStaff(c),
  // Only the engineer the visit names answers it.
  accept: (t, c) => isAssignedEngineer(t, c),
  decline: (t, c) => isAssignedEngineer(t, c),
  check_in: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  check_out: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  resolve: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  request_confirmation: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  // The customer signs in the portal, or on the engineer's phone at the end of the visit.
  confirm: (t, c) => isOwnCustomer(t, c) || isStaff(c) || isAssignedEngineer(t, c),
  close: (_t, c) => isStaff(c),
  suspend: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  resume: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  transfer: (t, c) => isStaff(c) || isAssignedEngineer(t, c),
  cancel: (t, c) => isStaff(c) || (isOwnCustomer(t, c) && t.state === 'new'),
  reopen: (t, c) => isStaff(c) || isOwnCustomer(t, c),
  comment: (t, c) => isStaff(c) || isAssignedEngineer(t, c) || isOwnCustomer(t, c) || c.roles.includes('quality'),
};

const refuse = (code: string, params?: Record<string, unknown>): Decision => ({ ok: false, code, params });
const accept = <N extends LifecycleEventName>(
  type: N,
  visibility: TicketEvent['visibility'],
  patch: TicketPatch,
  data: EventPayload<N>,
  visit?: VisitChange,
): Decision & { ok: true } => ({
  ok: true,
  event: { type, visibility, data } as TicketEvent,
  patch,
  visit,
});

/**
 * When a visit step happened: the device's time when it gives one (an offline phone syncs later),
 * but never in the future of the server's clock.
 */
const stepTime = (at: string | undefined, now: Date) => {
  const device = at ? new Date(at) : null;
  return device && device < now ? device : now;
};

/** The caller's own visit that is still waiting (not started, not declined). */
const ownPendingVisit = (t: TicketFacts, visitId: string, caller: Caller) =>
  t.visits.find((v) => v.id === visitId && v.engineerId === caller.userId && !v.checkedInAt && !v.declinedAt);

/** Decides one command. `newId` names a visit a dispatch creates. */
export function decide(
  t: TicketFacts,
  cmd: TicketCommand,
  caller: Caller,
  ctx: { now: Date; newId: () => string },
): Decision {
  if (!WHO[cmd.action](t, caller)) return refuse('ticket.not_allowed', { action: cmd.action });
  if (!FROM[cmd.action].includes(t.state))
    return refuse('ticket.invalid_transition', { action: cmd.action, state: t.state });
  const { now } = ctx;

  switch (cmd.action) {
    case 'triage':
      return accept(
        'ticket.triaged',
        'customer',
        {
          state: 'triaged',
          priority: cmd.priority,
          categoryId: cmd.categoryId ?? undefined,
          firstRespondedAt: now,
          // Wall-clock targets from the report until the sla module's clocks replace them.
          ...dueTimes(cmd.priority, t.reportedAt ?? now),
        },
        { priority: cmd.priority, note: cmd.note ?? null },
      );
    case 'start_remote':
      return accept('ticket.remote_started', 'customer', { state: 'remote_support' }, { note: cmd.note ?? null });
    case 'record_remote':
      return accept('ticket.remote_recorded', 'internal', {}, { note: cmd.note });
    case 'dispatch': {
      const plannedStart = new Date(cmd.plannedStart);
      const plannedEnd = new Date(cmd.plannedEnd);
      if (plannedEnd <= plannedStart) return refuse('ticket.window_invalid');
      const openVisit = t.visits.find((v) => v.checkedInAt && !v.checkedOutAt);
      if (openVisit) return refuse('ticket.visit_open');
      const visit = { id: ctx.newId(), engineerId: cmd.engineerId, plannedStart, plannedEnd };
      return accept(
        'ticket.dispatched',
        'customer',
        { state: 'dispatched', assigneeId: cmd.engineerId },
        {
          visitId: visit.id,
          engineerId: cmd.engineerId,
          plannedStart: cmd.plannedStart,
          plannedEnd: cmd.plannedEnd,
          note: cmd.note ?? null,
        },
        { kind: 'create', visit },
      );
    }
    case 'accept': {
      const visit = ownPendingVisit(t, cmd.visitId, caller);
      if (!visit) return refuse('ticket.visit_not_pending');
      return accept(
        'ticket.accepted',
        'customer',
        {},
        { visitId: visit.id },
        { kind: 'accept', visitId: visit.id, at: now },
      );
    }
    case 'decline': {
      const visit = ownPendingVisit(t, cmd.visitId, caller);
      if (!visit) return refuse('ticket.visit_not_pending');
      // Back to the dispatcher: waiting for a visit again, nobody assigned.
      return accept(
        'ticket.declined',
        'internal',
        { state: 'triaged', assigneeId: null },
        { visitId: visit.id, reason: cmd.reason },
        { kind: 'decline', visitId: visit.id, at: now, reason: cmd.reason },
      );
    }
    case 'check_in': {
      const visit = t.visits.find((v) => v.id === cmd.visitId);
      if (!visit || visit.checkedInAt || visit.declinedAt) return refuse('ticket.visit_not_pending');
      if (caller.roles.includes('engineer') && !isStaff(caller) && visit.engineerId !== caller.userId) {
        return refuse('ticket.not_allowed', { action: cmd.action });
      }
      return accept(
        'ticket.checked_in',
        'customer',
        { state: 'on_site' },
        { visitId: visit.id, at: stepTime(cmd.at, now).toISOString() },
        {
          kind: 'check_in',
          visitId: visit.id,
          at: stepTime(cmd.at, now),
          location: cmd.location ?? null,
        },
      );
    }
    case 'check_out': {
      const visit = t.visits.find((v) => v.id === cmd.visitId);
      if (!visit?.checkedInAt || visit.checkedOutAt) return refuse('ticket.visit_not_open');
      return accept(
        'ticket.checked_out',
        'internal',
        {},
        { visitId: visit.id, at: stepTime(cmd.at, now).toISOString(), note: cmd.note ?? null },
        {
          kind: 'check_out',
          visitId: visit.id,
          at: stepTime(cmd.at, now),
          location: cmd.location ?? null,
          note: cmd.note ?? null,
        },
      );
    }
    case 'resolve': {
      if (t.visits.some((v) => v.checkedInAt && !v.checkedOutAt)) return refuse('ticket.visit_open');
      const resolution = {
        diagnosis: cmd.diagnosis ?? null,
        rootCause: cmd.rootCause,
        actionsTaken: cmd.actionsTaken,
        partsUsed: cmd.partsUsed,
        labourMinutes: cmd.labourMinutes,
        travelMinutes: cmd.travelMinutes,
        checklist: cmd.checklist,
      };
      return accept(
        'ticket.resolved',
        'customer',
        { state: 'resolved', resolvedAt: now, resolution },
        { rootCause: cmd.rootCause },
      );
    }
    case 'request_confirmation':
      return accept('ticket.confirmation_requested', 'customer', { state: 'awaiting_confirmation' }, {});
    case 'confirm': {
      // Signing with a complete verification closes the ticket; otherwise it waits for a manager.
      const confirmation = {
        signature: cmd.signature,
        csat: cmd.csat,
        comment: cmd.comment ?? null,
        confirmedAt: now.toISOString(),
        by: caller.userId,
      };
      const closes = t.checklistComplete;
      const confirmed = accept(
        'ticket.confirmed',
        'customer',
        {
          state: closes ? 'closed' : 'awaiting_confirmation',
          confirmation,
          csat: cmd.csat,
          closedAt: closes ? now : null,
        },
        { csat: cmd.csat, comment: cmd.comment ?? null, closed: closes },
      );
      if (!closes) return confirmed;
      const closed: TicketEvent = {
        type: 'ticket.closed',
        visibility: 'customer',
        data: { via: 'confirmation', override: false, overrideReason: null },
      };
      return { ...confirmed, followUp: closed };
    }
    case 'close': {
      const verified = t.checklistComplete && t.confirmed;
      if (!verified) {
        if (!isManager(caller)) return refuse('ticket.close_needs_override');
        if (!cmd.overrideReason || cmd.overrideReason.trim().length < 2)
          return refuse('ticket.override_reason_required');
      }
      return accept(
        'ticket.closed',
        'customer',
        { state: 'closed', closedAt: now },
        { via: 'close', override: !verified, overrideReason: verified ? null : cmd.overrideReason },
      );
    }
    case 'suspend':
      return accept(
        'ticket.suspended',
        'internal',
        { state: 'suspended', suspendedFrom: t.state },
        { reason: cmd.reason, from: t.state },
      );
    case 'resume':
      return accept(
        'ticket.resumed',
        'internal',
        { state: t.suspendedFrom ?? 'triaged', suspendedFrom: null },
        { to: t.suspendedFrom },
      );
    case 'transfer': {
      if (!cmd.toUserId && !cmd.toTeamId) return refuse('ticket.transfer_target_required');
      return accept(
        'ticket.transferred',
        'internal',
        { assigneeId: cmd.toUserId ?? null, teamId: cmd.toTeamId ?? t.teamId },
        { from: t.assigneeId, to: cmd.toUserId ?? null, team: cmd.toTeamId ?? null, reason: cmd.reason },
      );
    }
    case 'cancel':
      return accept(
        'ticket.cancelled',
        'customer',
        { state: 'cancelled', cancelledAt: now, suspendedFrom: null },
        { reason: cmd.reason },
      );
    case 'reopen': {
      if (
        t.state === 'closed' &&
        t.closedAt &&
        now.getTime() - t.closedAt.getTime() > REOPEN_WINDOW_DAYS * 86_400_000
      ) {
        return refuse('ticket.reopen_window_passed', { days: REOPEN_WINDOW_DAYS });
      }
      return accept(
        'ticket.reopened',
        'customer',
        // A reopened ticket is a repeat (`isRepeat`, `reopenCount`) of its own fix, to be fixed,
        // verified and signed afresh; `repeatOf` keeps naming the earlier ticket it repeated at
        // intake, if any — never the ticket itself.
        {
          state: 'triaged',
          closedAt: null,
          resolvedAt: null,
          reopenCount: t.reopenCount + 1,
          isRepeat: true,
          resolution: null,
          confirmation: null,
          csat: null,
        },
        { reason: cmd.reason, from: t.state },
      );
    }
    case 'comment': {
      // A customer's comment is always for both sides to see; staff choose.
      const visibility = caller.roles.includes('customer') ? 'customer' : cmd.visibility;
      return accept('ticket.commented', visibility, {}, { body: cmd.body });
    }
  }
}

/** Priority changes outside triage (a person's bulk action, a rule): a finished ticket keeps the one it was worked under. */
export const mayReprioritise = (state: TicketState): boolean => !ENDED.includes(state);

/** The actions this caller may try now, for the UI to offer (the server decides again on submit). */
export function allowedActions(t: TicketFacts, caller: Caller): TicketAction[] {
  return (Object.keys(FROM) as TicketAction[]).filter((a) => FROM[a].includes(t.state) && WHO[a](t, caller));
}

/** Verification checklist complete: functional test, stress test, related-parts check. */
export function checklistComplete(resolution: unknown): boolean {
  const c = (resolution as { checklist?: Record<string, boolean> } | null)?.checklist;
  return !!c && c.functionalTest === true && c.stressTest === true && c.relatedPartsCheck === true;
}
