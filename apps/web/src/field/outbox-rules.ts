import type { OpResult } from '@serviceloop/contracts';
import type { QueuedOp } from './outbox';

/**
 * What the outbox decides without IndexedDB or the network: what goes on the wire, what stays
 * queued after the server answers, how a refused or retried operation looks. outbox.ts does the
 * storing and sending around these.
 */

/** An operation as `/field/sync` takes it: the job it was shown on and its state stay on the phone. */
export const wire = ({ opId, ticketId, baseVersion, createdAt, command }: QueuedOp) => ({
  opId,
  ticketId,
  baseVersion,
  createdAt,
  command,
});

/**
 * The queue after the server's answers: applied operations leave it (a replay of one already
 * applied is applied too), every other answered one stays as a conflict with the server's reason,
 * and anything not in this batch (queued while it was on the wire) is left as it was.
 */
export function settle(ops: QueuedOp[], results: OpResult[]): QueuedOp[] {
  const byId = new Map(results.map((r) => [r.opId, r]));
  return ops
    .filter((o) => byId.get(o.opId)?.status !== 'applied')
    .map((o) => {
      const r = byId.get(o.opId);
      return r ? { ...o, state: 'conflict' as const, result: r } : o;
    });
}

/** The server refused an operation as malformed: a conflict the engineer sees, never a blocked queue. */
export function refused(op: QueuedOp, error: { code: string; message: string }): OpResult {
  return {
    opId: op.opId,
    status: 'conflict',
    replayed: false,
    ticketVersion: null,
    code: error.code,
    message: error.message,
    happened: [],
    detail: {},
  };
}

/**
 * A conflicted operation sent again: a new id (the server already answered the old one and would
 * replay that answer) on the ticket's version now, pending once more.
 */
export function retried(old: QueuedOp, opId: string, version: number): QueuedOp {
  return { ...old, opId, baseVersion: version, state: 'pending', result: undefined };
}
