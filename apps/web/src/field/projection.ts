import type { FieldJob } from '@serviceloop/contracts';
import type { QueuedOp } from './outbox';

export type ShownJob = FieldJob & { pendingOps: number; declined: boolean };

/**
 * A job as the engineer should see it now: what the server last said, with the steps still
 * waiting in the outbox played on top (checked in at 9:05, resolved, signed…), so the app behaves
 * the same offline. The server decides again when they sync.
 */
export function project(job: FieldJob, ops: QueuedOp[]): ShownJob {
  const mine = ops.filter((o) => o.visitId === job.visitId && o.state === 'pending');
  const shown: ShownJob = { ...job, ticket: { ...job.ticket }, pendingOps: mine.length, declined: false };
  for (const { command: c, createdAt } of mine) {
    switch (c.action) {
      case 'accept':
        shown.acceptedAt = createdAt;
        break;
      case 'decline':
        shown.declined = true;
        break;
      case 'check_in':
      case 'assist_check_in':
        shown.checkedInAt = c.at ?? createdAt;
        if (c.action === 'check_in') shown.ticket.state = 'on_site';
        break;
      case 'check_out':
      case 'assist_check_out':
        shown.checkedOutAt = c.at ?? createdAt;
        break;
      case 'resolve':
        shown.ticket.state = 'resolved';
        shown.ticket.resolution = c;
        break;
      case 'confirm':
        shown.ticket.confirmed = true;
        shown.ticket.state = 'closed';
        break;
      default:
        break;
    }
  }
  return shown;
}
