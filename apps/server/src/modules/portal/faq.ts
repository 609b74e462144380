import {
  CreateFaq,
  Faq,
  FaqFeedback,
  FaqSuggestion,
  IdParams,
  PageQuery,
  pageOf,
  UpdateFaq,
} from '@serviceloop/contracts';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { notFound, staleVersion } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { type Access, eventActor, needs } from '../identity/index';
import { similarity } from '../tickets/index';
import { portalFaqs } from './tables';

type FaqRow = typeof portalFaqs.$inferSelect;
const present = ({ createdAt: _c, updatedAt: _u, ...rest }: FaqRow): Faq => rest;

/** Below this bigram similarity a suggestion is noise rather than help. */
export const SUGGESTION_THRESHOLD = 0.08;

/**
 * FAQs worth showing for what a customer is typing, best first. The same character-bigram
 * similarity intake uses for duplicates, taken against the question and against question plus
 * keywords (keywords catch the words customers use that the question doesn't).
 */
export function rankFaqs<T extends { question: string; keywords: string }>(text: string, faqs: T[], limit = 3) {
  return faqs
    .map((f) => ({
      faq: f,
      score: Math.max(similarity(text, f.question), similarity(text, `${f.question} ${f.keywords}`)),
    }))
    .filter((s) => s.score >= SUGGESTION_THRESHOLD)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/** The self-service FAQ: staff keep it, everyone reads it, customers say whether it solved their problem. */
export function faqRoutes(platform: Platform, access: Access) {
  const tags = ['portal'];
  const { db } = platform;
  return (app: HttpApp) => {
    app.get(
      '/faqs',
      {
        config: needs('faq', 'read'),
        schema: {
          tags,
          querystring: PageQuery.extend({ includeInactive: z.enum(['true', 'false']).optional() }),
          response: { 200: pageOf(Faq) },
        },
      },
      async (request) => {
        const q = request.query;
        // Withdrawn answers are for the people who keep the list.
        const staff = await access.authorize(request, 'faq', 'update').then(
          () => true,
          () => false,
        );
        const where = and(
          staff && q.includeInactive === 'true' ? undefined : eq(portalFaqs.active, true),
          q.q
            ? sql`(${portalFaqs.question} ilike ${`%${q.q}%`} or ${portalFaqs.keywords} ilike ${`%${q.q}%`})`
            : undefined,
        );
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(portalFaqs)
            .where(where)
            .orderBy(desc(portalFaqs.solvedCount), asc(portalFaqs.question))
            .limit(q.pageSize)
            .offset((q.page - 1) * q.pageSize),
          db.select({ n: count() }).from(portalFaqs).where(where),
        ]);
        return { items: rows.map(present), total: total!.n, page: q.page, pageSize: q.pageSize };
      },
    );

    app.get(
      '/faqs/suggest',
      {
        config: needs('faq', 'read'),
        schema: {
          tags,
          querystring: z.object({ text: z.string().trim().min(2).max(2000) }),
          response: { 200: z.array(FaqSuggestion) },
        },
      },
      async (request) => {
        // A small table by design (tens to hundreds of answers): ranking in memory beats an index here.
        const rows = await db.select().from(portalFaqs).where(eq(portalFaqs.active, true));
        return rankFaqs(request.query.text, rows).map(({ faq, score }) => ({
          id: faq.id,
          question: faq.question,
          answer: faq.answer,
          score: Math.round(score * 1000) / 1000,
        }));
      },
    );

    app.post(
      '/faqs',
      { config: needs('faq', 'create'), schema: { tags, body: CreateFaq, response: { 201: Faq } } },
      async (request, reply) => {
        const now = platform.clock.now();
        const row: FaqRow = {
          id: newId(now.getTime()),
          ...request.body,
          unsolvedCount: 0,
          solvedCount: 0,
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        await platform.transaction(async (tx) => {
          await tx.insert(portalFaqs).values(row);
          await platform.events.append(tx, {
            type: 'faq.created',
            entityType: 'faq',
            entityId: row.id,
            actor: eventActor(access.actor(request)),
            data: { question: row.question },
          });
        });
        return reply.status(201).send(present(row));
      },
    );

    app.patch(
      '/faqs/:id',
      { config: needs('faq', 'update'), schema: { tags, params: IdParams, body: UpdateFaq, response: { 200: Faq } } },
      async (request) => {
        const { version, ...patch } = request.body;
        return platform.transaction(async (tx) => {
          const [before] = await tx.select().from(portalFaqs).where(eq(portalFaqs.id, request.params.id)).for('update');
          if (!before) throw notFound('faq');
          if (before.version !== version) throw staleVersion(before.version);
          const [after] = await tx
            .update(portalFaqs)
            .set({ ...patch, version: version + 1, updatedAt: platform.clock.now() })
            .where(eq(portalFaqs.id, before.id))
            .returning();
          await platform.events.append(tx, {
            type: 'faq.updated',
            entityType: 'faq',
            entityId: before.id,
            actor: eventActor(access.actor(request)),
            data: { fields: Object.keys(patch) },
          });
          return present(after!);
        });
      },
    );

    app.delete(
      '/faqs/:id',
      { config: needs('faq', 'delete'), schema: { tags, params: IdParams } },
      async (request, reply) => {
        await platform.transaction(async (tx) => {
          const [gone] = await tx.delete(portalFaqs).where(eq(portalFaqs.id, request.params.id)).returning();
          if (!gone) throw notFound('faq');
          await platform.events.append(tx, {
            type: 'faq.deleted',
            entityType: 'faq',
            entityId: gone.id,
            actor: eventActor(access.actor(request)),
            data: { question: gone.question },
          });
        });
        return reply.status(204).send();
      },
    );

    // "This solved it" / "it didn't": a reader's feedback, so it needs only read access.
    app.post(
      '/faqs/:id/feedback',
      { config: needs('faq', 'read'), schema: { tags, params: IdParams, body: FaqFeedback, response: { 200: Faq } } },
      async (request) => {
        const column = request.body.solved ? portalFaqs.solvedCount : portalFaqs.unsolvedCount;
        const [row] = await db
          .update(portalFaqs)
          .set(request.body.solved ? { solvedCount: sql`${column} + 1` } : { unsolvedCount: sql`${column} + 1` })
          .where(and(eq(portalFaqs.id, request.params.id), eq(portalFaqs.active, true)))
          .returning();
        if (!row) throw notFound('faq');
        return present(row);
      },
    );
  };
}
