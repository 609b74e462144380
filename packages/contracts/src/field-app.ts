import { z } from 'zod';
import { Timestamp } from './common';
import {
  AcceptCommand,
  CheckInCommand,
  CheckOutCommand,
  CommentCommand,
  ConfirmCommand,
  DeclineCommand,
  Location,
  ResolveCommand,
} from './tickets';

/**
 * The engineer's phone app (/field). The phone writes only through operations it queues: each has
 * the id the phone gave it and the ticket version it was based on, and the server applies it once
 * (a replay answers with the first outcome) or keeps it as a conflict when the ticket moved under it.
 */

const DeviceTime = z.iso.datetime({ offset: true });

/** Ticket commands (the version comes from the operation's base version) and the phone's own. */
export const FieldCommand = z.discriminatedUnion('action', [
  AcceptCommand.omit({ version: true }),
  DeclineCommand.omit({ version: true }),
  CheckInCommand.omit({ version: true }),
  CheckOutCommand.omit({ version: true }),
  ResolveCommand.omit({ version: true }),
  ConfirmCommand.omit({ version: true }),
  CommentCommand.omit({ version: true }),
  /** A helper on the visit checks in or out for themself. */
  z.object({
    action: z.literal('assist_check_in'),
    visitId: z.uuid(),
    location: Location.nullable().optional(),
    at: DeviceTime.optional(),
  }),
  z.object({
    action: z.literal('assist_check_out'),
    visitId: z.uuid(),
    location: Location.nullable().optional(),
    at: DeviceTime.optional(),
  }),
  /** Parts the van lacks, asked of a warehouse (a requisition). */
  z.object({
    action: z.literal('request_parts'),
    note: z.string().trim().max(1000).nullable().optional(),
    lines: z
      .array(z.object({ partId: z.uuid(), warehouseId: z.uuid(), quantity: z.number().int().min(1).max(10_000) }))
      .min(1)
      .max(50),
  }),
]);
export type FieldCommand = z.infer<typeof FieldCommand>;
export type FieldAction = FieldCommand['action'];

export const FieldOp = z.object({
  /** Made by the phone when the engineer acted; the key of exactly-once. */
  opId: z.uuid(),
  ticketId: z.uuid(),
  /** The ticket version the phone had when the engineer acted. */
  baseVersion: z.number().int().min(1),
  createdAt: DeviceTime,
  command: FieldCommand,
});
export type FieldOp = z.infer<typeof FieldOp>;

export const SyncRequest = z.object({ ops: z.array(FieldOp).min(1).max(100) });

export const SyncHappening = z.object({
  type: z.string(),
  occurredAt: Timestamp,
  actorName: z.string().nullable(),
  changes: z.record(z.string(), z.unknown()),
});

export const OpResult = z
  .object({
    opId: z.uuid(),
    status: z.enum(['applied', 'conflict']),
    /** True when this op had been received before: the answer is its first outcome. */
    replayed: z.boolean(),
    ticketVersion: z.number().int().nullable(),
    /** For a conflict: the error code and its message in the reader's language. */
    code: z.string().nullable(),
    message: z.string().nullable(),
    /** For a conflict: what others did to the ticket since the op's base version. */
    happened: z.array(SyncHappening),
    /** What the op did beyond the ticket: parts consumed from the van, a requisition. */
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'FieldOpResult' });
export type OpResult = z.infer<typeof OpResult>;

export const SyncResponse = z.object({ results: z.array(OpResult) });
export type SyncResponse = z.infer<typeof SyncResponse>;

export const FieldJobsQuery = z.object({ date: z.iso.date().optional() });

export const FieldJob = z
  .object({
    visitId: z.uuid(),
    role: z.enum(['lead', 'assistant']),
    plannedStart: Timestamp,
    plannedEnd: Timestamp,
    acceptedAt: Timestamp.nullable(),
    /** The visit's own check-in (the lead's), or the helper's when role is assistant. */
    checkedInAt: Timestamp.nullable(),
    checkedOutAt: Timestamp.nullable(),
    leadName: z.string(),
    assistants: z.array(z.object({ engineerId: z.uuid(), displayName: z.string(), checkedInAt: Timestamp.nullable() })),
    ticket: z.object({
      id: z.uuid(),
      number: z.string(),
      version: z.number().int(),
      state: z.string(),
      priority: z.string().nullable(),
      title: z.string(),
      description: z.string(),
      customerName: z.string().nullable(),
      contactName: z.string(),
      contactPhone: z.string().nullable(),
      contactEmail: z.string().nullable(),
      address: z.string().nullable(),
      deviceId: z.uuid().nullable(),
      serialNumber: z.string().nullable(),
      modelName: z.string().nullable(),
      categoryId: z.uuid().nullable(),
      initialDiagnosis: z.string().nullable(),
      resolution: z.unknown().nullable(),
      confirmed: z.boolean(),
      slaDueAt: Timestamp.nullable(),
    }),
  })
  .meta({ id: 'FieldJob' });
export type FieldJob = z.infer<typeof FieldJob>;

/** One job with what the engineer needs on site: the device's history, related knowledge, the van. */
export const FieldJobDetail = z
  .object({
    job: FieldJob,
    deviceHistory: z.array(
      z.object({
        ticketId: z.uuid(),
        number: z.string(),
        title: z.string(),
        state: z.string(),
        reportedAt: Timestamp,
        rootCause: z.string().nullable(),
        actionsTaken: z.string().nullable(),
      }),
    ),
    /** Resolved tickets of the same fault category on the same product model: how others fixed it. */
    knowledge: z.array(
      z.object({
        ticketId: z.uuid(),
        number: z.string(),
        title: z.string(),
        rootCause: z.string(),
        actionsTaken: z.string(),
      }),
    ),
    categoryName: z.string().nullable(),
    van: z.object({
      warehouseId: z.uuid().nullable(),
      parts: z.array(
        z.object({
          partId: z.uuid(),
          sku: z.string(),
          name: z.string(),
          available: z.number().int(),
          fits: z.boolean(),
        }),
      ),
    }),
  })
  .meta({ id: 'FieldJobDetail' });
export type FieldJobDetail = z.infer<typeof FieldJobDetail>;

export const SetAssistants = z.object({ engineerIds: z.array(z.uuid()).max(5) });
