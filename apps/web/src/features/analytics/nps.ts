import { NPS_MIN_ANSWERS, shownNps } from '@serviceloop/contracts';
import type { TFunction } from 'i18next';

/** An NPS as a reader sees it: the score (or — below the minimum sample) and a note with the sample size. */
export function npsFigure(t: TFunction, score: number | null, answers: number): { value: string; note: string } {
  const shown = shownNps(score, answers);
  return {
    value: shown === null ? '—' : shown.toFixed(1),
    note:
      answers >= NPS_MIN_ANSWERS
        ? t('analytics.npsSample', { n: answers })
        : t('analytics.npsTooFew', { n: answers, min: NPS_MIN_ANSWERS }),
  };
}
