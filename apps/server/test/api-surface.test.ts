import { type Action, DEFAULT_POLICY, type Resource, ROLES, tokenScopeFor } from '@serviceloop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantFor } from '../src/modules/identity/policy';
import { BACKENDS } from './databases';
import { type Agent, createTestServer, type TestServer } from './harness';

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

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    apiRoutes = server.app.routeCatalog
      .filter((r) => r.url.startsWith('/api/v1/'))
      .map((r) => ({ method: r.method, url: r.url, access: r.config.access as never }));
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
});
