import { compileErrors, validate } from '@readme/openapi-parser';
import { type Action, DEFAULT_POLICY, type Resource, ROLES, tokenScopeFor } from '@serviceloop/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantFor } from '../src/modules/identity/policy';
import { BACKENDS } from './databases';
import { type Agent, createTestServer, type TestServer } from './harness';
import {
  bodyWith,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  requestBodySchema,
  resolve,
  type StringSlot,
  stringSlots,
} from './openapi-walk';

/**
 * Walks every route the application registers, so a new route is covered the day it is added:
 * bad input of every kind never yields a 5xx, and each route's permission matches the policy
 * for every role and API-token scope.
 */

/** Routes anyone signed in (or anyone at all) may call; every other route must declare `config.access`. */
const SELF_SERVICE = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/me',
  'PATCH /api/v1/auth/me/preferences',
  'POST /api/v1/auth/me/password',
  'GET /api/v1/teams',
  'GET /api/v1/tokens',
  'POST /api/v1/tokens',
  'DELETE /api/v1/tokens/:id',
  'GET /api/v1/fault-categories',
  'GET /api/v1/fault-categories/classify',
  // Global search asks each group's read grant itself and leaves out the groups not granted.
  'GET /api/v1/search',
  // The invitee has no account yet; the link's secret is the guard.
  'GET /api/v1/portal/invitations/preview',
  'POST /api/v1/portal/invitations/accept',
]);

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const fill = (url: string, id: string) => url.replace(/:\w+/g, id);

