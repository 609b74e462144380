import type { HolidayDay, HolidayYearDays, SaveHolidayYear } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/client';
import { type EventActor, SYSTEM_ACTOR } from '../../platform/events/event-log';
import type { Platform } from '../../platform/index';
import type { Job } from '../../platform/jobs/queue';
import { invalid } from '../customers/index';
import type { SlaClocks } from './clocks';
import { chinaHolidays, holidayYears, saveHolidayYear } from './holiday-store';
import { CHINA_HOLIDAY_YEARS, missingHolidayYears } from './holidays';
import { IcsError, readHolidayIcs } from './ics';

export const HOLIDAY_CHECK_QUEUE = 'sla.holiday_check';
export const RECALCULATE_QUEUE = 'sla.recalculate';
const DAY = 86_400_000;

/**
 * China's holiday schedule beyond the shipped notices: administrators enter a year day by day or
 * import it from an ICS file; a daily check tells them (the `sla.holidays_missing` event, which
 * notifies admins in the app) when a year the calendars need is still missing — from November for
 * the next year. A saved year re-plans the clocks whose due times it may move.
 */
export class HolidaySchedule {
  constructor(
    private readonly platform: Platform,
    clocks: SlaClocks,
  ) {
    platform.jobs.handle(HOLIDAY_CHECK_QUEUE, (_job, tx) => this.check(tx));
    platform.jobs.handle(RECALCULATE_QUEUE, (job: Job, tx) => clocks.recalculate(tx, String(job.payload.from)));
  }

  /** Declares the daily check; safe on every start and every replica. */
  schedule(): Promise<void> {
    return this.platform.jobs.schedule('sla-holiday-check-daily', HOLIDAY_CHECK_QUEUE, DAY);
  }

  async coverage() {
    const years = await holidayYears(this.platform.db);
    const set = await chinaHolidays(this.platform.db);
    return {
      years,
      lastYear: Math.max(...set.years),
      missing: missingHolidayYears(this.platform.clock.now(), set),
    };
  }

  async enter(year: number, input: SaveHolidayYear, by: EventActor): Promise<HolidayYearDays> {
    for (const [list, days] of [
      ['holidays', input.holidays],
      ['workdays', input.workdays],
    ] as const) {
      const wrong = days.findIndex((d) => !d.date.startsWith(`${year}-`));
      if (wrong >= 0) throw invalid(`${list}.${wrong}.date`, 'validation.sla.holiday_year');
    }
    const entered = { year, title: input.title, source: 'entered' as const, ...sorted(input) };
    await this.save([entered], by);
    return entered;
  }

  /** Stores every year the file holds that the shipped notices do not cover. */
  async import(ics: string, by: EventActor): Promise<{ years: HolidayYearDays[]; skipped: number[] }> {
    let days: ReturnType<typeof readHolidayIcs>;
    try {
      days = readHolidayIcs(ics);
    } catch (error) {
      if (error instanceof IcsError) throw invalid('ics', 'validation.sla.ics');
      throw error;
    }
    const byYear = new Map<number, { holidays: HolidayDay[]; workdays: HolidayDay[] }>();
    for (const d of days) {
      const year = Number(d.date.slice(0, 4));
      const entry = byYear.get(year) ?? { holidays: [], workdays: [] };
      (d.kind === 'workday' ? entry.workdays : entry.holidays).push({ date: d.date, name: d.name });
      byYear.set(year, entry);
    }
    const skipped = [...byYear.keys()].filter((y) => String(y) in CHINA_HOLIDAY_YEARS).sort();
    const years = [...byYear]
      .filter(([y]) => !skipped.includes(y))
      .sort(([a], [b]) => a - b)
      .map(([year, entry]) => ({ year, title: '', source: 'imported' as const, ...entry }));
    if (years.length === 0) throw invalid('ics', 'validation.sla.ics_empty');
    await this.save(years, by);
    return { years, skipped };
  }

  private async save(years: (HolidayYearDays & { source: 'entered' | 'imported' })[], by: EventActor) {
    const now = this.platform.clock.now();
    await this.platform.transaction(async (tx) => {
      for (const y of years) {
        await saveHolidayYear(tx, y, now);
        await this.platform.events.append(tx, {
          type: 'sla.holidays_saved',
          entityType: 'holiday_year',
          entityId: String(y.year),
          actor: by,
          data: { source: y.source, holidays: y.holidays.length, workdays: y.workdays.length },
        });
      }
      // Due times reckoned without these years' holidays are re-planned with them.
      const from = `${Math.min(...years.map((y) => y.year))}-01-01`;
      await this.platform.jobs.enqueue(tx, { queue: RECALCULATE_QUEUE, payload: { from }, dedupeKey: `from:${from}` });
    });
  }

  /** The daily check: one `sla.holidays_missing` event per missing year, however many days it stays missing. */
  private async check(tx: Tx): Promise<void> {
    const missing = missingHolidayYears(this.platform.clock.now(), await chinaHolidays(tx));
    for (const year of missing) {
      const told = await rows(
        tx,
        sql`select 1 from events where entity_type = 'holiday_year' and entity_id = ${String(year)}
            and type = 'sla.holidays_missing' limit 1`,
      );
      if (told.length > 0) continue;
      await this.platform.events.append(tx, {
        type: 'sla.holidays_missing',
        entityType: 'holiday_year',
        entityId: String(year),
        actor: SYSTEM_ACTOR,
        data: { year },
      });
    }
  }
}

const byDate = (a: HolidayDay, b: HolidayDay) => a.date.localeCompare(b.date);
const sorted = (input: SaveHolidayYear) => ({
  holidays: [...input.holidays].sort(byDate),
  workdays: [...input.workdays].sort(byDate),
});
