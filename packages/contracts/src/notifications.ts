import { z } from 'zod';
import { Locale, PageQuery, patchOf, Timestamp } from './common';
import { Role } from './permissions';

/**
 * Notifications: who hears about which event, on which channel, in which words.
 * Person channels reach one user (inbox, email, SMS); endpoint channels reach a group robot
 * (企业微信 WeCom, 钉钉 DingTalk, 飞书 Feishu/Lark) or an integration's webhook.
 */
export const PersonChannel = z.enum(['in_app', 'email', 'sms']);
export type PersonChannel = z.infer<typeof PersonChannel>;
export const EndpointKind = z.enum(['wecom', 'dingtalk', 'feishu', 'webhook']);
export type EndpointKind = z.infer<typeof EndpointKind>;
export const DeliveryChannel = z.enum(['email', 'sms', 'wecom', 'dingtalk', 'feishu', 'webhook']);
export type DeliveryChannel = z.infer<typeof DeliveryChannel>;

/** Events a subscription may name; each ships a default template in both languages. */
export const NotifiableEvent = z.enum([
  'ticket.created',
  'ticket.triaged',
  'ticket.dispatched',
  'ticket.transferred',
  'ticket.resolved',
  'ticket.closed',
  'ticket.reopened',
  'sla.warning',
  'sla.breached',
  'parts.reorder_needed',
  'analytics.spike_detected',
  'sla.holidays_missing',
]);
export type NotifiableEvent = z.infer<typeof NotifiableEvent>;
export const NOTIFIABLE_EVENTS = NotifiableEvent.options;

/**
 * Whom a subscription reaches: a named user, everyone holding a role, or a person the ticket
 * names — its assignee, its reporter, its customer contact (by the email/phone on the ticket),
 * or the managers of its team — or an endpoint (robot / webhook).
 */
export const RecipientKind = z.enum([
  'user',
  'role',
  'assignee',
  'reporter',
  'customer_contact',
  'team_manager',
  'endpoint',
]);
export type RecipientKind = z.infer<typeof RecipientKind>;

// ---- inbox ----------------------------------------------------------------------------------

export const InboxItem = z
  .object({
    id: z.uuid(),
    eventType: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    read: z.boolean(),
    createdAt: Timestamp,
  })
  .meta({ id: 'InboxItem' });
export type InboxItem = z.infer<typeof InboxItem>;

