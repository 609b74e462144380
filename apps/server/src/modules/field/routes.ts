import {
  ApplyPlan,
  ApplyResult,
  AssignmentSuggestions,
  BoardQuery,
  DayPlan,
  DispatchBoard,
  IdParams,
  OptimiseDay,
  SuggestionQuery,
} from '@serviceloop/contracts';
import type { FastifyRequest } from 'fastify';
import type { HttpApp } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import { type Access, needs } from '../identity/index';
import { ticketScope } from '../tickets/index';
import type { DispatchService } from './dispatch';

/** The dispatcher's endpoints: suggestions for a ticket, the board, the day optimiser and applying its plan. */
export function dispatchRoutes(access: Access, service: DispatchService) {
  const tags = ['field'];
  /** The caller's reach over tickets: the dispatch grant says nothing about which tickets. */
  const ticketGrant = async (request: FastifyRequest, action: 'read' | 'update') =>
    access.authorize(request, 'ticket', action).catch((error) => {
      if (error instanceof AppError && error.status === 403) return null;
      throw error;
    });

  return (app: HttpApp) => {
    app.get(
      '/tickets/:id/assignment-suggestions',
      {
        config: needs('dispatch', 'read'),
        schema: { tags, params: IdParams, querystring: SuggestionQuery, response: { 200: AssignmentSuggestions } },
      },
      async (request) => {
        const grant = await ticketGrant(request, 'read');
        if (!grant) throw new AppError(404, 'resource.not_found', { resource: 'ticket' });
        return service.suggestions(request.params.id, ticketScope(grant, access.actor(request)), request.query.date);
      },
    );

    app.get(
      '/dispatch/board',
      {
        config: needs('dispatch', 'read'),
        schema: { tags, querystring: BoardQuery, response: { 200: DispatchBoard } },
      },
      async (request) => service.board(request.query.date, request.query.days),
    );

    // A preview: computes a plan and changes nothing, hence a read.
    app.post(
      '/dispatch/optimise',
      { config: needs('dispatch', 'read'), schema: { tags, body: OptimiseDay, response: { 200: DayPlan } } },
      async (request) => service.optimise(request.body.date, request.body.ticketIds),
    );

    app.post(
      '/dispatch/apply',
      { config: needs('dispatch', 'update'), schema: { tags, body: ApplyPlan, response: { 200: ApplyResult } } },
      async (request) => {
        const actor = access.actor(request);
        // Applying is dispatching tickets: a token needs the ticket write scope as well.
        if (actor.tokenScopes && !actor.tokenScopes.includes('ticket:write'))
          throw new AppError(403, 'auth.token_scope', { scope: 'ticket:write' });
        const read = await ticketGrant(request, 'read');
        const update = await ticketGrant(request, 'update');
        if (!read || !update) throw new AppError(403, 'auth.forbidden');
        return service.apply(request.body, actor, ticketScope(read, actor), true, request.locale);
      },
    );
  };
}
