import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_ON,
  addBusinessMinutes,
  type BusinessCalendar,
  businessCalendar,
  businessMinutesBetween,
  isWorkingTime,
  localDate,
} from './calendar';
import { CHINA_HOLIDAY_YEARS, CHINA_HOLIDAYS, missingHolidayYears } from './holidays';

const nineToSix = { start: '09:00', end: '18:00' };
const monToFri = [[nineToSix], [nineToSix], [nineToSix], [nineToSix], [nineToSix], [], []];
const office = businessCalendar({
  timeZone: 'Asia/Shanghai',
  alwaysOn: false,
  weekHours: monToFri,
  chinaHolidays: true,
  extraHolidays: [],
  extraWorkdays: [],
});
const at = (s: string) => new Date(s);
const add = (start: string, minutes: number, calendar: BusinessCalendar = office) =>
  addBusinessMinutes(at(start), minutes, calendar).toISOString();

describe('the China holiday data', () => {
  it('covers 2024, 2025 and 2026, each with its notice', () => {
    expect(Object.keys(CHINA_HOLIDAY_YEARS)).toEqual(['2024', '2025', '2026']);
    for (const [year, entry] of Object.entries(CHINA_HOLIDAY_YEARS)) {
      expect(entry.source.title).toBe(`国务院办公厅关于${year}年部分节假日安排的通知`);
      expect(entry.source.published < `${year}-01-01`).toBe(true);
    }
  });

  it('lists only weekend days as adjusted working days, and no day as both', () => {
    for (const date of CHINA_HOLIDAYS.workdays) {
      expect([0, 6], date).toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
      expect(CHINA_HOLIDAYS.holidays.has(date), date).toBe(false);
    }
  });

  it('knows the 2025 Spring Festival and National Day with their working weekend days', () => {
    for (const d of ['2025-01-28', '2025-01-31', '2025-02-04', '2025-10-01', '2025-10-08'])
      expect(CHINA_HOLIDAYS.holidays.has(d), d).toBe(true);
    for (const d of ['2025-01-26', '2025-02-08', '2025-09-28', '2025-10-11'])
      expect(CHINA_HOLIDAYS.workdays.has(d), d).toBe(true);
    expect(CHINA_HOLIDAYS.holidays.has('2025-01-27')).toBe(false);
    expect(CHINA_HOLIDAYS.holidays.has('2025-02-05')).toBe(false);
  });

  it('says which years are missing, next year from November', () => {
    expect(missingHolidayYears(at('2026-06-01T12:00:00+08:00'))).toEqual([]);
    expect(missingHolidayYears(at('2026-10-15T12:00:00+08:00'))).toEqual([]);
    expect(missingHolidayYears(at('2026-10-31T16:00:00Z'))).toEqual([2027]); // 1 November in China
    expect(missingHolidayYears(at('2026-11-15T12:00:00+08:00'))).toEqual([2027]);
    expect(missingHolidayYears(at('2026-12-01T12:00:00+08:00'))).toEqual([2027]);
    expect(missingHolidayYears(at('2027-03-01T12:00:00+08:00'))).toEqual([2027]);
  });
});

