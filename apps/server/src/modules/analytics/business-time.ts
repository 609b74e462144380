import { NINE_TO_SIX_WEEKDAYS } from '@serviceloop/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows, textArray } from '../../platform/db/client';
import { type BusinessCalendar, businessCalendar, businessMinutesBetween, chinaHolidays } from '../sla/index';

/**
 * Resolution time in business hours: the working minutes from report to close on the
 * installation's business calendar (the SLA module's `cn-workdays` calendar, which administrators
 * edit: working days 09:00–18:00 with China's holidays and 调休 by default), less the working
 * minutes the ticket spent suspended. One calendar for every ticket, so the figure compares
 * teams and regions on the same clock whatever SLA policy each ticket ran under.
 */
export const BUSINESS_CALENDAR_CODE = 'cn-workdays';

const FALLBACK = businessCalendar({
  timeZone: 'Asia/Shanghai',
  alwaysOn: false,
  weekHours: NINE_TO_SIX_WEEKDAYS,
  chinaHolidays: true,
  extraHolidays: [],
  extraWorkdays: [],
});

// The calendar object is kept while its row is unchanged: the arithmetic caches its working
// windows per calendar object (sla/calendar.ts).
let cached: { stamp: string; calendar: BusinessCalendar } | undefined;

export async function analyticsCalendar(db: Executor): Promise<BusinessCalendar> {
  const [row] = await rows<{
    stamp: string;
    time_zone: string;
    always_on: boolean;
    week_hours: { start: string; end: string }[][];
    china_holidays: boolean;
    extra_holidays: string[];
    extra_workdays: string[];
  }>(
    db,
    // The stamp changes with the calendar row and with the holiday years administrators enter.
    sql`select id || ':' || version || ':' ||
          (select count(*) || ':' || coalesce(max(updated_at)::text, '') from china_holiday_years) as stamp,
          time_zone, always_on, week_hours, china_holidays, extra_holidays, extra_workdays
        from sla_calendars where code = ${BUSINESS_CALENDAR_CODE}`,
  );
  // Without the calendar (an administrator renamed it away) the default working week applies.
  if (!row) return FALLBACK;
  if (cached?.stamp !== row.stamp)
    cached = {
      stamp: row.stamp,
      calendar: businessCalendar(
        {
          timeZone: row.time_zone,
          alwaysOn: row.always_on,
          weekHours: row.week_hours,
          chinaHolidays: row.china_holidays,
          extraHolidays: row.extra_holidays,
          extraWorkdays: row.extra_workdays,
        },
        await chinaHolidays(db),
      ),
    };
  return cached.calendar;
}

/** Working minutes of [reported, closed] outside the suspensions, on the calendar. */
export function businessResolveMinutes(
  reported: number,
  closed: number,
  suspensions: readonly (readonly [number, number])[],
  calendar: BusinessCalendar,
): number {
  const between = (a: number, b: number) => businessMinutesBetween(new Date(a), new Date(b), calendar);
  let minutes = between(reported, closed);
  for (const [from, until] of suspensions) {
    const a = Math.max(from, reported);
    const b = Math.min(until, closed);
    if (b > a) minutes -= between(a, b);
  }
  return minutes;
}

/**
 * Business-hours resolution time of the closed tickets `which` selects (a condition on tickets
 * `t`), for the facts statement. Suspensions are read from the tickets' `ticket.suspended` /
 * `ticket.resumed` events, like the wall-clock suspended minutes of the facts.
 */
export async function businessTimes(db: Executor, which: SQL): Promise<{ id: string; minutes: number }[]> {
  const closed = await rows<{ id: string; reported: number; closed: number }>(
    db,
    sql`select t.id, extract(epoch from t.reported_at)::float8 * 1000 as reported,
          extract(epoch from t.closed_at)::float8 * 1000 as closed
        from tickets t where ${which} and t.closed_at is not null`,
  );
  if (closed.length === 0) return [];
  const events = await rows<{ id: string; type: string; at: number }>(
    db,
    sql`select e.entity_id as id, e.type, extract(epoch from e.occurred_at)::float8 * 1000 as at
        from events e
        where e.entity_type = 'ticket' and e.entity_id = any(${textArray(closed.map((c) => c.id))})
          and e.type in ('ticket.suspended', 'ticket.resumed')
        order by e.entity_id, e.seq`,
  );
  const byTicket = new Map<string, { type: string; at: number }[]>();
  for (const e of events) {
    const list = byTicket.get(e.id) ?? [];
    list.push(e);
    byTicket.set(e.id, list);
  }
  const calendar = await analyticsCalendar(db);
  return closed.map((c) => {
    const list = byTicket.get(c.id) ?? [];
    const suspensions = list.flatMap((e, i) =>
      e.type === 'ticket.suspended' ? [[e.at, list[i + 1]?.at ?? c.closed] as const] : [],
    );
    return { id: c.id, minutes: businessResolveMinutes(c.reported, c.closed, suspensions, calendar) };
  });
}
