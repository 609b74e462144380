import { z } from 'zod';
import { Timestamp } from './common';

/** Where a report came from: every channel lands in the same standard ticket. */
export const Channel = z.enum(['phone', 'wechat', 'portal', 'email', 'api', 'field', 'telemetry']);
export type Channel = z.infer<typeof Channel>;

/** Ticket types (维修, 安装, 巡检, 咨询, 预防性维护); each has its own workflow. */
export const TicketType = z.enum(['repair', 'installation', 'inspection', 'consultation', 'maintenance']);
export type TicketType = z.infer<typeof TicketType>;

/** Seed 001's triage levels: P0 production stopped / safety … P3 consultation. */
export const Priority = z.enum(['P0', 'P1', 'P2', 'P3']);
export type Priority = z.infer<typeof Priority>;

export const Severity = z.enum(['critical', 'major', 'minor', 'cosmetic']);
export const ServiceType = z.enum(['remote', 'onsite', 'return_to_factory']);

/**
 * The five-step lifecycle (seed 001 §二): new → triaged → remote_support → dispatched → on_site →
 * resolved → awaiting_confirmation → closed; plus suspended (remembers where it was) and cancelled.
 */
export const TicketState = z.enum([
  'new',
  'triaged',
  'remote_support',
  'dispatched',
  'on_site',
  'resolved',
  'awaiting_confirmation',
  'closed',
  'suspended',
  'cancelled',
]);
export type TicketState = z.infer<typeof TicketState>;

const text = (min: number, max: number, key?: string) =>
  z
    .string()
    .trim()
    .min(min, key ? { message: key } : undefined)
    .max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/** The standard fault report (seed 001 §一.1). A device, when known, fills in the rest. */
export const CreateTicket = z.object({
  /** The ticket type; its active workflow version applies to the new ticket. */
  type: TicketType.default('repair'),
  channel: Channel,
  customerId: z.uuid().nullable().optional(),
  contactName: text(1, 100),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[+\d][\d\s-]{5,19}$/, { message: 'validation.phone' })
    .nullable()
    .optional(),
  contactEmail: z.email().max(200).nullable().optional(),
  siteId: z.uuid().nullable().optional(),
  serviceAddress: optionalText(300),
  deviceId: z.uuid().nullable().optional(),
  productModelId: z.uuid().nullable().optional(),
  serialNumber: optionalText(64),
  assetCode: optionalText(64),
  orderNumber: optionalText(64),
  faultAt: z.iso.datetime({ offset: true }).nullable().optional(),
  title: text(2, 200, 'validation.ticket.title'),
  description: text(10, 5000, 'validation.ticket.description_too_short'),
  severity: Severity.default('major'),
  categoryId: z.uuid().nullable().optional(),
  /** A free-text problem type as the reporter wrote it; mapped to a category through the synonym list. */
  problemType: optionalText(100),
  initialDiagnosis: optionalText(2000),
  serviceType: ServiceType.default('remote'),
  reporterName: optionalText(100),
  /** Custom fields of the ticket type (configured per installation). */
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type CreateTicket = z.infer<typeof CreateTicket>;

export const Location = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });
export const Checklist = z.object({
  functionalTest: z.boolean(),
  stressTest: z.boolean(),
  relatedPartsCheck: z.boolean(),
});
export const PartUsed = z.object({
  sku: text(1, 64),
  name: text(1, 200),
  quantity: z.number().int().min(1).max(10_000),
});
/** A PNG data URL of the customer's signature, at most ~200 kB. */
export const Signature = z
  .string()
  .max(280_000)
  .regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, { message: 'validation.signature' });
const reason = text(2, 500, 'validation.reason');
const DeviceTime = z.iso.datetime({ offset: true });

/** Every transition names the version it was based on; a stale one is a 409. */
const command = <A extends string, S extends z.ZodRawShape>(action: A, shape: S) =>
  z.object({ action: z.literal(action), version: z.number().int().min(1), ...shape });

/**
 * The commands the engineer's phone also queues (field-app.ts), named for it. Accept or decline a
 * visit (declining sends the ticket back to the dispatcher); check in and out with `at`, when it
 * happened on the device (an offline phone syncs later; never in the future).
 */
