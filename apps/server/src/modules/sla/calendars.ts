import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { type BusinessCalendar, businessCalendar } from './calendar';
import { chinaHolidays } from './holiday-store';
import type { HolidaySet } from './holidays';
import { slaCalendars } from './tables';

type CalendarRow = typeof slaCalendars.$inferSelect;

export const calendarOf = (row: CalendarRow, china: HolidaySet): BusinessCalendar => businessCalendar(row, china);

/** A calendar with China's holidays as known now: shipped and entered or imported years. */
export async function loadCalendar(db: Executor, id: string): Promise<BusinessCalendar> {
  const [row] = await db.select().from(slaCalendars).where(eq(slaCalendars.id, id));
  if (!row) throw new Error(`SLA calendar ${id} is missing`);
  return calendarOf(row, await chinaHolidays(db));
}

export async function loadCalendars(db: Executor, ids: string[]): Promise<Map<string, CalendarRow>> {
  if (ids.length === 0) return new Map();
  const found = await db
    .select()
    .from(slaCalendars)
    .where(inArray(slaCalendars.id, [...new Set(ids)]));
  return new Map(found.map((c) => [c.id, c]));
}
