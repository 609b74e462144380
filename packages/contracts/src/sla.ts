import { z } from 'zod';
import { Timestamp } from './common';
import { CustomerTier } from './customers';
import { Priority } from './tickets';

/** "HH:MM" on a 24-hour clock; "24:00" closes a window at midnight. */
const HourMinute = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'validation.sla.time' });

export const WorkingWindow = z
  .object({ start: HourMinute, end: HourMinute })
  .refine((w) => w.start < w.end, { message: 'validation.sla.window_order', path: ['end'] });
export type WorkingWindow = z.infer<typeof WorkingWindow>;

const noOverlap = (day: { start: string; end: string }[]) => {
  const sorted = [...day].sort((a, b) => a.start.localeCompare(b.start));
  return sorted.every((w, i) => i === 0 || sorted[i - 1]!.end <= w.start);
};

/** Working windows for each weekday, Monday first. */
export const WeekHours = z
  .array(z.array(WorkingWindow).max(4).refine(noOverlap, { message: 'validation.sla.window_overlap' }))
  .length(7);

export const NINE_TO_SIX_WEEKDAYS: WorkingWindow[][] = [
  ...Array.from({ length: 5 }, () => [{ start: '09:00', end: '18:00' }]),
  [],
  [],
];

const isTimeZone = (name: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};
const TimeZone = z.string().min(1).max(64).refine(isTimeZone, { message: 'validation.sla.time_zone' });
const IsoDate = z.iso.date();

export const SlaCalendar = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    timeZone: z.string(),
    alwaysOn: z.boolean(),
    weekHours: z.array(z.array(z.object({ start: z.string(), end: z.string() }))),
    chinaHolidays: z.boolean(),
    extraHolidays: z.array(z.string()),
    extraWorkdays: z.array(z.string()),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'SlaCalendar' });
export type SlaCalendar = z.infer<typeof SlaCalendar>;

const calendarFields = {
  code: z
    .string()
    .trim()
    .min(2)
    .max(40)
    .regex(/^[a-z0-9_-]+$/, { message: 'validation.code' }),
  name: z.string().trim().min(1).max(100),
  timeZone: TimeZone.default('Asia/Shanghai'),
  alwaysOn: z.boolean().default(false),
  weekHours: WeekHours.default(NINE_TO_SIX_WEEKDAYS),
  chinaHolidays: z.boolean().default(true),
  extraHolidays: z.array(IsoDate).max(366).default([]),
  extraWorkdays: z.array(IsoDate).max(366).default([]),
};
export const CreateSlaCalendar = z.object(calendarFields);
export type CreateSlaCalendar = z.infer<typeof CreateSlaCalendar>;
export const UpdateSlaCalendar = z.object({
  version: z.number().int().min(1),
  name: calendarFields.name.optional(),
  timeZone: TimeZone.optional(),
  alwaysOn: z.boolean().optional(),
  weekHours: WeekHours.optional(),
  chinaHolidays: z.boolean().optional(),
  extraHolidays: z.array(IsoDate).max(366).optional(),
  extraWorkdays: z.array(IsoDate).max(366).optional(),
});

/** One day of a year's holiday schedule: a day off (放假), or a weekend working day (调休上班). */
export const HolidayDay = z.object({ date: IsoDate, name: z.string().trim().max(50).default('') });
export type HolidayDay = z.infer<typeof HolidayDay>;

/** Shipped: from the State Council's notice in the release; entered or imported (ICS) by an administrator. */
export const HolidaySource = z.enum(['shipped', 'entered', 'imported']);

export const HolidayYearDays = z
  .object({
    year: z.number().int(),
    title: z.string(),
    source: HolidaySource,
    holidays: z.array(z.object({ date: z.string(), name: z.string() })),
    workdays: z.array(z.object({ date: z.string(), name: z.string() })),
  })
  .meta({ id: 'HolidayYearDays' });
export type HolidayYearDays = z.infer<typeof HolidayYearDays>;

const noDayTwice = (y: { holidays: HolidayDay[]; workdays: HolidayDay[] }) => {
  const dates = [...y.holidays, ...y.workdays].map((d) => d.date);
  return new Set(dates).size === dates.length;
};

/** A year's schedule as an administrator enters it, day by day (every date within the year). */
export const SaveHolidayYear = z
  .object({
    title: z.string().trim().max(200).default(''),
    holidays: z.array(HolidayDay).min(1).max(60),
    workdays: z.array(HolidayDay).max(30).default([]),
  })
  .refine(noDayTwice, { message: 'validation.sla.holiday_twice', path: ['workdays'] });
export type SaveHolidayYear = z.infer<typeof SaveHolidayYear>;

