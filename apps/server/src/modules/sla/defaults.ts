import { NINE_TO_SIX_WEEKDAYS, type Priority } from '@serviceloop/contracts';
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import { PRIORITY_TARGETS } from '../tickets/index';
import { slaCalendars, slaPolicies } from './tables';

export const ROUND_THE_CLOCK = 'round-the-clock';
export const CN_WORKDAYS = 'cn-workdays';

/** A working day of the default business calendar (09:00–18:00). */
const WORKING_DAY_MINUTES = 9 * 60;

/**
 * On a business calendar a wall-clock day of the triage targets reads as a working day, and hours
 * as working hours: "resolve P2 within 3 days" means three working days, not 72 working hours.
 */
export const onWorkingDays = (minutes: number) =>
  minutes >= 24 * 60 ? (minutes / (24 * 60)) * WORKING_DAY_MINUTES : minutes;

/** Urgent work runs round the clock; routine work in office hours (seed 001: "常规工作时间内处理"). */
const CALENDAR_OF: Record<Priority, string> = {
  P0: ROUND_THE_CLOCK,
  P1: ROUND_THE_CLOCK,
  P2: CN_WORKDAYS,
  P3: CN_WORKDAYS,
};

export function defaultPolicyTargets(priority: Priority) {
  const t = PRIORITY_TARGETS[priority];
  const business = CALENDAR_OF[priority] === CN_WORKDAYS;
  return {
    calendar: CALENDAR_OF[priority],
    responseMinutes: business ? onWorkingDays(t.responseMinutes) : t.responseMinutes,
    resolutionMinutes: business ? onWorkingDays(t.resolutionMinutes) : t.resolutionMinutes,
  };
}

/**
 * Every installation has the two calendars and a catch-all policy per priority, so every triaged
 * ticket gets clocks. Idempotent and safe from several replicas at once: inserts that find their
 * row already there do nothing. A catch-all policy an administrator deleted comes back here.
 */
export async function ensureDefaultPolicies(tx: Tx, now: Date): Promise<void> {
  await tx
    .insert(slaCalendars)
    .values([
      {
        id: newId(now.getTime()),
        code: ROUND_THE_CLOCK,
        name: '全天候 24×7 / Round the clock',
        timeZone: 'Asia/Shanghai',
        alwaysOn: true,
        weekHours: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]),
        chinaHolidays: false,
        extraHolidays: [],
        extraWorkdays: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      },
      {
        id: newId(now.getTime()),
        code: CN_WORKDAYS,
        name: '工作日 9:00–18:00（法定节假日与调休）/ Working days 9:00–18:00',
        timeZone: 'Asia/Shanghai',
        alwaysOn: false,
        weekHours: NINE_TO_SIX_WEEKDAYS,
        chinaHolidays: true,
        extraHolidays: [],
        extraWorkdays: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      },
    ])
    .onConflictDoNothing();
  const calendars = new Map(
    (await tx.select({ id: slaCalendars.id, code: slaCalendars.code }).from(slaCalendars)).map((c) => [c.code, c.id]),
  );
  for (const priority of ['P0', 'P1', 'P2', 'P3'] as const) {
    const [existing] = await tx
      .select({ id: slaPolicies.id })
      .from(slaPolicies)
      .where(and(eq(slaPolicies.priority, priority), isNull(slaPolicies.customerTier), isNull(slaPolicies.contractId)));
    if (existing) continue;
    const targets = defaultPolicyTargets(priority);
    const calendarId = calendars.get(targets.calendar);
    if (!calendarId) continue; // renamed away by an administrator: their calendars, their policies
    await tx
      .insert(slaPolicies)
      .values({
        id: newId(now.getTime()),
        name: `${priority} 默认 / ${priority} default`,
        priority,
        customerTier: null,
        contractId: null,
        responseMinutes: targets.responseMinutes,
        resolutionMinutes: targets.resolutionMinutes,
        calendarId,
        warningPercent: 80,
        active: true,
        createdAt: now,
        updatedAt: now,
        version: 1,
      })
      .onConflictDoNothing();
  }
}
