import {
  AnalyticsFilter,
  Backlog,
  Dashboard,
  EngineerStats,
  FaultStatistics,
  FaultStatisticsQuery,
  IdParams,
  Kpis,
  Pareto,
  ParetoQuery,
  ReportDefinition,
  type ReportDefinition as ReportDefinitionType,
  ReportResult,
  SaveDashboard,
  SavedReport,
  SaveReport,
  SpikeQuery,
  Trend,
  TrendQuery,
  UpdateDashboard,
  UpdateReport,
  Utilisation,
  UtilisationQuery,
} from '@serviceloop/contracts';
import { and, type SQL } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import { attachment, EXPORT_CONTENT_TYPES } from '../../platform/http/table-export';
import type { Platform } from '../../platform/index';
import { addDays, dayStart, localDate } from '../field/index';
import { type Access, needs } from '../identity/index';
import { cjkFont } from '../portal/index';
import { runReport } from './builder';
import type { ChangeFeed } from './change-feed';
import { renderDashboardPdf } from './dashboard-pdf';
import { reportExport } from './exports';
import { rebuildFacts } from './facts';
import { backlog, dimensionFilter, kpis } from './kpis';
import { faultStatistics, pareto } from './reports';
import type { RollupScope } from './rollup';
import { SavedStore } from './saved';
import { analyticsScope } from './scope';
import { detectSpikes } from './spikes';
import { engineerStats, trend } from './trends';
import { utilisation } from './utilisation';

/** "2026-03-09 08:00" in China time, for what a reader prints. */
const shanghaiMinute = (at: Date) =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** An unsaved report's file name: the day it was taken. */
const exportName = (platform: Platform) => `report-${platform.clock.now().toISOString().slice(0, 10)}`;

