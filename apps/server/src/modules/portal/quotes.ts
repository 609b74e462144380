import { CreateQuote, IdParams, Quote, QuoteDecision, type QuoteLine, WithdrawQuote } from '@serviceloop/contracts';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { AppError, notFound, staleVersion } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { type Access, eventActor, needs } from '../identity/index';
import { findTicket, ticketIdsIn, ticketScope } from '../tickets/index';
import { quotes, type StoredQuoteLine } from './tables';

type QuoteRow = typeof quotes.$inferSelect;

/** Line amounts and the total in whole fen: a fractional quantity rounds its line, never the sum. */
export function priceQuote(lines: QuoteLine[]): { lines: StoredQuoteLine[]; totalFen: number } {
  const priced = lines.map((l) => ({
    kind: l.kind,
    description: l.description,
    sku: l.sku ?? null,
    quantity: l.quantity,
    unitPriceFen: l.unitPriceFen,
    amountFen: Math.round(l.quantity * l.unitPriceFen),
  }));
  return { lines: priced, totalFen: priced.reduce((sum, l) => sum + l.amountFen, 0) };
}

export const present = (q: QuoteRow): Quote => ({
  id: q.id,
  ticketId: q.ticketId,
  state: q.state as Quote['state'],
  lines: q.lines,
  totalFen: q.totalFen,
  note: q.note,
  validUntil: q.validUntil,
  decidedAt: q.decidedAt?.toISOString() ?? null,
  decisionReason: q.decisionReason,
  createdAt: q.createdAt.toISOString(),
  version: q.version,
});

const ENDED = ['closed', 'cancelled'];

/**
 * Quotes (报价单): staff price the parts and labour a repair needs; the customer approves or
 * rejects it (with a reason) in the portal. Each step is a customer-visible event on the ticket, so
 * it appears on the timeline both sides see. A quote is reached through its ticket, under the
 * caller's quote grant applied to the ticket's scope columns (region, team, organisation, assignee).
 */
export function quoteRoutes(platform: Platform, access: Access) {
  const tags = ['portal'];
  const scoped = (request: FastifyRequest) => ticketScope(request.grant!, access.actor(request));

  async function ticketFor(id: string, scope: SQL) {
    const ticket = await findTicket(platform.db, id, { scope });
    if (!ticket) throw notFound('ticket');
    return ticket;
  }

  /** Locks one quote the caller can reach, checks its version and that it still waits. */
  async function pending(
    tx: Parameters<Parameters<Platform['transaction']>[0]>[0],
    id: string,
    version: number,
    scope: SQL,
  ) {
    const [found] = await tx
      .select({ q: quotes })
      .from(quotes)
      .where(and(eq(quotes.id, id), sql`${quotes.ticketId} in (${ticketIdsIn(scope)})`))
      .for('update');
    if (!found) throw notFound('quote');
    if (found.q.version !== version) throw staleVersion(found.q.version);
    if (found.q.state !== 'pending') throw new AppError(409, 'quote.not_pending', { state: found.q.state });
    return found.q;
  }

  return (app: HttpApp) => {
    app.get(
      '/tickets/:id/quotes',
      { config: needs('quote', 'read'), schema: { tags, params: IdParams, response: { 200: z.array(Quote) } } },
      async (request) => {
        await ticketFor(request.params.id, scoped(request));
        const rows = await platform.db
          .select()
          .from(quotes)
          .where(eq(quotes.ticketId, request.params.id))
          .orderBy(asc(quotes.createdAt));
        return rows.map(present);
      },
    );

    app.post(
      '/tickets/:id/quotes',
      {
        config: needs('quote', 'create'),
        schema: { tags, params: IdParams, body: CreateQuote, response: { 201: Quote } },
      },
      async (request, reply) => {
        const actor = access.actor(request);
        if (actor.roles.includes('customer')) throw new AppError(403, 'auth.forbidden');
        const ticket = await ticketFor(request.params.id, scoped(request));
        if (ENDED.includes(ticket.state)) throw new AppError(409, 'quote.ticket_ended');
        const now = platform.clock.now();
        const priced = priceQuote(request.body.lines);
        const row: QuoteRow = {
          id: newId(now.getTime()),
          ticketId: ticket.id,
          customerId: ticket.customerId,
          state: 'pending',
          lines: priced.lines,
          totalFen: priced.totalFen,
          note: request.body.note ?? null,
          validUntil: request.body.validUntil ?? null,
          decidedBy: null,
          decidedAt: null,
          decisionReason: null,
          createdBy: actor.userId,
          createdAt: now,
          version: 1,
        };
        await platform.transaction(async (tx) => {
          // One quote waits for the customer at a time; a new price means withdrawing the old one.
          const [waiting] = await tx
            .select({ id: quotes.id })
            .from(quotes)
            .where(and(eq(quotes.ticketId, ticket.id), eq(quotes.state, 'pending')));
          if (waiting) throw new AppError(409, 'quote.pending_exists', {}, { quoteId: waiting.id });
          await tx.insert(quotes).values(row);
          await platform.events.append(tx, {
            type: 'quote.issued',
            entityType: 'ticket',
            entityId: ticket.id,
            actor: eventActor(actor),
            visibility: 'customer',
            data: { quoteId: row.id, totalFen: row.totalFen, lines: row.lines.length },
          });
        });
        return reply.status(201).send(present(row));
      },
    );

    app.post(
      '/quotes/:id/decision',
      {
        config: needs('quote', 'update'),
        schema: { tags, params: IdParams, body: QuoteDecision, response: { 200: Quote } },
      },
      async (request) => {
        const actor = access.actor(request);
        // The customer decides on the price; staff may only withdraw a quote.
        if (!actor.roles.includes('customer')) throw new AppError(403, 'quote.customer_decides');
        const { decision, version, reason } = request.body;
        const scope = scoped(request);
        return platform.transaction(async (tx) => {
          const quote = await pending(tx, request.params.id, version, scope);
          const now = platform.clock.now();
          const [after] = await tx
            .update(quotes)
            .set({
              state: decision === 'approve' ? 'approved' : 'rejected',
              decidedBy: actor.userId,
              decidedAt: now,
              decisionReason: reason ?? null,
              version: version + 1,
            })
            .where(eq(quotes.id, quote.id))
            .returning();
          await platform.events.append(tx, {
            type: decision === 'approve' ? 'quote.approved' : 'quote.rejected',
            entityType: 'ticket',
            entityId: quote.ticketId,
            actor: eventActor(actor),
            visibility: 'customer',
            data: { quoteId: quote.id, totalFen: quote.totalFen, reason: reason ?? null },
          });
          return present(after!);
        });
      },
    );

    app.post(
      '/quotes/:id/withdraw',
      {
        config: needs('quote', 'update'),
        schema: { tags, params: IdParams, body: WithdrawQuote, response: { 200: Quote } },
      },
      async (request) => {
        const actor = access.actor(request);
        if (actor.roles.includes('customer')) throw new AppError(403, 'auth.forbidden');
        const scope = scoped(request);
        return platform.transaction(async (tx) => {
          const quote = await pending(tx, request.params.id, request.body.version, scope);
          const [after] = await tx
            .update(quotes)
            .set({ state: 'withdrawn', decidedAt: platform.clock.now(), version: quote.version + 1 })
            .where(eq(quotes.id, quote.id))
            .returning();
          await platform.events.append(tx, {
            type: 'quote.withdrawn',
            entityType: 'ticket',
            entityId: quote.ticketId,
            actor: eventActor(actor),
            visibility: 'customer',
            data: { quoteId: quote.id },
          });
          return present(after!);
        });
      },
    );
  };
}
