import { type Role, TicketCommand, type TicketState } from '@serviceloop/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedActions, type Caller, checklistComplete, decide, OPEN_STATES, type TicketFacts } from './lifecycle';

const ENGINEER = 'e0000000-0000-7000-8000-000000000001';
const OTHER_ENGINEER = 'e0000000-0000-7000-8000-000000000002';
const CUSTOMER_ORG = 'c0000000-0000-7000-8000-000000000001';
const SIGNATURE = 'data:image/png;base64,iVBORw0KGgo=';

const callers: Record<string, Caller> = {
  agent: { userId: 'a0000000-0000-7000-8000-000000000001', roles: ['agent'], customerId: null },
  manager: { userId: 'a0000000-0000-7000-8000-000000000002', roles: ['manager'], customerId: null },
  engineer: { userId: ENGINEER, roles: ['engineer'], customerId: null },
  otherEngineer: { userId: OTHER_ENGINEER, roles: ['engineer'], customerId: null },
  customer: { userId: 'a0000000-0000-7000-8000-000000000003', roles: ['customer'], customerId: CUSTOMER_ORG },
  foreignCustomer: {
    userId: 'a0000000-0000-7000-8000-000000000004',
    roles: ['customer' as Role],
    customerId: 'c0000000-0000-7000-8000-000000000009',
  },
  quality: { userId: 'a0000000-0000-7000-8000-000000000005', roles: ['quality'], customerId: null },
};

const fresh = (): TicketFacts => ({
  state: 'new',
  suspendedFrom: null,
  priority: null,
  assigneeId: null,
  teamId: null,
  customerId: CUSTOMER_ORG,
  checklistComplete: false,
  confirmed: false,
  closedAt: null,
  reopenCount: 0,
  visits: [],
});

let ids = 0;
const ctx = (now = new Date('2026-03-02T10:00:00+08:00')) => ({
  now,
  newId: () => `0f000000-0000-7000-8000-${String(++ids).padStart(12, '0')}`,
});

/** Applies a decision the way the service does, so sequences can be explored without a database. */
function apply(
  t: TicketFacts,
  cmd: TicketCommand,
  caller: Caller,
  now: Date,
): { t: TicketFacts; ok: boolean; events: number } {
  const d = decide(t, cmd, caller, ctx(now));
  if (!d.ok) return { t, ok: false, events: 0 };
  const next: TicketFacts = { ...t, visits: t.visits.map((v) => ({ ...v })) };
  for (const [k, v] of Object.entries(d.patch))
    if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
  if (d.patch.resolution) next.checklistComplete = checklistComplete(d.patch.resolution);
  if (d.patch.confirmation) next.confirmed = true;
  if (d.patch.state === 'triaged' && cmd.action === 'reopen') {
    next.checklistComplete = false;
    next.confirmed = false;
  }
  if (d.visit?.kind === 'create')
    next.visits.push({
      id: d.visit.visit.id,
      engineerId: d.visit.visit.engineerId,
      checkedInAt: null,
      checkedOutAt: null,
    });
  const change = d.visit;
  if (change?.kind === 'check_in') next.visits.find((v) => v.id === change.visitId)!.checkedInAt = now;
  if (change?.kind === 'check_out') next.visits.find((v) => v.id === change.visitId)!.checkedOutAt = now;
  if (change?.kind === 'accept') next.visits.find((v) => v.id === change.visitId)!.acceptedAt = now;
  if (change?.kind === 'decline') next.visits.find((v) => v.id === change.visitId)!.declinedAt = now;
  return { t: next, ok: true, events: 1 };
}

const commandFor = (t: TicketFacts, action: string, variant: number): TicketCommand => {
  const visit = t.visits[t.visits.length - 1]?.id ?? '0f000000-0000-7000-8000-000000000000';
  const all: Record<string, unknown> = {
    triage: { priority: (['P0', 'P1', 'P2', 'P3'] as const)[variant % 4] },
    start_remote: {},
    record_remote: { note: '远程指导重启控制器' },
    dispatch: {
      engineerId: variant % 3 === 0 ? OTHER_ENGINEER : ENGINEER,
      plannedStart: '2026-03-02T13:00:00+08:00',
      plannedEnd: '2026-03-02T15:00:00+08:00',
    },
    accept: { visitId: visit },
    decline: { visitId: visit, reason: '车辆故障，无法前往' },
    check_in: { visitId: visit },
    check_out: { visitId: visit },
    resolve: {
      rootCause: '门机控制板烧毁',
      actionsTaken: '更换门机控制板并调试',
      labourMinutes: 90,
      checklist: { functionalTest: true, stressTest: variant % 2 === 0, relatedPartsCheck: true },
    },
    request_confirmation: {},
    confirm: { signature: SIGNATURE, csat: 1 + (variant % 5) },
    close: { overrideReason: variant % 2 ? '客户电话确认已修复' : null },
    suspend: { reason: '等待备件到货' },
    resume: {},
    transfer: { toUserId: variant % 2 ? ENGINEER : OTHER_ENGINEER, reason: '区域调整' },
    cancel: { reason: '客户撤回报修' },
    reopen: { reason: '故障复发' },
    comment: { body: '已电话联系客户', visibility: variant % 2 ? 'customer' : 'internal' },
  };
  return TicketCommand.parse({ action, version: 1, ...(all[action] as object) });
};

