import { z } from 'zod';
import { patchOf, Timestamp } from './common';
import { isMobileCN } from './validators';

const text = (min: number, max: number, key?: string) =>
  z
    .string()
    .trim()
    .min(min, key ? { message: key } : undefined)
    .max(max);

/** A mainland mobile — what contacts sign in with besides e-mail. */
const Mobile = z.string().trim().refine(isMobileCN, { message: 'validation.mobile' });

/** The account manager invites one contact of a customer to the portal. */
export const CreateInvitation = z
  .object({
    customerId: z.uuid(),
    contactId: z.uuid().nullable().optional(),
    name: text(1, 100),
    mobile: Mobile.nullable().optional(),
    email: z.email().max(200).nullable().optional(),
    /** Days the link stays valid. */
    expiresInDays: z.number().int().min(1).max(30).default(7),
  })
  .refine((v) => !!v.mobile || !!v.email, { path: ['mobile'], message: 'portal.mobile_or_email' });
export type CreateInvitation = z.infer<typeof CreateInvitation>;

export const Invitation = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    customerName: z.string().nullable(),
    contactId: z.uuid().nullable(),
    name: z.string(),
    mobile: z.string().nullable(),
    email: z.string().nullable(),
    state: z.enum(['pending', 'accepted', 'expired', 'revoked']),
    expiresAt: Timestamp,
    acceptedAt: Timestamp.nullable(),
    emailedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof Invitation>;

/** The link is shown once, to the staff member, when no e-mail could carry it. */
export const CreatedInvitation = z.object({ invitation: Invitation, link: z.string(), emailed: z.boolean() });

export const InvitationToken = z.object({ token: z.string().min(16).max(200) });
/** What the invitee sees before choosing a password. */
export const InvitationPreview = z.object({
  name: z.string(),
  customerName: z.string(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  expiresAt: Timestamp,
});
export const AcceptInvitation = InvitationToken.extend({ password: z.string().min(1).max(256) });
/** After accepting, the contact signs in with its phone or e-mail (the username also works). */
export const AcceptedInvitation = z.object({ username: z.string(), signInWith: z.string() });

/** What scanning a device's QR label fills into a fault report. */
export const ScanResult = z
  .object({
    deviceId: z.uuid(),
    assetCode: z.string(),
    serialNumber: z.string(),
    productModelId: z.uuid(),
    modelName: z.string(),
    modelCode: z.string(),
    customerId: z.uuid(),
    customerName: z.string(),
    siteId: z.uuid().nullable(),
    siteName: z.string().nullable(),
    serviceAddress: z.string().nullable(),
    warrantyStatus: z.enum(['in_warranty', 'out_of_warranty', 'unknown']),
    warrantyEndsOn: z.string().nullable(),
  })
  .meta({ id: 'ScanResult' });
export type ScanResult = z.infer<typeof ScanResult>;

export const Faq = z
  .object({
    id: z.uuid(),
    question: z.string(),
    answer: z.string(),
    keywords: z.string(),
    active: z.boolean(),
    unsolvedCount: z.number().int(),
    solvedCount: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'Faq' });
export type Faq = z.infer<typeof Faq>;
export const CreateFaq = z.object({
  question: text(2, 300),
  answer: text(2, 5000),
  keywords: z.string().trim().max(500).default(''),
  active: z.boolean().default(true),
});
export const UpdateFaq = patchOf(CreateFaq);
export const FaqSuggestion = z.object({ id: z.uuid(), question: z.string(), answer: z.string(), score: z.number() });
export const FaqFeedback = z.object({ solved: z.boolean() });

/** A quote line: parts, labour, travel or other, priced in fen (分) so sums are exact. */
export const QuoteLine = z.object({
  kind: z.enum(['part', 'labour', 'travel', 'other']),
  description: text(1, 200),
  sku: z.string().trim().max(64).nullable().optional(),
  quantity: z.number().min(0.01).max(100_000),
  unitPriceFen: z.number().int().min(0).max(1_000_000_000),
});
export type QuoteLine = z.infer<typeof QuoteLine>;
export const CreateQuote = z.object({
  lines: z.array(QuoteLine).min(1).max(100),
  note: z.string().trim().max(2000).nullable().optional(),
  validUntil: z.iso.date().nullable().optional(),
});
export const QuoteState = z.enum(['pending', 'approved', 'rejected', 'withdrawn']);
export const Quote = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    state: QuoteState,
    lines: z.array(QuoteLine.extend({ amountFen: z.number().int() })),
    totalFen: z.number().int(),
    note: z.string().nullable(),
    validUntil: z.string().nullable(),
    decidedAt: Timestamp.nullable(),
    decisionReason: z.string().nullable(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Quote' });
export type Quote = z.infer<typeof Quote>;
export const QuoteDecision = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('approve'),
    version: z.number().int().min(1),
    reason: z.string().trim().max(500).nullish(),
  }),
  z.object({
    decision: z.literal('reject'),
    version: z.number().int().min(1),
    reason: text(2, 500, 'validation.reason'),
  }),
]);
export const WithdrawQuote = z.object({ version: z.number().int().min(1) });

/** Everything a customer needs to follow a ticket like a parcel. */
export const Tracking = z
  .object({
    ticketId: z.uuid(),
    number: z.string(),
    state: z.string(),
    engineer: z.object({ name: z.string(), mobile: z.string().nullable() }).nullable(),
    nextVisit: z
      .object({
        plannedStart: Timestamp,
        plannedEnd: Timestamp,
        checkedInAt: Timestamp.nullable(),
        checkedOutAt: Timestamp.nullable(),
      })
      .nullable(),
    promise: z
      .object({ respondBy: Timestamp.nullable(), resolveBy: Timestamp.nullable() })
      .describe('Due times of the SLA clocks (the sla module keeps them on the ticket)'),
    pendingQuoteId: z.uuid().nullable(),
    surveyId: z.uuid().nullable(),
  })
  .meta({ id: 'Tracking' });
export type Tracking = z.infer<typeof Tracking>;

export const LabelQuery = z.object({
  ids: z
    .string()
    .regex(/^[0-9a-f-]{36}(,[0-9a-f-]{36}){0,199}$/i, { message: 'validation.ids' })
    .describe('Comma-separated device ids (at most 200)'),
});
