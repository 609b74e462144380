import {
  type Action,
  ApiToken,
  AuditEvent,
  ChangePassword,
  CreateApiToken,
  CreatedApiToken,
  CreateTeam,
  CreateUser,
  ErrorCode,
  IdParams,
  LoginRequest,
  Me,
  PageQuery,
  PasswordPolicy,
  PolicyDocument,
  pageOf,
  ResetPassword,
  type Resource,
  RetentionSettings,
  Role,
  Team,
  UpdatePreferences,
  UpdateUser,
  User,
} from '@serviceloop/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import type { Access, Grant } from './access';
import { listAudit } from './audit';
import { sameSecret } from './auth';
import { eventActor, type IdentityService } from './service';
import { toActor, toUser } from './users';

export const SESSION_COOKIE = 'sl_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Writes a browser may make without a CSRF token: signing in has no session yet to forge. */
const CSRF_EXEMPT = new Set(['/api/v1/auth/login']);

declare module 'fastify' {
  interface FastifyRequest {
    csrfToken: string | null;
    /** Set before validation on routes that declare `config.access`. */
    grant: Grant | null;
  }
  interface FastifyContextConfig {
    /** The permission a route needs; checked before the body is even validated. */
    access?: { resource: Resource; action: Action };
  }
}

/** Resolves the caller from the session cookie or a bearer token, and guards cookie writes against CSRF. */
export function authenticationHooks(identity: IdentityService, access: Access) {
  return (app: HttpApp) => {
    app.decorateRequest('csrfToken', null);
    app.decorateRequest('grant', null);
    app.addHook('onRequest', async (request, reply) => {
      const needed = request.routeOptions.config.access;
      // Health, the API reference and the web app's files serve anyone, and must keep doing so
      // while the database is away: only the API (by its matched route) looks the caller up.
      if (!needed && !(request.routeOptions.url ?? request.url).startsWith('/api/v1/')) return;
      await authenticate(request, reply);
      if (needed) request.grant = await access.authorize(request, needed.resource, needed.action);
    });
    const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        const found = await identity.auth.token(header.slice(7).trim());
        if (!found) throw new AppError(401, ErrorCode.unauthenticated);
        request.actor = toActor(found.user, { tokenId: found.token.id, tokenScopes: found.token.scopes });
        return;
      }
      const secret = request.cookies[SESSION_COOKIE];
      if (!secret) return;
      const found = await identity.auth.session(secret);
      if (!found) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      request.actor = toActor(found.user, { sessionId: found.session.idHash });
      request.csrfToken = found.session.csrfToken;
      if (UNSAFE.has(request.method) && !CSRF_EXEMPT.has(request.routeOptions.url ?? '')) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !sameSecret(sent, found.session.csrfToken)) {
          throw new AppError(403, ErrorCode.csrf);
        }
      }
    };
  };
}

/** Route config declaring the permission a route needs (checked in `authenticationHooks`). */
export const needs = (resource: Resource, action: Action) => ({ access: { resource, action } });

