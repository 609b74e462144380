import { EVENT_CATALOGUE, type Priority, type TicketCommand } from '@serviceloop/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Caller, decide, dueTimes, mayReprioritise, PRIORITY_TARGETS, type TicketFacts } from './lifecycle';

/**
 * The rules that used to live half in the service: triage's due times, what a reopen clears, the
 * close a confirmation means, and the priority a finished ticket keeps — all decided here, pure.
 */
const agent: Caller = { userId: 'a0000000-0000-7000-8000-000000000001', roles: ['agent'], customerId: null };
const ORG = 'c0000000-0000-7000-8000-000000000001';
const customer: Caller = { userId: 'a0000000-0000-7000-8000-000000000003', roles: ['customer'], customerId: ORG };
const now = new Date('2026-03-02T10:00:00+08:00');
const ctx = { now, newId: () => '0f000000-0000-7000-8000-000000000001' };

const facts = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  state: 'new',
  suspendedFrom: null,
  priority: null,
  assigneeId: null,
  teamId: null,
  customerId: ORG,
  checklistComplete: false,
  confirmed: false,
  closedAt: null,
  reopenCount: 0,
  visits: [],
  ...over,
});
type Command = TicketCommand extends infer C ? (C extends unknown ? Omit<C, 'version'> : never) : never;
const accepted = (t: TicketFacts, cmd: Command, who: Caller = agent) => {
  const d = decide(t, { ...cmd, version: 1 } as TicketCommand, who, ctx);
  if (!d.ok) throw new Error(`refused: ${d.code}`);
  return d;
};

describe('lifecycle rules', () => {
  it('sets the due times at triage from the report, by the priority’s targets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Priority>('P0', 'P1', 'P2', 'P3'),
        fc.integer({ min: 0, max: 30 * 24 * 60 }),
        (priority, minutesAgo) => {
          const reportedAt = new Date(now.getTime() - minutesAgo * 60_000);
          const { patch } = accepted(facts({ reportedAt }), { action: 'triage', priority });
          const target = PRIORITY_TARGETS[priority];
          expect(patch.responseDueAt!.getTime() - reportedAt.getTime()).toBe(target.responseMinutes * 60_000);
          expect(patch.resolutionDueAt!.getTime() - reportedAt.getTime()).toBe(target.resolutionMinutes * 60_000);
          expect(patch.resolutionDueAt!.getTime()).toBeGreaterThan(patch.responseDueAt!.getTime());
        },
      ),
    );
    expect(dueTimes('P0', now)).toEqual({
      responseDueAt: new Date('2026-03-02T02:30:00Z'),
      resolutionDueAt: new Date('2026-03-02T06:00:00Z'),
    });
  });

  it('clears the fix, the signature and its score when a ticket is reopened', () => {
    const closed = facts({ state: 'closed', closedAt: new Date(now.getTime() - 86_400_000), reopenCount: 1 });
    const { patch, event } = accepted(closed, { action: 'reopen', reason: '又坏了' }, customer);
    expect(patch).toMatchObject({
      state: 'triaged',
      resolution: null,
      confirmation: null,
      csat: null,
      closedAt: null,
      resolvedAt: null,
      reopenCount: 2,
      isRepeat: true,
    });
    expect(event).toEqual({
      type: 'ticket.reopened',
      visibility: 'customer',
      data: { reason: '又坏了', from: 'closed' },
    });
  });

  it('follows a confirmation that closes the ticket with ticket.closed, and only then', () => {
    const signed = { action: 'confirm', signature: 'data:image/png;base64,iVBORw0KGgo=', csat: 4 } as const;
    const waiting = facts({ state: 'awaiting_confirmation' });
    const open = accepted(waiting, signed, customer);
    expect(open.event.type).toBe('ticket.confirmed');
    expect(open.followUp).toBeUndefined();
    const closing = accepted({ ...waiting, checklistComplete: true }, signed, customer);
    expect(closing.patch.state).toBe('closed');
    expect(closing.event).toMatchObject({ type: 'ticket.confirmed', data: { closed: true } });
    expect(closing.followUp).toEqual({
      type: 'ticket.closed',
      visibility: 'customer',
      data: { via: 'confirmation', override: false, overrideReason: null },
    });
    // Both payloads are what the catalogue declares.
    for (const e of [closing.event, closing.followUp!])
      expect(EVENT_CATALOGUE[e.type].payload.safeParse(e.data).success, e.type).toBe(true);
  });

  it('keeps the priority of a finished ticket', () => {
    expect(mayReprioritise('triaged')).toBe(true);
    expect(mayReprioritise('suspended')).toBe(true);
    expect(mayReprioritise('closed')).toBe(false);
    expect(mayReprioritise('cancelled')).toBe(false);
  });
});
