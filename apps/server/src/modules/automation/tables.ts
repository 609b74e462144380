import type { ActionOutcome, ConditionNode, ConditionTrace, RuleAction, RuleTrigger } from '@serviceloop/contracts';
import { boolean, doublePrecision, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0018_automation.sql. */
export const automationRules = pgTable('automation_rules', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  enabled: boolean('enabled').notNull(),
  position: integer('position').notNull(),
  trigger: jsonb('trigger').$type<RuleTrigger>().notNull(),
  conditions: jsonb('conditions').$type<ConditionNode | null>(),
  actions: jsonb('actions').$type<RuleAction[]>().notNull(),
  stopProcessing: boolean('stop_processing').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const automationRuns = pgTable('automation_runs', {
  id: uuid('id').primaryKey(),
  ruleId: uuid('rule_id').notNull(),
  eventId: uuid('event_id'),
  eventType: text('event_type').notNull(),
  ticketId: uuid('ticket_id'),
  matched: boolean('matched').notNull(),
  trace: jsonb('trace').$type<ConditionTrace | null>(),
  actions: jsonb('actions').$type<ActionOutcome[]>().notNull(),
  error: text('error'),
  depth: integer('depth').notNull(),
  durationMs: doublePrecision('duration_ms').notNull(),
  occurredAt: ts('occurred_at').notNull(),
});
