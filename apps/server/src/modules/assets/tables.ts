import { date, integer, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0003_master_data.sql (asset side). */
export const productModels = pgTable('product_models', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  manufacturer: text('manufacturer'),
  createdAt: ts('created_at').notNull(),
  version: integer('version').notNull(),
});

export const serviceContracts = pgTable('service_contracts', {
  id: uuid('id').primaryKey(),
  customerId: uuid('customer_id').notNull(),
  number: text('number').notNull(),
  coverage: text('coverage').notNull(),
  slaTier: text('sla_tier').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  value: numeric('value', { mode: 'number' }),
  createdAt: ts('created_at').notNull(),
  version: integer('version').notNull(),
});

export const devices = pgTable('devices', {
  id: uuid('id').primaryKey(),
  modelId: uuid('model_id').notNull(),
  serialNumber: text('serial_number').notNull(),
  assetCode: text('asset_code'),
  customerId: uuid('customer_id').notNull(),
  siteId: uuid('site_id'),
  contractId: uuid('contract_id'),
  batch: text('batch'),
  firmwareVersion: text('firmware_version'),
  installedOn: date('installed_on', { mode: 'string' }),
  warrantyEndsOn: date('warranty_ends_on', { mode: 'string' }),
  createdAt: ts('created_at').notNull(),
  version: integer('version').notNull(),
});
