import { doublePrecision, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0003_master_data.sql (customer side). */
export const customers = pgTable('customers', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  creditCode: text('credit_code'),
  tier: text('tier').notNull(),
  regionCode: text('region_code').notNull(),
  industry: text('industry').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const contacts = pgTable('contacts', {
  id: uuid('id').primaryKey(),
  customerId: uuid('customer_id').notNull(),
  name: text('name').notNull(),
  mobile: text('mobile'),
  email: text('email'),
  title: text('title'),
  createdAt: ts('created_at').notNull(),
  version: integer('version').notNull(),
});

export const sites = pgTable('sites', {
  id: uuid('id').primaryKey(),
  customerId: uuid('customer_id').notNull(),
  name: text('name').notNull(),
  provinceCode: text('province_code').notNull(),
  cityCode: text('city_code').notNull(),
  districtCode: text('district_code'),
  address: text('address').notNull(),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  createdAt: ts('created_at').notNull(),
  version: integer('version').notNull(),
});