/** An iCalendar (.ics) file's text: all-day events become days off, or working days when named 班/补班/上班. */
export const ImportHolidays = z.object({ ics: z.string().min(1).max(2_000_000) });
export const ImportedHolidays = z.object({
  /** The years stored from the file. */
  years: z.array(HolidayYearDays),
  /** Years in the file that the shipped notices already cover: left as they are. */
  skipped: z.array(z.number().int()),
});
export type ImportedHolidays = z.infer<typeof ImportedHolidays>;

/** The holiday schedules the calendars use, and whether the year ahead is still missing from them. */
export const HolidayCoverage = z.object({
  years: z.array(HolidayYearDays),
  /** The last year with a schedule: due times after it are provisional. */
  lastYear: z.number().int(),
  missing: z.array(z.number().int()),
});
export type HolidayCoverage = z.infer<typeof HolidayCoverage>;

export const SlaPolicy = z
  .object({
    id: z.uuid(),
    name: z.string(),
    priority: Priority,
    customerTier: CustomerTier.nullable(),
    contractId: z.uuid().nullable(),
    responseMinutes: z.number().int(),
    resolutionMinutes: z.number().int(),
    calendarId: z.uuid(),
    calendarName: z.string(),
    warningPercent: z.number().int(),
    active: z.boolean(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'SlaPolicy' });
export type SlaPolicy = z.infer<typeof SlaPolicy>;

const Minutes = z
  .number()
  .int()
  .min(1)
  .max(366 * 24 * 60);
const policyFields = {
  name: z.string().trim().min(1).max(100),
  priority: Priority,
  customerTier: CustomerTier.nullable().default(null),
  contractId: z.uuid().nullable().default(null),
  responseMinutes: Minutes,
  resolutionMinutes: Minutes,
  calendarId: z.uuid(),
  warningPercent: z.number().int().min(1).max(99).default(80),
  active: z.boolean().default(true),
};
const responseFirst = (p: { responseMinutes?: number; resolutionMinutes?: number }) =>
  p.responseMinutes === undefined || p.resolutionMinutes === undefined || p.responseMinutes <= p.resolutionMinutes;
export const CreateSlaPolicy = z
  .object(policyFields)
  .refine(responseFirst, { message: 'validation.sla.response_after_resolution', path: ['responseMinutes'] });
export type CreateSlaPolicy = z.infer<typeof CreateSlaPolicy>;
export const UpdateSlaPolicy = z
  .object({
    version: z.number().int().min(1),
    name: policyFields.name.optional(),
    customerTier: CustomerTier.nullable().optional(),
    contractId: z.uuid().nullable().optional(),
    responseMinutes: Minutes.optional(),
    resolutionMinutes: Minutes.optional(),
    calendarId: z.uuid().optional(),
    warningPercent: z.number().int().min(1).max(99).optional(),
    active: z.boolean().optional(),
  })
  .refine(responseFirst, { message: 'validation.sla.response_after_resolution', path: ['responseMinutes'] });

export const SlaPolicyQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(200).optional(),
  priority: Priority.optional(),
});

export const SlaClockKind = z.enum(['response', 'resolution']);
export type SlaClockKind = z.infer<typeof SlaClockKind>;

/** running → (paused ⇄ running) → met | stopped; breached is a mark that can come with any of them. */
export const SlaClockState = z.enum(['running', 'paused', 'met', 'stopped']);
export type SlaClockState = z.infer<typeof SlaClockState>;

export const SlaClock = z
  .object({
    id: z.uuid(),
    kind: SlaClockKind,
    state: SlaClockState,
    policyId: z.uuid(),
    policyName: z.string(),
    calendarName: z.string(),
    targetMinutes: z.number().int(),
    startedAt: Timestamp,
    pausedSince: Timestamp.nullable(),
    pausedMinutes: z.number(),
    dueAt: Timestamp,
    warnAt: Timestamp,
    warnedAt: Timestamp.nullable(),
    breachedAt: Timestamp.nullable(),
    metAt: Timestamp.nullable(),
    stoppedAt: Timestamp.nullable(),
    /** Working minutes left until due (negative once overdue); frozen while paused or finished. */
    remainingMinutes: z.number().int(),
    /** Working minutes used so far, without paused time. */
    elapsedMinutes: z.number().int(),
    paused: z.boolean(),
    breached: z.boolean(),
    /**
     * The due time lies in a year China's holiday schedule is not known for yet (its calendar applies
     * it): reckoned without that year's holidays and 调休, it moves once the schedule is entered.
     */
    provisional: z.boolean(),
  })
  .meta({ id: 'SlaClock' });
export type SlaClock = z.infer<typeof SlaClock>;

export const TicketSla = z.object({ ticketId: z.uuid(), clocks: z.array(SlaClock) }).meta({ id: 'TicketSla' });
export type TicketSla = z.infer<typeof TicketSla>;