export const AcceptCommand = command('accept', { visitId: z.uuid() });
export const DeclineCommand = command('decline', { visitId: z.uuid(), reason });
export const CheckInCommand = command('check_in', {
  visitId: z.uuid(),
  location: Location.nullable().optional(),
  at: DeviceTime.optional(),
});
export const CheckOutCommand = command('check_out', {
  visitId: z.uuid(),
  location: Location.nullable().optional(),
  note: optionalText(2000),
  at: DeviceTime.optional(),
});
export const ResolveCommand = command('resolve', {
  diagnosis: optionalText(2000),
  rootCause: text(2, 2000, 'validation.ticket.root_cause'),
  actionsTaken: text(2, 5000, 'validation.ticket.actions'),
  partsUsed: z.array(PartUsed).max(100).default([]),
  labourMinutes: z.number().int().min(0).max(100_000),
  travelMinutes: z.number().int().min(0).max(100_000).default(0),
  checklist: Checklist,
});
export const ConfirmCommand = command('confirm', {
  signature: Signature,
  csat: z.number().int().min(1).max(5),
  comment: optionalText(2000),
});
export const CommentCommand = command('comment', {
  body: text(1, 5000),
  visibility: z.enum(['internal', 'customer']).default('internal'),
});

export const TicketCommand = z.discriminatedUnion('action', [
  command('triage', { priority: Priority, categoryId: z.uuid().nullable().optional(), note: optionalText(2000) }),
  command('start_remote', { note: optionalText(2000) }),
  command('record_remote', { note: text(1, 5000) }),
  command('dispatch', {
    engineerId: z.uuid(),
    plannedStart: z.iso.datetime({ offset: true }),
    plannedEnd: z.iso.datetime({ offset: true }),
    note: optionalText(2000),
  }),
  AcceptCommand,
  DeclineCommand,
  CheckInCommand,
  CheckOutCommand,
  ResolveCommand,
  command('request_confirmation', {}),
  ConfirmCommand,
  command('close', { overrideReason: optionalText(500) }),
  command('suspend', { reason }),
  command('resume', {}),
  command('transfer', { toUserId: z.uuid().nullable().optional(), toTeamId: z.uuid().nullable().optional(), reason }),
  command('cancel', { reason }),
  command('reopen', { reason }),
  CommentCommand,
]);
export type TicketCommand = z.infer<typeof TicketCommand>;
export type TicketAction = TicketCommand['action'];

export const Visit = z
  .object({
    id: z.uuid(),
    engineerId: z.uuid(),
    plannedStart: Timestamp,
    plannedEnd: Timestamp,
    checkedInAt: Timestamp.nullable(),
    checkedOutAt: Timestamp.nullable(),
    acceptedAt: Timestamp.nullable().optional(),
    declinedAt: Timestamp.nullable().optional(),
  })
  .meta({ id: 'Visit' });

export const Ticket = z
  .object({
    id: z.uuid(),
    number: z.string(),
    version: z.number().int(),
    type: TicketType,
    /** The workflow version the ticket started with, and its stage in it. */
    workflowVersionId: z.uuid(),
    stage: z.string(),
    channel: Channel,
    state: TicketState,
    suspendedFrom: TicketState.nullable(),
    priority: Priority.nullable(),
    severity: Severity,
    serviceType: ServiceType,
    customerId: z.uuid().nullable(),
    customerName: z.string().nullable(),
    contactName: z.string(),
    contactPhone: z.string().nullable(),
    contactEmail: z.string().nullable(),
    siteId: z.uuid().nullable(),
    serviceAddress: z.string().nullable(),
    regionCode: z.string().nullable(),
    productModelId: z.uuid().nullable(),
    deviceId: z.uuid().nullable(),
    serialNumber: z.string().nullable(),
    assetCode: z.string().nullable(),
    unknownDevice: z.boolean(),
    contractId: z.uuid().nullable(),
    orderNumber: z.string().nullable(),
    warrantyStatus: z.string().nullable(),
    faultAt: Timestamp.nullable(),
    title: z.string(),
    description: z.string(),
    categoryId: z.uuid().nullable(),
    initialDiagnosis: z.string().nullable(),
    reporterName: z.string().nullable(),
    reportedAt: Timestamp,
    assigneeId: z.uuid().nullable(),
    /** The assignee's display name (lists and the ticket page). */
    assigneeName: z.string().nullable().optional(),
    teamId: z.uuid().nullable(),
    responseDueAt: Timestamp.nullable(),
    resolutionDueAt: Timestamp.nullable(),
    firstRespondedAt: Timestamp.nullable(),
    resolvedAt: Timestamp.nullable(),
    closedAt: Timestamp.nullable(),
    resolution: z.unknown().nullable(),
    confirmation: z.unknown().nullable(),
    csat: z.number().int().nullable(),
    isRepeat: z.boolean(),
    repeatOf: z.uuid().nullable(),
    reopenCount: z.number().int(),
    fields: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    visits: z.array(Visit).optional(),
    allowedActions: z.array(z.string()).optional(),
  })
  .meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof Ticket>;

