import { boolean, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0011_notifications.sql. */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  eventId: uuid('event_id'),
  eventType: text('event_type').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  link: text('link'),
  readAt: ts('read_at'),
  createdAt: ts('created_at').notNull(),
});

export const notificationEndpoints = pgTable('notification_endpoints', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull().$type<'wecom' | 'dingtalk' | 'feishu' | 'webhook'>(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  secret: text('secret'),
  enabled: boolean('enabled').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const notificationAllowedHosts = pgTable('notification_allowed_hosts', {
  host: text('host').primaryKey(),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull(),
});

export const notificationSubscriptions = pgTable('notification_subscriptions', {
  id: uuid('id').primaryKey(),
  eventType: text('event_type').notNull(),
  recipientKind: text('recipient_kind').notNull(),
  userId: uuid('user_id'),
  role: text('role'),
  endpointId: uuid('endpoint_id'),
  channels: text('channels').array().notNull(),
  enabled: boolean('enabled').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const notificationTemplates = pgTable('notification_templates', {
  id: uuid('id').primaryKey(),
  eventType: text('event_type').notNull(),
  locale: text('locale').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id').primaryKey(),
  channels: jsonb('channels').notNull().$type<{ in_app: boolean; email: boolean; sms: boolean }>(),
  quietStart: text('quiet_start'),
  quietEnd: text('quiet_end'),
  locale: text('locale'),
  weeklyDigest: boolean('weekly_digest'),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const notificationDeliveries = pgTable('notification_deliveries', {
  id: uuid('id').primaryKey(),
  messageId: text('message_id').notNull(),
  eventId: uuid('event_id'),
  eventType: text('event_type').notNull(),
  channel: text('channel').notNull().$type<'email' | 'sms' | 'wecom' | 'dingtalk' | 'feishu' | 'webhook'>(),
  endpointId: uuid('endpoint_id'),
  userId: uuid('user_id'),
  address: text('address').notNull(),
  recipientKey: text('recipient_key').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
  state: text('state').notNull().$type<'pending' | 'delivered' | 'dead' | 'skipped'>(),
  attempts: integer('attempts').notNull(),
  maxAttempts: integer('max_attempts').notNull(),
  runAt: ts('run_at').notNull(),
  lockedUntil: ts('locked_until'),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  deliveredAt: ts('delivered_at'),
  createdAt: ts('created_at').notNull(),
});

export const notificationAttempts = pgTable('notification_attempts', {
  id: uuid('id').primaryKey(),
  deliveryId: uuid('delivery_id').notNull(),
  endpointId: uuid('endpoint_id'),
  sendId: uuid('send_id').notNull(),
  attempt: integer('attempt').notNull(),
  at: ts('at').notNull(),
  ok: boolean('ok').notNull(),
  statusCode: integer('status_code'),
  error: text('error'),
  durationMs: integer('duration_ms').notNull(),
  batchSize: integer('batch_size').notNull(),
});
