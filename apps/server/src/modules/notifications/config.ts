import { EndpointKind, Locale, NotifiableEvent, PersonChannel, RecipientKind, Role } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, rows } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import { type ConfigSection, keyedSection, type SectionProblem } from '../config/index';
import { userIdByUsername } from '../identity/index';
import type { OutboundGuard } from './outbound';
import { newWebhookSecret } from './webhooks';

/**
 * Robots and webhooks travel WITHOUT their URL and secret: robot URLs carry their credential, and
 * a test installation's hooks are not production's. An endpoint the target already has keeps its
 * URL and secret; a new one needs them supplied beside the document (`secrets[name]`), checked by
 * the SSRF guard like any endpoint an admin adds. A new webhook gets a fresh signing secret
 * (rotate it on the endpoint page to see it).
 */
const EndpointItem = z.object({
  name: z.string().trim().min(1).max(100),
  kind: EndpointKind,
  enabled: z.boolean(),
});
type EndpointItem = z.infer<typeof EndpointItem>;

const Url = z.url({ protocol: /^https?$/ }).max(2000);

export function notificationSections(guard: OutboundGuard): ConfigSection<never>[] {
  const endpoints = keyedSection<EndpointItem>({
    key: 'notifications.endpoints',
    titleZh: '通知端点（机器人、Webhook，不含凭据）',
    titleEn: 'Notification endpoints (robots, webhooks; no credentials)',
    item: EndpointItem,
    keyOf: (e) => e.name,
    load: (db) => rows<EndpointItem>(db, sql`select name, kind, enabled from notification_endpoints`),
    needsSecret: (e, { secrets }) => !secrets[e.name]?.url,
    async verify(items, { secrets }) {
      const problems: SectionProblem[] = [];
      for (const [index, e] of items.entries()) {
        const url = secrets[e.name]?.url;
        if (!url) continue;
        if (!Url.safeParse(url).success) {
          problems.push({ path: `${index}.url`, message: 'validation.notify.url' });
          continue;
        }
        // As when an admin adds one: a name that does not resolve yet is not refused.
        const reason = await guard.refusal(url);
        if (reason) problems.push({ path: `${index}.url`, message: 'notify.url_refused', params: { reason } });
      }
      return problems;
    },
    async save(tx, e, before, { now, secrets }) {
      const given = secrets[e.name];
      const at = now.toISOString();
      if (before)
        await tx.execute(sql`
          update notification_endpoints set kind = ${e.kind}, enabled = ${e.enabled},
            url = coalesce(${given?.url ?? null}, url),
            secret = ${e.kind === 'webhook' ? sql`secret` : sql`coalesce(${given?.secret ?? null}, secret)`},
            updated_at = ${at}, version = version + 1
          where name = ${e.name}`);
      else
        await tx.execute(sql`
          insert into notification_endpoints (id, kind, name, url, secret, enabled, created_at, updated_at)
          values (${newId(now.getTime())}, ${e.kind}, ${e.name}, ${given!.url!},
            ${e.kind === 'webhook' ? newWebhookSecret() : (given?.secret ?? null)}, ${e.enabled}, ${at}, ${at})`);
    },
  });

  const TemplateItem = z.object({
    eventType: NotifiableEvent,
    locale: Locale,
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(2000),
  });
  type TemplateItem = z.infer<typeof TemplateItem>;
  const templates = keyedSection<TemplateItem>({
    key: 'notifications.templates',
    titleZh: '通知模板',
    titleEn: 'Notification templates',
    item: TemplateItem,
    keyOf: (t) => `${t.eventType}/${t.locale}`,
    load: (db) =>
      rows<TemplateItem>(db, sql`select event_type as "eventType", locale, title, body from notification_templates`),
    async save(tx, t, _before, { now }) {
      const at = now.toISOString();
      await tx.execute(sql`
        insert into notification_templates (id, event_type, locale, title, body, created_at, updated_at)
        values (${newId(now.getTime())}, ${t.eventType}, ${t.locale}, ${t.title}, ${t.body}, ${at}, ${at})
        on conflict (event_type, locale) do update set title = excluded.title, body = excluded.body,
          updated_at = excluded.updated_at, version = notification_templates.version + 1`);
    },
  });

  const SubscriptionItem = z
    .object({
      eventType: NotifiableEvent,
      recipientKind: RecipientKind,
      /** A username (`user` recipients): people are matched by name between installations. */
      user: z.string().max(100).nullable(),
      role: Role.nullable(),
      /** An endpoint's name (`endpoint` recipients). */
      endpoint: z.string().max(100).nullable(),
      channels: z.array(PersonChannel).max(3),
      enabled: z.boolean(),
    })
    .refine(
      (s) =>
        (s.recipientKind !== 'user' || !!s.user) &&
        (s.recipientKind !== 'role' || !!s.role) &&
        (s.recipientKind !== 'endpoint' || !!s.endpoint),
      { message: 'validation.notify.recipient', path: ['recipientKind'] },
    );
  type SubscriptionItem = z.infer<typeof SubscriptionItem>;
  const userId = async (db: Executor, username: string | null) =>
    username === null ? null : ((await userIdByUsername(db, username)) ?? null);
  const endpointId = async (db: Executor, name: string | null) =>
    name === null
      ? null
      : ((await rows<{ id: string }>(db, sql`select id from notification_endpoints where name = ${name}`))[0]?.id ??
        null);
  const subscriptions = keyedSection<SubscriptionItem>({
    key: 'notifications.subscriptions',
    titleZh: '通知订阅',
    titleEn: 'Notification subscriptions',
    item: SubscriptionItem,
    keyOf: (s) => `${s.eventType}/${s.recipientKind}/${s.user ?? s.role ?? s.endpoint ?? '-'}`,
    load: (db) =>
      rows<SubscriptionItem>(
        db,
        sql`select s.event_type as "eventType", s.recipient_kind as "recipientKind", u.username as "user", s.role,
              e.name as endpoint, s.channels, s.enabled
            from notification_subscriptions s left join users u on u.id = s.user_id
            left join notification_endpoints e on e.id = s.endpoint_id`,
      ),
    async check(db, items, { document }) {
      const problems: SectionProblem[] = [];
      const newEndpoints = new Set(((document['notifications.endpoints'] ?? []) as EndpointItem[]).map((e) => e.name));
      for (const [index, s] of items.entries()) {
        if (s.user !== null && !(await userId(db, s.user)))
          problems.push({ path: `${index}.user`, message: 'config.missing_reference', params: { key: s.user } });
        if (s.endpoint !== null && !newEndpoints.has(s.endpoint) && !(await endpointId(db, s.endpoint)))
          problems.push({
            path: `${index}.endpoint`,
            message: 'config.missing_reference',
            params: { key: s.endpoint },
          });
      }
      return problems;
    },
    async save(tx, s, before, { now }) {
      const at = now.toISOString();
      const [user, endpoint] = [await userId(tx, s.user), await endpointId(tx, s.endpoint)];
      const channels = sql`array(select jsonb_array_elements_text(${JSON.stringify(s.channels)}::jsonb))`;
      if (before)
        await tx.execute(sql`
          update notification_subscriptions set channels = ${channels}, enabled = ${s.enabled}, updated_at = ${at},
            version = version + 1
          where event_type = ${s.eventType} and recipient_kind = ${s.recipientKind}
            and user_id is not distinct from ${user} and role is not distinct from ${s.role}
            and endpoint_id is not distinct from ${endpoint}`);
      else
        await tx.execute(sql`
          insert into notification_subscriptions (id, event_type, recipient_kind, user_id, role, endpoint_id, channels,
            enabled, created_at, updated_at)
          values (${newId(now.getTime())}, ${s.eventType}, ${s.recipientKind}, ${user}, ${s.role}, ${endpoint},
            ${channels}, ${s.enabled}, ${at}, ${at})`);
    },
  });
  return [endpoints, templates, subscriptions] as unknown as ConfigSection<never>[];
}