export const CreatedTicket = z
  .object({
    ticket: Ticket,
    /** Likely duplicates found at intake: same device with an open ticket, or same customer and a similar description within 24 h. */
    possibleDuplicates: z.array(z.object({ id: z.uuid(), number: z.string(), title: z.string(), reason: z.string() })),
  })
  .meta({ id: 'CreatedTicket' });

export const TicketQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().trim().max(200).optional(),
  state: z
    .union([TicketState, z.string().regex(/^[a-z_]+(,[a-z_]+)*$/)])
    .optional()
    .describe('One state or a comma-separated list'),
  priority: Priority.optional(),
  categoryId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  deviceId: z.uuid().optional(),
  productModelId: z.uuid().optional(),
  batch: z.string().trim().max(64).optional().describe('Production batch of the device'),
  field: z
    .string()
    .regex(/^[a-zA-Z][\w]{0,49}=.{1,100}$/)
    .optional()
    .describe('A custom field condition, `key=value`'),
  assigneeId: z.uuid().optional(),
  regionCode: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  channel: Channel.optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  sort: z
    .enum(['created_desc', 'created_asc', 'due_asc', 'priority', 'sla_asc'])
    .default('created_desc')
    .describe('sla_asc: nearest to breaching an SLA clock first'),
});

export const TimelineEntry = z
  .object({
    id: z.uuid(),
    occurredAt: Timestamp,
    type: z.string(),
    actorId: z.uuid().nullable(),
    actorName: z.string().nullable(),
    visibility: z.enum(['internal', 'customer']),
    changes: z.record(z.string(), z.unknown()),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const FaultCategory = z
  .object({
    id: z.uuid(),
    code: z.string(),
    parentId: z.uuid().nullable(),
    nameZh: z.string(),
    nameEn: z.string(),
    sort: z.number().int(),
    active: z.boolean(),
  })
  .meta({ id: 'FaultCategory' });
export type FaultCategory = z.infer<typeof FaultCategory>;

export const CreateFaultCategory = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9_.-]+$/, { message: 'validation.code' }),
  parentId: z.uuid().nullable().optional(),
  nameZh: text(1, 100),
  nameEn: text(1, 100),
  sort: z.number().int().min(0).max(10_000).default(0),
});

export const FaultSynonym = z.object({ phrase: text(1, 100), categoryId: z.uuid() });

export const LinkTicket = z.object({ linkedTicketId: z.uuid(), kind: z.enum(['duplicate', 'related', 'follow_up']) });

/**
 * One action on many tickets from the list (beyond the single-ticket page): each ticket goes
 * through the normal command path with the version the list showed, so one stale or refused
 * ticket fails alone and the others still change.
 */
export const BulkTicketAction = z.object({
  tickets: z
    .array(z.object({ id: z.uuid(), version: z.number().int().min(1) }))
    .min(1)
    .max(100),
  command: z.discriminatedUnion('action', [
    z.object({
      action: z.literal('transfer'),
      toUserId: z.uuid().nullable().optional(),
      toTeamId: z.uuid().nullable().optional(),
      reason,
    }),
    z.object({ action: z.literal('priority'), priority: Priority }),
    z.object({ action: z.literal('close'), reason }),
  ]),
});
export type BulkTicketAction = z.infer<typeof BulkTicketAction>;

/** Per ticket, in the order sent: its new version, or why it was refused. */
export const BulkTicketResult = z.array(
  z.object({
    id: z.uuid(),
    ok: z.boolean(),
    version: z.number().int().optional(),
    status: z.number().int().optional(),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional(),
  }),
);
export type BulkTicketResult = z.infer<typeof BulkTicketResult>;
