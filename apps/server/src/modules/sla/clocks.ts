import type { Priority, SlaClockKind } from '@serviceloop/contracts';
import { and, eq, gte, isNull } from 'drizzle-orm';
import type { Executor, Tx } from '../../platform/db/client';
import { SYSTEM_ACTOR } from '../../platform/events/event-log';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import type { Job } from '../../platform/jobs/queue';
import { findCustomer } from '../customers/index';
import { findTicket, type TicketService } from '../tickets/index';
import { loadCalendar } from './calendars';
import { matchPolicy } from './policy';
import { slaCalendars, slaClocks, slaPolicies } from './tables';
import { pausedMinutesAfterResume, remainingMinutes, schedule } from './timing';

type ClockRow = typeof slaClocks.$inferSelect;

export const WARNING_QUEUE = 'sla.warning';
export const BREACH_QUEUE = 'sla.breach';

/** A ticket in these states owes nothing: a priority change on it starts no clocks. */
const ENDED = new Set(['resolved', 'awaiting_confirmation', 'closed', 'cancelled']);

/** Ticket field each clock's due time is mirrored to, so lists, filters and the detail page agree. */
const DUE_FIELD = { response: 'responseDueAt', resolution: 'resolutionDueAt' } as const;

/**
 * The SLA clocks of tickets: started at triage, paused while suspended, met at first response and
 * at resolution, stopped on cancel. Every change runs in the transaction it is handed (the event
 * delivery's or the job's) and takes the clock rows FOR UPDATE, so a warning or breach is recorded
 * — and its event appended — exactly once however many workers race for it.
 */
export class SlaClocks {
  constructor(
    private readonly platform: Platform,
    private readonly ticketService: TicketService,
  ) {}

  /**
   * Triage: the ticket gets one clock per target of the policy that matches its priority. A ticket
   * a rule raised before triage already has clocks (see `replan`): triage re-plans them on the
   * priority it sets. Delivered twice, the second delivery changes nothing.
   */
  async start(tx: Tx, ticketId: string, priority: Priority): Promise<void> {
    await this.plan(tx, ticketId, priority);
  }

  /**
   * The ticket's priority changed outside triage (an automation rule's set-priority or escalation).
   * Its unfinished clocks — running or paused — now hold it to the policy of its priority as it is
   * now, counted from the same start. Met and stopped clocks keep the policy they ended under.
   * Working minutes already spent paused carry over as they are (pauses are not kept per calendar).
   * A target the new policy puts in the past falls due at once: its warning and breach jobs run now.
   * An open ticket without clocks — untriaged, escalated to P0 while still new — gets them now,
   * exactly as triage would have started them.
   */
  async replan(tx: Tx, ticketId: string): Promise<void> {
    await this.plan(tx, ticketId);
  }

  private async plan(tx: Tx, ticketId: string, fallback?: Priority): Promise<void> {
    const clocks = await this.lockClocks(tx, ticketId);
    const found = await this.policyFor(tx, ticketId, fallback);
    if (!found) return;
    const { ticket, policy } = found;
    if (clocks.length === 0 && ENDED.has(ticket.state)) return; // nothing is due from an ended ticket
    const calendar = await loadCalendar(tx, policy.calendarId);
    const now = this.platform.clock.now();
    for (const kind of ['response', 'resolution'] as const) {
      const terms = {
        policyId: policy.id,
        calendarId: policy.calendarId,
        targetMinutes: kind === 'response' ? policy.responseMinutes : policy.resolutionMinutes,
        warningPercent: policy.warningPercent,
      };
      const clock = clocks.find((c) => c.kind === kind);
      if (clock?.metAt || clock?.stoppedAt) continue;
      // The clocks count from when the customer reported, since that is when they started waiting.
      const base = clock ?? { startedAt: ticket.reportedAt, pausedMinutes: 0 };
      const times = schedule({ ...base, ...terms }, calendar);
      const [after] = clock
        ? await tx
            .update(slaClocks)
            .set({ ...terms, ...times, updatedAt: now })
            .where(eq(slaClocks.id, clock.id))
            .returning()
        : await tx
            .insert(slaClocks)
            .values({
              id: newId(now.getTime()),
              ticketId,
              kind,
              ...terms,
              startedAt: ticket.reportedAt,
              pausedMinutes: 0,
              ...times,
              createdAt: now,
              updatedAt: now,
            })
            .onConflictDoNothing()
            .returning();
      if (after) await this.scheduleAlerts(tx, after);
    }
    await this.syncTicket(tx, ticketId);
  }

