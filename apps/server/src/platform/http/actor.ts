import type { Role } from '@serviceloop/contracts';

/**
 * Who is calling. Filled by the identity module's authentication hook; the platform
 * only carries it. `tokenScopes` is set when the call came with an API token, and
 * narrows what the user's roles allow.
 */
export interface Actor {
  /** `system`: the server acting on its own (automation rules); it has no user id (empty). */
  kind: 'user' | 'token' | 'system';
  userId: string;
  username: string;
  roles: Role[];
  teamIds: string[];
  regionCodes: string[];
  /** Set for customer contacts: the organisation whose data they may see. */
  customerId: string | null;
  sessionId: string | null;
  tokenId: string | null;
  tokenScopes: string[] | null;
  locale: 'zh-CN' | 'en-US';
  /** When the password was last set, for the expiry policy (read with the session, not per check). */
  passwordChangedAt: Date;
}

/** The server acting on its own (rules, seeding), under `username` and, when on someone's behalf, their id. */
export function systemActor(username: string, roles: Role[] = [], userId = ''): Actor {
  return {
    kind: 'system',
    userId,
    username,
    roles,
    teamIds: [],
    regionCodes: [],
    customerId: null,
    sessionId: null,
    tokenId: null,
    tokenScopes: null,
    locale: 'zh-CN',
    passwordChangedAt: new Date(0),
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: 'zh-CN' | 'en-US';
  }
}
