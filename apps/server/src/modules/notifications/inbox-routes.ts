import {
  IdParams,
  InboxItem,
  InboxPage,
  InboxQuery,
  NotificationPreferences,
  UnreadCount,
  UpdateNotificationPreferences,
} from '@serviceloop/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { type Access, needs, scopeFilter } from '../identity/index';
import type { Inbox, InboxFeed } from './inbox';
import { notifications } from './tables';

/** Everyone's own inbox: the list, the bell's count, marking read, the live stream, preferences. */
export function inboxRoutes(access: Access, inbox: Inbox, feed: InboxFeed) {
  const tags = ['notifications'];
  const scope = (request: FastifyRequest) =>
    scopeFilter(request.grant!, access.actor(request), { owner: notifications.userId });

  return (app: HttpApp) => {
    app.get(
      '/notifications',
      {
        config: needs('notification', 'read'),
        schema: { tags, querystring: InboxQuery, response: { 200: InboxPage } },
      },
      async (request) => inbox.page(scope(request), request.query),
    );

    app.get(
      '/notifications/unread-count',
      { config: needs('notification', 'read'), schema: { tags, response: { 200: UnreadCount } } },
      async (request) => ({ unread: await inbox.unread(scope(request)) }),
    );

    // Server-sent events: a `notification` message with the item as soon as it is written, so the
    // bell moves without polling. A client that does not ask for an event stream gets the unread
    // count as JSON at once (and can poll that).
    app.get(
      '/notifications/stream',
      { config: needs('notification', 'read'), schema: { tags, response: { 200: UnreadCount } } },
      async (request, reply) => {
        const unread = await inbox.unread(scope(request));
        if (!request.headers.accept?.includes('text/event-stream')) return { unread };
        const userId = access.actor(request).userId;
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        reply.raw.write(`retry: 3000\n\nevent: unread\ndata: ${JSON.stringify({ unread })}\n\n`);
        const stop = feed.subscribe(userId, (item) =>
          reply.raw.write(`event: notification\nid: ${item.id}\ndata: ${JSON.stringify(item)}\n\n`),
        );
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
      '/notifications/:id/read',
      {
        config: needs('notification', 'update'),
        schema: { tags, params: IdParams, response: { 200: InboxItem } },
      },
      async (request) => inbox.markRead(scope(request), request.params.id),
    );

    app.post(
      '/notifications/read-all',
      {
        config: needs('notification', 'update'),
        schema: {
          tags,
          // `upTo`: the newest notification the reader saw, so one that arrived meanwhile stays unread.
          body: z
            .object({ upTo: z.iso.datetime({ offset: true }).optional() })
            .strict()
            .nullish(),
          response: { 200: z.object({ marked: z.number().int() }) },
        },
      },
      async (request) => ({ marked: await inbox.markAllRead(scope(request), request.body?.upTo) }),
    );

    app.get(
      '/notifications/preferences',
      { config: needs('notification', 'read'), schema: { tags, response: { 200: NotificationPreferences } } },
      async (request) => inbox.preferences(access.actor(request).userId),
    );

    app.put(
      '/notifications/preferences',
      {
        config: needs('notification', 'update'),
        schema: { tags, body: UpdateNotificationPreferences, response: { 200: NotificationPreferences } },
      },
      async (request) => inbox.setPreferences(access.actor(request).userId, request.body),
    );
  };
}
