import type { Platform } from '../../platform/index';
import { ticketsPricedByCatalogueEvent } from '../parts/index';
import type { ChangeFeed } from './change-feed';
import { backfillFacts, refreshFacts } from './facts';

/** Every event the analytics module reacts to, registered here and nowhere else. */
export function registerAnalyticsReactions(platform: Platform, feed: ChangeFeed): void {
  platform.subscribers.register({
    name: 'analytics.ticket-facts',
    // survey.answered carries the ticket's id: its CSAT and NPS are facts of the ticket. So do the
    // stock movements for a ticket (consumption, issue, a requisition's), which change its parts cost.
    types: [
      'ticket.*',
      'survey.answered',
      'part.consumed',
      'part.issued',
      'requisition.issued',
      'requisition.consumed',
    ],
    handle: (event, tx) => refreshFacts(tx, [event.entityId], platform.clock.now()),
    // A burst of ticket events becomes one refresh statement.
    handleBatch: (events, tx) => refreshFacts(tx, [...new Set(events.map((e) => e.entityId))], platform.clock.now()),
    afterCommit: () => feed.notify(),
  });
  // Parts a resolution lists beyond the ledger cost what the catalogue says today: a part added,
  // repriced, renamed or removed changes the parts cost of the tickets that list its SKU.
  platform.subscribers.register({
    name: 'analytics.parts-catalogue',
    types: ['part.created', 'part.updated', 'part.deleted'],
    handle: async (event, tx) => refreshFacts(tx, await ticketsPricedByCatalogueEvent(tx, event), platform.clock.now()),
    afterCommit: () => feed.notify(),
  });
  // An import writes its history in bulk, past the subscriber above: its one `import.committed`
  // event brings the facts of the tickets it wrote, once it has committed — delivered at least once
  // like any event, and harmless twice (only tickets without facts are added).
  platform.subscribers.register({
    name: 'analytics.imported-facts',
    types: ['import.committed'],
    handle: async (event, tx) => {
      const { entity, firstId, lastId } = event.data as { entity: string; firstId?: string; lastId?: string };
      if (entity === 'ticket' && firstId && lastId)
        await backfillFacts(tx, platform.clock.now(), { from: firstId, to: lastId });
    },
    afterCommit: () => feed.notify(),
  });
}
