import type { Platform } from '../../platform/index';
import type { SlaClocks } from './clocks';
import { clockReaction } from './subscriber';

/** Every event the sla module reacts to, registered here and nowhere else. */
export function registerSlaReactions(platform: Platform, clocks: SlaClocks): void {
  // Renaming a subscriber orphans its pending deliveries.
  platform.subscribers.register({
    name: 'sla.clocks',
    types: [
      'ticket.triaged',
      'ticket.suspended',
      'ticket.resumed',
      'ticket.resolved',
      'ticket.reopened',
      'ticket.cancelled',
      // Priority changed outside triage (automation's set-priority and escalation).
      'ticket.updated',
    ],
    ...clockReaction(clocks),
  });
}
