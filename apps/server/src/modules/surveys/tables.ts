import { pgTable, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of the surveys table (0014_portal.sql). */
export const surveys = pgTable('surveys', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull(),
  customerId: uuid('customer_id'),
  state: text('state').notNull(),
  csat: smallint('csat'),
  csatSource: text('csat_source'),
  nps: smallint('nps'),
  comment: text('comment'),
  emailedAt: ts('emailed_at'),
  createdAt: ts('created_at').notNull(),
  answeredAt: ts('answered_at'),
  answeredBy: uuid('answered_by'),
});
