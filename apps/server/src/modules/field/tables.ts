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
