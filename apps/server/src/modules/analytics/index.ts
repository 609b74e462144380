/**
 * analytics — service KPIs, the fault statistics table, Pareto drill-downs and the live
 * dashboard feed. Reads one fact row per ticket (`ticket_facts`), which a batched event
 * subscriber keeps current as tickets change and which startup backfills for tickets written in
 * bulk. KPI definitions: docs/kpis.md.
 */
import type { HttpModule } from '../../platform/http/app';
import type { Platform } from '../../platform/index';
import type { Access } from '../identity/index';
import { ChangeFeed } from './change-feed';
import { backfillFacts, refreshFacts } from './facts';
import { analyticsRoutes } from './routes';

export { backfillFacts, rebuildFacts, refreshFacts } from './facts';

export interface AnalyticsModule {
  http: HttpModule;
  feed: ChangeFeed;
  /** Facts for tickets that have none (first start after an upgrade, bulk-written history). */
  startup(): Promise<void>;
}

export function createAnalyticsModule(platform: Platform, access: Access): AnalyticsModule {
  const feed = new ChangeFeed();
  platform.subscribers.register({
    name: 'analytics.ticket-facts',
    types: ['ticket.*'],
    handle: (event, tx) => refreshFacts(tx, [event.entityId], platform.clock.now()),
    // A burst of ticket events becomes one refresh statement.
    handleBatch: (events, tx) => refreshFacts(tx, [...new Set(events.map((e) => e.entityId))], platform.clock.now()),
    afterCommit: () => feed.notify(),
  });
  return {
    feed,
    http: { name: 'analytics', routes: analyticsRoutes(platform, access, feed) },
    startup: async () => {
      await backfillFacts(platform.db, platform.clock.now());
    },
  };
}
