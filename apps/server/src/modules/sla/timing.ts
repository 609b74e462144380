import { addBusinessMinutes, type BusinessCalendar, businessMinutesBetween } from './calendar';

/**
 * The arithmetic of one SLA clock, pure. A clock counts working minutes from its start; paused
 * working minutes are added to the target, so due and warning times move by exactly the working
 * time the ticket spent suspended, whatever nights, weekends or holidays lay in between.
 */
export interface ClockTimes {
  startedAt: Date;
  targetMinutes: number;
  warningPercent: number;
  pausedSince: Date | null;
  pausedMinutes: number;
  dueAt: Date;
  metAt: Date | null;
  stoppedAt: Date | null;
}

export function schedule(
  c: Pick<ClockTimes, 'startedAt' | 'targetMinutes' | 'warningPercent' | 'pausedMinutes'>,
  calendar: BusinessCalendar,
): { dueAt: Date; warnAt: Date } {
  return {
    dueAt: addBusinessMinutes(c.startedAt, c.targetMinutes + c.pausedMinutes, calendar),
    warnAt: addBusinessMinutes(c.startedAt, (c.targetMinutes * c.warningPercent) / 100 + c.pausedMinutes, calendar),
  };
}

/** Paused working minutes after a pause that ends at `at`. */
export function pausedMinutesAfterResume(c: ClockTimes, at: Date, calendar: BusinessCalendar): number {
  if (!c.pausedSince) return c.pausedMinutes;
  return c.pausedMinutes + Math.max(0, businessMinutesBetween(c.pausedSince, at, calendar));
}

/** Where the clock's hands stand: now while running, else when it paused, was met or stopped. */
const reading = (c: ClockTimes, now: Date) => c.metAt ?? c.stoppedAt ?? c.pausedSince ?? now;

/** Working minutes left until due; negative once overdue. Frozen while paused or finished. */
export function remainingMinutes(c: ClockTimes, now: Date, calendar: BusinessCalendar): number {
  return businessMinutesBetween(reading(c, now), c.dueAt, calendar);
}

/** Working minutes used so far, paused time excluded. */
export function elapsedMinutes(c: ClockTimes, now: Date, calendar: BusinessCalendar): number {
  return businessMinutesBetween(c.startedAt, reading(c, now), calendar) - c.pausedMinutes;
}

export function clockState(c: ClockTimes): 'running' | 'paused' | 'met' | 'stopped' {
  if (c.metAt) return 'met';
  if (c.stoppedAt) return 'stopped';
  return c.pausedSince ? 'paused' : 'running';
}