const ACTIONS = TicketCommand.options.map((o) => o.shape.action.value);

describe('ticket lifecycle (property-based)', () => {
  it('random command sequences from random callers never reach an illegal state, and each accepted command yields one event', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(...ACTIONS), fc.constantFrom(...Object.keys(callers)), fc.nat(20), fc.nat(40)),
          { maxLength: 40 },
        ),
        (steps) => {
          let t = fresh();
          let now = new Date('2026-03-02T10:00:00+08:00');
          for (const [action, who, variant, days] of steps) {
            now = new Date(now.getTime() + (days % 5) * 86_400_000);
            const caller = callers[who]!;
            const before = t;
            const offered = allowedActions(t, caller).includes(action as never);
            const result = apply(t, commandFor(t, action, variant), caller, now);
            expect(result.events).toBe(result.ok ? 1 : 0);
            // What the UI offers is a superset of what is accepted (data checks may still refuse).
            if (result.ok) expect(offered).toBe(true);
            t = result.t;
            // Invariants.
            expect([...OPEN_STATES, 'closed', 'cancelled']).toContain(t.state);
            if (t.state === 'suspended') expect(t.suspendedFrom).not.toBeNull();
            if (t.state !== 'new' && t.state !== 'cancelled' && !(before.state === 'new' && t.state === 'suspended')) {
              if (t.state !== 'suspended' || t.suspendedFrom !== 'new') expect(t.priority).not.toBeNull();
            }
            if (t.state === 'on_site') expect(t.visits.some((v) => v.checkedInAt)).toBe(true);
            if (result.ok && t.state === 'closed' && before.state !== 'closed') {
              const override = !(before.checklistComplete && (before.confirmed || action === 'confirm'));
              if (override) expect(caller.roles.some((r) => r === 'manager' || r === 'admin')).toBe(true);
            }
            if (before.state === 'cancelled' || before.state === 'closed') {
              expect(result.ok ? ['comment', 'reopen'] : ACTIONS).toContain(action);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('suspended tickets accept only resume, cancel, transfer and comments, and resume where they were', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TicketState>('new', 'triaged', 'remote_support', 'dispatched', 'on_site', 'resolved'),
        fc.constantFrom(...ACTIONS),
        (from, action) => {
          const t: TicketFacts = {
            ...fresh(),
            state: 'suspended',
            suspendedFrom: from,
            assigneeId: ENGINEER,
            priority: 'P2',
          };
          const d = decide(t, commandFor(t, action, 1), callers.manager!, ctx());
          expect(d.ok).toBe(['resume', 'cancel', 'transfer', 'comment'].includes(action));
          if (d.ok && action === 'resume') expect(d.patch.state).toBe(from);
        },
      ),
    );
  });
});