export function identityRoutes(platform: Platform, identity: IdentityService, access: Access) {
  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure:
      platform.config.cookieSecure === 'auto' ? request.protocol === 'https' : platform.config.cookieSecure === 'true',
    maxAge: Math.floor(platform.config.sessionAbsoluteMs / 1000),
  });
  const startSession = (reply: FastifyReply, request: FastifyRequest, secret: string) =>
    reply.setCookie(SESSION_COOKIE, secret, cookieOptions(request));

  return async (app: HttpApp) => {
    const tags = ['identity'];

    // Wrong credentials are a 401 and repeated failures a 429; there is no session yet to refuse (403).
    const loginFailures = [400, 401, 413, 415, 429];
    app.post(
      '/auth/login',
      { schema: { tags, security: [], body: LoginRequest, response: { 200: Me }, failures: loginFailures } },
      async (request, reply) => {
        const result = await identity.auth.login({
          ...request.body,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          previousSecret: request.cookies[SESSION_COOKIE],
        });
        if (!result.ok && result.reason === 'throttled') {
          reply.header('retry-after', String(result.retryInSeconds));
          throw new AppError(429, ErrorCode.throttled, { seconds: result.retryInSeconds });
        }
        if (!result.ok) throw new AppError(401, ErrorCode.invalidCredentials);
        startSession(reply, request, result.secret);
        return identity.me(result.user, result.csrfToken);
      },
    );

    app.post('/auth/logout', { schema: { tags } }, async (request, reply) => {
      const secret = request.cookies[SESSION_COOKIE];
      if (secret) await identity.auth.logout(secret);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    });

    app.get('/auth/me', { schema: { tags, response: { 200: Me } } }, async (request) => {
      const actor = access.actor(request);
      return identity.me(await identity.userRow(actor.userId), request.csrfToken ?? '');
    });

    app.patch(
      '/auth/me/preferences',
      { schema: { tags, body: UpdatePreferences, response: { 200: Me } } },
      async (request) => {
        const actor = access.actor(request);
        await identity.setLocale(actor.userId, request.body.locale);
        return identity.me(await identity.userRow(actor.userId), request.csrfToken ?? '');
      },
    );

    app.post('/auth/me/password', { schema: { tags, body: ChangePassword } }, async (request, reply) => {
      const actor = access.actor(request);
      if (actor.kind !== 'user') throw new AppError(403, ErrorCode.forbidden);
      await identity.setPassword(
        actor.userId,
        request.body.newPassword,
        eventActor(actor),
        request.body.currentPassword,
      );
      // Every session ended with the password change; this browser signs straight back in.
      const user = await identity.userRow(actor.userId);
      const result = await identity.auth.login({
        username: user.username,
        password: request.body.newPassword,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      if (result.ok) startSession(reply, request, result.secret);
      return reply.status(204).send();
    });

    app.get(
      '/users',
      {
        config: needs('user', 'read'),
        schema: { tags, querystring: PageQuery.extend({ role: Role.optional() }), response: { 200: pageOf(User) } },
      },
      async (request) => {
        return identity.listUsers(request.query);
      },
    );

    app.post(
      '/users',
      { config: needs('user', 'create'), schema: { tags, body: CreateUser, response: { 201: User } } },
      async (request, reply) => {
        return reply.status(201).send(await identity.createUser(request.body, eventActor(access.actor(request))));
      },
    );

    app.get(
      '/users/:id',
      { config: needs('user', 'read'), schema: { tags, params: IdParams, response: { 200: User } } },
      async (request) => {
        return toUser(await identity.userRow(request.params.id));
      },
    );

    app.patch(
      '/users/:id',
      {
        config: needs('user', 'update'),
        schema: { tags, params: IdParams, body: UpdateUser, response: { 200: User } },
      },
      async (request) => {
        return identity.updateUser(request.params.id, request.body, eventActor(access.actor(request)));
      },
    );

    app.post(
      '/users/:id/password',
      { config: needs('user', 'update'), schema: { tags, params: IdParams, body: ResetPassword } },
      async (request, reply) => {
        await identity.setPassword(request.params.id, request.body.newPassword, eventActor(access.actor(request)));
        return reply.status(204).send();
      },
    );

    app.post(
      '/users/:id/unlock',
      { config: needs('user', 'update'), schema: { tags, params: IdParams } },
      async (request, reply) => {
        await identity.unlockLogin(request.params.id, eventActor(access.actor(request)));
        return reply.status(204).send();
      },
    );

    app.get('/teams', { schema: { tags, response: { 200: z.array(Team) } } }, async (request) => {
      access.actor(request);
      return identity.listTeams();
    });

    app.post(
      '/teams',
      { config: needs('user', 'create'), schema: { tags, body: CreateTeam, response: { 201: Team } } },
      async (request, reply) => {
        return reply.status(201).send(await identity.createTeam(request.body, eventActor(access.actor(request))));
      },
    );

    app.get(
      '/policy',
      { config: needs('settings', 'read'), schema: { tags, response: { 200: PolicyDocument } } },
      async (request) => {
        return { rules: await identity.policy() };
      },
    );

    app.put(
      '/policy',
      {
        config: needs('settings', 'update'),
        schema: { tags, body: PolicyDocument, response: { 200: PolicyDocument } },
      },
      async (request) => {
        return { rules: await identity.setPolicy(request.body.rules, eventActor(access.actor(request))) };
      },
    );

    app.get(
      '/settings/password-policy',
      { config: needs('settings', 'read'), schema: { tags, response: { 200: PasswordPolicy } } },
      async (request) => {
        return identity.passwordPolicy();
      },
    );

    app.put(
      '/settings/password-policy',
      {
        config: needs('settings', 'update'),
        schema: { tags, body: PasswordPolicy, response: { 200: PasswordPolicy } },
      },
      async (request) => {
        return identity.setPasswordPolicy(request.body, eventActor(access.actor(request)));
      },
    );

    app.get(
      '/settings/retention',
      { config: needs('settings', 'read'), schema: { tags, response: { 200: RetentionSettings } } },
      async () => identity.retention(),
    );

    app.put(
      '/settings/retention',
      {
        config: needs('settings', 'update'),
        schema: { tags, body: RetentionSettings, response: { 200: RetentionSettings } },
      },
      async (request) => identity.setRetention(request.body, eventActor(access.actor(request))),
    );

    app.get('/tokens', { schema: { tags, response: { 200: z.array(ApiToken) } } }, async (request) =>
      identity.listTokens(sessionActor(access, request).userId),
    );

    app.post(
      '/tokens',
      { schema: { tags, body: CreateApiToken, response: { 201: CreatedApiToken } } },
      async (request, reply) =>
        reply.status(201).send(await identity.createToken(sessionActor(access, request), request.body)),
    );

    app.delete('/tokens/:id', { schema: { tags, params: IdParams } }, async (request, reply) => {
      await identity.revokeToken(sessionActor(access, request), request.params.id);
      return reply.status(204).send();
    });

    app.get(
      '/audit',
      {
        config: needs('auditLog', 'read'),
        schema: {
          tags,
          querystring: PageQuery.extend({
            type: z.string().max(100).optional(),
            entityType: z.string().max(100).optional(),
            entityId: z.string().max(100).optional(),
            actorId: z.uuid().optional(),
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
          }),
          response: { 200: pageOf(AuditEvent) },
        },
      },
      async (request) => {
        return listAudit(platform.db, request.query);
      },
    );
  };
}

/** Tokens are managed from a signed-in browser; a token can't mint or revoke tokens. */
function sessionActor(access: Access, request: FastifyRequest) {
  const actor = access.actor(request);
  if (actor.kind !== 'user') throw new AppError(403, ErrorCode.forbidden);
  return actor;
}
