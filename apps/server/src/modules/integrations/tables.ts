import { bigint, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0012_integrations.sql (and 0033's sheet_name). */
export const importRuns = pgTable('import_runs', {
  id: uuid('id').primaryKey(),
  entity: text('entity').notNull(),
  fileName: text('file_name').notNull(),
  fileFormat: text('file_format').notNull(),
  fileKey: text('file_key').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  /** The worksheet read (0033); null for a CSV, and for runs from before sheets could be chosen (the first). */
  sheetName: text('sheet_name'),
  headerRow: integer('header_row').notNull(),
  headers: jsonb('headers').$type<string[]>().notNull(),
  state: text('state').notNull(),
  rowCount: integer('row_count'),
  importedCount: integer('imported_count').notNull(),
  errorCount: integer('error_count').notNull(),
  errorFileKey: text('error_file_key'),
  mapping: jsonb('mapping'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull(),
  finishedAt: ts('finished_at'),
});

export const importMappings = pgTable('import_mappings', {
  entity: text('entity').primaryKey(),
  mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: ts('updated_at').notNull(),
});

export const importedRecords = pgTable(
  'imported_records',
  {
    entity: text('entity').notNull(),
    sourceKey: text('source_key').notNull(),
    recordId: uuid('record_id').notNull(),
    runId: uuid('run_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.entity, t.sourceKey] })],
);
