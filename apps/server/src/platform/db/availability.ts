/**
 * Whether the database can be used right now. A stopped, restarting or unreachable PostgreSQL is
 * an outage, not a bug: requests answer 503 `database.unavailable`, workers retry on their next
 * poll, and the process keeps running until the database is back. The embedded database never has
 * one.
 */

/** Why the database is away, as health and the 503 body name it. */
export type OutageReason =
  | 'refused'
  | 'lost'
  | 'timeout'
  | 'unreachable'
  | 'shutting_down'
  | 'starting'
  | 'too_many_connections'
  | 'unknown';

/** Raised where the application itself decides the database is away (a health ping that timed out). */
export class DatabaseUnavailable extends Error {
  constructor(readonly reason: OutageReason) {
    super(`database unavailable (${reason})`);
  }
}

const SOCKET_ERRORS: Record<string, OutageReason> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'lost',
  EPIPE: 'lost',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
};

const SQLSTATES: Record<string, OutageReason> = {
  '57P01': 'shutting_down', // admin_shutdown (also a terminated backend)
  '57P02': 'shutting_down', // crash_shutdown
  '57P03': 'starting', // cannot_connect_now: starting up or in recovery
  '53300': 'too_many_connections',
};

// node-postgres and its pool report these without a code.
const DRIVER_MESSAGES: [RegExp, OutageReason][] = [
  [/^Connection terminated due to connection timeout/, 'timeout'],
  [/^timeout exceeded when trying to connect/, 'timeout'],
  [/^Connection terminated/, 'lost'],
  [/is not queryable/, 'lost'],
];

/** The outage an error means, looking through wrappers (drizzle's query error keeps the driver's as `cause`); null for any other failure. */
export function outageReason(error: unknown): OutageReason | null {
  let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof DatabaseUnavailable) return e.reason;
    const code = typeof e.code === 'string' ? e.code : '';
    const known = SOCKET_ERRORS[code] ?? SQLSTATES[code] ?? (code.startsWith('08') ? 'lost' : undefined);
    if (known) return known;
    const message = typeof e.message === 'string' ? e.message : '';
    for (const [pattern, reason] of DRIVER_MESSAGES) if (pattern.test(message)) return reason;
    e = e.cause as typeof e;
  }
  return null;
}

export interface Outage {
  reason: OutageReason;
  since: Date;
}

/**
 * The current outage, if any: set by the first failure that means one, cleared when a connection
 * succeeds again. Its changes are what the log reports — once per outage, not once per failed
 * query of every worker.
 */
export class DatabaseAvailability {
  private current: Outage | null = null;
  private readonly listeners = new Set<(outage: Outage | null, error?: unknown) => void>();

  get outage(): Outage | null {
    return this.current;
  }

  /** Records `error` if it means the database is away; true when it does. */
  noticed(error: unknown): boolean {
    const reason = outageReason(error);
    if (!reason) return false;
    if (!this.current) {
      this.current = { reason, since: new Date() };
      for (const listener of this.listeners) listener(this.current, error);
    }
    return true;
  }

  recovered(): void {
    if (!this.current) return;
    this.current = null;
    for (const listener of this.listeners) listener(null);
  }

  onChange(listener: (outage: Outage | null, error?: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
