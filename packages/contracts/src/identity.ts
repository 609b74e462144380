import { z } from 'zod';
import { Locale, Timestamp } from './common';
import { Action, DataScope, PolicyRule, Resource, Role, TokenScope } from './permissions';

export const LoginRequest = z.object({
  /** A username; customer contacts may use their mobile number or e-mail address instead. */
  username: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** What the web needs to decide what to show: who I am and what I may do. */
export const Me = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(Role),
    locale: Locale,
    customerId: z.uuid().nullable(),
    teamIds: z.array(z.uuid()),
    regionCodes: z.array(z.string()),
    csrfToken: z.string().describe('Send as X-CSRF-Token on every write made with the session cookie'),
    passwordExpired: z.boolean(),
    /** The rules that apply to me, for hiding what I may not do (the server enforces them regardless). */
    permissions: z.array(
      z.object({ resource: Resource, action: Action, scope: DataScope, hiddenFields: z.array(z.string()) }),
    ),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const UpdatePreferences = z.object({ locale: Locale });

export const ChangePassword = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const Team = z.object({ id: z.uuid(), name: z.string(), regionCodes: z.array(z.string()) }).meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;
export const CreateTeam = z.object({
  name: z.string().trim().min(1).max(100),
  regionCodes: z
    .array(z.string().regex(/^\d{6}$/))
    .max(50)
    .default([]),
});

export const User = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    mobile: z.string().nullable(),
    roles: z.array(Role),
    teamIds: z.array(z.uuid()),
    regionCodes: z.array(z.string()),
    customerId: z.uuid().nullable(),
    locale: Locale,
    active: z.boolean(),
    lastLoginAt: Timestamp.nullable(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

const Username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, { message: 'validation.username' });

export const CreateUser = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(100),
  email: z.email().max(200).nullable().optional(),
  mobile: z.string().trim().max(20).nullable().optional(),
  password: z.string().min(1).max(256),
  roles: z.array(Role).min(1),
  teamIds: z.array(z.uuid()).default([]),
  regionCodes: z
    .array(z.string().regex(/^\d{6}$/))
    .max(50)
    .default([]),
  customerId: z.uuid().nullable().optional(),
  locale: Locale.default('zh-CN'),
});
export type CreateUser = z.infer<typeof CreateUser>;

export const UpdateUser = z.object({
  version: z.number().int().min(1),
  displayName: z.string().trim().min(1).max(100).optional(),
  email: z.email().max(200).nullable().optional(),
  mobile: z.string().trim().max(20).nullable().optional(),
  roles: z.array(Role).min(1).optional(),
  teamIds: z.array(z.uuid()).optional(),
  regionCodes: z
    .array(z.string().regex(/^\d{6}$/))
    .max(50)
    .optional(),
  customerId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
});

export const ResetPassword = z.object({ newPassword: z.string().min(1).max(256) });

export const PasswordPolicy = z
  .object({
    minLength: z.number().int().min(8).max(128),
    /** 等保-style: at least three of lower, upper, digit, symbol. */
    requireComplexity: z.boolean(),
    /** Days until a password must be changed; 0 = never. */
    expiryDays: z.number().int().min(0).max(3650),
    refuseCommon: z.boolean(),
  })
  .meta({ id: 'PasswordPolicy' });
export type PasswordPolicy = z.infer<typeof PasswordPolicy>;

/**
 * How long finished bookkeeping is kept before the daily clean-up deletes it, in days
 * (docs/operations.md). Events — the timeline and audit log — are not bookkeeping and are kept.
 */
export const RetentionSettings = z
  .object({
    /** Jobs that finished or failed for good. */
    finishedJobsDays: z.number().int().min(1).max(3650),
    /** Idempotency-Key records: the stored first response a retry is answered with. */
    idempotencyKeysDays: z.number().int().min(1).max(3650),
    /** Sessions after they expired or were signed out. */
    endedSessionsDays: z.number().int().min(1).max(3650),
    /** Outbox rows whose delivery gave up, and outbound messages sent or given up (the delivery log). */
    finishedDeliveriesDays: z.number().int().min(1).max(3650),
  })
  .meta({ id: 'RetentionSettings' });
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const DEFAULT_RETENTION: RetentionSettings = {
  finishedJobsDays: 30,
  idempotencyKeysDays: 7,
  endedSessionsDays: 30,
  finishedDeliveriesDays: 90,
};

export const ApiToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(TokenScope),
    expiresAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;

export const CreateApiToken = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(TokenScope).min(1).max(50),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});
/** The secret appears in this response only; the server keeps a hash. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });

export const PolicyDocument = z.object({ rules: z.array(PolicyRule) }).meta({ id: 'Policy' });
export type PolicyDocument = z.infer<typeof PolicyDocument>;

export const AuditEvent = z
  .object({
    id: z.uuid(),
    occurredAt: Timestamp,
    type: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    actorKind: z.string(),
    actorId: z.uuid().nullable(),
    actorName: z.string().nullable(),
    changes: z.record(z.string(), z.unknown()),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });
