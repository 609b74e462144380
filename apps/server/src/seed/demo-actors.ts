import { RESOURCES } from '@serviceloop/contracts';
import { type Actor, systemActor } from '../platform/http/actor';
import type { Server } from '../server';

/**
 * The demo's people at work: each demo account acts through the real HTTP API (validation,
 * permissions, services, events) with a short-lived API token, as an integration would. After
 * each change the events are delivered, so SLA clocks, analytics facts, surveys and automation
 * react at the moment the request happened on the seeding clock.
 */
export interface DemoActor {
  userId: string;
  // biome-ignore lint/suspicious/noExplicitAny: the seeding reads a field or two of each answer
  get(url: string): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  post(url: string, body?: unknown): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  put(url: string, body: unknown): Promise<any>;
}

const EVERY_SCOPE = RESOURCES.flatMap((r) => [`${r}:read`, `${r}:write`]);

/** A request of the seeding that was refused: seeding stops with what the server said. */
export class DemoRequestError extends Error {
  constructor(
    request: string,
    readonly status: number,
    body: string,
  ) {
    super(`demo seeding: ${request}: ${status} ${body}`);
  }
}

export class DemoCast {
  private readonly tokens: { actor: Actor; id: string }[] = [];
  constructor(readonly server: Server) {}

  /** The account `username` (which must exist), acting with its own roles and data scope. */
  async as(username: string): Promise<DemoActor> {
    const { identity } = this.server.modules;
    const { items } = await identity.service.listUsers({ page: 1, pageSize: 50, q: username });
    const user = items.find((u) => u.username === username);
    if (!user) throw new Error(`demo seeding: no account ${username}`);
    // The seeding (the system) issues the token on the account's behalf.
    const actor = systemActor(username, [], user.id);
    // The service takes any scope list; the 50-scope limit is the HTTP contract's, for people.
    const token = await identity.service.createToken(actor, {
      name: '演示数据初始化 / demo seeding',
      scopes: EVERY_SCOPE,
      expiresInDays: 30,
    });
    this.tokens.push({ actor, id: token.id });
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
      const res = await this.server.app.inject({
        method,
        url: `/api/v1${url}`,
        payload: body === undefined ? undefined : (body as object),
        headers: { authorization: `Bearer ${token.token}`, 'accept-language': 'zh-CN' },
      });
      if (res.statusCode >= 300)
        throw new DemoRequestError(`${method} ${url} as ${username}`, res.statusCode, res.body);
      if (method !== 'GET') await this.server.platform.dispatcher.settle();
      return res.json();
    };
    return {
      userId: user.id,
      get: (url) => call('GET', url),
      post: (url, body = {}) => call('POST', url, body),
      put: (url, body) => call('PUT', url, body),
    };
  }

  /** Revokes the seeding tokens: nobody can use them after the demo is in place. */
  async dismiss(): Promise<void> {
    for (const { actor, id } of this.tokens) await this.server.modules.identity.service.revokeToken(actor, id);
  }
}
