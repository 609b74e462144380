import {
  CreateSlaCalendar,
  CreateSlaPolicy,
  IdParams,
  PageQuery,
  SlaCalendar,
  type SlaClock,
  SlaPolicy,
  SlaPolicyQuery,
  TicketSla,
  UpdateSlaCalendar,
  UpdateSlaPolicy,
} from '@serviceloop/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { type Records, searchText } from '../../platform/db/records';
import type { HttpApp } from '../../platform/http/app';
import { crudRoutes } from '../../platform/http/crud';
import type { Platform } from '../../platform/index';
import { contractExists } from '../assets/index';
import { invalid } from '../customers/index';
import { type Access, eventActor, needs } from '../identity/index';
import { type TicketService, ticketScope } from '../tickets/index';
import { type BusinessCalendar, isProvisional } from './calendar';
import { calendarOf, loadCalendars } from './calendars';
import { chinaHolidays } from './holiday-store';
import { slaCalendars, slaClocks, slaPolicies } from './tables';
import { clockState, elapsedMinutes, remainingMinutes } from './timing';

type PolicyRow = typeof slaPolicies.$inferSelect;
type CalendarRow = typeof slaCalendars.$inferSelect;
type ClockRow = typeof slaClocks.$inferSelect;

export interface SlaRecords {
  policies: Records<typeof slaPolicies>;
  calendars: Records<typeof slaCalendars>;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function slaRoutes(platform: Platform, access: Access, records: SlaRecords, ticketService: TicketService) {
  const tag = 'sla';
  const actor = (request: FastifyRequest) => eventActor(access.actor(request));

  const presentPolicies = async (rows: PolicyRow[]) => {
    const calendars = await loadCalendars(
      platform.db,
      rows.map((r) => r.calendarId),
    );
    return rows.map((r) => ({
      ...r,
      priority: r.priority as SlaPolicy['priority'],
      customerTier: r.customerTier as SlaPolicy['customerTier'],
      calendarName: calendars.get(r.calendarId)?.name ?? '',
      createdAt: r.createdAt.toISOString(),
      updatedAt: undefined,
    }));
  };
  const presentCalendar = (r: CalendarRow) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: undefined });

  /** A policy's calendar and contract must exist. */
  const checkPolicy = async (input: Record<string, unknown>) => {
    if (typeof input.calendarId === 'string') {
      const [found] = await platform.db
        .select({ id: slaCalendars.id })
        .from(slaCalendars)
        .where(eq(slaCalendars.id, input.calendarId));
      if (!found) throw invalid('calendarId', 'validation.reference');
    }
    if (typeof input.contractId === 'string') {
      if (!(await contractExists(platform.db, input.contractId))) throw invalid('contractId', 'validation.reference');
    }
    return input;
  };

  /** A business calendar needs some working time, or nothing could ever fall due on it. */
  const checkCalendar = async (input: Record<string, unknown>, _request: FastifyRequest, before?: CalendarRow) => {
    const alwaysOn = (input.alwaysOn ?? before?.alwaysOn) as boolean;
    const week = (input.weekHours ?? before?.weekHours ?? []) as unknown[][];
    const workdays = (input.extraWorkdays ?? before?.extraWorkdays ?? []) as string[];
    if (!alwaysOn && week.every((d) => d.length === 0) && workdays.length === 0)
      throw invalid('weekHours', 'validation.sla.no_working_time');
    return input;
  };

  return (app: HttpApp) => {
    crudRoutes(app, {
      path: '/sla/policies',
      tag,
      records: records.policies,
      dto: SlaPolicy,
      create: CreateSlaPolicy,
      update: UpdateSlaPolicy,
      query: SlaPolicyQuery,
      needs: (action) => needs('slaPolicy', action),
      // Policies are configuration, not customer data: a grant reaches all of them.
      scope: () => sql`true`,
      present: async (row) => (await presentPolicies([row]))[0],
      presentPage: (rows) => presentPolicies(rows),
      filters: (q) => [
        searchText(q.q as string | undefined, slaPolicies.name),
        q.priority ? eq(slaPolicies.priority, q.priority as string) : undefined,
      ],
      orderBy: [
        asc(slaPolicies.priority),
        sql`${slaPolicies.contractId} nulls first`,
        sql`${slaPolicies.customerTier} nulls first`,
      ],
      actor,
      check: checkPolicy,
    });

    crudRoutes(app, {
      path: '/sla/calendars',
      tag,
      records: records.calendars,
      dto: SlaCalendar,
      create: CreateSlaCalendar,
      update: UpdateSlaCalendar,
      query: PageQuery,
      needs: (action) => needs('slaPolicy', action),
      scope: () => sql`true`,
      present: (row) => presentCalendar(row),
      filters: (q) => [searchText(q.q as string | undefined, slaCalendars.code, slaCalendars.name)],
      orderBy: [asc(slaCalendars.code)],
      actor,
      check: checkCalendar,
    });

    app.get(
      '/tickets/:id/sla',
      {
        config: needs('ticket', 'read'),
        schema: { tags: ['tickets', tag], params: IdParams, response: { 200: TicketSla } },
      },
      async (request) => {
        const caller = access.actor(request);
        // Visible under the caller's ticket scope, or a 404 like the ticket itself.
        await ticketService.get(request.params.id, ticketScope(request.grant!, caller), caller, false);
        return { ticketId: request.params.id, clocks: await clocksOf(platform, request.params.id) };
      },
    );
  };
}

