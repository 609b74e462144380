import { CHINA_HOLIDAYS, type HolidaySet } from './holidays';

/**
 * Business-time arithmetic, pure: how far a number of working minutes reaches from an instant,
 * and how many working minutes lie between two instants, under a calendar of weekly working
 * hours in a time zone, public holidays and adjusted working days (调休). SLA due times, warnings
 * and pauses are all expressed through these two functions.
 */

/** Minutes of the local day, start inclusive, end exclusive (1440 = midnight at the end). */
export type Window = readonly [start: number, end: number];

export interface BusinessCalendar {
  timeZone: string;
  /** 24×7: every minute counts and the rest of the calendar is ignored. */
  alwaysOn: boolean;
  /** Working windows per weekday, Monday first. */
  week: readonly (readonly Window[])[];
  /** Local dates (YYYY-MM-DD) with no working time. */
  holidays: ReadonlySet<string>;
  /** Local dates that are working days whatever their weekday, with a regular working day's hours. */
  workdays: ReadonlySet<string>;
  /**
   * The last year China's holiday schedule is known for, when the calendar applies it: reckoning
   * past it counts that year's holidays as working days, so such times are provisional.
   */
  knownUntil?: number;
}

export interface CalendarSettings {
  timeZone: string;
  alwaysOn: boolean;
  /** Monday first; "HH:MM" with "24:00" allowed as an end. */
  weekHours: readonly (readonly { start: string; end: string }[])[];
  chinaHolidays: boolean;
  extraHolidays: readonly string[];
  extraWorkdays: readonly string[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A calendar with no working time at all would loop forever; ten years without any is an error. */
const SEARCH_LIMIT_DAYS = 3660;

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The calendar a stored configuration describes: its own days win over the State Council's. */
export function businessCalendar(settings: CalendarSettings, china: HolidaySet = CHINA_HOLIDAYS): BusinessCalendar {
  const extraWork = new Set(settings.extraWorkdays);
  const extraOff = new Set(settings.extraHolidays);
  const holidays = new Set<string>();
  const workdays = new Set<string>(extraWork);
  if (settings.chinaHolidays) {
    for (const d of china.holidays) holidays.add(d);
    for (const d of china.workdays) if (!extraOff.has(d)) workdays.add(d);
  }
  for (const d of extraOff) holidays.add(d);
  for (const d of extraWork) holidays.delete(d);
  return {
    timeZone: settings.timeZone,
    alwaysOn: settings.alwaysOn,
    week: settings.weekHours.map((day) =>
      day.map((w) => [toMinutes(w.start), toMinutes(w.end)] as const).sort((a, b) => a[0] - b[0]),
    ),
    holidays,
    workdays,
    knownUntil: settings.chinaHolidays && !settings.alwaysOn ? Math.max(...china.years) : undefined,
  };
}

/** Whether `at` lies past the last year whose holidays the calendar knows (see `knownUntil`). */
export function isProvisional(at: Date, calendar: BusinessCalendar): boolean {
  return (
    calendar.knownUntil !== undefined && Number(localDate(at, calendar.timeZone).slice(0, 4)) > calendar.knownUntil
  );
}

export const ALWAYS_ON: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  alwaysOn: true,
  week: [],
  holidays: new Set(),
  workdays: new Set(),
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Zone offsets per quarter hour of UTC, remembered: zones change offset on a quarter hour, and
 * Intl's formatToParts is slow enough to dominate bulk business-time arithmetic.
 */
const QUARTER_HOUR = 15 * MINUTE;
const offsetCache = new Map<string, Map<number, number>>();

/** The zone's wall-clock reading at an instant, as if it were UTC (so date maths is plain). */
function wallClock(timeZone: string, instant: number): number {
  let offsets = offsetCache.get(timeZone);
  if (!offsets || offsets.size > 200_000) {
    offsets = new Map();
    offsetCache.set(timeZone, offsets);
  }
  const slot = Math.floor(instant / QUARTER_HOUR) * QUARTER_HOUR;
  let offset = offsets.get(slot);
  if (offset === undefined) {
    offset = readWallClock(timeZone, slot) - slot;
    offsets.set(slot, offset);
  }
  return instant + offset;
}

function readWallClock(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return (
    Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) +
    (instant - Math.floor(instant / 1000) * 1000)
  );
}

/** The instant a local wall-clock reading names (the later reading wins in a DST gap or overlap). */
function instantOf(timeZone: string, wall: number): number {
  let guess = wall - (wallClock(timeZone, wall) - wall);
  const again = wall - (wallClock(timeZone, guess) - guess);
  if (again !== guess) guess = again;
  return guess;
}

const isoDate = (wallDayStart: number) => new Date(wallDayStart).toISOString().slice(0, 10);

/**
 * Each calendar's working windows per local day, computed once: converting wall-clock readings to
 * instants goes through Intl and dominated the arithmetic (analytics computes business time for a
 * million tickets). A calendar object is immutable; a changed calendar is a new object.
 */
const windowCache = new WeakMap<BusinessCalendar, Map<number, [number, number][]>>();

/** The working windows of one local day, as instants. `wallDay` is that day's midnight read as UTC. */
function windowsOn(calendar: BusinessCalendar, wallDay: number): [number, number][] {
  let days = windowCache.get(calendar);
  if (!days) {
    days = new Map();
    windowCache.set(calendar, days);
  }
  let windows = days.get(wallDay);
  if (!windows) {
    windows = computeWindows(calendar, wallDay);
    days.set(wallDay, windows);
  }
  return windows;
}

function computeWindows(calendar: BusinessCalendar, wallDay: number): [number, number][] {
  const date = isoDate(wallDay);
  const weekday = (new Date(wallDay).getUTCDay() + 6) % 7; // Monday = 0
  let hours: readonly Window[];
  if (calendar.workdays.has(date)) hours = calendar.week.find((d) => d.length > 0) ?? [];
  else if (calendar.holidays.has(date)) hours = [];
  else hours = calendar.week[weekday] ?? [];
  return hours.map(([s, e]) => [
    instantOf(calendar.timeZone, wallDay + s * MINUTE),
    instantOf(calendar.timeZone, wallDay + e * MINUTE),
  ]);
}

const localMidnight = (calendar: BusinessCalendar, instant: number) => {
  const wall = wallClock(calendar.timeZone, instant);
  return wall - (((wall % DAY) + DAY) % DAY);
};

/**
 * The instant at which `minutes` working minutes have passed since `start`. With minutes > 0 the
 * result always lies inside working time (or exactly at the end of a window: due by 18:00 is due
 * on Friday, not at 09:00 on Monday).
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  if (!(minutes >= 0)) throw new RangeError(`minutes must be zero or more, got ${minutes}`);
  let remaining = Math.round(minutes * MINUTE);
  const from = start.getTime();
  if (remaining === 0) return new Date(from);
  if (calendar.alwaysOn) return new Date(from + remaining);
  let wallDay = localMidnight(calendar, from);
  for (let i = 0; i < SEARCH_LIMIT_DAYS; i++, wallDay += DAY) {
    for (const [ws, we] of windowsOn(calendar, wallDay)) {
      const s = Math.max(ws, from);
      if (we <= s) continue;
      if (remaining <= we - s) return new Date(s + remaining);
      remaining -= we - s;
    }
  }
  throw new Error('the calendar has no working time in the next ten years');
}

/** Working minutes from `a` to `b`; negative when `b` is before `a`. */
export function businessMinutesBetween(a: Date, b: Date, calendar: BusinessCalendar): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to < from) return -businessMinutesBetween(b, a, calendar);
  if (calendar.alwaysOn) return (to - from) / MINUTE;
  let total = 0;
  const lastDay = localMidnight(calendar, to);
  for (let wallDay = localMidnight(calendar, from); wallDay <= lastDay; wallDay += DAY) {
    for (const [ws, we] of windowsOn(calendar, wallDay)) {
      const overlap = Math.min(we, to) - Math.max(ws, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total / MINUTE;
}

/** Whether `at` falls inside working time (window start inclusive, end exclusive). */
export function isWorkingTime(at: Date, calendar: BusinessCalendar): boolean {
  if (calendar.alwaysOn) return true;
  const t = at.getTime();
  return windowsOn(calendar, localMidnight(calendar, t)).some(([s, e]) => s <= t && t < e);
}

/** The local date (YYYY-MM-DD) of an instant in the calendar's zone. */
export function localDate(at: Date, timeZone: string): string {
  return isoDate(wallClock(timeZone, at.getTime()));
}
