import {
  ApproveRequisition,
  CancelRequisition,
  ConsumeRequisition,
  CreateRequisition,
  CreateReservation,
  IdParams,
  IssueRequisition,
  LedgerCheck,
  MovementQuery,
  MovementResult,
  NewMovement,
  PartsSettings,
  pageOf,
  RejectRequisition,
  ReleaseReservation,
  ReorderAlert,
  Requisition,
  RequisitionQuery,
  Reservation,
  ReservationQuery,
  SetReorderPoint,
  SlowMovingQuery,
  SlowMovingReport,
  StockLevel,
  StockMovement,
  StockQuery,
  TicketPartsCost,
  UpdatePartsSettings,
  WarehouseStock,
} from '@serviceloop/contracts';
import type { SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../platform/http/actor';
import type { HttpApp } from '../../platform/http/app';
import { AppError, notFound } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { invalid } from '../customers/index';
import { type Access, eventActor, type Grant, needs, scopeFilter } from '../identity/index';
import { ticketInScope, ticketScope } from '../tickets/index';
import { ticketPartsCost } from './cost';
import type { ActionInput, RequisitionService } from './requisitions';
import type { PartsSettingsStore } from './settings';
import type { StockService } from './stock';
import { requisitions } from './tables';

/** Requisitions a grant reaches: regional staff by the ticket's region, engineers their own requests. */
export const requisitionScope = (grant: Grant, actor: Actor): SQL =>
  scopeFilter(grant, actor, { region: requisitions.regionCode, owner: requisitions.requestedBy });

export function stockRoutes(platform: Platform, access: Access, stock: StockService, settings: PartsSettingsStore) {
  const tags = ['parts'];
  const actor = (request: FastifyRequest) => eventActor(access.actor(request));
  return (app: HttpApp) => {
    app.get(
      '/stock',
      {
        config: needs('stock', 'read'),
        schema: { tags, querystring: StockQuery, response: { 200: pageOf(StockLevel) } },
      },
      async (request) => stock.levels(request.query),
    );
    app.get(
      '/stock/movements',
      {
        config: needs('stock', 'read'),
        schema: { tags, querystring: MovementQuery, response: { 200: pageOf(StockMovement) } },
      },
      async (request) => stock.movements(request.query),
    );
    app.post(
      '/stock/movements',
      { config: needs('stock', 'create'), schema: { tags, body: NewMovement, response: { 201: MovementResult } } },
      async (request, reply) => reply.status(201).send(await stock.record(request.body, actor(request))),
    );
    app.get(
      '/stock/reservations',
      {
        config: needs('stock', 'read'),
        schema: { tags, querystring: ReservationQuery, response: { 200: pageOf(Reservation) } },
      },
      async (request) => stock.reservations(request.query),
    );
    app.post(
      '/stock/reservations',
      { config: needs('stock', 'create'), schema: { tags, body: CreateReservation, response: { 201: Reservation } } },
      async (request, reply) => reply.status(201).send(await stock.reserve(request.body, actor(request))),
    );
    app.post(
      '/stock/reservations/:id/release',
      {
        config: needs('stock', 'update'),
        schema: { tags, params: IdParams, body: ReleaseReservation.optional(), response: { 200: Reservation } },
      },
      async (request) => stock.release(request.params.id, request.body?.quantity, actor(request)),
    );
    app.get(
      '/stock/check',
      { config: needs('stock', 'read'), schema: { tags, response: { 200: LedgerCheck } } },
      async () => stock.check(),
    );
    app.put(
      '/stock/reorder-points',
      { config: needs('stock', 'update'), schema: { tags, body: SetReorderPoint, response: { 200: StockLevel } } },
      async (request) => stock.setReorderPoint(request.body, actor(request)),
    );
    app.get(
      '/parts/reorder-alerts',
      { config: needs('stock', 'read'), schema: { tags, response: { 200: z.array(ReorderAlert) } } },
      async () => stock.reorderAlerts(),
    );
    app.get(
      '/stock/reports/slow-moving',
      {
        config: needs('stock', 'read'),
        schema: { tags, querystring: SlowMovingQuery, response: { 200: SlowMovingReport } },
      },
      async (request) => stock.slowMoving(request.query.days),
    );
    app.get(
      '/stock/reports/by-warehouse',
      { config: needs('stock', 'read'), schema: { tags, response: { 200: z.array(WarehouseStock) } } },
      async () => stock.byWarehouse(),
    );
    app.get(
      '/tickets/:id/parts-cost',
      { config: needs('ticket', 'read'), schema: { tags, params: IdParams, response: { 200: TicketPartsCost } } },
      async (request) => {
        const caller = access.actor(request);
        const ticketId = request.params.id;
        if (!(await ticketInScope(platform.db, ticketId, ticketScope(request.grant!, caller))))
          throw notFound('ticket');
        // What parts cost the company is internal, whatever the customer may see of the ticket.
        if (caller.roles.includes('customer')) throw new AppError(403, 'auth.forbidden');
        return ticketPartsCost(platform, ticketId);
      },
    );
    app.get(
      '/parts/settings',
      { config: needs('requisition', 'read'), schema: { tags, response: { 200: PartsSettings } } },
      async () => settings.get(),
    );
    app.put(
      '/parts/settings',
      {
        config: needs('settings', 'update'),
        schema: { tags, body: UpdatePartsSettings, response: { 200: PartsSettings } },
      },
      async (request) => settings.put(request.body, actor(request)),
    );
  };
}

export function requisitionRoutes(platform: Platform, access: Access, service: RequisitionService) {
  const tags = ['parts'];
  const scope = (request: FastifyRequest) => requisitionScope(request.grant!, access.actor(request));

  /** The requester must see the ticket, if their roles read tickets at all (keepers don't). */
  const ticketVisible = (request: FastifyRequest) => async (ticketId: string) => {
    const grant = await access.authorize(request, 'ticket', 'read').catch((error) => {
      if (error instanceof AppError && error.status === 403) return null;
      throw error;
    });
    if (!grant) return;
    if (!(await ticketInScope(platform.db, ticketId, ticketScope(grant, access.actor(request)))))
      throw invalid('ticketId', 'validation.reference');
  };

  return (app: HttpApp) => {
    app.get(
      '/requisitions',
      {
        config: needs('requisition', 'read'),
        schema: { tags, querystring: RequisitionQuery, response: { 200: pageOf(Requisition) } },
      },
      async (request) => service.list(request.query, scope(request), access.actor(request)),
    );
    app.get(
      '/requisitions/:id',
      { config: needs('requisition', 'read'), schema: { tags, params: IdParams, response: { 200: Requisition } } },
      async (request) => service.get(request.params.id, scope(request), access.actor(request)),
    );
    app.post(
      '/requisitions',
      {
        config: needs('requisition', 'create'),
        schema: { tags, body: CreateRequisition, response: { 201: Requisition } },
      },
      async (request, reply) =>
        reply.status(201).send(await service.create(request.body, access.actor(request), ticketVisible(request))),
    );
    const actions = {
      approve: ApproveRequisition,
      reject: RejectRequisition,
      issue: IssueRequisition,
      consume: ConsumeRequisition,
      cancel: CancelRequisition,
    } as const;
    for (const [action, body] of Object.entries(actions)) {
      app.post(
        `/requisitions/:id/${action}`,
        {
          config: needs('requisition', 'update'),
          schema: { tags, params: IdParams, body, response: { 200: Requisition } },
        },
        async (request) =>
          service.act(
            request.params.id,
            { action, ...(request.body as object) } as ActionInput,
            access.actor(request),
            scope(request),
          ),
      );
    }
  };
}
