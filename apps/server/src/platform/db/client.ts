import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTable, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { DatabaseAvailability } from './availability';

// biome-ignore lint/suspicious/noExplicitAny: the two drivers differ only in their result HKT.
export type Db = PgDatabase<PgQueryResultHKT, any>;
// biome-ignore lint/suspicious/noExplicitAny: see Db.
export type Tx = PgTransaction<PgQueryResultHKT, any, any>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * One code path for both backends: services only see drizzle's `Db`. The raw
 * `exec` runs multi-statement scripts (migrations), which drizzle's prepared path can't.
 */
export interface Database {
  kind: DatabaseKind;
  /** PostgreSQL: the server's address, for connections outside the pool (the live-update bus's LISTEN). */
  url?: string;
  db: Db;
  exec(script: string): Promise<void>;
  /** Whether the database is reachable right now (PostgreSQL can go away; the embedded one can't). */
  availability: DatabaseAvailability;
  /** Runs `fn` while holding a cluster-wide lock, so replicas don't migrate at once. */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: a snapshot of the data directory, to start test databases from. */
  dump?(): Promise<Blob>;
}

export type DatabaseOptions =
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob | File }
  | { kind: 'postgres'; url: string; poolSize?: number };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'pglite' ? openPglite(options) : openPostgres(options);
}

async function openPglite(options: { dataDir?: string; loadDataDir?: Blob | File }): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    availability: new DatabaseAvailability(),
    exec: async (script) => {
      await client.exec(script);
    },
    // PGlite is one in-process connection: there is nobody to race with.
    withLock: (_key, fn) => fn(),
    close: () => client.close(),
    dump: () => client.dumpDataDir('none'),
  };
}

/**
 * How long a request waits for a connection — a new one, or a free one from a busy pool — before
 * it is answered 503: a stopped server refuses at once, an unreachable one would hang otherwise.
 */
export const CONNECT_TIMEOUT_MS = 1_500;

async function openPostgres(options: { url: string; poolSize?: number }): Promise<Database> {
  const availability = new DatabaseAvailability();
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Finds connections to a server that vanished without closing them (a host gone, a network cut).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // A connection that dies (the server stopped, restarted or terminated its backend) emits `error`
  // on its client, and an `error` nobody listens to exits the process. The pool listens only while
  // a client is idle; a client checked out for a transaction needs its own listener. Queries in
  // flight fail on their own promise (503), the dead client leaves the pool on release, and the
  // next checkout connects afresh — that is how service resumes once the server is back.
  pool.on('error', (err) => availability.noticed(err));
  pool.on('connect', (client) => {
    client.on('error', (err) => availability.noticed(err));
    availability.recovered();
  });
  // Fail fast on an unreachable server instead of on the first request.
  const probe = await pool.connect();
  probe.release();
  const db = drizzleNodePg({ client: pool }) as unknown as Db;
  return {
    kind: 'postgres',
    url: options.url,
    db,
    availability,
    exec: async (script) => {
      await pool.query(script);
    },
    withLock: async (key, fn) => {
      const conn = await pool.connect();
      try {
        await conn.query('select pg_advisory_lock($1)', [key]);
        return await fn();
      } finally {
        await conn.query('select pg_advisory_unlock($1)', [key]).catch(() => {});
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}

export async function ping(db: Executor): Promise<void> {
  await db.execute(sql`select 1`);
}

/** Rows of a raw query, the same shape on both drivers. */
export async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A text[] parameter. Drizzle spreads a JS array into one parameter per element, so
 * arrays travel as one JSON parameter and are unpacked by the database.
 */
export function textArray(values: readonly string[]) {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}

/** A uuid[] parameter (see textArray): `id = any(…)` on a uuid column keeps its index usable. */
export function uuidArray(values: readonly string[]) {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)::uuid)`;
}

const columnNames = new WeakMap<PgTable, [string, string][]>();

/**
 * A whole row as one JSON text keyed by column name, to be written with
 * `jsonb_populate_record(null::<table>, …)`. For a wide row on a hot path this is one parameter
 * instead of one per column: drizzle builds the statement several times faster and PostgreSQL
 * parses less. Every column of the table must be present in `row`.
 */
export function rowAsJson(table: PgTable, row: Record<string, unknown>): string {
  let names = columnNames.get(table);
  if (!names) {
    names = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name]);
    columnNames.set(table, names);
  }
  const record: Record<string, unknown> = {};
  for (const [key, name] of names) record[name] = row[key] ?? null;
  return JSON.stringify(record);
}

interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string,
      arrayMode: boolean,
    ): { execute(values: Record<string, unknown>): Promise<unknown> };
  };
}

/**
 * A raw statement with `sql.placeholder(…)` values, prepared by name: its text is built once, and
 * PostgreSQL parses and plans it once per connection instead of on every run — for a ticket
 * create that planning cost more than the insert. Drizzle prepares only its query builders, so
 * this reaches its (stable since 0.30) dialect and session.
 */
export class PreparedStatement<T> {
  private built?: { sql: string; params: unknown[] };

  constructor(
    readonly name: string,
    private readonly query: SQL,
  ) {}

  async rows(db: Executor, values: Record<string, unknown>): Promise<T[]> {
    const { dialect, session } = db as unknown as DrizzleInternals;
    this.built ??= dialect.sqlToQuery(this.query);
    const result = (await session.prepareQuery(this.built, undefined, this.name, false).execute(values)) as {
      rows: T[];
    };
    return result.rows;
  }
}

/**
 * Runs a statement per item on one connection (a transaction), preparing each item's statement
 * while the database runs the previous one, so that a bulk write keeps both the database and Node
 * busy instead of taking turns. Only one statement is in flight at a time, as drivers require.
 */
export async function pipeline<T, P>(
  items: Iterable<T>,
  prepare: (item: T) => P,
  run: (prepared: P) => Promise<unknown>,
): Promise<void> {
  let running: Promise<unknown> | undefined;
  for (const item of items) {
    const prepared = prepare(item);
    await running;
    running = run(prepared);
    // Let the driver send it before the next one is prepared on this thread.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await running;
}
