import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { DatabaseAvailability } from './db/availability';
import { CONNECT_TIMEOUT_MS } from './db/client';

type Listener = (message: unknown) => void;

/**
 * Fire-and-forget messages between the processes that share one database, for live views (the
 * notification bell, dashboards). Nothing durable rides on it: what a listener misses (a replica
 * restarting, a dropped connection) it finds in the database on its next read.
 *
 * PostgreSQL: `pg_notify` / `LISTEN` on one dedicated connection per process, so a message
 * published by any replica reaches every replica — including the publisher, through the same
 * path. PGlite is one process: messages go straight to the listeners here.
 */
export interface Bus {
  publish(channel: string, message: unknown): Promise<void>;
  subscribe(channel: string, listener: Listener): () => void;
  /** Called after the bus (re)connects, when messages may have been missed. */
  onReconnect(listener: () => void): () => void;
  /** Resolves once every subscription so far is listening (start-up waits for it). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** NOTIFY payloads must stay under 8000 bytes; publishers trim longer messages to this. */
export const MAX_MESSAGE_BYTES = 7_000;

class Listeners {
  private readonly byChannel = new Map<string, Set<Listener>>();

  add(channel: string, listener: Listener): () => void {
    const set = this.byChannel.get(channel) ?? new Set();
    set.add(listener);
    this.byChannel.set(channel, set);
    return () => set.delete(listener);
  }

  deliver(channel: string, message: unknown): void {
    for (const listener of this.byChannel.get(channel) ?? []) listener(message);
  }

  get channels(): string[] {
    return [...this.byChannel.keys()];
  }
}

export function localBus(): Bus {
  const listeners = new Listeners();
  return {
    publish: async (channel, message) => listeners.deliver(channel, message),
    subscribe: (channel, listener) => listeners.add(channel, listener),
    onReconnect: () => () => {},
    ready: async () => {},
    close: async () => {},
  };
}

/** Channel names are identifiers in `LISTEN`: keep them to a safe alphabet. */
const quoted = (channel: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad bus channel ${channel}`);
  return `"${channel}"`;
};

export function postgresBus(
  connectionString: string,
  publishQuery: (channel: string, payload: string) => Promise<void>,
  log: FastifyBaseLogger,
  availability?: DatabaseAvailability,
): Bus {
  const listeners = new Listeners();
  const reconnected = new Set<() => void>();
  const listening = new Set<string>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client | null> | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;
  const pending = new Set<Promise<void>>();

  const connect = (): Promise<pg.Client | null> => {
    connecting ??= (async () => {
      const next = new pg.Client({
        connectionString,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      });
      try {
        await next.connect();
        next.on('notification', (n) => {
          let message: unknown = null;
          try {
            message = n.payload ? JSON.parse(n.payload) : null;
          } catch {
            return;
          }
          listeners.deliver(n.channel, message);
        });
        next.on('error', (err) => lost(next, err));
        next.on('end', () => lost(next, null));
        listening.clear();
        for (const channel of listeners.channels) {
          await next.query(`listen ${quoted(channel)}`);
          listening.add(channel);
        }
        if (closed) {
          await next.end();
          return null;
        }
        const wasDown = failures > 0 || client !== null;
        client = next;
        failures = 0;
        if (wasDown) {
          log.info('live-update bus reconnected');
          for (const fn of reconnected) fn();
        }
        return next;
      } catch (err) {
        next.end().catch(() => {});
        lost(null, err);
        return null;
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  };

  // A lost connection is re-opened with a backoff capped at 2 s, so live updates flow again within
  // 2 s of the database's return; listeners hear `onReconnect` then. Logged once per outage.
  const lost = (which: pg.Client | null, err: unknown) => {
    if (which && which !== client) return;
    client = null;
    if (closed || retry) return;
    failures++;
    if (err && failures === 1) log.warn({ err }, 'live-update bus disconnected; reconnecting');
    retry = setTimeout(
      () => {
        retry = null;
        void connect();
      },
      Math.min(250 * 2 ** failures, 2_000),
    );
    retry.unref();
  };
  // The pool found the database back: listen again now rather than at the next backoff step.
  availability?.onChange((outage) => {
    if (outage || !retry) return;
    clearTimeout(retry);
    retry = null;
    void connect();
  });

  return {
    async publish(channel, message) {
      await publishQuery(channel, JSON.stringify(message));
    },
    subscribe(channel, listener) {
      const stop = listeners.add(channel, listener);
      quoted(channel);
      const listen = (async () => {
        const c = client ?? (await connect());
        if (c && !listening.has(channel)) {
          listening.add(channel);
          await c.query(`listen ${quoted(channel)}`).catch((err) => lost(c, err));
        }
      })();
      pending.add(listen);
      void listen.finally(() => pending.delete(listen));
      return stop;
    },
    onReconnect(listener) {
      reconnected.add(listener);
      return () => reconnected.delete(listener);
    },
    async ready() {
      await Promise.all([...pending]);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await connecting;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
