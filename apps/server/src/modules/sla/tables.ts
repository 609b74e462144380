import { boolean, doublePrecision, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0010_sla.sql. */
export const slaCalendars = pgTable('sla_calendars', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  alwaysOn: boolean('always_on').notNull(),
  weekHours: jsonb('week_hours').$type<{ start: string; end: string }[][]>().notNull(),
  chinaHolidays: boolean('china_holidays').notNull(),
  extraHolidays: jsonb('extra_holidays').$type<string[]>().notNull(),
  extraWorkdays: jsonb('extra_workdays').$type<string[]>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const slaPolicies = pgTable('sla_policies', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  priority: text('priority').notNull(),
  customerTier: text('customer_tier'),
  contractId: uuid('contract_id'),
  responseMinutes: integer('response_minutes').notNull(),
  resolutionMinutes: integer('resolution_minutes').notNull(),
  calendarId: uuid('calendar_id').notNull(),
  warningPercent: integer('warning_percent').notNull(),
  active: boolean('active').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const slaClocks = pgTable('sla_clocks', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull(),
  kind: text('kind').$type<'response' | 'resolution'>().notNull(),
  policyId: uuid('policy_id').notNull(),
  calendarId: uuid('calendar_id').notNull(),
  targetMinutes: integer('target_minutes').notNull(),
  warningPercent: integer('warning_percent').notNull(),
  startedAt: ts('started_at').notNull(),
  pausedSince: ts('paused_since'),
  pausedMinutes: doublePrecision('paused_minutes').notNull(),
  dueAt: ts('due_at').notNull(),
  warnAt: ts('warn_at').notNull(),
  warnedAt: ts('warned_at'),
  breachedAt: ts('breached_at'),
  metAt: ts('met_at'),
  stoppedAt: ts('stopped_at'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});