/** A ticket's clocks as the API shows them, with working minutes left and used reckoned now. */
export async function clocksOf(platform: Platform, ticketId: string): Promise<SlaClock[]> {
  const rows = await platform.db
    .select({ clock: slaClocks, policyName: slaPolicies.name })
    .from(slaClocks)
    .innerJoin(slaPolicies, eq(slaPolicies.id, slaClocks.policyId))
    .where(eq(slaClocks.ticketId, ticketId))
    .orderBy(asc(slaClocks.kind));
  const calendars = await loadCalendars(
    platform.db,
    rows.map((r) => r.clock.calendarId),
  );
  const now = platform.clock.now();
  const china = await chinaHolidays(platform.db);
  return rows.map(({ clock, policyName }) =>
    present(
      clock,
      policyName,
      calendarOf(calendars.get(clock.calendarId)!, china),
      calendars.get(clock.calendarId)!,
      now,
    ),
  );
}

function present(
  c: ClockRow,
  policyName: string,
  calendar: BusinessCalendar,
  calendarRow: CalendarRow,
  now: Date,
): SlaClock {
  const remaining = Math.round(remainingMinutes(c, now, calendar));
  return {
    id: c.id,
    kind: c.kind,
    state: clockState(c),
    policyId: c.policyId,
    policyName,
    calendarName: calendarRow.name,
    targetMinutes: c.targetMinutes,
    startedAt: c.startedAt.toISOString(),
    pausedSince: iso(c.pausedSince),
    pausedMinutes: Math.round(c.pausedMinutes * 100) / 100,
    dueAt: c.dueAt.toISOString(),
    warnAt: c.warnAt.toISOString(),
    warnedAt: iso(c.warnedAt),
    breachedAt: iso(c.breachedAt),
    metAt: iso(c.metAt),
    stoppedAt: iso(c.stoppedAt),
    remainingMinutes: remaining,
    elapsedMinutes: Math.round(elapsedMinutes(c, now, calendar)),
    paused: c.pausedSince !== null,
    // Past due but not yet marked (the breach job runs within a second or two) still reads as breached.
    breached: c.breachedAt !== null || (clockState(c) === 'running' && remaining < 0),
    // Only a time still ahead of the clock can move; a met or stopped clock's is history.
    provisional: !c.metAt && !c.stoppedAt && isProvisional(c.dueAt, calendar),
  };
}