  /**
   * The ticket and the policy that holds it to account at its current priority (`fallback` when it
   * has none); null, with a warning, when no policy does.
   */
  private async policyFor(tx: Tx, ticketId: string, fallback?: Priority) {
    const ticket = await findTicket(tx, ticketId);
    const priority = (ticket?.priority as Priority | null | undefined) ?? fallback;
    if (!ticket || !priority) return null;
    const customer = ticket.customerId ? await findCustomer(tx, ticket.customerId) : undefined;
    const candidates = await tx.select().from(slaPolicies).where(eq(slaPolicies.priority, priority));
    const policy = matchPolicy(candidates, {
      priority,
      customerTier: (customer?.tier as 'standard' | 'vip' | undefined) ?? null,
      contractId: ticket.contractId,
    });
    if (!policy) {
      this.platform.log.warn(
        { ticketId, priority },
        'no SLA policy matches this ticket; it runs without clocks (or keeps those it has)',
      );
      return null;
    }
    return { ticket, policy };
  }

  /** Suspending a ticket stops its running clocks' hands. */
  async pause(tx: Tx, ticketId: string, at: Date): Promise<void> {
    await tx
      .update(slaClocks)
      .set({ pausedSince: at, updatedAt: this.platform.clock.now() })
      .where(
        and(
          eq(slaClocks.ticketId, ticketId),
          isNull(slaClocks.metAt),
          isNull(slaClocks.stoppedAt),
          isNull(slaClocks.pausedSince),
        ),
      );
    await this.syncTicket(tx, ticketId);
  }

  /** Resuming adds the paused working minutes to each clock, moving its warning and due times. */
  async resume(tx: Tx, ticketId: string, at: Date): Promise<void> {
    for (const clock of await this.lockClocks(tx, ticketId)) {
      if (!clock.pausedSince || clock.metAt || clock.stoppedAt) continue;
      await this.unpause(tx, clock, at);
    }
    await this.syncTicket(tx, ticketId);
  }

  /** A target reached. Reached late without a breach on record yet, the breach is recorded now. */
  async meet(tx: Tx, ticketId: string, kind: SlaClockKind, at: Date): Promise<void> {
    const clock = (await this.lockClocks(tx, ticketId)).find((c) => c.kind === kind);
    if (!clock || clock.metAt || clock.stoppedAt) return;
    const now = this.platform.clock.now();
    const late = at.getTime() > clock.dueAt.getTime() && !clock.breachedAt;
    await tx
      .update(slaClocks)
      .set({ metAt: at, pausedSince: null, updatedAt: now, ...(late ? { breachedAt: clock.dueAt } : {}) })
      .where(eq(slaClocks.id, clock.id));
    if (late) await this.announce(tx, 'sla.breached', { ...clock, metAt: at }, { metLate: true });
    await this.syncTicket(tx, ticketId);
  }

  /**
   * A reopened ticket's resolution clock runs again. The time it spent resolved counts as paused:
   * the customer had their fix, so that wait is not the service team's.
   */
  async reopen(tx: Tx, ticketId: string, at: Date): Promise<void> {
    const clock = (await this.lockClocks(tx, ticketId)).find((c) => c.kind === 'resolution');
    if (!clock?.metAt || clock.stoppedAt) return;
    await this.unpause(tx, { ...clock, pausedSince: clock.metAt, metAt: null }, at);
    await this.syncTicket(tx, ticketId);
  }

  /** A cancelled ticket's unfinished clocks stop; nothing is due any more. */
  async stop(tx: Tx, ticketId: string, at: Date): Promise<void> {
    await tx
      .update(slaClocks)
      .set({ stoppedAt: at, updatedAt: this.platform.clock.now() })
      .where(and(eq(slaClocks.ticketId, ticketId), isNull(slaClocks.metAt), isNull(slaClocks.stoppedAt)));
    await this.syncTicket(tx, ticketId);
  }

  /**
   * China's holiday schedule changed for the years from `from` (a year entered or imported): the
   * unfinished clocks due since then on calendars that apply it are re-planned with it, from the
   * same start and terms, so a provisional due time becomes a real one.
   */
  async recalculate(tx: Tx, from: string): Promise<void> {
    const since = new Date(new Date(`${from}T00:00:00Z`).getTime() - 86_400_000);
    const found = await tx
      .select({ clock: slaClocks })
      .from(slaClocks)
      .innerJoin(slaCalendars, eq(slaCalendars.id, slaClocks.calendarId))
      .where(
        and(
          isNull(slaClocks.metAt),
          isNull(slaClocks.stoppedAt),
          gte(slaClocks.dueAt, since),
          eq(slaCalendars.chinaHolidays, true),
        ),
      )
      .for('update', { of: slaClocks });
    const calendars = new Map<string, Awaited<ReturnType<typeof loadCalendar>>>();
    const now = this.platform.clock.now();
    for (const { clock } of found) {
      if (!calendars.has(clock.calendarId)) calendars.set(clock.calendarId, await loadCalendar(tx, clock.calendarId));
      const calendar = calendars.get(clock.calendarId)!;
      const [after] = await tx
        .update(slaClocks)
        .set({ ...schedule(clock, calendar), updatedAt: now })
        .where(eq(slaClocks.id, clock.id))
        .returning();
      await this.scheduleAlerts(tx, after!);
    }
    for (const ticketId of new Set(found.map((f) => f.clock.ticketId))) await this.syncTicket(tx, ticketId);
  }

