import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Role } from '@serviceloop/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { ManualClock } from '../src/platform/clock';
import { loadConfig } from '../src/platform/config';
import type { DatabaseKind } from '../src/platform/db/client';
import { createServer, type Server } from '../src/server';
import { freshDatabase } from './databases';

export const TEST_PASSWORD = 'Correct-Horse-Battery-9';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A signed-in caller: sends its session cookie and CSRF token like the web app does. */
export interface Agent {
  userId: string;
  username: string;
  /** The session cookie (`name=value`), for requests over a real connection. */
  cookie: string | null;
  request(
    method: Method,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export interface TestServer extends Server {
  clock: ManualClock;
  /** Signs in with a username and password through the real login route. */
  signIn(username: string, password?: string): Promise<Agent>;
  /** Creates a user with the given role(s) and scope, and signs them in. */
  userWith(
    roles: Role | Role[],
    options?: { customerId?: string; regionCodes?: string[]; teamIds?: string[]; username?: string },
  ): Promise<Agent>;
  /** A caller with no credentials. */
  anonymous: Agent;
}

let counter = 0;

/** The whole application on a fresh database of the given kind, with a clock tests move by hand. */
export async function createTestServer(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestServer> {
  const database = await freshDatabase(kind);
  const clock = new ManualClock(new Date());
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sl-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    ...env,
  });
  const server = await createServer({ config, database, clock });
  await server.modules.identity.service.ensureAdmin(TEST_PASSWORD);

  const agent = (cookie: string | null, csrf: string | null, userId = '', username = ''): Agent => {
    const request: Agent['request'] = (method, url, body, headers = {}) =>
      server.app.inject({
        method,
        url,
        payload: body === undefined ? undefined : (body as object),
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
          ...headers,
        },
      });
    return {
      userId,
      username,
      cookie,
      request,
      get: (url, headers) => request('GET', url, undefined, headers),
      post: (url, body, headers) => request('POST', url, body, headers),
      put: (url, body) => request('PUT', url, body),
      patch: (url, body) => request('PATCH', url, body),
      delete: (url) => request('DELETE', url),
    };
  };

  const signIn: TestServer['signIn'] = async (username, password = TEST_PASSWORD) => {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'sl_session')!;
    const me = res.json() as { id: string; csrfToken: string };
    return agent(`sl_session=${cookie.value}`, me.csrfToken, me.id, username);
  };

  const userWith: TestServer['userWith'] = async (roles, options = {}) => {
    const list = Array.isArray(roles) ? roles : [roles];
    const username = options.username ?? `${list.join('-')}-${++counter}`;
    await server.modules.identity.service.createUser(
      {
        username,
        displayName: username,
        password: TEST_PASSWORD,
        roles: list,
        teamIds: options.teamIds ?? [],
        regionCodes: options.regionCodes ?? [],
        customerId: options.customerId ?? null,
        locale: 'zh-CN',
      },
      { kind: 'system', id: null },
    );
    return signIn(username);
  };

  return {
    ...server,
    clock,
    signIn,
    userWith,
    anonymous: agent(null, null),
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Two installations on one kind of database with their administrators signed in — configuration
 * moves from `a` to `b`. Started one after the other: two PGlite installations starting at once
 * starve a busy machine.
 */
export async function createInstallationPair(kind: DatabaseKind) {
  const a = await createTestServer(kind);
  const b = await createTestServer(kind);
  const [adminA, adminB] = await Promise.all([a.signIn('admin'), b.signIn('admin')]);
  return { a, b, adminA, adminB };
}

/** A phone report of a stopped device (the analytics tests' stock ticket); `fields` add to or override it. */
export async function reportFault(agent: Agent, fields: Record<string, unknown>) {
  const res = await agent.post('/api/v1/tickets', {
    channel: 'phone',
    contactName: '周先生',
    contactPhone: '13812345678',
    title: '设备停机',
    description: '设备报警停机，错误代码 E35，无法复位',
    severity: 'major',
    ...fields,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().ticket as { id: string; version: number };
}
