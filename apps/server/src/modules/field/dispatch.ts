import type {
  ApplyPlan,
  ApplyResult,
  AssignmentSuggestions,
  BoardEngineer,
  DayPlan,
  DispatchBoard,
} from '@serviceloop/contracts';
import type { SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound } from '../../platform/http/errors';
import { type Locale, translate } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import { type TicketService, ticketInScope } from '../tickets/index';
import { greedyNearest } from './baseline';
import { visitFlags } from './board';
import { addDays, dayStart, instantAt, localDate, minuteOf, onLeave, shiftOn, skillsOn } from './day';
import {
  customerHistory,
  type EngineerFacts,
  engineers,
  jobsByIds,
  type VisitFacts,
  vanParts,
  visitsBetween,
  WAITING_STATES,
  waitingJobs,
} from './facts';
import type { Point } from './geo';
import type { PlanEngineer, PlanJob, Stop } from './itinerary';
import { optimiseDay } from './optimizer';
import { type Candidate, rankCandidates } from './scoring';

const MINUTE = 60_000;
const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(Math.round(minute % 60)).padStart(2, '0')}`;
const minutesOf = (v: VisitFacts) => (v.plannedEnd.getTime() - v.plannedStart.getTime()) / MINUTE;

/** Suggestions, the board, the day optimiser and applying its plan through the ticket lifecycle. */
export class DispatchService {
  constructor(
    private readonly platform: Platform,
    private readonly tickets: TicketService,
  ) {}

  private today() {
    return localDate(this.platform.clock.now());
  }

  async suggestions(ticketId: string, ticketScope: SQL, date?: string): Promise<AssignmentSuggestions> {
    const { db } = this.platform;
    if (!(await ticketInScope(db, ticketId, ticketScope))) throw notFound('ticket');
    const [job] = await jobsByIds(db, [ticketId]);
    if (!job) throw notFound('ticket');
    const day = date ?? this.today();
    const now = new Date(Math.max(this.platform.clock.now().getTime(), dayStart(day).getTime()));
    const [team, visits, history, vans] = await Promise.all([
      engineers(db),
      visitsBetween(db, dayStart(day), dayStart(addDays(day, 1))),
      customerHistory(db, job.customerId),
      vanParts(db, job.productModelId),
    ]);
    const candidates: Candidate[] = team.map((e) => {
      const mine = visits.filter((v) => v.engineerId === e.engineerId && v.ticketId !== ticketId);
      const shift = shiftOn(e, day);
      const lastCheckIn = mine
        .filter((v) => v.checkedInAt && v.checkIn)
        .sort((a, b) => b.checkedInAt!.getTime() - a.checkedInAt!.getTime())[0];
      return {
        engineerId: e.engineerId,
        displayName: e.displayName,
        skills: skillsOn(e, day),
        regionCodes: e.regionCodes,
        position: lastCheckIn
          ? { point: lastCheckIn.checkIn!, source: 'check_in' }
          : e.home
            ? { point: e.home, source: 'home' }
            : null,
        shift: shift ? { start: instantAt(day, shift.start), end: instantAt(day, shift.end) } : null,
        onLeave: onLeave(e.leave, day),
        jobsToday: mine.length,
        minutesToday: mine.reduce((sum, v) => sum + minutesOf(v), 0),
        busyUntil: mine.length ? new Date(Math.max(...mine.map((v) => v.plannedEnd.getTime()))) : null,
        capacityJobs: e.capacityJobs,
        capacityMinutes: e.capacityHours * 60,
        history: history.get(e.engineerId) ?? { visits: 0, averageCsat: null },
        vanParts: vans.get(e.engineerId) ?? [],
      };
    });
    return {
      ticketId,
      requiredSkills: job.requiredSkills,
      durationMinutes: job.durationMinutes,
      suggestions: rankCandidates(
        {
          requiredSkills: job.requiredSkills,
          location: job.location,
          dueAt: job.slaDueAt,
          durationMinutes: job.durationMinutes,
          regionCode: job.regionCode,
          modelKnown: job.productModelId !== null,
        },
        candidates,
        now,
      ),
    };
  }

  async board(from: string, days: number): Promise<DispatchBoard> {
    const { db } = this.platform;
    const [team, visits, waiting] = await Promise.all([
      engineers(db),
      visitsBetween(db, dayStart(from), dayStart(addDays(from, days))),
      waitingJobs(db),
    ]);
    const flags = visitFlags(visits, new Map(team.map((e) => [e.engineerId, e])));
    const dates = Array.from({ length: days }, (_, i) => addDays(from, i));
    const boardEngineers: BoardEngineer[] = team.map((e) => ({
      engineerId: e.engineerId,
      displayName: e.displayName,
      skills: skillsOn(e, from),
      regionCodes: e.regionCodes,
      lat: e.home?.lat ?? null,
      lng: e.home?.lng ?? null,
      capacityJobs: e.capacityJobs,
      capacityHours: e.capacityHours,
      days: dates.map((date) => {
        const shift = shiftOn(e, date);
        return {
          date,
          start: shift ? hhmm(shift.start) : null,
          end: shift ? hhmm(shift.end) : null,
          onLeave: onLeave(e.leave, date),
        };
      }),
    }));
    return {
      from,
      days,
      engineers: boardEngineers,
      visits: visits.map((v) => ({
        visitId: v.visitId,
        ticketId: v.ticketId,
        ticketNumber: v.number,
        ticketVersion: v.version,
        title: v.title,
        state: v.state,
        priority: v.priority,
        engineerId: v.engineerId,
        plannedStart: v.plannedStart.toISOString(),
        plannedEnd: v.plannedEnd.toISOString(),
        checkedInAt: v.checkedInAt?.toISOString() ?? null,
        assistantIds: v.assistantIds,
        flags: flags.get(v.visitId) ?? [],
      })),
      unassigned: waiting.map((j) => ({
        ticketId: j.ticketId,
        ticketNumber: j.number,
        ticketVersion: j.version,
        title: j.title,
        state: j.state,
        priority: j.priority,
        customerName: j.customerName,
        regionCode: j.regionCode,
        lat: j.location?.lat ?? null,
        lng: j.location?.lng ?? null,
        slaDueAt: j.slaDueAt?.toISOString() ?? null,
        requiredSkills: j.requiredSkills,
        durationMinutes: j.durationMinutes,
      })),
    };
  }

  /** The optimiser's plan for a day, beside what the greedy baseline would have done. Changes nothing. */
  async optimise(date: string, ticketIds?: string[]): Promise<DayPlan> {
    const { db } = this.platform;
    const [team, visits, jobs] = await Promise.all([
      engineers(db),
      visitsBetween(db, dayStart(date), dayStart(addDays(date, 1))),
      ticketIds ? jobsByIds(db, [...new Set(ticketIds)]) : waitingJobs(db),
    ]);
    const now = this.platform.clock.now();
    const planEngineers = team.map((e) => planEngineer(e, date, visits, now));
    const open = jobs.filter((j) => WAITING_STATES.includes(j.state));
    const planJobs: PlanJob[] = open.map((j) => ({
      id: j.ticketId,
      location: j.location,
      durationMinutes: j.durationMinutes,
      requiredSkills: j.requiredSkills,
      due: j.slaDueAt ? minuteOf(date, j.slaDueAt) : null,
    }));
    const plan = optimiseDay(planEngineers, planJobs);
    const baseline = greedyNearest(planEngineers, planJobs);
    const byId = new Map(jobs.map((j) => [j.ticketId, j]));
    const unknown = (ticketIds ?? []).filter((id) => !byId.has(id));
    return {
      date,
      assignments: plan.stops.map((s: Stop) => {
        const job = byId.get(s.jobId)!;
        return {
          ticketId: s.jobId,
          ticketNumber: job.number,
          version: job.version,
          engineerId: s.engineerId,
          // Whole minutes: the board and the customer's notice show minutes.
          plannedStart: instantAt(date, Math.ceil(s.start)).toISOString(),
          plannedEnd: instantAt(date, Math.ceil(s.end)).toISOString(),
          travelMinutes: Math.round(s.travelMinutes),
          lateMinutes: Math.round(s.lateMinutes),
        };
      }),
      unassigned: [
        ...plan.unassigned.map((u) => ({
          ticketId: u.jobId,
          ticketNumber: byId.get(u.jobId)!.number,
          reason: u.reason,
        })),
        ...jobs
          .filter((j) => !WAITING_STATES.includes(j.state))
          .map((j) => ({ ticketId: j.ticketId, ticketNumber: j.number, reason: 'field.not_waiting' })),
        ...unknown.map((id) => ({ ticketId: id, ticketNumber: '', reason: 'field.unknown_ticket' })),
      ],
      totals: plan.totals,
      baseline: baseline.totals,
    };
  }

  /**
   * Dispatches each planned job through the ticket lifecycle, one transaction per job with the
   * version the dispatcher saw: a job someone changed meanwhile fails alone (409) and the rest go on.
   */
  async apply(plan: ApplyPlan, actor: Actor, scope: SQL, canUpdate: boolean, locale: Locale): Promise<ApplyResult> {
    const results: ApplyResult['results'] = [];
    for (const a of plan.assignments) {
      try {
        const ticket = await this.tickets.step(
          a.ticketId,
          a.version,
          {
            command: {
              action: 'dispatch',
              engineerId: a.engineerId,
              plannedStart: a.plannedStart,
              plannedEnd: a.plannedEnd,
            },
          },
          actor,
          scope,
          canUpdate,
        );
        results.push({ ticketId: a.ticketId, ok: true, version: ticket.version, error: null });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const detail = Array.isArray(error.details) ? (error.details[0] as { code?: string } | undefined) : undefined;
        const code = detail?.code ?? error.code;
        results.push({
          ticketId: a.ticketId,
          ok: false,
          version: null,
          error: { status: error.status, code, message: translate(code, locale, error.params) },
        });
      }
    }
    const applied = results.filter((r) => r.ok).length;
    return { results, applied, failed: results.length - applied };
  }
}

/** An engineer's day for the planners: what is left of it after the visits already planned. */
function planEngineer(e: EngineerFacts, date: string, visits: VisitFacts[], now: Date): PlanEngineer {
  const mine = visits
    .filter((v) => v.engineerId === e.engineerId)
    .sort((a, b) => a.plannedEnd.getTime() - b.plannedEnd.getTime());
  const last = mine.at(-1);
  const start: Point | null = last ? (last.checkIn ?? last.site ?? e.home) : e.home;
  // A plan for today cannot start in the past.
  const nowMinute = localDate(now) === date ? minuteOf(date, now) : 0;
  return {
    id: e.engineerId,
    skills: skillsOn(e, date),
    start,
    home: e.home,
    shift: shiftOn(e, date),
    busyUntil: Math.max(nowMinute, last ? minuteOf(date, last.plannedEnd) : 0),
    jobsLeft: Math.max(0, e.capacityJobs - mine.length),
    minutesLeft: Math.max(0, e.capacityHours * 60 - mine.reduce((sum, v) => sum + minutesOf(v), 0)),
  };
}
