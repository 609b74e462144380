import type { SurveySummary } from '@serviceloop/contracts';

/** Counts the database hands over for one period. */
export interface SurveyCounts {
  sent: number;
  answered: number;
  promoters: number;
  passives: number;
  detractors: number;
  csatResponses: number;
  csatSum: number;
}

const percent = (part: number, whole: number) => Math.round((part / whole) * 1000) / 10;

/**
 * NPS = % promoters (9–10) − % detractors (0–6) of those who gave a score, from −100 to 100, one
 * decimal; response rate = answered ÷ sent, in percent. No answers → null, not 0: "nobody said"
 * is not "neutral".
 */
export function summarise(c: SurveyCounts): SurveySummary {
  const npsResponses = c.promoters + c.passives + c.detractors;
  return {
    sent: c.sent,
    answered: c.answered,
    responseRate: c.sent ? percent(c.answered, c.sent) : null,
    npsResponses,
    promoters: c.promoters,
    passives: c.passives,
    detractors: c.detractors,
    nps: npsResponses ? Math.round(((c.promoters - c.detractors) / npsResponses) * 1000) / 10 : null,
    csatResponses: c.csatResponses,
    csatAverage: c.csatResponses ? Math.round((c.csatSum / c.csatResponses) * 100) / 100 : null,
  };
}

/** Where one 0–10 answer falls. */
export const npsGroup = (score: number) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');