describe('ticket lifecycle (examples)', () => {
  it('walks the five steps from report to a confirmed close', () => {
    let t = fresh();
    const now = new Date('2026-03-02T10:00:00+08:00');
    const step = (action: string, who: keyof typeof callers, extra: Record<string, unknown> = {}) => {
      const cmd = TicketCommand.parse({ ...commandFor(t, action, 0), ...extra });
      const r = apply(t, cmd, callers[who]!, now);
      expect(r.ok, `${who} ${action} from ${t.state}`).toBe(true);
      t = r.t;
    };
    step('triage', 'agent', { priority: 'P1' });
    step('start_remote', 'agent');
    step('dispatch', 'agent', { engineerId: ENGINEER });
    expect(decide(t, commandFor(t, 'check_in', 0), callers.otherEngineer!, ctx()).ok).toBe(false);
    step('check_in', 'engineer');
    expect(t.state).toBe('on_site');
    expect(decide(t, commandFor(t, 'resolve', 0), callers.engineer!, ctx())).toMatchObject({
      ok: false,
      code: 'ticket.visit_open',
    });
    step('check_out', 'engineer');
    step('resolve', 'engineer');
    expect(t.checklistComplete).toBe(true);
    step('request_confirmation', 'engineer');
    expect(decide(t, commandFor(t, 'confirm', 4), callers.foreignCustomer!, ctx()).ok).toBe(false);
    step('confirm', 'customer', { csat: 5 });
    expect(t.state).toBe('closed');
  });

  it('needs a manager and a reason to close without verification and confirmation', () => {
    const t: TicketFacts = { ...fresh(), state: 'resolved', priority: 'P2', checklistComplete: false };
    expect(
      decide(t, { action: 'close', version: 1, overrideReason: '客户电话确认' }, callers.agent!, ctx()),
    ).toMatchObject({ ok: false, code: 'ticket.close_needs_override' });
    expect(decide(t, { action: 'close', version: 1, overrideReason: null }, callers.manager!, ctx())).toMatchObject({
      ok: false,
      code: 'ticket.override_reason_required',
    });
    const closed = decide(t, { action: 'close', version: 1, overrideReason: '客户电话确认' }, callers.manager!, ctx());
    expect(closed).toMatchObject({ ok: true, event: { type: 'ticket.closed', data: { override: true } } });
  });

  it('reopens within 30 days of closing as a repeat, and not after', () => {
    const closedAt = new Date('2026-03-01T00:00:00Z');
    const t: TicketFacts = { ...fresh(), state: 'closed', priority: 'P2', closedAt };
    const within = decide(
      t,
      { action: 'reopen', version: 1, reason: '故障复发' },
      callers.customer!,
      ctx(new Date('2026-03-30T00:00:00Z')),
    );
    expect(within).toMatchObject({ ok: true, patch: { state: 'triaged', isRepeat: true, reopenCount: 1 } });
    const after = decide(
      t,
      { action: 'reopen', version: 1, reason: '故障复发' },
      callers.customer!,
      ctx(new Date('2026-04-01T00:00:00Z')),
    );
    expect(after).toMatchObject({ ok: false, code: 'ticket.reopen_window_passed' });
  });

  it('shows customers the parcel-style milestones and keeps internal notes internal', () => {
    const t: TicketFacts = { ...fresh(), state: 'remote_support', priority: 'P2' };
    const note = decide(t, { action: 'record_remote', version: 1, note: '怀疑主板批次问题' }, callers.agent!, ctx());
    expect(note).toMatchObject({ ok: true, event: { visibility: 'internal' } });
    const customerComment = decide(
      t,
      { action: 'comment', version: 1, body: '请尽快', visibility: 'internal' },
      callers.customer!,
      ctx(),
    );
    expect(customerComment).toMatchObject({ ok: true, event: { visibility: 'customer' } });
    expect(allowedActions(t, callers.quality!)).toEqual(['comment']);
  });
});

describe('answering a visit on the phone', () => {
  const dispatched = (): TicketFacts => ({
    ...fresh(),
    state: 'dispatched',
    assigneeId: ENGINEER,
    visits: [
      { id: '0f000000-0000-7000-8000-00000000aaaa', engineerId: ENGINEER, checkedInAt: null, checkedOutAt: null },
    ],
  });
  const visitId = '0f000000-0000-7000-8000-00000000aaaa';

  it('only the visit’s engineer accepts or declines; declining sends the ticket back with nobody assigned', () => {
    const other = decide(
      dispatched(),
      TicketCommand.parse({ action: 'accept', version: 1, visitId }),
      callers.otherEngineer!,
      ctx(),
    );
    expect(other).toMatchObject({ ok: false, code: 'ticket.not_allowed' });
    const byAgent = decide(
      dispatched(),
      TicketCommand.parse({ action: 'accept', version: 1, visitId }),
      callers.agent!,
      ctx(),
    );
    expect(byAgent).toMatchObject({ ok: false, code: 'ticket.not_allowed' });
    const declined = decide(
      dispatched(),
      TicketCommand.parse({ action: 'decline', version: 1, visitId, reason: '车辆故障' }),
      callers.engineer!,
      ctx(),
    );
    expect(declined).toMatchObject({
      ok: true,
      patch: { state: 'triaged', assigneeId: null },
      visit: { kind: 'decline' },
    });
    const t = dispatched();
    t.visits[0]!.declinedAt = new Date();
    const checkIn = decide(
      t,
      TicketCommand.parse({ action: 'check_in', version: 1, visitId }),
      callers.engineer!,
      ctx(),
    );
    expect(checkIn).toMatchObject({ ok: false, code: 'ticket.visit_not_pending' });
  });

  it('a check-in keeps the phone’s time, but never one after the server’s now', () => {
    const now = new Date('2026-03-02T10:00:00+08:00');
    const at = (time: string) => {
      const d = decide(
        dispatched(),
        TicketCommand.parse({ action: 'check_in', version: 1, visitId, at: time }),
        callers.engineer!,
        ctx(now),
      );
      return d.ok && d.visit?.kind === 'check_in' ? d.visit.at.toISOString() : null;
    };
    expect(at('2026-03-02T09:05:00+08:00')).toBe('2026-03-02T01:05:00.000Z');
    expect(at('2026-03-02T11:00:00+08:00')).toBe(now.toISOString());
  });
});
