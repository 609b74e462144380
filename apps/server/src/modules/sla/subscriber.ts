import type { Priority } from '@serviceloop/contracts';
import type { Reaction, StoredEvent, Tx } from '../../platform/index';
import type { SlaClocks } from './clocks';

/** When an event's changes set the ticket's first response, the response target is met then. */
function firstResponse(event: StoredEvent): Date | null {
  const change = event.changes.firstRespondedAt as { to?: unknown } | undefined;
  return change?.to ? new Date(String(change.to)) : null;
}

/**
 * Reacts to the ticket lifecycle. Times come from the event, not from when it is delivered, so a
 * delivery delayed by a restart still pauses and meets clocks at the right moment.
 */
export function clockReaction(clocks: SlaClocks): Reaction {
  return {
    async handle(event: StoredEvent, tx: Tx) {
      const ticketId = event.entityId;
      const at = event.occurredAt;
      switch (event.type) {
        case 'ticket.triaged':
          await clocks.start(tx, ticketId, event.data.priority as Priority);
          break;
        case 'ticket.suspended':
          await clocks.pause(tx, ticketId, at);
          break;
        case 'ticket.resumed':
          await clocks.resume(tx, ticketId, at);
          break;
        case 'ticket.resolved':
          await clocks.meet(tx, ticketId, 'resolution', at);
          break;
        case 'ticket.reopened':
          await clocks.reopen(tx, ticketId, at);
          break;
        case 'ticket.cancelled':
          await clocks.stop(tx, ticketId, at);
          break;
        case 'ticket.updated':
          if (event.changes.priority) await clocks.replan(tx, ticketId);
          break;
      }
      const responded = firstResponse(event);
      if (responded) await clocks.meet(tx, ticketId, 'response', responded);
    },
  };
}