describe.each(BACKENDS)('the whole API surface on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let apiRoutes: { method: string; url: string; access?: { resource: Resource; action: Action } }[];
  let doc: OpenApiDocument;
  let operations: Operation[];
  /** A customer's own routes (the portal) refuse the admin: those are walked as a customer. */
  let asAllowed: (send: (agent: Agent) => Promise<LightMyRequestResponse>) => Promise<LightMyRequestResponse>;

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    apiRoutes = server.app.routeCatalog
      .filter((r) => r.url.startsWith('/api/v1/'))
      .map((r) => ({ method: r.method, url: r.url, access: r.config.access as never }));
    doc = (await admin.get('/api/openapi.json')).json();
    // Signing out would end the session the walk runs in.
    operations = operationsOf(doc).filter((op) => op.url.startsWith('/api/v1/') && op.url !== '/api/v1/auth/logout');
    const customer = await server.userWith('customer', { customerId: UNKNOWN_ID });
    asAllowed = async (send) => {
      const res = await send(admin);
      return res.statusCode === 403 ? send(customer) : res;
    };
  });
  afterAll(async () => {
    await server.close();
  });

  it('declares a permission on every route that is not self-service', () => {
    const undeclared = apiRoutes.filter((r) => !r.access && !SELF_SERVICE.has(`${r.method} ${r.url}`));
    expect(undeclared.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('answers malformed JSON, wrong shapes and oversized bodies with a 4xx, never a 5xx', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))) {
      // Signing in is exercised below without a session; signing out takes no body and would end ours.
      if (route.url === '/api/v1/auth/login' || route.url === '/api/v1/auth/logout') continue;
      const url = fill(route.url, UNKNOWN_ID);
      const attempts: [string, () => Promise<{ statusCode: number; body: string }>][] = [
        [
          'malformed',
          () => admin.request(route.method as 'POST', url, '{"broken":', { 'content-type': 'application/json' }),
        ],
        ['array', () => admin.request(route.method as 'POST', url, [1, 2, 3])],
        [
          'wrong types',
          () => admin.request(route.method as 'POST', url, { version: 'x', name: 42, roles: 'x', rules: 7 }),
        ],
        ['huge', () => admin.request(route.method as 'POST', url, { blob: 'x'.repeat(2 * 1024 * 1024) })],
        ['xml', () => admin.request(route.method as 'POST', url, '<a/>', { 'content-type': 'application/xml' })],
      ];
      for (const [what, send] of attempts) {
        const res = await send();
        const body = JSON.parse(res.body || '{}');
        if (res.statusCode >= 500 || res.statusCode < 400 || typeof body.code !== 'string' || !body.message) {
          failures.push(`${route.method} ${route.url} [${what}] → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    const login = await server.anonymous.post('/api/v1/auth/login', { username: ['x'], password: null });
    expect(login.statusCode).toBe(400);
    expect(
      login
        .json()
        .details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['password', 'username']);
    expect(failures).toEqual([]);
  });

  it('answers malformed ids with 400 and unknown ids with 404', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes.filter((r) => r.method === 'GET' && r.url.includes(':'))) {
      const bad = await admin.get(fill(route.url, 'not-a-uuid'));
      if (bad.statusCode !== 400) failures.push(`${route.url} malformed → ${bad.statusCode}`);
      const unknown = await admin.get(fill(route.url, UNKNOWN_ID));
      if (unknown.statusCode !== 404) failures.push(`${route.url} unknown → ${unknown.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers bad query strings with a 400 naming the parameter', async () => {
    for (const route of apiRoutes.filter((r) => r.method === 'GET' && !r.url.includes(':'))) {
      const res = await admin.get(`${route.url}?page=zero&pageSize=-5`);
      if (res.statusCode === 200) continue; // routes without paging ignore unknown parameters
      expect(res.statusCode, route.url).toBe(400);
      const paths: string[] = res.json().details.map((d: { path: string }) => d.path);
      // Paged lists name the bad page; routes with their own required parameters name those.
      expect(paths.length).toBeGreaterThan(0);
      expect(
        paths.every((p) => p.startsWith('querystring.')),
        route.url,
      ).toBe(true);
    }
  });

  it('allows and denies every role exactly as the policy says, before reading the body', async () => {
    const guarded = apiRoutes.filter((r) => r.access);
    const mismatches: string[] = [];
    for (const role of ROLES) {
      const agent = await server.userWith(role, role === 'customer' ? { customerId: UNKNOWN_ID } : {});
      for (const route of guarded) {
        const allowed = grantFor(DEFAULT_POLICY, [role], route.access!.resource, route.access!.action) !== null;
        const res = await agent.request(
          route.method as 'GET',
          fill(route.url, UNKNOWN_ID),
          route.method === 'GET' ? undefined : {},
        );
        const denied = res.statusCode === 403;
        if (denied === allowed || res.statusCode === 401 || res.statusCode >= 500) {
          mismatches.push(
            `${role} ${route.method} ${route.url}: policy ${allowed ? 'allows' : 'denies'}, got ${res.statusCode}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('limits API tokens to their scopes on every guarded route', async () => {
    const guarded = apiRoutes.filter((r) => r.access);
    const mismatches: string[] = [];
    for (const route of guarded) {
      const scope = tokenScopeFor(route.access!.resource, route.access!.action);
      const other = scope.endsWith(':read') ? scope.replace(':read', ':write') : scope.replace(':write', ':read');
      for (const [scopes, expectDenied] of [
        [[scope], false],
        [[other], true],
      ] as const) {
        const created = await admin.post('/api/v1/tokens', { name: 'matrix', scopes, expiresInDays: 1 });
        const bearer = { authorization: `Bearer ${created.json().token}` };
        const res = await server.anonymous.request(
          route.method as 'GET',
          fill(route.url, UNKNOWN_ID),
          route.method === 'GET' ? undefined : {},
          bearer,
        );
        const denied = res.statusCode === 403 && res.json().code === 'auth.token_scope';
        if (denied !== expectDenied || res.statusCode >= 500) {
          mismatches.push(`${scopes.join(',')} ${route.method} ${route.url}: got ${res.statusCode}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('publishes a valid OpenAPI document in which every operation is named', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(operations.length).toBeGreaterThan(200);
    const unnamed = operations.filter((op) => !op.operation.operationId || !op.operation.summary);
    expect(unnamed.map((op) => `${op.method} ${op.url}`)).toEqual([]);
  });

  it('names the unknown fields of every request body instead of dropping them', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const body = requestBodySchema(op);
      const schema = body && resolve(doc, body);
      // Maps and deliberately open objects declare additionalProperties; they take any key.
      if (schema?.type !== 'object' || (schema.additionalProperties ?? false) !== false) continue;
      checked++;
      const res = await asAllowed((agent) => agent.request(op.method, fill(op.url, UNKNOWN_ID), { zzUnknownField: 1 }));
      const paths = detailPaths(res);
      if (!paths.includes('zzUnknownField')) failures.push(`${op.method} ${op.url} → ${res.statusCode} ${paths}`);
    }
    expect(checked).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('refuses a NUL byte or a lone surrogate in every string of every operation, naming the field', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const op of operations) {
      for (const slot of stringSlots(doc, op)) {
        for (const [what, text, inUrl] of [
          ['NUL', 'a\u0000b', 'a%00b'],
          ['lone surrogate', 'a\ud800b', 'a%ED%A0%80b'],
        ] as const) {
          const res = await asAllowed((agent) => sendString(agent, op, slot, text, inUrl));
          sent++;
          const expected = slot.in === 'body' ? slot.path.join('.') : `${slot.in}.${slot.name}`;
          const named = detailPaths(res).includes(expected);
          // A URL carries UTF-8, which has no surrogates: their bytes are a malformed path, and in a
          // query string they stay the literal escape text. Neither may be a 5xx.
          const ok =
            slot.in === 'body' || what === 'NUL'
              ? named
              : slot.in === 'params'
                ? res.statusCode === 400 && res.json().code === 'request.malformed_url'
                : res.statusCode < 500;
          if (!ok) {
            failures.push(`${op.method} ${op.url} ${expected} [${what}] → ${res.statusCode} ${res.body.slice(0, 100)}`);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  });
});

const detailPaths = (res: LightMyRequestResponse): string[] =>
  res.statusCode === 400 ? (res.json().details ?? []).map((d: { path: string }) => d.path) : [];

/** One request carrying `text` in one string slot of the operation, everything else absent or valid. */
function sendString(agent: Agent, op: Operation, slot: StringSlot, text: string, inUrl: string) {
  if (slot.in === 'body') return agent.request(op.method, fill(op.url, UNKNOWN_ID), bodyWith(slot.path, text));
  const url =
    slot.in === 'params'
      ? fill(op.url.replace(`:${slot.name}`, inUrl), UNKNOWN_ID)
      : `${fill(op.url, UNKNOWN_ID)}?${slot.name}=${inUrl}`;
  return agent.request(op.method, url, op.method === 'GET' || op.method === 'DELETE' ? undefined : {});
}
