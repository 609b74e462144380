import type { Certification, Leave, ShiftWindow } from '@serviceloop/contracts';
import { boolean, doublePrecision, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0013_field.sql. */
export const engineerProfiles = pgTable('engineer_profiles', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  skills: jsonb('skills').$type<string[]>().notNull(),
  certifications: jsonb('certifications').$type<Certification[]>().notNull(),
  regionCodes: text('region_codes').array().notNull(),
  homeLat: doublePrecision('home_lat'),
  homeLng: doublePrecision('home_lng'),
  workingHours: jsonb('working_hours').$type<ShiftWindow[]>().notNull(),
  capacityJobs: integer('capacity_jobs').notNull(),
  capacityHours: doublePrecision('capacity_hours').notNull(),
  leave: jsonb('leave').$type<Leave[]>().notNull(),
  costRateFen: integer('cost_rate_fen').notNull(),
  active: boolean('active').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const skillRequirements = pgTable(
  'skill_requirements',
  {
    subjectKind: text('subject_kind').notNull(),
    subjectId: uuid('subject_id').notNull(),
    skills: jsonb('skills').$type<string[]>().notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.subjectKind, t.subjectId] })],
);

export const geoMaps = pgTable('geo_maps', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  storageKey: text('storage_key').notNull(),
  features: integer('features').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  uploadedBy: uuid('uploaded_by'),
  uploadedAt: ts('uploaded_at').notNull(),
});

/** Drizzle's view of 0019_field_app.sql. */
export const visitAssistants = pgTable(
  'visit_assistants',
  {
    visitId: uuid('visit_id').notNull(),
    engineerId: uuid('engineer_id').notNull(),
    ticketId: uuid('ticket_id').notNull(),
    checkedInAt: ts('checked_in_at'),
    checkInLocation: jsonb('check_in_location'),
    checkedOutAt: ts('checked_out_at'),
    checkOutLocation: jsonb('check_out_location'),
    addedBy: uuid('added_by'),
    addedAt: ts('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.visitId, t.engineerId] })],
);

export const fieldSyncOps = pgTable('field_sync_ops', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  ticketId: uuid('ticket_id').notNull(),
  kind: text('kind').notNull(),
  baseVersion: integer('base_version').notNull(),
  status: text('status').notNull(),
  result: jsonb('result').$type<StoredOutcome>().notNull(),
  createdOnDeviceAt: ts('created_on_device_at'),
  receivedAt: ts('received_at').notNull(),
});

/** What a sync op came to, as stored (messages are worded when answered, in the reader's language). */
export interface StoredOutcome {
  ticketVersion: number | null;
  code: string | null;
  params: Record<string, unknown>;
  happened: { type: string; occurredAt: string; actorName: string | null; changes: Record<string, unknown> }[];
  detail: Record<string, unknown>;
}
