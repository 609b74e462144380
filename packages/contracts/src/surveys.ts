import { z } from 'zod';
import { Timestamp } from './common';

export const Survey = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    ticketNumber: z.string(),
    ticketTitle: z.string(),
    state: z.enum(['pending', 'answered']),
    csat: z.number().int().nullable(),
    /** `confirmation`: the customer already rated while signing; the survey then asks only NPS. */
    csatSource: z.enum(['confirmation', 'survey']).nullable(),
    nps: z.number().int().nullable(),
    comment: z.string().nullable(),
    createdAt: Timestamp,
    answeredAt: Timestamp.nullable(),
  })
  .meta({ id: 'Survey' });
export type Survey = z.infer<typeof Survey>;

export const SurveyQuery = z.object({
  state: z.enum(['pending', 'answered']).optional(),
  ticketId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const AnswerSurvey = z.object({
  csat: z.number().int().min(1).max(5).nullable().optional(),
  nps: z.number().int().min(0).max(10),
  comment: z.string().trim().max(2000).nullable().optional(),
});

export const SurveySummaryQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/**
 * Below this many NPS answers a score is noise (one answer moves it by over 3 points), so screens
 * and documents show how many answers there are instead of a score; docs/kpis.md.
 */
export const NPS_MIN_ANSWERS = 30;

/** The NPS to show a reader: the score once it rests on NPS_MIN_ANSWERS answers, else null. */
export const shownNps = (score: number | null, answers: number) => (answers >= NPS_MIN_ANSWERS ? score : null);

/** NPS = % promoters (9–10) − % detractors (0–6) of NPS answers; response rate = answered / sent. */
export const SurveySummary = z
  .object({
    sent: z.number().int(),
    answered: z.number().int(),
    responseRate: z.number().nullable(),
    npsResponses: z.number().int(),
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    nps: z.number().nullable(),
    csatResponses: z.number().int(),
    csatAverage: z.number().nullable(),
  })
  .meta({ id: 'SurveySummary' });
export type SurveySummary = z.infer<typeof SurveySummary>;
