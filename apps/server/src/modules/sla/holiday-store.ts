import type { HolidayDay, HolidayYearDays } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import { CHINA_HOLIDAY_YEARS, type HolidaySet, type HolidayYear, holidaySet } from './holidays';

interface StoredYear {
  year: number;
  title: string;
  source: 'entered' | 'imported';
  holidays: HolidayDay[];
  workdays: HolidayDay[];
}

/** A stored year in the shape of the shipped data: one range per day. */
const asHolidayYear = (y: StoredYear): HolidayYear => ({
  source: { title: y.title, published: '' },
  holidays: y.holidays.map((d) => ({ name: d.name, nameEn: d.name, from: d.date, to: d.date })),
  workdays: y.workdays.map((d) => ({ date: d.date, for: d.name })),
});

/** A shipped year as the console edits it: one entry per day. */
function shippedDays(year: number, entry: HolidayYear): HolidayYearDays {
  const one = holidaySet({ [year]: entry });
  const nameOf = (date: string) => entry.holidays.find((h) => h.from <= date && date <= h.to)?.name ?? '';
  return {
    year,
    title: entry.source.title,
    source: 'shipped',
    holidays: [...one.holidays].sort().map((date) => ({ date, name: nameOf(date) })),
    workdays: entry.workdays.map((w) => ({ date: w.date, name: w.for })),
  };
}

async function storedYears(db: Executor): Promise<StoredYear[]> {
  return rows<StoredYear>(
    db,
    sql`select year, title, source, holidays, workdays from china_holiday_years order by year`,
  );
}

/**
 * China's holiday schedule as the calendars use it: the shipped notices (holidays-cn.json) and the
 * years administrators entered or imported, a stored year replacing a shipped one.
 */
export async function chinaHolidays(db: Executor): Promise<HolidaySet> {
  const stored = await storedYears(db);
  if (stored.length === 0) return holidaySet(CHINA_HOLIDAY_YEARS);
  return holidaySet({ ...CHINA_HOLIDAY_YEARS, ...Object.fromEntries(stored.map((y) => [y.year, asHolidayYear(y)])) });
}

/** Every year with a schedule, day by day, saying where it came from. */
export async function holidayYears(db: Executor): Promise<HolidayYearDays[]> {
  const byYear = new Map<number, HolidayYearDays>();
  for (const [year, entry] of Object.entries(CHINA_HOLIDAY_YEARS)) byYear.set(+year, shippedDays(+year, entry));
  for (const y of await storedYears(db)) byYear.set(y.year, { ...y });
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** Stores (or replaces) one year's schedule. */
export async function saveHolidayYear(tx: Executor, year: StoredYear, now: Date): Promise<void> {
  await tx.execute(sql`
    insert into china_holiday_years (year, title, source, holidays, workdays, updated_at)
    values (${year.year}, ${year.title}, ${year.source}, ${JSON.stringify(year.holidays)}::jsonb,
            ${JSON.stringify(year.workdays)}::jsonb, ${now.toISOString()})
    on conflict (year) do update set title = excluded.title, source = excluded.source, holidays = excluded.holidays,
      workdays = excluded.workdays, updated_at = excluded.updated_at, version = china_holiday_years.version + 1`);
}
