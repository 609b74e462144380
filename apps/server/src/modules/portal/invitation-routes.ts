import {
  AcceptedInvitation,
  AcceptInvitation,
  CreatedInvitation,
  CreateInvitation,
  IdParams,
  Invitation,
  InvitationPreview,
  InvitationToken,
  PageQuery,
  pageOf,
} from '@serviceloop/contracts';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { publicUrl } from '../../platform/http/public-url';
import type { Platform } from '../../platform/index';
import { type CustomersModule, referenced } from '../customers/index';
import { type Access, needs } from '../identity/index';
import type { Invitations } from './invitations';

export function invitationRoutes(
  platform: Platform,
  access: Access,
  invitations: Invitations,
  customers: CustomersModule,
) {
  const tags = ['portal'];
  return (app: HttpApp) => {
    app.post(
      '/portal/invitations',
      {
        config: needs('invitation', 'create'),
        schema: { tags, body: CreateInvitation, response: { 201: CreatedInvitation } },
      },
      async (request, reply) => {
        await referenced(() => customers.customerVisible(request, request.body.customerId), 'customerId');
        const created = await invitations.create(
          request.body,
          access.actor(request),
          publicUrl(platform.config, request),
        );
        return reply.status(201).send(created);
      },
    );
    app.get(
      '/portal/invitations',
      {
        config: needs('invitation', 'read'),
        schema: {
          tags,
          querystring: PageQuery.extend({ customerId: z.uuid().optional() }),
          response: { 200: pageOf(Invitation) },
        },
      },
      async (request) => invitations.list(request.query),
    );
    app.post(
      '/portal/invitations/:id/revoke',
      { config: needs('invitation', 'update'), schema: { tags, params: IdParams, response: { 200: Invitation } } },
      async (request) => invitations.revoke(request.params.id, access.actor(request)),
    );
    // The invitee has no account yet: these two are public, guarded by the link's secret.
    app.get(
      '/portal/invitations/preview',
      // No credentials: the invitee has no account yet, and the link's secret is the guard.
      { schema: { tags, security: [], querystring: InvitationToken, response: { 200: InvitationPreview } } },
      async (request) => invitations.preview(request.query.token),
    );
    app.post(
      '/portal/invitations/accept',
      { schema: { tags, security: [], body: AcceptInvitation, response: { 201: AcceptedInvitation } } },
      async (request, reply) =>
        reply.status(201).send(await invitations.accept(request.body.token, request.body.password)),
    );
  };
}
