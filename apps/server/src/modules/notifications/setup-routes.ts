import {
  AddAllowedHost,
  AllowedHost,
  CreateEndpoint,
  CreateSubscription,
  CreateTemplate,
  Delivery,
  DeliveryQuery,
  Endpoint,
  EndpointWithSecret,
  HostParams,
  IdParams,
  type NotifiableEvent,
  pageOf,
  Subscription,
  SubscriptionQuery,
  Template,
  TemplatePreview,
  TemplatePreviewRequest,
  TemplateQuery,
  UpdateEndpoint,
  UpdateSubscription,
  UpdateTemplate,
} from '@serviceloop/contracts';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Records } from '../../platform/db/records';
import type { HttpApp } from '../../platform/http/app';
import { crudRoutes } from '../../platform/http/crud';
import { AppError, notFound } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { invalid } from '../customers/index';
import { type Access, eventActor, needs } from '../identity/index';
import type { DeliveryWorker } from './deliveries';
import type { Endpoints } from './endpoints';
import { redactUrl } from './outbound';
import {
  notificationAttempts,
  notificationDeliveries,
  notificationEndpoints,
  notificationSubscriptions,
  notificationTemplates,
} from './tables';
import { placeholders, render, VARIABLES_OF } from './templates';

export interface SetupRecords {
  subscriptions: Records<typeof notificationSubscriptions>;
  templates: Records<typeof notificationTemplates>;
}

type DeliveryRow = typeof notificationDeliveries.$inferSelect;

/** Sample values for previews, per language. */
const SAMPLE = {
  'zh-CN': {
    ticketNumber: 'T2026-000123',
    title: '3 号机主轴异响',
    priority: 'P1',
    customer: '华东精密机械有限公司',
    dueAt: '2026-05-18 17:30',
    state: 'dispatched',
    assignee: '张工',
    plannedStart: '2026-05-18 09:00',
    clock: '解决',
    remainingMinutes: 45,
    part: '主轴轴承',
    sku: 'BRG-6205',
    warehouse: '上海中心仓',
    available: 2,
    reorderPoint: 5,
    dimension: '产品型号',
    label: 'VMC-850 立式加工中心',
    count: 9,
    baseline: '1.5',
  },
  'en-US': {
    ticketNumber: 'T2026-000123',
    title: 'Spindle noise on machine 3',
    priority: 'P1',
    customer: 'East China Precision Machinery Co.',
    dueAt: '2026-05-18 17:30',
    state: 'dispatched',
    assignee: 'Zhang',
    plannedStart: '2026-05-18 09:00',
    clock: 'Resolution',
    remainingMinutes: 45,
    part: 'Spindle bearing',
    sku: 'BRG-6205',
    warehouse: 'Shanghai central warehouse',
    available: 2,
    reorderPoint: 5,
    dimension: 'Product model',
    label: 'VMC-850 vertical machining centre',
    count: 9,
    baseline: '1.5',
  },
};

