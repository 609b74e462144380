/** What the benchmarks share: starting the built server as its own process, signing in, fresh databases, CPU from /proc. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { LoadResult } from './load';

export const root = path.resolve(import.meta.dirname, '../..');
export const PG = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN_PASSWORD = 'Zq7-Harbour-Lantern-2026';

/** The built server; BENCH_SERVER_ARGS passes node flags to it only, e.g. `--cpu-prof` to profile it. */
const SERVER = [...(process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? []), 'apps/server/dist/main.js'];

/** Starts node with `args` (default: the built server) and `env`, and waits until `/api/health` answers. */
export async function startServer(env: Record<string, string>, port: number, args = SERVER): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

/** Stops a server and waits for it to exit (its shutdown finishes the delivery round under way). */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function signIn(origin: string, username: string, password: string) {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

export async function freshPostgres(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG);
  url.pathname = `/${name}`;
  return url.toString();
}

/** CPU seconds a process has used so far (Linux), to report cost per request, which is steadier than throughput on a shared machine. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU of the PostgreSQL backends serving one database (same machine only). Backends that exit
 * during a measurement take their CPU with them, so a measured server keeps its pool open.
 */
export class DatabaseCpu {
  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}

  static async open(url: string): Promise<DatabaseCpu> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new DatabaseCpu(client, new URL(url).pathname.slice(1));
  }

  /** Seconds used so far by every backend connected to the database (this reader's own included: it is idle). */
  async seconds(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
      this.database,
    ]);
    return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
  }

  /** Seconds used between two `seconds()` readings, by backends present in both (or new ones). */
  static between(before: Map<number, number>, after: Map<number, number>): number {
    let total = 0;
    for (const [pid, s] of after) if (Number.isFinite(s)) total += s - (before.get(pid) ?? 0);
    return total;
  }

  close() {
    return this.client.end();
  }
}

export type Measured = LoadResult & { serverCpuMs: number; databaseCpuMs?: number };

/** Runs `load` and adds the server's (and, given one, the database's) CPU per request. */
export async function measured(
  server: ChildProcess,
  load: () => Promise<LoadResult>,
  database?: DatabaseCpu,
): Promise<Measured> {
  const before = cpuSeconds(server.pid);
  const dbBefore = await database?.seconds();
  const result = await load();
  const serverCpuMs = ((cpuSeconds(server.pid) - before) * 1000) / Math.max(1, result.requests);
  if (!database || !dbBefore) return { ...result, serverCpuMs };
  const databaseCpuMs = (DatabaseCpu.between(dbBefore, await database.seconds()) * 1000) / Math.max(1, result.requests);
  return { ...result, serverCpuMs, databaseCpuMs };
}

export const show = (label: string, r: Measured) =>
  console.log(
    `${label.padEnd(34)} ${String(r.perSecond).padStart(8)}/s  p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms  max ${r.max} ms  server CPU ${r.serverCpuMs.toFixed(2)} ms/request${r.databaseCpuMs === undefined ? '' : `  database CPU ${r.databaseCpuMs.toFixed(2)} ms/request`}  (${r.requests} requests, ${r.errors} errors, ${JSON.stringify(r.statuses)})`,
  );
