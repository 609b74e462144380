import {
  BulkTicketAction,
  BulkTicketResult,
  CreatedTicket,
  CreateFaultCategory,
  CreateTicket,
  FaultCategory,
  FaultSynonym,
  IdParams,
  LinkTicket,
  pageOf,
  TakeTransition,
  Ticket,
  TicketCommand,
  TicketQuery,
  TicketWorkflowView,
  TimelineEntry,
} from '@serviceloop/contracts';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import { idempotent } from '../../platform/http/idempotency';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { type CustomersModule, referenced } from '../customers/index';
import type { FormsModule } from '../forms/index';
import { type Access, eventActor, needs } from '../identity/index';
import { bulkTicketAction } from './bulk';
import { ticketExport } from './export';
import { likelyDuplicates } from './intake';
import { type TicketService, ticketScope } from './service';
import { faultCategories, faultSynonyms } from './tables';
import { matchProblemType, normaliseProblemType } from './taxonomy';
import { categoryById, listCategories } from './taxonomy-store';

export function ticketRoutes(
  platform: Platform,
  access: Access,
  service: TicketService,
  customers: CustomersModule,
  forms: Pick<FormsModule, 'checkTicketFields' | 'claimAttachments'>,
) {
  const tags = ['tickets'];
  /** Whether the caller may take staff actions (beyond confirm/reopen/comment/cancel). */
  const canUpdate = async (request: Parameters<Access['authorize']>[0]) =>
    access.authorize(request, 'ticket', 'update').then(
      () => true,
      () => false,
    );

  return (app: HttpApp) => {
    app.get(
      '/tickets',
      {
        config: needs('ticket', 'read'),
        schema: { tags, querystring: TicketQuery, response: { 200: pageOf(Ticket) } },
      },
      async (request) =>
        service.list(request.query as never, ticketScope(request.grant!, access.actor(request))) as never,
    );

    // Exports of a ticket list: the same filters, every matching row, streamed.
    for (const format of ['csv', 'xlsx'] as const) {
      app.get(
        `/tickets/export.${format}`,
        {
          config: needs('ticket', 'export'),
          schema: { tags, querystring: TicketQuery.omit({ page: true, pageSize: true, sort: true }) },
        },
        async (request, reply) => {
          const names = new Map(
            (await listCategories(platform.db)).map((c) => [c.id, request.locale === 'en-US' ? c.nameEn : c.nameZh]),
          );
          const pages = service.exportRows(request.query, ticketScope(request.grant!, access.actor(request)));
          const stamp = platform.clock.now().toISOString().slice(0, 10);
          reply.header(
            'content-type',
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          );
          reply.header('content-disposition', `attachment; filename="tickets-${stamp}.${format}"`);
          return reply.send(ticketExport(pages, format, request.locale, (id) => (id ? (names.get(id) ?? '') : '')));
        },
      );
    }

    app.post(
      '/tickets',
      {
        config: needs('ticket', 'create'),
        schema: {
          tags,
          body: CreateTicket,
          headers: z.object({ 'idempotency-key': z.string().max(200).optional() }).loose(),
          response: { 201: CreatedTicket },
        },
      },
      async (request, reply) => {
        const actor = access.actor(request);
        await forms.checkTicketFields(platform.db, request.body.type, request.body.fields, actor.userId);
        const prepared = await service.prepare(request.body, actor, (customerId) =>
          referenced(() => customers.customerVisible(request, customerId), 'customerId'),
        );
        const result = await idempotent(platform, request, async (db) => {
          const created = await service.create(db, prepared, actor);
          await forms.claimAttachments(db, request.body.type, created.ticket.id, request.body.fields);
          return { status: 201, body: created };
        });
        return reply
          .status(201)
          .header('idempotent-replayed', String(result.replayed))
          .send(result.body as never);
      },
    );

    // Asked before creating, so the agent can link to an existing ticket instead of opening a duplicate.
    app.post(
      '/tickets/duplicates',
      {
        config: needs('ticket', 'create'),
        schema: {
          tags,
          body: CreateTicket,
          response: {
            200: z.array(z.object({ id: z.uuid(), number: z.string(), title: z.string(), reason: z.string() })),
          },
        },
      },
      async (request) => {
        const prepared = await service.prepare(request.body, access.actor(request), (customerId) =>
          referenced(() => customers.customerVisible(request, customerId), 'customerId'),
        );
        return likelyDuplicates(platform.db, prepared.resolved, request.body.description, platform.clock.now());
      },
    );

    app.get(
      '/tickets/:id',
      { config: needs('ticket', 'read'), schema: { tags, params: IdParams, response: { 200: Ticket } } },
      async (request) => {
        const actor = access.actor(request);
        return service.get(
          request.params.id,
          ticketScope(request.grant!, actor),
          actor,
          await canUpdate(request),
        ) as never;
      },
    );

    app.post(
      '/tickets/:id/transitions',
      {
        config: needs('ticket', 'read'),
        schema: { tags, params: IdParams, body: TicketCommand, response: { 200: Ticket } },
      },
      async (request) => {
        const actor = access.actor(request);
        // A read-only token never changes a ticket, whatever its user could do.
        if (actor.tokenScopes && !actor.tokenScopes.includes('ticket:write')) {
          throw new AppError(403, 'auth.token_scope', { scope: 'ticket:write' });
        }
        const scope = ticketScope(request.grant!, actor);
        return service.step(
          request.params.id,
          request.body.version,
          { command: request.body },
          actor,
          scope,
          await canUpdate(request),
        ) as never;
      },
    );

    // One action on tickets chosen in the list; every ticket's outcome comes back (200 even when some fail).
    app.post(
      '/tickets/bulk',
      {
        config: needs('ticket', 'update'),
        schema: { tags, body: BulkTicketAction, response: { 200: BulkTicketResult } },
      },
      async (request) => {
        const actor = access.actor(request);
        return bulkTicketAction(service, request.body, {
          actor,
          scope: ticketScope(request.grant!, actor),
          canUpdate: true,
          locale: request.locale,
          log: (err) => request.log.error({ err }, 'bulk ticket action failed'),
        });
      },
    );

    // The ticket's workflow stage and the transitions this caller may take from it.
    app.get(
      '/tickets/:id/transitions',
      {
        config: needs('ticket', 'read'),
        schema: { tags, params: IdParams, response: { 200: TicketWorkflowView } },
      },
      async (request) => {
        const actor = access.actor(request);
        const scope = ticketScope(request.grant!, actor);
        return service.workflow(request.params.id, scope, actor, await canUpdate(request)) as never;
      },
    );

    app.post(
      '/tickets/:id/transitions/:key',
      {
        config: needs('ticket', 'read'),
        schema: {
          tags,
          params: IdParams.extend({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/) }),
          body: TakeTransition,
          response: { 200: Ticket },
        },
      },
      async (request) => {
        const actor = access.actor(request);
        if (actor.tokenScopes && !actor.tokenScopes.includes('ticket:write')) {
          throw new AppError(403, 'auth.token_scope', { scope: 'ticket:write' });
        }
        const { version, fields, ...params } = request.body;
        return service.step(
          request.params.id,
          version,
          { key: request.params.key, fields, params },
          actor,
          ticketScope(request.grant!, actor),
          await canUpdate(request),
        ) as never;
      },
    );

    app.get(
      '/tickets/:id/timeline',
      {
        config: needs('ticket', 'read'),
        schema: { tags, params: IdParams, response: { 200: z.array(TimelineEntry) } },
      },
      async (request) => {
        const actor = access.actor(request);
        await service.get(request.params.id, ticketScope(request.grant!, actor), actor, false);
        return service.timeline(request.params.id, actor.roles.includes('customer'));
      },
    );

    const Linked = z.array(
      z.object({ id: z.uuid(), number: z.string(), title: z.string(), state: z.string(), kind: z.string() }),
    );
    app.get(
      '/tickets/:id/links',
      { config: needs('ticket', 'read'), schema: { tags, params: IdParams, response: { 200: Linked } } },
      async (request) => {
        const actor = access.actor(request);
        await service.get(request.params.id, ticketScope(request.grant!, actor), actor, false);
        return service.links(request.params.id);
      },
    );
    app.post(
      '/tickets/:id/links',
      {
        config: needs('ticket', 'update'),
        schema: { tags, params: IdParams, body: LinkTicket, response: { 200: Linked } },
      },
      async (request) => {
        const actor = access.actor(request);
        return service.link(
          request.params.id,
          request.body.linkedTicketId,
          request.body.kind,
          actor,
          ticketScope(request.grant!, actor),
        );
      },
    );

    // The fault taxonomy: everyone signed in reads it; administrators (settings) change it.
    app.get('/fault-categories', { schema: { tags, response: { 200: z.array(FaultCategory) } } }, async (request) => {
      access.actor(request);
      return listCategories(platform.db);
    });
    app.post(
      '/fault-categories',
      {
        config: needs('settings', 'update'),
        schema: { tags, body: CreateFaultCategory, response: { 201: FaultCategory } },
      },
      async (request, reply) => {
        const input = request.body;
        if (input.parentId && !(await categoryById(platform.db, input.parentId))) {
          throw new AppError(400, 'validation.failed', {}, [{ path: 'parentId', code: 'validation.reference' }]);
        }
        const row = {
          id: newId(),
          ...input,
          parentId: input.parentId ?? null,
          active: true,
          createdAt: platform.clock.now(),
        };
        await platform.transaction(async (tx) => {
          await tx.insert(faultCategories).values(row);
          await platform.events.append(tx, {
            type: 'fault_category.created',
            entityType: 'fault_category',
            entityId: row.id,
            actor: eventActor(access.actor(request)),
            data: { code: row.code },
          });
        });
        return reply.status(201).send(row as never);
      },
    );
    app.post(
      '/fault-synonyms',
      { config: needs('settings', 'update'), schema: { tags, body: FaultSynonym } },
      async (request, reply) => {
        if (!(await categoryById(platform.db, request.body.categoryId))) {
          throw new AppError(400, 'validation.failed', {}, [{ path: 'categoryId', code: 'validation.reference' }]);
        }
        const normalised = normaliseProblemType(request.body.phrase);
        if (!normalised)
          throw new AppError(400, 'validation.failed', {}, [{ path: 'phrase', code: 'validation.required' }]);
        await platform.db
          .insert(faultSynonyms)
          .values({
            normalised,
            phrase: request.body.phrase,
            categoryId: request.body.categoryId,
            createdAt: platform.clock.now(),
          })
          .onConflictDoUpdate({
            target: faultSynonyms.normalised,
            set: { categoryId: request.body.categoryId, phrase: request.body.phrase },
          });
        return reply.status(204).send();
      },
    );
    app.get(
      '/fault-categories/classify',
      {
        schema: {
          tags,
          querystring: z.object({ text: z.string().min(1).max(200) }),
          response: { 200: z.object({ categoryId: z.uuid().nullable() }) },
        },
      },
      async (request) => {
        access.actor(request);
        const rows = await platform.db.select().from(faultSynonyms);
        return {
          categoryId: matchProblemType(request.query.text, new Map(rows.map((r) => [r.normalised, r.categoryId]))),
        };
      },
    );
  };
}