describe('business minutes', () => {
  it('stays within the day when there is time left', () => {
    expect(add('2026-03-02T10:00:00+08:00', 120)).toBe(at('2026-03-02T12:00:00+08:00').toISOString());
  });

  it('ends a task due at closing time at closing time, not the next morning', () => {
    expect(add('2026-03-06T17:00:00+08:00', 60)).toBe(at('2026-03-06T18:00:00+08:00').toISOString());
  });

  it('carries over the weekend from Friday evening', () => {
    expect(add('2026-03-06T17:00:00+08:00', 61)).toBe(at('2026-03-09T09:01:00+08:00').toISOString());
    expect(add('2026-03-07T11:00:00+08:00', 30)).toBe(at('2026-03-09T09:30:00+08:00').toISOString());
  });

  it('skips the whole 2025 Spring Festival', () => {
    // Monday 27 January at 17:00: one hour that day, then 28 January – 4 February off.
    expect(add('2025-01-27T17:00:00+08:00', 120)).toBe(at('2025-02-05T10:00:00+08:00').toISOString());
    expect(businessMinutesBetween(at('2025-01-27T00:00:00+08:00'), at('2025-02-09T00:00:00+08:00'), office)).toBe(
      // 27 Jan, 5–7 Feb and the adjusted Saturday 8 Feb.
      5 * 540,
    );
  });

  it('works on 调休 weekend days: Sunday 26 January and Saturday 8 February 2025', () => {
    expect(add('2025-01-24T17:00:00+08:00', 120)).toBe(at('2025-01-26T10:00:00+08:00').toISOString());
    expect(businessMinutesBetween(at('2025-02-08T00:00:00+08:00'), at('2025-02-09T00:00:00+08:00'), office)).toBe(540);
    // An ordinary Saturday has no working time.
    expect(businessMinutesBetween(at('2025-02-15T00:00:00+08:00'), at('2025-02-16T00:00:00+08:00'), office)).toBe(0);
    expect(isWorkingTime(at('2025-02-08T10:00:00+08:00'), office)).toBe(true);
  });

  it('lets a calendar add its own days on top of the notice', () => {
    const own = businessCalendar({
      timeZone: 'Asia/Shanghai',
      alwaysOn: false,
      weekHours: monToFri,
      chinaHolidays: true,
      extraHolidays: ['2026-03-09', '2025-02-08'],
      extraWorkdays: ['2026-03-07', '2025-01-28'],
    });
    expect(isWorkingTime(at('2026-03-09T10:00:00+08:00'), own)).toBe(false);
    expect(isWorkingTime(at('2026-03-07T10:00:00+08:00'), own)).toBe(true);
    expect(isWorkingTime(at('2025-02-08T10:00:00+08:00'), own)).toBe(false);
    expect(isWorkingTime(at('2025-01-28T10:00:00+08:00'), own)).toBe(true);
  });

  it('honours a lunch break and a second window', () => {
    const split = businessCalendar({
      timeZone: 'Asia/Shanghai',
      alwaysOn: false,
      weekHours: Array.from({ length: 7 }, () => [
        { start: '13:00', end: '18:00' },
        { start: '09:00', end: '12:00' },
      ]),
      chinaHolidays: false,
      extraHolidays: [],
      extraWorkdays: [],
    });
    expect(add('2026-03-02T11:00:00+08:00', 90, split)).toBe(at('2026-03-02T13:30:00+08:00').toISOString());
    expect(businessMinutesBetween(at('2026-03-02T00:00:00+08:00'), at('2026-03-03T00:00:00+08:00'), split)).toBe(480);
  });

  it('counts every minute on a 24×7 calendar, holidays included', () => {
    expect(add('2025-01-28T03:00:00+08:00', 30, ALWAYS_ON)).toBe(at('2025-01-28T03:30:00+08:00').toISOString());
    expect(businessMinutesBetween(at('2025-01-28T00:00:00+08:00'), at('2025-01-29T00:00:00+08:00'), ALWAYS_ON)).toBe(
      1440,
    );
  });

  it('reads working hours in the calendar’s own zone, across a daylight-saving change', () => {
    const berlin = businessCalendar({
      timeZone: 'Europe/Berlin',
      alwaysOn: false,
      weekHours: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]),
      chinaHolidays: false,
      extraHolidays: [],
      extraWorkdays: [],
    });
    // 30 March 2025: clocks go from 02:00 to 03:00, so the day has 23 hours.
    expect(businessMinutesBetween(at('2025-03-30T00:00:00+01:00'), at('2025-03-31T00:00:00+02:00'), berlin)).toBe(
      23 * 60,
    );
    expect(localDate(at('2025-03-30T23:30:00Z'), 'Europe/Berlin')).toBe('2025-03-31');
  });

  it('measures backwards as the negative', () => {
    const a = at('2026-03-06T17:00:00+08:00');
    const b = at('2026-03-09T10:00:00+08:00');
    expect(businessMinutesBetween(a, b, office)).toBe(120);
    expect(businessMinutesBetween(b, a, office)).toBe(-120);
  });

  it('refuses negative minutes and calendars without working time', () => {
    expect(() => addBusinessMinutes(at('2026-03-02T10:00:00Z'), -1, office)).toThrow(RangeError);
    const never = { ...office, week: [[], [], [], [], [], [], []], workdays: new Set<string>() };
    expect(() => addBusinessMinutes(at('2026-03-02T10:00:00Z'), 1, never)).toThrow(/no working time/);
  });
});

describe('business minutes, properties', () => {
  // Instants from 2024 to 2026 at millisecond resolution, so holidays and 调休 days are in play.
  const instant = fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2026-12-01T00:00:00Z') });
  const minutes = fc.integer({ min: 1, max: 20 * 540 });

  it('adding then measuring returns the same minutes', () => {
    fc.assert(
      fc.property(instant, minutes, (t, m) => {
        const start = new Date(t);
        const end = addBusinessMinutes(start, m, office);
        expect(businessMinutesBetween(start, end, office)).toBe(m);
      }),
      { numRuns: 300 },
    );
  });

  it('never lands on a holiday or outside working hours', () => {
    fc.assert(
      fc.property(instant, minutes, (t, m) => {
        const end = addBusinessMinutes(new Date(t), m, office);
        // The last minute counted is working time (the end itself may be closing time).
        const lastCounted = new Date(end.getTime() - 1);
        expect(isWorkingTime(lastCounted, office)).toBe(true);
        const day = localDate(lastCounted, 'Asia/Shanghai');
        expect(CHINA_HOLIDAYS.holidays.has(day)).toBe(false);
        const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
        if (weekday === 0 || weekday === 6) expect(CHINA_HOLIDAYS.workdays.has(day)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is additive: a + b minutes reach where a then b minutes do', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (t, m1, m2) => {
        const once = addBusinessMinutes(new Date(t), m1 + m2, office);
        const twice = addBusinessMinutes(addBusinessMinutes(new Date(t), m1, office), m2, office);
        expect(twice.getTime()).toBe(once.getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('counts 调休 Saturdays as full working days', () => {
    const saturdays = [...CHINA_HOLIDAYS.workdays].filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 6);
    expect(saturdays.length).toBeGreaterThan(5);
    fc.assert(
      fc.property(fc.constantFrom(...saturdays), (day) => {
        const start = new Date(`${day}T00:00:00+08:00`);
        const end = new Date(start.getTime() + 86_400_000);
        expect(businessMinutesBetween(start, end, office)).toBe(540);
      }),
    );
  });
});
