import type { MovementKind, Role } from '@serviceloop/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, available, EMPTY, effect, type Quantities, reorderTransition, sum } from './ledger';
import { allowedActions, decide, type RequisitionFacts } from './requisition-flow';

const KINDS: MovementKind[] = [
  'receipt',
  'issue',
  'transfer_out',
  'transfer_in',
  'consumption',
  'return_defective',
  'adjustment',
  'reservation',
  'release',
];

const movement = fc.record({
  kind: fc.constantFrom(...KINDS),
  quantity: fc.integer({ min: 1, max: 30 }),
  negative: fc.boolean(),
});

describe('the ledger arithmetic', () => {
  it('never lets available, on hand, reserved or defective go below zero, and the balance is the sum of what was accepted', () => {
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 200 }), (moves) => {
        let balance: Quantities = EMPTY;
        const accepted: Quantities[] = [];
        for (const m of moves) {
          const quantity = m.kind === 'adjustment' && m.negative ? -m.quantity : m.quantity;
          const delta = effect(m.kind, quantity);
          const result = apply(balance, delta);
          if (result.ok) {
            balance = result.after;
            accepted.push(delta);
          } else {
            // A refusal reports what was available, and changes nothing.
            expect(result.available).toBe(available(balance));
          }
          expect(available(balance)).toBeGreaterThanOrEqual(0);
          expect(balance.reserved).toBeGreaterThanOrEqual(0);
          expect(balance.defective).toBeGreaterThanOrEqual(0);
        }
        expect(sum(accepted)).toEqual(balance);
      }),
    );
  });

  it('refuses taking out reserved units: they are promised', () => {
    const held = { onHand: 5, reserved: 4, defective: 0 };
    expect(apply(held, effect('issue', 2))).toEqual({ ok: false, available: 1 });
    expect(apply(held, effect('reservation', 2))).toEqual({ ok: false, available: 1 });
    expect(apply(held, effect('issue', 1))).toEqual({ ok: true, after: { onHand: 4, reserved: 4, defective: 0 } });
    // Defective returns are counted apart: they never become available.
    expect(apply(held, effect('return_defective', 3))).toEqual({
      ok: true,
      after: { onHand: 5, reserved: 4, defective: 3 },
    });
  });

  it('takes a signed quantity only for adjustments', () => {
    expect(effect('adjustment', -3)).toEqual({ onHand: -3, reserved: 0, defective: 0 });
    expect(() => effect('receipt', -3)).toThrow();
    expect(() => effect('receipt', 0)).toThrow();
  });

  it('raises a reorder alert once per dip below the point and clears it when stock is back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 100 }), (levels) => {
        let open = false;
        let raised = 0;
        for (const level of levels) {
          const t = reorderTransition(level, 20, open);
          if (t === 'raise') raised++;
          if (t) open = t === 'raise';
          expect(open).toBe(level < 20);
        }
        // One raise per run of levels below the point.
        const dips = levels.filter((l, i) => l < 20 && (i === 0 || levels[i - 1]! >= 20)).length;
        expect(raised).toBe(dips);
      }),
    );
    expect(reorderTransition(5, null, true)).toBe('clear');
  });
});

describe('the requisition flow', () => {
  const requester = { userId: 'eng', roles: ['engineer'] as Role[] };
  const keeper = { userId: 'keeper', roles: ['warehouse'] as Role[] };
  const manager = { userId: 'mgr', roles: ['manager'] as Role[] };
  const both = { userId: 'both', roles: ['warehouse', 'manager'] as Role[] };
  const pending = (mode: RequisitionFacts['approvalMode']): RequisitionFacts => ({
    state: 'pending',
    approvalMode: mode,
    approvals: [],
    requestedBy: 'eng',
  });

  it('lets the configured approver approve, and nobody else', () => {
    expect(decide(pending('keeper'), 'approve', keeper)).toEqual({ ok: true, capacity: 'keeper', next: 'approved' });
    expect(decide(pending('keeper'), 'approve', manager)).toMatchObject({
      ok: false,
      code: 'requisition.not_approver',
    });
    expect(decide(pending('manager'), 'approve', manager)).toMatchObject({ ok: true, next: 'approved' });
    expect(decide(pending('manager'), 'approve', keeper)).toMatchObject({ ok: false, status: 403 });
    expect(decide(pending('keeper'), 'approve', requester)).toMatchObject({
      ok: false,
      code: 'requisition.own_request',
    });
  });

  it('with both, needs a keeper and a manager who are two different people', () => {
    const first = decide(pending('both'), 'approve', both);
    expect(first).toEqual({ ok: true, capacity: 'keeper', next: 'pending' });
    const half = { ...pending('both'), approvals: [{ capacity: 'keeper' as const, userId: 'both' }] };
    expect(decide(half, 'approve', both)).toMatchObject({ ok: false, code: 'requisition.already_approved' });
    expect(decide(half, 'approve', keeper)).toMatchObject({ ok: false, code: 'requisition.not_approver' });
    expect(decide(half, 'approve', manager)).toEqual({ ok: true, capacity: 'manager', next: 'approved' });
  });

  it('issues only approved requests, by a keeper; the requester consumes and may cancel until issue', () => {
    const approved = { ...pending('keeper'), state: 'approved' as const };
    expect(decide(pending('keeper'), 'issue', keeper)).toMatchObject({ ok: false, status: 409 });
    expect(decide(approved, 'issue', manager)).toMatchObject({ ok: false, code: 'requisition.not_keeper' });
    expect(decide(approved, 'issue', keeper)).toMatchObject({ ok: true, next: 'issued' });
    expect(allowedActions(approved, requester)).toEqual(['cancel']);
    const issued = { ...approved, state: 'issued' as const };
    expect(allowedActions(issued, requester)).toEqual(['consume']);
    expect(decide(issued, 'cancel', requester)).toMatchObject({ ok: false, status: 409 });
    expect(allowedActions(pending('keeper'), keeper)).toEqual(['approve', 'reject', 'cancel']);
  });
});
