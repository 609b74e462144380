import {
  FieldJob,
  FieldJobDetail,
  FieldJobsQuery,
  IdParams,
  SetAssistants,
  SyncRequest,
  SyncResponse,
} from '@serviceloop/contracts';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { AppError, notFound } from '../../platform/http/errors';
import { translate } from '../../platform/i18n/index';
import type { Platform } from '../../platform/index';
import { type Access, activeWithRole, eventActor, needs } from '../identity/index';
import { findVisit } from '../tickets/index';
import { localDate } from './day';
import { jobDetail, jobsOfDay } from './jobs';
import type { FieldSync } from './sync';
import { visitAssistants } from './tables';

/**
 * The engineer's phone app: their jobs, one job with what they need on site, and the sync of
 * operations queued on the phone. Plus the dispatcher's side of multi-engineer visits: the helpers.
 */
export function fieldAppRoutes(platform: Platform, access: Access, sync: FieldSync) {
  const tags = ['field'];
  return (app: HttpApp) => {
    app.get(
      '/field/jobs',
      {
        config: needs('ticket', 'read'),
        schema: { tags, querystring: FieldJobsQuery, response: { 200: z.array(FieldJob) } },
      },
      async (request) => {
        const actor = access.actor(request);
        return jobsOfDay(platform.db, actor.userId, request.query.date ?? localDate(platform.clock.now()));
      },
    );

    app.get(
      '/field/jobs/:id',
      { config: needs('ticket', 'read'), schema: { tags, params: IdParams, response: { 200: FieldJobDetail } } },
      async (request) => jobDetail(platform.db, access.actor(request).userId, request.params.id),
    );

    app.post(
      '/field/sync',
      { config: needs('ticket', 'read'), schema: { tags, body: SyncRequest, response: { 200: SyncResponse } } },
      async (request) => {
        const actor = access.actor(request);
        if (actor.tokenScopes && !actor.tokenScopes.includes('ticket:write'))
          throw new AppError(403, 'auth.token_scope', { scope: 'ticket:write' });
        const canUpdate = await access.authorize(request, 'ticket', 'update').then(
          () => true,
          () => false,
        );
        const results = await sync.apply(request.body.ops, actor, canUpdate);
        return {
          results: results.map((r) => ({
            opId: r.opId,
            status: r.status,
            replayed: r.replayed,
            ticketVersion: r.outcome.ticketVersion,
            code: r.outcome.code,
            message: r.outcome.code
              ? translate(r.outcome.code, request.locale, messageParams(r.outcome, request.locale))
              : null,
            happened: r.outcome.happened,
            detail: r.outcome.detail,
          })),
        };
      },
    );

    // A visit's helpers, set by the dispatcher: the lead stays the visit's engineer.
    app.put(
      '/field/visits/:id/assistants',
      {
        config: needs('dispatch', 'update'),
        schema: { tags, params: IdParams, body: SetAssistants, response: { 200: z.array(z.uuid()) } },
      },
      async (request) => {
        const actor = access.actor(request);
        const wanted = [...new Set(request.body.engineerIds)];
        return platform.transaction(async (tx) => {
          const visit = await findVisit(tx, request.params.id, { lock: true });
          if (!visit) throw notFound('visit');
          if (wanted.includes(visit.engineerId))
            throw new AppError(400, 'validation.failed', {}, [
              { path: 'engineerIds', code: 'field.lead_not_assistant' },
            ]);
          if (wanted.length) {
            const found = await activeWithRole(tx, wanted, 'engineer');
            if (found.length !== wanted.length)
              throw new AppError(400, 'validation.failed', {}, [
                { path: 'engineerIds', code: 'validation.field.not_engineer' },
              ]);
          }
          // Helpers who already checked in stay: their time on site is a record.
          await tx
            .delete(visitAssistants)
            .where(
              and(
                eq(visitAssistants.visitId, visit.id),
                sql`${visitAssistants.checkedInAt} is null`,
                wanted.length ? notInArray(visitAssistants.engineerId, wanted) : undefined,
              ),
            );
          if (wanted.length)
            await tx
              .insert(visitAssistants)
              .values(
                wanted.map((engineerId) => ({
                  visitId: visit.id,
                  engineerId,
                  ticketId: visit.ticketId,
                  addedBy: actor.userId,
                  addedAt: platform.clock.now(),
                })),
              )
              .onConflictDoNothing();
          const now = await tx
            .select({ id: visitAssistants.engineerId })
            .from(visitAssistants)
            .where(eq(visitAssistants.visitId, visit.id));
          await platform.events.append(tx, {
            type: 'ticket.assistants_set',
            entityType: 'ticket',
            entityId: visit.ticketId,
            actor: eventActor(actor),
            visibility: 'internal',
            data: { visitId: visit.id, assistantIds: now.map((a) => a.id) },
          });
          return now.map((a) => a.id).sort();
        });
      },
    );
  };
}

/** A resource name in a stored `resource.not_found` is worded in the reader's language. */
function messageParams(outcome: { params: Record<string, unknown> }, locale: 'zh-CN' | 'en-US') {
  const params = { ...outcome.params };
  if (typeof params.resource === 'string') params.resource = translate(`entity.${params.resource}`, locale);
  return params;
}
