import { bigint, boolean, integer, jsonb, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0004_tickets.sql. */
export const faultCategories = pgTable('fault_categories', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull(),
  parentId: uuid('parent_id'),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull(),
  active: boolean('active').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const faultSynonyms = pgTable('fault_synonyms', {
  normalised: text('normalised').primaryKey(),
  phrase: text('phrase').notNull(),
  categoryId: uuid('category_id').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const tickets = pgTable('tickets', {
  id: uuid('id').primaryKey(),
  number: text('number').notNull(),
  version: integer('version').notNull(),
  type: text('type').notNull(),
  channel: text('channel').notNull(),
  state: text('state').notNull(),
  suspendedFrom: text('suspended_from'),
  priority: text('priority'),
  severity: text('severity').notNull(),
  serviceType: text('service_type').notNull(),
  customerId: uuid('customer_id'),
  contactName: text('contact_name').notNull(),
  contactPhone: text('contact_phone'),
  contactEmail: text('contact_email'),
  siteId: uuid('site_id'),
  serviceAddress: text('service_address'),
  regionCode: text('region_code'),
  productModelId: uuid('product_model_id'),
  deviceId: uuid('device_id'),
  serialNumber: text('serial_number'),
  assetCode: text('asset_code'),
  unknownDevice: boolean('unknown_device').notNull(),
  contractId: uuid('contract_id'),
  orderNumber: text('order_number'),
  warrantyStatus: text('warranty_status'),
  faultAt: ts('fault_at'),
  title: text('title').notNull(),
  description: text('description').notNull(),
  categoryId: uuid('category_id'),
  initialDiagnosis: text('initial_diagnosis'),
  reporterId: uuid('reporter_id'),
  reporterName: text('reporter_name'),
  reportedAt: ts('reported_at').notNull(),
  assigneeId: uuid('assignee_id'),
  teamId: uuid('team_id'),
  responseDueAt: ts('response_due_at'),
  resolutionDueAt: ts('resolution_due_at'),
  /** The next running SLA deadline; written by the sla module (0010_sla.sql). */
  slaDueAt: ts('sla_due_at'),
  firstRespondedAt: ts('first_responded_at'),
  resolvedAt: ts('resolved_at'),
  closedAt: ts('closed_at'),
  cancelledAt: ts('cancelled_at'),
  resolution: jsonb('resolution'),
  confirmation: jsonb('confirmation'),
  csat: smallint('csat'),
  repeatOf: uuid('repeat_of'),
  isRepeat: boolean('is_repeat').notNull(),
  reopenCount: integer('reopen_count').notNull(),
  fields: jsonb('fields').notNull(),
  /** On-site visits of an imported historical ticket (0025_imported_visits.sql); null for native ones. */
  importedVisits: smallint('imported_visits'),
  /** The workflow version the ticket started with and its stage there (0017_workflows.sql). */
  workflowVersionId: uuid('workflow_version_id').notNull(),
  stage: text('stage').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const visits = pgTable('visits', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull(),
  engineerId: uuid('engineer_id').notNull(),
  plannedStart: ts('planned_start').notNull(),
  plannedEnd: ts('planned_end').notNull(),
  checkedInAt: ts('checked_in_at'),
  checkedOutAt: ts('checked_out_at'),
  checkInLocation: jsonb('check_in_location'),
  checkOutLocation: jsonb('check_out_location'),
  notes: text('notes'),
  acceptedAt: ts('accepted_at'),
  declinedAt: ts('declined_at'),
  declineReason: text('decline_reason'),
  createdAt: ts('created_at').notNull(),
});

export const ticketLinks = pgTable(
  'ticket_links',
  {
    ticketId: uuid('ticket_id').notNull(),
    linkedTicketId: uuid('linked_ticket_id').notNull(),
    kind: text('kind').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.linkedTicketId] })],
);

export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey(),
  /** Null while the upload waits for the report form that names it (an attachment field). */
  ticketId: uuid('ticket_id'),
  kind: text('kind').notNull(),
  mimeType: text('mime_type').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  thumbnailKey: text('thumbnail_key'),
  width: integer('width'),
  height: integer('height'),
  originalName: text('original_name').notNull(),
  visibility: text('visibility').notNull(),
  uploadedBy: uuid('uploaded_by'),
  createdAt: ts('created_at').notNull(),
});
