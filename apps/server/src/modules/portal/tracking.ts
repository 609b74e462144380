import { IdParams, ScanResult, Tracking } from '@serviceloop/contracts';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { notFound } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { chinaDate, devicesWithModel, warrantyStatus } from '../assets/index';
import { findCustomer, findSite } from '../customers/index';
import { type Access, findUser, needs } from '../identity/index';
import { latestSurveyOf } from '../surveys/index';
import { type TicketService, ticketScope } from '../tickets/index';
import { quotes } from './tables';

/**
 * What the customer's phone needs: the device behind a scanned QR label (only devices the caller
 * may read — a contact's own organisation's), and a ticket tracked like a parcel.
 */
export function trackingRoutes(platform: Platform, access: Access, ticketService: TicketService) {
  const tags = ['portal'];
  const { db } = platform;
  return (app: HttpApp) => {
    app.get(
      '/portal/scan',
      {
        config: needs('device', 'read'),
        schema: {
          tags,
          querystring: z.object({ code: z.string().trim().min(1).max(64) }),
          response: { 200: ScanResult },
        },
      },
      async (request) => {
        const [found] = await devicesWithModel(
          db,
          { assetCode: request.query.code },
          { grant: request.grant!, actor: access.actor(request) },
        );
        const customer = found && (await findCustomer(db, found.device.customerId));
        // Someone else's label reads as an unknown one: a scan must not reveal whose device it is.
        if (!found || !customer) throw notFound('device');
        const { device, model } = found;
        const site = device.siteId ? await findSite(db, device.siteId) : undefined;
        return {
          deviceId: device.id,
          assetCode: device.assetCode!,
          serialNumber: device.serialNumber,
          productModelId: model.id,
          modelName: model.name,
          modelCode: model.code,
          customerId: customer.id,
          customerName: customer.name,
          siteId: site?.id ?? null,
          siteName: site?.name ?? null,
          serviceAddress: site?.address ?? null,
          warrantyStatus: warrantyStatus(device.warrantyEndsOn, chinaDate(platform.clock.now())),
          warrantyEndsOn: device.warrantyEndsOn,
        };
      },
    );

    app.get(
      '/portal/tickets/:id/tracking',
      { config: needs('ticket', 'read'), schema: { tags, params: IdParams, response: { 200: Tracking } } },
      async (request) => {
        const actor = access.actor(request);
        const ticket = await ticketService.get(request.params.id, ticketScope(request.grant!, actor), actor, false);
        const assignee = ticket.assigneeId ? await findUser(db, ticket.assigneeId) : undefined;
        const engineer = assignee && { name: assignee.displayName, mobile: assignee.mobile };
        // The visit still to come or under way; otherwise the last one that happened.
        const visits = ticket.visits ?? [];
        const nextVisit = visits.find((v) => !v.checkedOutAt) ?? visits.at(-1) ?? null;
        const [quote] = await db
          .select({ id: quotes.id })
          .from(quotes)
          .where(and(eq(quotes.ticketId, ticket.id), eq(quotes.state, 'pending')));
        const survey = await latestSurveyOf(db, ticket.id);
        return {
          ticketId: ticket.id,
          number: ticket.number,
          state: ticket.state,
          engineer: engineer ? { name: engineer.name, mobile: engineer.mobile } : null,
          nextVisit: nextVisit
            ? {
                plannedStart: nextVisit.plannedStart,
                plannedEnd: nextVisit.plannedEnd,
                checkedInAt: nextVisit.checkedInAt,
                checkedOutAt: nextVisit.checkedOutAt,
              }
            : null,
          promise: { respondBy: ticket.responseDueAt, resolveBy: ticket.resolutionDueAt },
          pendingQuoteId: quote?.id ?? null,
          surveyId: survey?.id ?? null,
        };
      },
    );
  };
}