export function setupRoutes(
  platform: Platform,
  access: Access,
  records: SetupRecords,
  endpoints: Endpoints,
  worker: DeliveryWorker,
) {
  const tag = 'notifications';
  const tags = [tag];
  const actor = (request: FastifyRequest) => eventActor(access.actor(request));
  const iso = (d: Date | null) => d?.toISOString() ?? null;

  const presentDelivery = (d: DeliveryRow, url: string | null): Delivery => ({
    id: d.id,
    messageId: d.messageId,
    eventId: d.eventId,
    eventType: d.eventType,
    channel: d.channel,
    endpointId: d.endpointId,
    userId: d.userId,
    target: url ? redactUrl(url) : d.address,
    title: d.title,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: d.state === 'pending' ? d.runAt.toISOString() : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
  });

  const loadDelivery = async (id: string) => {
    const [found] = await platform.db
      .select({ d: notificationDeliveries, url: notificationEndpoints.url })
      .from(notificationDeliveries)
      .leftJoin(notificationEndpoints, eq(notificationEndpoints.id, notificationDeliveries.endpointId))
      .where(eq(notificationDeliveries.id, id));
    if (!found) throw notFound('notification_delivery');
    const log = await platform.db
      .select()
      .from(notificationAttempts)
      .where(eq(notificationAttempts.deliveryId, id))
      .orderBy(asc(notificationAttempts.at), asc(notificationAttempts.attempt));
    return {
      ...presentDelivery(found.d, found.url),
      log: log.map((a) => ({
        attempt: a.attempt,
        at: a.at.toISOString(),
        ok: a.ok,
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
        batchSize: a.batchSize,
      })),
    };
  };

  /** A subscription's user or endpoint must exist. */
  const checkSubscription = async (input: Record<string, unknown>) => {
    if (typeof input.endpointId === 'string') {
      const [found] = await platform.db
        .select({ id: notificationEndpoints.id })
        .from(notificationEndpoints)
        .where(eq(notificationEndpoints.id, input.endpointId));
      if (!found) throw invalid('endpointId', 'validation.reference');
    }
    return input;
  };

  return (app: HttpApp) => {
    // ---- endpoints --------------------------------------------------------------------------
    app.get(
      '/notifications/endpoints',
      { config: needs('notificationSetup', 'read'), schema: { tags, response: { 200: z.array(Endpoint) } } },
      async () => endpoints.list(),
    );
    app.get(
      '/notifications/endpoints/:id',
      {
        config: needs('notificationSetup', 'read'),
        schema: { tags, params: IdParams, response: { 200: Endpoint } },
      },
      async (request) => endpoints.get(request.params.id),
    );
    app.post(
      '/notifications/endpoints',
      {
        config: needs('notificationSetup', 'create'),
        schema: { tags, body: CreateEndpoint, response: { 201: EndpointWithSecret } },
      },
      async (request, reply) => reply.status(201).send(await endpoints.create(request.body, actor(request))),
    );
    app.patch(
      '/notifications/endpoints/:id',
      {
        config: needs('notificationSetup', 'update'),
        schema: { tags, params: IdParams, body: UpdateEndpoint, response: { 200: EndpointWithSecret } },
      },
      async (request) => endpoints.update(request.params.id, request.body, actor(request)),
    );

    // ---- SSRF allow-list --------------------------------------------------------------------
    app.get(
      '/notifications/allowed-hosts',
      { config: needs('notificationSetup', 'read'), schema: { tags, response: { 200: z.array(AllowedHost) } } },
      async () => endpoints.allowedHosts(),
    );
    app.post(
      '/notifications/allowed-hosts',
      {
        config: needs('notificationSetup', 'create'),
        schema: { tags, body: AddAllowedHost, response: { 204: z.null().optional() } },
      },
      async (request, reply) => {
        await endpoints.allowHost(request.body.host, actor(request));
        return reply.status(204).send(null);
      },
    );
    app.delete(
      '/notifications/allowed-hosts/:host',
      {
        config: needs('notificationSetup', 'delete'),
        schema: { tags, params: HostParams, response: { 204: z.null().optional() } },
      },
      async (request, reply) => {
        await endpoints.disallowHost(request.params.host, actor(request));
        return reply.status(204).send(null);
      },
    );

    // ---- subscriptions ----------------------------------------------------------------------
    crudRoutes(app, {
      path: '/notifications/subscriptions',
      tag,
      records: records.subscriptions,
      dto: Subscription,
      create: CreateSubscription,
      update: UpdateSubscription,
      query: SubscriptionQuery,
      needs: (action) => needs('notificationSetup', action),
      scope: () => sql`true`,
      present: (row) => ({
        ...row,
        eventType: row.eventType as NotifiableEvent,
        recipientKind: row.recipientKind as Subscription['recipientKind'],
        role: row.role as Subscription['role'],
        channels: row.channels as Subscription['channels'],
        createdAt: row.createdAt.toISOString(),
        updatedAt: undefined,
      }),
      filters: (q) => [q.eventType ? eq(notificationSubscriptions.eventType, q.eventType as string) : undefined],
      orderBy: [asc(notificationSubscriptions.eventType), asc(notificationSubscriptions.createdAt)],
      actor,
      check: checkSubscription,
    });

    // ---- templates --------------------------------------------------------------------------
    app.post(
      '/notifications/templates/preview',
      {
        config: needs('notificationSetup', 'read'),
        schema: { tags, body: TemplatePreviewRequest, response: { 200: TemplatePreview } },
      },
      async (request) => {
        const { eventType, locale, title, body } = request.body;
        const known = new Set(VARIABLES_OF[eventType]);
        const vars = { ...SAMPLE[locale], link: `${platform.config.publicUrl ?? ''}/console/tickets/…` };
        return {
          title: render(title, vars),
          body: render(body, vars),
          unknownVariables: [...placeholders(title), ...placeholders(body)].filter((n) => !known.has(n)),
        };
      },
    );
    crudRoutes(app, {
      path: '/notifications/templates',
      tag,
      records: records.templates,
      dto: Template,
      create: CreateTemplate,
      update: UpdateTemplate,
      query: TemplateQuery,
      needs: (action) => needs('notificationSetup', action),
      scope: () => sql`true`,
      present: (row) => ({
        ...row,
        locale: row.locale as Template['locale'],
        createdAt: row.createdAt.toISOString(),
        updatedAt: undefined,
      }),
      filters: (q) => [
        q.eventType ? eq(notificationTemplates.eventType, q.eventType as string) : undefined,
        q.locale ? eq(notificationTemplates.locale, q.locale as string) : undefined,
      ],
      orderBy: [asc(notificationTemplates.eventType), asc(notificationTemplates.locale)],
      actor,
    });

    // ---- delivery log -----------------------------------------------------------------------
    app.get(
      '/notifications/deliveries',
      {
        config: needs('notificationSetup', 'read'),
        schema: { tags, querystring: DeliveryQuery, response: { 200: pageOf(Delivery) } },
      },
      async (request) => {
        const q = request.query;
        const where = and(
          q.state ? eq(notificationDeliveries.state, q.state) : undefined,
          q.channel ? eq(notificationDeliveries.channel, q.channel) : undefined,
          q.endpointId ? eq(notificationDeliveries.endpointId, q.endpointId) : undefined,
        );
        const found = await platform.db
          .select({ d: notificationDeliveries, url: notificationEndpoints.url })
          .from(notificationDeliveries)
          .leftJoin(notificationEndpoints, eq(notificationEndpoints.id, notificationDeliveries.endpointId))
          .where(where)
          .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize);
        const [total] = await platform.db.select({ n: count() }).from(notificationDeliveries).where(where);
        return {
          items: found.map((r) => presentDelivery(r.d, r.url)),
          total: total!.n,
          page: q.page,
          pageSize: q.pageSize,
        };
      },
    );
    app.get(
      '/notifications/deliveries/:id',
      {
        config: needs('notificationSetup', 'read'),
        schema: { tags, params: IdParams, response: { 200: Delivery } },
      },
      async (request) => loadDelivery(request.params.id),
    );
    // Manual redelivery: the same row, the same message id (receivers deduplicate on it), a fresh
    // budget of attempts. Works for delivered messages too (a receiver lost one).
    app.post(
      '/notifications/deliveries/:id/redeliver',
      {
        config: needs('notificationSetup', 'update'),
        schema: { tags, params: IdParams, response: { 200: Delivery } },
      },
      async (request) => {
        const id = request.params.id;
        await platform.transaction(async (tx) => {
          const [found] = await tx
            .select({ state: notificationDeliveries.state, reason: notificationDeliveries.lastError })
            .from(notificationDeliveries)
            .where(eq(notificationDeliveries.id, id));
          // A skipped leg had nowhere to go (no address, no SMTP): sending it now would reach nobody.
          if (found?.state === 'skipped')
            throw new AppError(409, 'notify.delivery_skipped', { reason: found.reason ?? '' });
          const [row] = await tx
            .update(notificationDeliveries)
            .set({
              state: 'pending',
              runAt: platform.clock.now(),
              lockedUntil: null,
              maxAttempts: sql`${notificationDeliveries.attempts} + greatest(${notificationDeliveries.maxAttempts} - ${notificationDeliveries.attempts}, 3)`,
            })
            .where(eq(notificationDeliveries.id, id))
            .returning({ id: notificationDeliveries.id, channel: notificationDeliveries.channel });
          if (!row) throw notFound('notification_delivery');
          await platform.events.append(tx, {
            type: 'notification_delivery.redelivered',
            entityType: 'notification_delivery',
            entityId: id,
            actor: actor(request),
            data: { channel: row.channel },
          });
        });
        worker.kick();
        return loadDelivery(id);
      },
    );
  };
}
