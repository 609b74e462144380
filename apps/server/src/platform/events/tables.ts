import { bigint, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Drizzle's view of the events table (0001_platform.sql), for typed reads such as audit search. */
export const events = pgTable('events', {
  id: uuid('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
  type: text('type').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  actorKind: text('actor_kind').notNull(),
  actorId: uuid('actor_id'),
  visibility: text('visibility').notNull(),
  changes: jsonb('changes').notNull(),
  data: jsonb('data').notNull(),
  requestId: text('request_id'),
});
