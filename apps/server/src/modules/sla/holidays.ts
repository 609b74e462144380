import data from './holidays-cn.json' with { type: 'json' };

/**
 * The State Council's yearly holiday notices as two sets of local dates: days off (放假) and
 * weekend days that are working days (调休上班). Shipped as data so a new year is one edit of
 * holidays-cn.json; calendars may add their own days on top.
 */
export interface HolidayYear {
  source: { title: string; published: string };
  holidays: { name: string; nameEn: string; from: string; to: string }[];
  workdays: { date: string; for: string }[];
}

export interface HolidaySet {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  years: number[];
}

const addDays = (date: string, days: number) =>
  new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + days)).toISOString().slice(0, 10);

export function holidaySet(years: Record<string, HolidayYear>): HolidaySet {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const year of Object.values(years)) {
    for (const h of year.holidays) {
      for (let d = h.from; d <= h.to; d = addDays(d, 1)) holidays.add(d);
    }
    for (const w of year.workdays) workdays.add(w.date);
  }
  return { holidays, workdays, years: Object.keys(years).map(Number).sort() };
}

export const CHINA_HOLIDAY_YEARS = data.years as Record<string, HolidayYear>;
export const CHINA_HOLIDAYS: HolidaySet = holidaySet(CHINA_HOLIDAY_YEARS);

/**
 * Years `now` (China time) already needs that the data lacks: this year, and next year from
 * November — the State Council usually publishes in October or November, so a November without it
 * is the time to warn administrators, while there is still time to enter or import it.
 */
export function missingHolidayYears(now: Date, set: HolidaySet = CHINA_HOLIDAYS): number[] {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const needed = [local.getUTCFullYear()];
  if (local.getUTCMonth() >= 10) needed.push(local.getUTCFullYear() + 1);
  return needed.filter((y) => !set.years.includes(y));
}
