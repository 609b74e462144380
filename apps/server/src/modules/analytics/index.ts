/**
 * analytics — service KPIs, the fault statistics table, Pareto drill-downs and the live
 * dashboard feed. Reads one fact row per ticket (`ticket_facts`), which a batched event
 * subscriber keeps current as tickets change and which startup backfills for tickets written in
 * bulk. KPI definitions: docs/kpis.md.
 */
import { sql } from 'drizzle-orm';
import { rows } from '../../platform/db/client';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { Access } from '../identity/index';
import { ChangeFeed } from './change-feed';
import { backfillFacts } from './facts';
import { registerAnalyticsReactions } from './reactions';
import { analyticsRoutes } from './routes';
import { DEFAULT_SPIKE_OPTIONS, detectSpikes } from './spikes';

const SPIKE_QUEUE = 'analytics.spikes';

registerMessages({
  'entity.report': { 'zh-CN': '报表', 'en-US': 'Report' },
  'entity.dashboard': { 'zh-CN': '仪表盘', 'en-US': 'Dashboard' },
  'analytics.utilisation_period': {
    'zh-CN': '统计期须晚于开始时间，且不超过 92 天',
    'en-US': 'The period must end after it starts and span at most 92 days',
  },
  'validation.analytics.no_period': {
    'zh-CN': '此统计不按起止时间筛选（故障统计按年份，异常激增固定为最近 7 天）',
    'en-US': 'This figure takes no period (fault statistics take a year; spikes are always the last 7 days)',
  },
  'analytics.dimensions_overlap': {
    'zh-CN': '请选择两个不同的维度（故障类别与故障子类不能同时选）',
    'en-US': 'Choose two different dimensions (not fault category together with fault sub-type)',
  },
});

export { digestSlot, nextDigestSlot, renderDigest, weeklyDigest } from './digest';
export { backfillFacts, rebuildFacts, refreshFacts } from './facts';
export { analyticsScope } from './scope';

export interface AnalyticsModule {
  http: HttpModule;
  feed: ChangeFeed;
  /** Facts for tickets that have none (first start after an upgrade, bulk-written history). */
  startup(): Promise<void>;
}

export function createAnalyticsModule(platform: Platform, access: Access): AnalyticsModule {
  const feed = new ChangeFeed(platform.bus);
  registerAnalyticsReactions(platform, feed);
  // Once a day: models, batches and regions whose tickets rise significantly above their own
  // baseline raise `analytics.spike_detected` (for notifications and quality follow-up), once per window.
  platform.jobs.handle(SPIKE_QUEUE, async (_job, tx) => {
    const now = platform.clock.now();
    for (const spike of await detectSpikes(tx, now)) {
      const entityId = `${spike.dimension}:${spike.key}`;
      const since = new Date(now.getTime() - DEFAULT_SPIKE_OPTIONS.windowDays * 86_400_000).toISOString();
      const [raised] = await rows(
        tx,
        sql`select 1 from events where type = 'analytics.spike_detected' and entity_type = 'analytics'
              and entity_id = ${entityId} and occurred_at >= ${since}::timestamptz limit 1`,
      );
      if (raised) continue;
      await platform.events.append(tx, {
        type: 'analytics.spike_detected',
        entityType: 'analytics',
        entityId,
        actor: { kind: 'system', id: null },
        data: { ...spike },
      });
    }
  });
  return {
    feed,
    http: { name: 'analytics', routes: analyticsRoutes(platform, access, feed) },
    startup: async () => {
      await backfillFacts(platform.db, platform.clock.now());
      await platform.jobs.schedule('analytics-spikes-daily', SPIKE_QUEUE, 86_400_000);
    },
  };
}