export function analyticsRoutes(platform: Platform, access: Access, feed: ChangeFeed) {
  const tags = ['analytics'];
  const reports = new SavedStore(platform, 'saved_reports', 'definition', 'report');
  const dashboards = new SavedStore(platform, 'dashboards', 'layout', 'dashboard');
  const scope = (request: FastifyRequest): SQL => analyticsScope(request.grant!, access.actor(request));

  /** The same reach, as far as the daily rollup can serve it (it has slices by region, not by team or customer). */
  const rollupScope = (request: FastifyRequest): RollupScope => {
    const grant = request.grant!;
    if (grant.scope === 'all') return { kind: 'all' };
    if (grant.scope === 'region') return { kind: 'regions', codes: access.actor(request).regionCodes };
    return { kind: 'other' };
  };

  return (app: HttpApp) => {
    app.get(
      '/analytics/kpis',
      { config: needs('analytics', 'read'), schema: { tags, querystring: AnalyticsFilter, response: { 200: Kpis } } },
      async (request) =>
        kpis(platform.db, request.query, scope(request), rollupScope(request), platform.config.labourRatePerHour),
    );

    app.get(
      '/analytics/backlog',
      {
        config: needs('analytics', 'read'),
        schema: { tags, querystring: AnalyticsFilter, response: { 200: Backlog } },
      },
      async (request) => backlog(platform.db, request.query, scope(request), platform.clock.now()),
    );

    app.get(
      '/analytics/fault-statistics',
      {
        config: needs('analytics', 'read'),
        schema: { tags, querystring: FaultStatisticsQuery, response: { 200: FaultStatistics } },
      },
      async (request) => {
        const { year, ...filter } = request.query;
        return faultStatistics(platform.db, year, scope(request), filter);
      },
    );

    app.get(
      '/analytics/trend',
      { config: needs('analytics', 'read'), schema: { tags, querystring: TrendQuery, response: { 200: Trend } } },
      async (request) => {
        const { measure, interval, ...filter } = request.query;
        return trend(platform.db, measure, interval, filter, scope(request), platform.clock.now());
      },
    );

    app.get(
      '/analytics/engineers',
      {
        config: needs('analytics', 'read'),
        schema: { tags, querystring: AnalyticsFilter, response: { 200: z.array(EngineerStats) } },
      },
      async (request) => engineerStats(platform.db, request.query, scope(request)),
    );

    app.get(
      '/analytics/utilisation',
      {
        config: needs('analytics', 'read'),
        schema: {
          tags,
          description:
            'Engineer utilisation (booked ÷ available hours) and load (visits ÷ job capacity); docs/kpis.md.',
          querystring: UtilisationQuery,
          response: { 200: Utilisation },
        },
      },
      async (request) => {
        const { regionCode, engineerId } = request.query;
        const today = localDate(platform.clock.now());
        const from = request.query.from ? new Date(request.query.from) : dayStart(today);
        const to = request.query.to ? new Date(request.query.to) : dayStart(addDays(today, 1));
        // A quarter at most: the answer is computed day by day for every engineer.
        if (!(to > from) || to.getTime() - from.getTime() > 92 * 86_400_000)
          throw new AppError(400, 'validation.failed', {}, [
            { path: 'querystring.to', code: 'custom', message: 'analytics.utilisation_period' },
          ]);
        const actor = access.actor(request);
        const grant = request.grant!;
        return utilisation(platform.db, { from, to }, (e) => {
          if (engineerId && e.engineerId !== engineerId) return false;
          if (regionCode && !e.regionCodes.includes(regionCode)) return false;
          // The analytics grant's reach, applied to engineers: their regions, their teams, or themselves.
          if (grant.scope === 'all') return true;
          if (grant.scope === 'region') return e.regionCodes.some((r) => actor.regionCodes.includes(r));
          if (grant.scope === 'team') return e.teamIds.some((t) => actor.teamIds.includes(t));
          if (grant.scope === 'own') return e.engineerId === actor.userId;
          return false;
        });
      },
    );

    app.get(
      '/analytics/spikes',
      {
        config: needs('analytics', 'read'),
        schema: {
          tags,
          description:
            'Models, batches and regions whose tickets in the last 7 days are significantly above their baseline (docs/kpis.md).',
          querystring: SpikeQuery,
          response: {
            200: z.array(
              z.object({
                dimension: z.enum(['productModel', 'batch', 'region']),
                key: z.string(),
                count: z.number(),
                baseline: z.number(),
                pValue: z.number(),
                label: z.string(),
              }),
            ),
          },
        },
      },
      async (request) =>
        detectSpikes(platform.db, platform.clock.now(), and(scope(request), dimensionFilter(request.query))),
    );

    app.get(
      '/analytics/pareto',
      { config: needs('analytics', 'read'), schema: { tags, querystring: ParetoQuery, response: { 200: Pareto } } },
      async (request) => {
        const { dimension, limit, ...filter } = request.query;
        return pareto(platform.db, dimension, filter, scope(request), request.locale, limit);
      },
    );

    // Server-sent events: one `change` message (at most a few per second) whenever ticket facts
    // changed, so open dashboards refetch what they show instead of polling. A client that does
    // not ask for an event stream gets the time of the last change as JSON, and can poll that.
    app.get(
      '/analytics/stream',
      {
        config: needs('analytics', 'read'),
        schema: { tags, response: { 200: z.object({ lastChangeAt: z.string().nullable() }) } },
      },
      async (request, reply) => {
        if (!request.headers.accept?.includes('text/event-stream')) return { lastChangeAt: feed.lastChangeAt };
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        reply.raw.write(': connected\n\nretry: 3000\n\n');
        const stop = feed.subscribe((at) => reply.raw.write(`event: change\ndata: ${JSON.stringify({ at })}\n\n`));
        // A comment every 25 s keeps proxies from closing an idle stream.
        const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 25_000);
        request.raw.on('close', () => {
          clearInterval(keepAlive);
          stop();
          reply.raw.end();
        });
      },
    );

    app.post(
      '/analytics/query',
      {
        config: needs('analytics', 'read'),
        schema: { tags, body: z.object({ definition: ReportDefinition }), response: { 200: ReportResult } },
      },
      async (request) => runReport(platform.db, request.body.definition, scope(request), request.locale),
    );

    // Exports of a report-builder result: an ad-hoc definition, or a saved report by id.
    for (const format of ['csv', 'xlsx'] as const) {
      const send = async (
        request: FastifyRequest,
        reply: FastifyReply,
        definition: ReportDefinitionType,
        name: string,
      ) => {
        const file = await reportExport(platform.db, definition, scope(request), format, request.locale);
        return reply
          .header('content-type', EXPORT_CONTENT_TYPES[format])
          .header('content-disposition', attachment(name, format))
          .send(file);
      };
      app.post(
        `/analytics/query/export.${format}`,
        {
          config: needs('analytics', 'read'),
          schema: {
            tags,
            description: `The report's whole result (every group, not only the top \`limit\`) as ${format}, streamed.`,
            body: z.object({ definition: ReportDefinition, name: z.string().trim().min(1).max(100).optional() }),
          },
        },
        async (request, reply) =>
          send(request, reply, request.body.definition, request.body.name ?? exportName(platform)),
      );
      app.get(
        `/analytics/reports/:id/export.${format}`,
        { config: needs('analytics', 'read'), schema: { tags, params: IdParams } },
        async (request, reply) => {
          const report = await reports.get(request.params.id, access.actor(request));
          return send(request, reply, report.definition as ReportDefinitionType, report.name);
        },
      );
    }

    // A dashboard as a PDF: each widget's chart drawn server-side, in the reader's scope and language.
    app.get(
      '/analytics/dashboards/:id/export.pdf',
      { config: needs('analytics', 'read'), schema: { tags, params: IdParams } },
      async (request, reply) => {
        const font = cjkFont();
        if (!font) throw new AppError(503, 'documents.font_missing');
        const actor = access.actor(request);
        const board = await dashboards.get(request.params.id, actor);
        const widgets = [];
        for (const card of board.layout as { reportId: string }[]) {
          const report = await reports.get(card.reportId, actor).catch(() => null);
          const definition = report?.definition as ReportDefinitionType | undefined;
          widgets.push({
            name: report?.name ?? '—',
            definition: definition ?? { dimensions: [], measures: [], filters: {}, chart: 'table', limit: 0 },
            result: definition ? await runReport(platform.db, definition, scope(request), request.locale) : null,
          });
        }
        const takenAt = shanghaiMinute(platform.clock.now());
        const pdf = await renderDashboardPdf(font, { name: board.name, takenAt }, widgets as never, request.locale);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', attachment(board.name, 'pdf'))
          .send(pdf);
      },
    );

    // Saved reports and dashboards: the same routes for both.
    for (const [path, store, dto, create, update] of [
      ['/analytics/reports', reports, SavedReport, SaveReport, UpdateReport],
      ['/analytics/dashboards', dashboards, Dashboard, SaveDashboard, UpdateDashboard],
    ] as const) {
      app.get(
        path,
        { config: needs('analytics', 'read'), schema: { tags, response: { 200: z.array(dto) } } },
        async (request) => (store as SavedStore<unknown>).list(access.actor(request)) as never,
      );
      app.get(
        `${path}/:id`,
        { config: needs('analytics', 'read'), schema: { tags, params: IdParams, response: { 200: dto } } },
        async (request) => (store as SavedStore<unknown>).get(request.params.id, access.actor(request)) as never,
      );
      app.post(
        path,
        { config: needs('analytics', 'create'), schema: { tags, body: create, response: { 201: dto } } },
        async (request, reply) =>
          reply
            .status(201)
            .send((await (store as SavedStore<unknown>).create(access.actor(request), request.body as never)) as never),
      );
      app.patch(
        `${path}/:id`,
        {
          config: needs('analytics', 'update'),
          schema: { tags, params: IdParams, body: update, response: { 200: dto } },
        },
        async (request) =>
          (store as SavedStore<unknown>).update(
            request.params.id,
            access.actor(request),
            request.body as never,
          ) as never,
      );
      app.delete(
        `${path}/:id`,
        { config: needs('analytics', 'delete'), schema: { tags, params: IdParams } },
        async (request, reply) => {
          await (store as SavedStore<unknown>).remove(request.params.id, access.actor(request));
          return reply.status(204).send();
        },
      );
    }

    app.post(
      '/analytics/rebuild',
      {
        config: needs('settings', 'update'),
        schema: {
          tags,
          description:
            'Recomputes every ticket fact from scratch; heavy on a large database, hence the explicit confirmation.',
          body: z.object({ confirm: z.literal(true) }).strict(),
          response: { 200: z.object({ tickets: z.number() }) },
        },
      },
      async () => {
        const tickets = await rebuildFacts(platform.db, platform.clock.now());
        feed.notify();
        return { tickets };
      },
    );
  };
}
