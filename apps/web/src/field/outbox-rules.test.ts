import { type FieldJob, type OpResult, SyncRequest } from '@serviceloop/contracts';
import { describe, expect, it } from 'vitest';
import type { QueuedOp } from './outbox';
import { refused, retried, settle, wire } from './outbox-rules';
import { project } from './projection';

const VISIT = '11111111-1111-4111-8111-111111111111';
const OTHER_VISIT = '22222222-2222-4222-8222-222222222222';
const TICKET = '33333333-3333-4333-8333-333333333333';
let next = 0;
const id = () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;

function op(command: QueuedOp['command'], over: Partial<QueuedOp> = {}): QueuedOp {
  return {
    opId: id(),
    ticketId: TICKET,
    baseVersion: 3,
    createdAt: '2026-03-04T09:05:00.000+08:00',
    command,
    visitId: VISIT,
    ticketNumber: 'T-2026-0001',
    state: 'pending',
    ...over,
  };
}
const answer = (o: QueuedOp, status: OpResult['status']): OpResult => ({
  opId: o.opId,
  status,
  replayed: false,
  ticketVersion: 4,
  code: status === 'conflict' ? 'ticket.version_conflict' : null,
  message: status === 'conflict' ? '工单已被他人修改' : null,
  happened: [],
  detail: {},
});

describe('field outbox rules', () => {
  it('puts on the wire exactly what the sync contract takes, nothing the phone keeps for itself', () => {
    const queued = op({ action: 'check_in', visitId: VISIT }, { state: 'conflict' });
    const body = { ops: [wire(queued)] };
    expect(SyncRequest.parse(body)).toEqual(body);
    expect(Object.keys(wire(queued)).sort()).toEqual(['baseVersion', 'command', 'createdAt', 'opId', 'ticketId']);
  });

  it('drops applied operations, keeps refused ones as conflicts with the reason, leaves later ones alone', () => {
    const applied = op({ action: 'accept', visitId: VISIT });
    const moved = op({ action: 'check_in', visitId: VISIT });
    const queuedMeanwhile = op({ action: 'check_out', visitId: VISIT });
    const after = settle([applied, moved, queuedMeanwhile], [answer(applied, 'applied'), answer(moved, 'conflict')]);
    expect(after.map((o) => o.opId)).toEqual([moved.opId, queuedMeanwhile.opId]);
    expect(after[0]).toMatchObject({ state: 'conflict', result: { code: 'ticket.version_conflict' } });
    expect(after[1]).toBe(queuedMeanwhile);
  });

  it('turns a malformed operation into a conflict the engineer can read', () => {
    const bad = op({ action: 'comment', body: '' } as QueuedOp['command']);
    const result = refused(bad, { code: 'validation_failed', message: '内容不能为空' });
    expect(result).toMatchObject({
      opId: bad.opId,
      status: 'conflict',
      code: 'validation_failed',
      ticketVersion: null,
    });
    expect(settle([bad], [result])[0]!.state).toBe('conflict');
  });

  it('sends a conflict again under a new id, on the version the ticket has now', () => {
    const conflicted = { ...op({ action: 'check_in', visitId: VISIT }), state: 'conflict' as const };
    conflicted.result = answer(conflicted, 'conflict');
    const fresh = retried(conflicted, 'ffffffff-ffff-4fff-8fff-ffffffffffff', 7);
    expect(fresh).toMatchObject({ opId: 'ffffffff-ffff-4fff-8fff-ffffffffffff', baseVersion: 7, state: 'pending' });
    expect(fresh.result).toBeUndefined();
    expect(fresh.command).toEqual(conflicted.command);
    expect(conflicted.state).toBe('conflict');
  });
});

describe('a job as the engineer sees it offline', () => {
  const job = {
    visitId: VISIT,
    acceptedAt: null,
    checkedInAt: null,
    checkedOutAt: null,
    ticket: { id: TICKET, number: 'T-2026-0001', version: 3, state: 'assigned', confirmed: false, resolution: null },
  } as unknown as FieldJob;

  it('plays its own pending steps on top of the server’s copy and counts them', () => {
    const shown = project(job, [
      op({ action: 'accept', visitId: VISIT }, { createdAt: '2026-03-04T09:00:00.000+08:00' }),
      op({ action: 'check_in', visitId: VISIT, at: '2026-03-04T09:05:00.000+08:00' }),
      op({ action: 'check_in', visitId: OTHER_VISIT }, { visitId: OTHER_VISIT }),
      op({ action: 'check_out', visitId: VISIT }, { state: 'conflict' }),
    ]);
    expect(shown).toMatchObject({
      acceptedAt: '2026-03-04T09:00:00.000+08:00',
      checkedInAt: '2026-03-04T09:05:00.000+08:00',
      checkedOutAt: null,
      pendingOps: 2,
      declined: false,
      ticket: { state: 'on_site' },
    });
    expect(job.ticket.state).toBe('assigned');
  });

  it('a helper’s check-in does not move the ticket; confirming closes it', () => {
    expect(project(job, [op({ action: 'assist_check_in', visitId: VISIT })]).ticket.state).toBe('assigned');
    expect(project(job, [op({ action: 'confirm' } as QueuedOp['command'])]).ticket).toMatchObject({
      state: 'closed',
      confirmed: true,
    });
    expect(project(job, [op({ action: 'decline', reason: '不在区域' } as QueuedOp['command'])]).declined).toBe(true);
  });
});
