import ICAL from 'ical.js';

/**
 * Reads a holiday schedule from an iCalendar file (the "China holidays" calendars that calendar
 * apps and government-notice feeds publish). Pure. Each event covers one or more days — all-day
 * events from DTSTART up to the exclusive DTEND, a timed event its start day — and is a day off,
 * unless its summary names a working day: 班 (上班, 补班, "春节调休上班") or "workday"/"working day".
 */
export interface IcsDay {
  date: string;
  name: string;
  kind: 'holiday' | 'workday';
}

const WORKING = /班|\bwork(ing)?\s*day\b|make-?up/i;
/** A schedule spans a few weeks a year; a longer event is a mistake, not 300 days off. */
const MAX_EVENT_DAYS = 31;

export class IcsError extends Error {}

export function readHolidayIcs(text: string): IcsDay[] {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new IcsError(String((error as Error)?.message ?? error));
  }
  const days = new Map<string, IcsDay>();
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    if (!event.startDate) continue;
    const name = (event.summary ?? '').trim().slice(0, 50);
    const kind = WORKING.test(name) ? 'workday' : 'holiday';
    const day = event.startDate.clone();
    day.isDate = true;
    const end = event.startDate.isDate && event.endDate ? event.endDate : null;
    for (let i = 0; i < MAX_EVENT_DAYS; i++) {
      const date = day.toString().slice(0, 10);
      // A working day wins over a day off named for the same date by another event.
      if (days.get(date)?.kind !== 'workday') days.set(date, { date, name, kind });
      day.adjust(1, 0, 0, 0);
      if (!end || day.compare(end) >= 0) break;
    }
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}