export const InboxQuery = PageQuery.omit({ q: true }).extend({
  unread: z.enum(['true', 'false']).optional(),
});
export const InboxPage = z.object({
  items: z.array(InboxItem),
  total: z.number().int(),
  unread: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type InboxPage = z.infer<typeof InboxPage>;
export const UnreadCount = z.object({ unread: z.number().int() });

// ---- endpoints (robots, webhooks) ----------------------------------------------------------

const Url = z
  .url({ protocol: /^https?$/, message: 'validation.notify.url' })
  .max(2000, { message: 'validation.notify.url' });

export const Endpoint = z
  .object({
    id: z.uuid(),
    kind: EndpointKind,
    name: z.string(),
    /** The URL with its credentials (key, access_token, the hook token) masked. */
    url: z.string(),
    hasSecret: z.boolean(),
    enabled: z.boolean(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'NotificationEndpoint' });
export type Endpoint = z.infer<typeof Endpoint>;

export const CreateEndpoint = z.object({
  kind: EndpointKind,
  name: z.string().trim().min(1).max(100),
  url: Url,
  /** DingTalk / Feishu signing secret. Webhooks get a generated `whsec_` secret, shown once. */
  secret: z.string().trim().min(8).max(200).optional(),
  enabled: z.boolean().default(true),
});
export type CreateEndpoint = z.infer<typeof CreateEndpoint>;

export const UpdateEndpoint = z.object({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(100).optional(),
  url: Url.optional(),
  secret: z.string().trim().min(8).max(200).optional(),
  enabled: z.boolean().optional(),
  /** Webhooks: replace the signing secret with a new generated one (shown once). */
  rotateSecret: z.boolean().optional(),
});
export type UpdateEndpoint = z.infer<typeof UpdateEndpoint>;

/** The answer to creating an endpoint or rotating its secret: the only time the secret is shown. */
export const EndpointWithSecret = Endpoint.extend({ secret: z.string().nullable() });
export type EndpointWithSecret = z.infer<typeof EndpointWithSecret>;

export const AllowedHost = z.object({ host: z.string(), createdAt: Timestamp });
export type AllowedHost = z.infer<typeof AllowedHost>;
export const AddAllowedHost = z.object({
  host: z
    .string()
    .trim()
    .toLowerCase()
    .min(1)
    .max(253)
    .regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/, { message: 'validation.notify.host' }),
});
export const HostParams = z.object({ host: z.string().min(1).max(255) });

// ---- subscriptions -------------------------------------------------------------------------

export const Subscription = z
  .object({
    id: z.uuid(),
    eventType: NotifiableEvent,
    recipientKind: RecipientKind,
    /** A user id (`user`), a role (`role`); null otherwise. */
    userId: z.uuid().nullable(),
    role: Role.nullable(),
    endpointId: z.uuid().nullable(),
    channels: z.array(PersonChannel),
    enabled: z.boolean(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'NotificationSubscription' });
export type Subscription = z.infer<typeof Subscription>;

const subscriptionFields = {
  eventType: NotifiableEvent,
  recipientKind: RecipientKind,
  userId: z.uuid().nullable().default(null),
  role: Role.nullable().default(null),
  endpointId: z.uuid().nullable().default(null),
  channels: z.array(PersonChannel).max(3).default(['in_app']),
  enabled: z.boolean().default(true),
};
/** The recipient's kind decides which reference it needs. */
const recipientComplete = (s: {
  recipientKind?: string;
  userId?: string | null;
  role?: string | null;
  endpointId?: string | null;
}) =>
  (s.recipientKind !== 'user' || !!s.userId) &&
  (s.recipientKind !== 'role' || !!s.role) &&
  (s.recipientKind !== 'endpoint' || !!s.endpointId);
export const CreateSubscription = z
  .object(subscriptionFields)
  .refine(recipientComplete, { message: 'validation.notify.recipient', path: ['recipientKind'] });
export type CreateSubscription = z.infer<typeof CreateSubscription>;
/** Whom and what a subscription answers is fixed; how and whether it delivers may change. */
export const UpdateSubscription = patchOf(z.object(subscriptionFields).pick({ channels: true, enabled: true }));
export const SubscriptionQuery = PageQuery.extend({ eventType: NotifiableEvent.optional() });

// ---- templates -----------------------------------------------------------------------------

export const TEMPLATE_VARIABLES = [
  'ticketNumber',
  'title',
  'priority',
  'customer',
  'dueAt',
  'link',
  'state',
  'assignee',
  'part',
  'available',
  'reorderPoint',
] as const;

export const Template = z
  .object({
    id: z.uuid(),
    eventType: z.string(),
    locale: Locale,
    title: z.string(),
    body: z.string(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'NotificationTemplate' });
export type Template = z.infer<typeof Template>;
const templateText = {
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(2000),
};
export const CreateTemplate = z.object({ eventType: NotifiableEvent, locale: Locale, ...templateText });
export const UpdateTemplate = z.object({
  version: z.number().int().min(1),
  title: templateText.title.optional(),
  body: templateText.body.optional(),
});
export const TemplateQuery = PageQuery.extend({ eventType: NotifiableEvent.optional(), locale: Locale.optional() });
export const TemplatePreviewRequest = z.object({ eventType: NotifiableEvent, locale: Locale, ...templateText });
export const TemplatePreview = z.object({
  title: z.string(),
  body: z.string(),
  /** `{{names}}` the text uses that no event of this type provides. */
  unknownVariables: z.array(z.string()),
});
export type TemplatePreview = z.infer<typeof TemplatePreview>;

// ---- preferences ---------------------------------------------------------------------------

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'validation.notify.time' });
export const QuietHours = z
  .object({ start: HourMinute, end: HourMinute })
  .refine((q) => q.start !== q.end, { message: 'validation.notify.quiet_empty', path: ['end'] });
export const NotificationPreferences = z.object({
  channels: z.object({ in_app: z.boolean(), email: z.boolean(), sms: z.boolean() }),
  /** In Asia/Shanghai; may span midnight (22:00–07:00). P0 tickets and SLA breaches ignore it. */
  quietHours: QuietHours.nullable(),
  /** The language of what this user receives; null follows the account's language. */
  locale: Locale.nullable(),
  /** The Monday-morning KPI digest by email; null follows the role (managers receive it). */
  weeklyDigest: z.boolean().nullable(),
  version: z.number().int(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;
export const UpdateNotificationPreferences = z.object({
  version: z.number().int().min(0),
  channels: z.object({ in_app: z.boolean(), email: z.boolean(), sms: z.boolean() }).partial().optional(),
  quietHours: QuietHours.nullable().optional(),
  locale: Locale.nullable().optional(),
  weeklyDigest: z.boolean().nullable().optional(),
});

// ---- delivery log --------------------------------------------------------------------------

/** `skipped`: a leg that could not go out (no address, channel off, no SMTP) — logged with its reason, never sent. */
export const DeliveryState = z.enum(['pending', 'delivered', 'dead', 'skipped']);
export type DeliveryState = z.infer<typeof DeliveryState>;
export const DeliveryAttempt = z.object({
  attempt: z.number().int(),
  at: Timestamp,
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  /** How many queued messages this send carried (robot bursts are merged). */
  batchSize: z.number().int(),
});
export const Delivery = z
  .object({
    id: z.uuid(),
    messageId: z.string(),
    eventId: z.uuid().nullable(),
    eventType: z.string(),
    channel: DeliveryChannel,
    endpointId: z.uuid().nullable(),
    userId: z.uuid().nullable(),
    /** Email address or phone number for person channels, the masked URL for endpoints. */
    target: z.string(),
    title: z.string(),
    state: DeliveryState,
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: Timestamp.nullable(),
    createdAt: Timestamp,
    log: z.array(DeliveryAttempt).optional(),
  })
  .meta({ id: 'NotificationDelivery' });
export type Delivery = z.infer<typeof Delivery>;
export const DeliveryQuery = PageQuery.omit({ q: true }).extend({
  state: DeliveryState.optional(),
  channel: DeliveryChannel.optional(),
  endpointId: z.uuid().optional(),
});