  /** The warning job: fires once, when the clock still runs and its (possibly moved) warning time has come. */
  readonly warn = async (job: Job, tx: Tx): Promise<void> => {
    const clock = await this.lockClock(tx, String(job.payload.clockId));
    const now = this.platform.clock.now();
    if (!clock || clock.warnedAt || clock.breachedAt || !this.running(clock)) return;
    if (now.getTime() < clock.warnAt.getTime()) return; // moved by a pause; its own job is scheduled
    await tx.update(slaClocks).set({ warnedAt: now, updatedAt: now }).where(eq(slaClocks.id, clock.id));
    const calendar = await loadCalendar(tx, clock.calendarId);
    await this.announce(tx, 'sla.warning', clock, {
      percent: clock.warningPercent,
      remainingMinutes: Math.round(remainingMinutes(clock, now, calendar)),
    });
  };

  /** The breach job: fires once, when the clock still runs and its (possibly moved) due time has passed. */
  readonly breach = async (job: Job, tx: Tx): Promise<void> => {
    const clock = await this.lockClock(tx, String(job.payload.clockId));
    const now = this.platform.clock.now();
    if (!clock || clock.breachedAt || !this.running(clock)) return;
    if (now.getTime() < clock.dueAt.getTime()) return;
    await tx.update(slaClocks).set({ breachedAt: now, updatedAt: now }).where(eq(slaClocks.id, clock.id));
    await this.announce(tx, 'sla.breached', clock, { metLate: false });
  };

  private running(clock: ClockRow): boolean {
    return !clock.metAt && !clock.stoppedAt && !clock.pausedSince;
  }

  private async unpause(tx: Tx, clock: ClockRow, at: Date): Promise<void> {
    const calendar = await loadCalendar(tx, clock.calendarId);
    const pausedMinutes = pausedMinutesAfterResume(clock, at, calendar);
    const times = schedule({ ...clock, pausedMinutes }, calendar);
    const [after] = await tx
      .update(slaClocks)
      .set({
        pausedSince: null,
        metAt: null,
        pausedMinutes,
        ...times,
        updatedAt: this.platform.clock.now(),
      })
      .where(eq(slaClocks.id, clock.id))
      .returning();
    await this.scheduleAlerts(tx, after!);
  }

  /**
   * Mirrors the clocks onto the ticket: each target's due time, and the next running deadline the
   * list sorts by (`sla_asc`; none while paused, met or stopped).
   */
  private async syncTicket(tx: Tx, ticketId: string): Promise<void> {
    const clocks = await tx.select().from(slaClocks).where(eq(slaClocks.ticketId, ticketId));
    if (clocks.length === 0) return;
    const running = clocks.filter((c) => !c.metAt && !c.stoppedAt && !c.pausedSince).map((c) => c.dueAt.getTime());
    const due: Parameters<TicketService['setDueTimes']>[2] = {
      slaDueAt: running.length > 0 ? new Date(Math.min(...running)) : null,
    };
    for (const c of clocks) due[DUE_FIELD[c.kind]] = c.dueAt;
    await this.ticketService.setDueTimes(tx, ticketId, due);
  }

  /**
   * One job per alert and due time (the dedupe key carries the time): a clock whose times moved
   * gets new jobs, and the old ones find nothing to do when they run.
   */
  private async scheduleAlerts(tx: Executor, clock: ClockRow): Promise<void> {
    if (!clock.warnedAt && !clock.breachedAt) {
      await this.platform.jobs.enqueue(tx, {
        queue: WARNING_QUEUE,
        payload: { clockId: clock.id },
        runAt: clock.warnAt,
        dedupeKey: `${clock.id}@${clock.warnAt.toISOString()}`,
      });
    }
    if (!clock.breachedAt) {
      await this.platform.jobs.enqueue(tx, {
        queue: BREACH_QUEUE,
        payload: { clockId: clock.id },
        runAt: clock.dueAt,
        dedupeKey: `${clock.id}@${clock.dueAt.toISOString()}`,
      });
    }
  }

  private async announce(tx: Tx, type: 'sla.warning' | 'sla.breached', clock: ClockRow, data: Record<string, unknown>) {
    await this.platform.events.append(tx, {
      type,
      entityType: 'ticket',
      entityId: clock.ticketId,
      actor: SYSTEM_ACTOR,
      visibility: 'internal',
      data: {
        clockId: clock.id,
        kind: clock.kind,
        policyId: clock.policyId,
        targetMinutes: clock.targetMinutes,
        dueAt: clock.dueAt.toISOString(),
        ...data,
      },
    });
  }

  private lockClocks(tx: Tx, ticketId: string): Promise<ClockRow[]> {
    return tx.select().from(slaClocks).where(eq(slaClocks.ticketId, ticketId)).orderBy(slaClocks.kind).for('update');
  }

  private async lockClock(tx: Tx, id: string): Promise<ClockRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await tx.select().from(slaClocks).where(eq(slaClocks.id, id)).for('update');
    return row;
  }
}
