import type { Survey } from '@serviceloop/contracts';
import { and, count, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { eventActor } from '../identity/index';
import { findTicket, ticketHeadlines } from '../tickets/index';
import { type SurveyCounts, summarise } from './nps';
import { surveys } from './tables';

export const EMAIL_QUEUE = 'surveys.email';
type SurveyRow = typeof surveys.$inferSelect;

/** Creating, answering and summarising the CSAT/NPS survey of a closed ticket. */
export class SurveyService {
  constructor(private readonly platform: Platform) {}

  /**
   * The survey of a ticket that has just closed: once per ticket, whatever closed it (a signed
   * confirmation or a close) and however often the event is delivered. A CSAT given at the
   * confirmation is carried over, so the survey asks only for the NPS score.
   */
  async createFor(tx: Tx, ticketId: string): Promise<string | null> {
    const ticket = await findTicket(tx, ticketId);
    if (!ticket || ticket.state !== 'closed') return null;
    const now = this.platform.clock.now();
    const [created] = await tx
      .insert(surveys)
      .values({
        id: newId(now.getTime()),
        ticketId,
        customerId: ticket.customerId,
        state: 'pending',
        csat: ticket.csat,
        csatSource: ticket.csat === null ? null : 'confirmation',
        createdAt: now,
      })
      .onConflictDoNothing({ target: surveys.ticketId })
      .returning({ id: surveys.id });
    if (!created) return null;
    await this.platform.events.append(tx, {
      type: 'survey.created',
      entityType: 'ticket',
      entityId: ticketId,
      actor: { kind: 'system', id: null },
      visibility: 'customer',
      data: { surveyId: created.id, asksCsat: ticket.csat === null },
    });
    if (ticket.contactEmail && this.platform.config.smtp) {
      await this.platform.jobs.enqueue(tx, {
        queue: EMAIL_QUEUE,
        payload: { surveyId: created.id, to: ticket.contactEmail },
        dedupeKey: `survey-email:${created.id}`,
      });
    }
    return created.id;
  }

  async list(scope: SQL, q: { state?: string; ticketId?: string; page: number; pageSize: number }) {
    const where = and(
      scope,
      q.state ? eq(surveys.state, q.state) : undefined,
      q.ticketId ? eq(surveys.ticketId, q.ticketId) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      this.platform.db
        .select()
        .from(surveys)
        .where(where)
        .orderBy(desc(surveys.createdAt))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
      this.platform.db.select({ n: count() }).from(surveys).where(where),
    ]);
    return { items: await this.present(rows), total: total!.n, page: q.page, pageSize: q.pageSize };
  }

  async get(id: string, scope: SQL): Promise<Survey> {
    const found = await this.platform.db
      .select()
      .from(surveys)
      .where(and(eq(surveys.id, id), scope));
    if (found.length === 0) throw notFound('survey');
    const [survey] = await this.present(found);
    return survey!;
  }

  async answer(
    id: string,
    scope: SQL,
    input: { csat?: number | null; nps: number; comment?: string | null },
    actor: Actor,
  ): Promise<Survey> {
    await this.platform.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(surveys)
        .where(and(eq(surveys.id, id), scope))
        .for('update');
      if (!row) throw notFound('survey');
      if (row.state === 'answered') throw new AppError(409, 'survey.already_answered');
      // Rated at the confirmation already: that rating stands, the survey does not ask again.
      const csat = row.csatSource === 'confirmation' ? row.csat : (input.csat ?? null);
      if (csat === null)
        throw new AppError(400, 'validation.failed', {}, [{ path: 'csat', code: 'validation.required' }]);
      const now = this.platform.clock.now();
      await tx
        .update(surveys)
        .set({
          state: 'answered',
          csat,
          csatSource: row.csatSource ?? 'survey',
          nps: input.nps,
          comment: input.comment ?? null,
          answeredAt: now,
          answeredBy: actor.userId,
        })
        .where(eq(surveys.id, id));
      await this.platform.events.append(tx, {
        type: 'survey.answered',
        entityType: 'ticket',
        entityId: row.ticketId,
        actor: eventActor(actor),
        visibility: 'customer',
        data: { surveyId: id, csat, nps: input.nps },
      });
    });
    return this.get(id, scope);
  }

  /** NPS and response rate of the surveys sent in a period (by when they were sent). */
  async summary(range: { from?: string; to?: string }) {
    const where = and(
      range.from ? gte(surveys.createdAt, new Date(range.from)) : undefined,
      range.to ? lt(surveys.createdAt, new Date(range.to)) : undefined,
    );
    const [row] = await this.platform.db
      .select({
        sent: count(),
        answered: sql<number>`count(*) filter (where ${surveys.state} = 'answered')::int`,
        promoters: sql<number>`count(*) filter (where ${surveys.nps} >= 9)::int`,
        passives: sql<number>`count(*) filter (where ${surveys.nps} between 7 and 8)::int`,
        detractors: sql<number>`count(*) filter (where ${surveys.nps} <= 6)::int`,
        csatResponses: sql<number>`count(${surveys.csat})::int`,
        csatSum: sql<number>`coalesce(sum(${surveys.csat}), 0)::int`,
      })
      .from(surveys)
      .where(where);
    return summarise(row as SurveyCounts);
  }

  /** Surveys as the API shows them, each named by its ticket's number and title. */
  private async present(found: SurveyRow[]): Promise<Survey[]> {
    const headlines = await ticketHeadlines(
      this.platform.db,
      found.map((s) => s.ticketId),
    );
    return found.map((s) => present(s, headlines.get(s.ticketId) ?? { number: '', title: '' }));
  }
}

function present(s: SurveyRow, { number, title }: { number: string; title: string }): Survey {
  return {
    id: s.id,
    ticketId: s.ticketId,
    ticketNumber: number,
    ticketTitle: title,
    state: s.state as Survey['state'],
    csat: s.csat,
    csatSource: s.csatSource as Survey['csatSource'],
    nps: s.nps,
    comment: s.comment,
    createdAt: s.createdAt.toISOString(),
    answeredAt: s.answeredAt?.toISOString() ?? null,
  };
}
