import type { TFunction } from 'i18next';

/** Working minutes as hours and minutes; a working day is not 24 hours, so no days. */
export const workingTime = (minutes: number, t: TFunction) => {
  const abs = Math.abs(Math.round(minutes));
  return t('sla.duration', { h: Math.floor(abs / 60), m: abs % 60 });
};
