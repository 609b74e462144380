import { bigint, boolean, date, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0014_portal.sql (the portal's part; surveys live in their module). */
export const portalInvitations = pgTable('portal_invitations', {
  id: uuid('id').primaryKey(),
  customerId: uuid('customer_id').notNull(),
  contactId: uuid('contact_id'),
  name: text('name').notNull(),
  mobile: text('mobile'),
  email: text('email'),
  tokenHash: text('token_hash').notNull(),
  expiresAt: ts('expires_at').notNull(),
  acceptedAt: ts('accepted_at'),
  revokedAt: ts('revoked_at'),
  userId: uuid('user_id'),
  emailedAt: ts('emailed_at'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull(),
});

export const portalFaqs = pgTable('portal_faqs', {
  id: uuid('id').primaryKey(),
  question: text('question').notNull(),
  answer: text('answer').notNull(),
  keywords: text('keywords').notNull(),
  active: boolean('active').notNull(),
  unsolvedCount: integer('unsolved_count').notNull(),
  solvedCount: integer('solved_count').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export interface StoredQuoteLine {
  kind: 'part' | 'labour' | 'travel' | 'other';
  description: string;
  sku: string | null;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
}

export const quotes = pgTable('quotes', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull(),
  customerId: uuid('customer_id'),
  state: text('state').notNull(),
  lines: jsonb('lines').$type<StoredQuoteLine[]>().notNull(),
  totalFen: bigint('total_fen', { mode: 'number' }).notNull(),
  note: text('note'),
  validUntil: date('valid_until', { mode: 'string' }),
  decidedBy: uuid('decided_by'),
  decidedAt: ts('decided_at'),
  decisionReason: text('decision_reason'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull(),
  version: integer('version').notNull(),
});
