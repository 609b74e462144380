import { CreateSlaCalendar, CustomerTier, Priority } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, rows } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import { contractIdByNumber } from '../assets/index';
import { keyedSection, type SectionProblem } from '../config/index';

type CalendarItem = z.infer<typeof CreateSlaCalendar>;

/** Business calendars, named by code. */
export const slaCalendarsSection = keyedSection<CalendarItem>({
  key: 'sla.calendars',
  titleZh: 'SLA 工作日历',
  titleEn: 'SLA business calendars',
  item: CreateSlaCalendar,
  keyOf: (c) => c.code,
  load: (db) =>
    rows<CalendarItem>(
      db,
      sql`select code, name, time_zone as "timeZone", always_on as "alwaysOn", week_hours as "weekHours",
            china_holidays as "chinaHolidays", extra_holidays as "extraHolidays", extra_workdays as "extraWorkdays"
          from sla_calendars`,
    ),
  // The same rule as the calendar API: without working time nothing could ever fall due.
  check: (_db, items) =>
    items.flatMap((c, index) =>
      !c.alwaysOn && c.weekHours.every((d) => d.length === 0) && c.extraWorkdays.length === 0
        ? [{ path: `${index}.weekHours`, message: 'validation.sla.no_working_time' }]
        : [],
    ),
  async save(tx, c, before, { now }) {
    const at = now.toISOString();
    const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
    if (before)
      await tx.execute(sql`
        update sla_calendars set name = ${c.name}, time_zone = ${c.timeZone}, always_on = ${c.alwaysOn},
          week_hours = ${json(c.weekHours)}, china_holidays = ${c.chinaHolidays},
          extra_holidays = ${json(c.extraHolidays)}, extra_workdays = ${json(c.extraWorkdays)},
          updated_at = ${at}, version = version + 1
        where code = ${c.code}`);
    else
      await tx.execute(sql`
        insert into sla_calendars (id, code, name, time_zone, always_on, week_hours, china_holidays, extra_holidays,
          extra_workdays, created_at, updated_at)
        values (${newId(now.getTime())}, ${c.code}, ${c.name}, ${c.timeZone}, ${c.alwaysOn}, ${json(c.weekHours)},
          ${c.chinaHolidays}, ${json(c.extraHolidays)}, ${json(c.extraWorkdays)}, ${at}, ${at})`);
  },
});

const PolicyItem = z
  .object({
    name: z.string().trim().min(1).max(100),
    priority: Priority,
    customerTier: CustomerTier.nullable(),
    /** A service contract's number (contracts are master data: it must exist in the target). */
    contract: z.string().max(64).nullable(),
    responseMinutes: z
      .number()
      .int()
      .min(1)
      .max(366 * 24 * 60),
    resolutionMinutes: z
      .number()
      .int()
      .min(1)
      .max(366 * 24 * 60),
    /** The code of the policy's business calendar. */
    calendar: z.string().min(1).max(40),
    warningPercent: z.number().int().min(1).max(99),
    active: z.boolean(),
  })
  .refine((p) => p.responseMinutes <= p.resolutionMinutes, {
    message: 'validation.sla.response_after_resolution',
    path: ['responseMinutes'],
  });
type PolicyItem = z.infer<typeof PolicyItem>;

const idOf = async (db: Executor, table: 'calendar' | 'contract', key: string | null) => {
  if (key === null) return null;
  if (table === 'contract') return (await contractIdByNumber(db, key)) ?? null;
  const [found] = await rows<{ id: string }>(db, sql`select id from sla_calendars where code = ${key}`);
  return found?.id ?? null;
};

/** Policies, named by what they match: priority × customer tier × contract (one policy each). */
export const slaPoliciesSection = keyedSection<PolicyItem>({
  key: 'sla.policies',
  titleZh: 'SLA 策略',
  titleEn: 'SLA policies',
  item: PolicyItem,
  keyOf: (p) => `${p.priority}/${p.customerTier ?? '*'}/${p.contract ?? '*'}`,
  load: (db) =>
    rows<PolicyItem>(
      db,
      sql`select p.name, p.priority, p.customer_tier as "customerTier", k.number as contract,
            p.response_minutes as "responseMinutes", p.resolution_minutes as "resolutionMinutes",
            c.code as calendar, p.warning_percent as "warningPercent", p.active
          from sla_policies p join sla_calendars c on c.id = p.calendar_id
          left join service_contracts k on k.id = p.contract_id`,
    ),
  async check(db, items, { document }) {
    const problems: SectionProblem[] = [];
    const newCalendars = new Set(((document['sla.calendars'] ?? []) as CalendarItem[]).map((c) => c.code));
    for (const [index, p] of items.entries()) {
      if (!newCalendars.has(p.calendar) && !(await idOf(db, 'calendar', p.calendar)))
        problems.push({ path: `${index}.calendar`, message: 'config.missing_reference', params: { key: p.calendar } });
      if (p.contract !== null && !(await idOf(db, 'contract', p.contract)))
        problems.push({ path: `${index}.contract`, message: 'config.missing_reference', params: { key: p.contract } });
    }
    return problems;
  },
  async save(tx, p, before, { now }) {
    const at = now.toISOString();
    const calendarId = await idOf(tx, 'calendar', p.calendar);
    const contractId = await idOf(tx, 'contract', p.contract);
    if (before)
      await tx.execute(sql`
        update sla_policies set name = ${p.name}, response_minutes = ${p.responseMinutes},
          resolution_minutes = ${p.resolutionMinutes}, calendar_id = ${calendarId},
          warning_percent = ${p.warningPercent}, active = ${p.active}, updated_at = ${at}, version = version + 1
        where priority = ${p.priority} and customer_tier is not distinct from ${p.customerTier}
          and contract_id is not distinct from ${contractId}`);
    else
      await tx.execute(sql`
        insert into sla_policies (id, name, priority, customer_tier, contract_id, response_minutes, resolution_minutes,
          calendar_id, warning_percent, active, created_at, updated_at)
        values (${newId(now.getTime())}, ${p.name}, ${p.priority}, ${p.customerTier}, ${contractId},
          ${p.responseMinutes}, ${p.resolutionMinutes}, ${calendarId}, ${p.warningPercent}, ${p.active}, ${at}, ${at})`);
  },
});
