import type { Certification, Leave, ShiftWindow } from '@serviceloop/contracts';

/**
 * Dispatch days are China Standard Time: UTC+8 all year (no daylight saving), so a local
 * minute of a date is plain arithmetic. An installation in another zone would change this file.
 */
export const UTC_OFFSET_MINUTES = 8 * 60;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** The instant local midnight of `date` (YYYY-MM-DD) begins. */
export const dayStart = (date: string): Date => new Date(Date.parse(`${date}T00:00:00Z`) - UTC_OFFSET_MINUTES * MINUTE);

/** The local date of an instant. */
export const localDate = (at: Date): string =>
  new Date(at.getTime() + UTC_OFFSET_MINUTES * MINUTE).toISOString().slice(0, 10);

/** Minutes since local midnight of `date` (negative before it, beyond 1440 after it). */
export const minuteOf = (date: string, at: Date): number => (at.getTime() - dayStart(date).getTime()) / MINUTE;

export const instantAt = (date: string, minute: number): Date => new Date(dayStart(date).getTime() + minute * MINUTE);

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export const weekdayOf = (date: string): number => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

export const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const onLeave = (leave: Pick<Leave, 'from' | 'to'>[], date: string): boolean =>
  leave.some((l) => l.from <= date && date <= l.to);

/** The working window of a date in local minutes, or null when the engineer is off or on leave. */
export function shiftOn(
  profile: { workingHours: Pick<ShiftWindow, 'weekday' | 'start' | 'end'>[]; leave: Pick<Leave, 'from' | 'to'>[] },
  date: string,
): { start: number; end: number } | null {
  if (onLeave(profile.leave, date)) return null;
  const window = profile.workingHours.find((w) => w.weekday === weekdayOf(date));
  return window ? { start: toMinutes(window.start), end: toMinutes(window.end) } : null;
}

/** Skills an engineer can be sent for on a date: their skills plus certifications still valid then. */
export const skillsOn = (
  profile: { skills: string[]; certifications: Pick<Certification, 'tag' | 'expiresOn'>[] },
  date: string,
): string[] => [
  ...new Set([
    ...profile.skills,
    ...profile.certifications.filter((c) => c.expiresOn === null || c.expiresOn >= date).map((c) => c.tag),
  ]),
];
