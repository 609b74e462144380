/**
 * `npm run bench:intake` — ticket intake and ticket lists through the HTTP API (not a test).
 *
 *   1. creates tickets at concurrency 32 for 20 s, on PostgreSQL and on PGlite;
 *   2. lists and filters tickets on a database holding BENCH_LIST_DATABASE_URL's tickets
 *      (load it first: `DATABASE_URL=… npm run seed -- --tickets 1000000`).
 *
 * The server runs as its own process (the built apps/server/dist/main.js), the load from this one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type LoadResult, runLoad } from './lib/load';

const root = path.resolve(import.meta.dirname, '..');
const PG = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_PASSWORD = 'Zq7-Harbour-Lantern-2026';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  // BENCH_SERVER_ARGS passes node flags to the server only, e.g. `--cpu-prof` to profile it.
  const nodeArgs = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, 'apps/server/dist/main.js'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

async function signIn(origin: string, username: string, password: string) {
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

async function freshPostgres(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG);
  url.pathname = `/${name}`;
  return url.toString();
}

/** CPU seconds a process has used so far (Linux), to report the server's cost per request, which is steadier than throughput on a shared machine. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function measured(server: ChildProcess, load: () => Promise<LoadResult>) {
  const before = cpuSeconds(server.pid);
  const result = await load();
  return { ...result, serverCpuMs: ((cpuSeconds(server.pid) - before) * 1000) / Math.max(1, result.requests) };
}

const show = (label: string, r: LoadResult & { serverCpuMs: number }) =>
  console.log(
    `${label.padEnd(34)} ${String(r.perSecond).padStart(8)}/s  p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms  max ${r.max} ms  server CPU ${r.serverCpuMs.toFixed(2)} ms/request  (${r.requests} requests, ${r.errors} errors, ${JSON.stringify(r.statuses)})`,
  );

async function intake(label: string, env: Record<string, string>, port: number) {
  const server = await startServer({ SEED_DEMO: 'true', ...env }, port);
  try {
    const origin = `http://127.0.0.1:${port}`;
    const headers = { ...(await signIn(origin, 'agent', 'ServiceLoop-Demo-2026')), 'content-type': 'application/json' };
    const body = (i: number) =>
      JSON.stringify({
        channel: 'api',
        contactName: '压测联系人',
        contactPhone: '13812345678',
        title: `压测报修 ${i}`,
        description: `设备报警停机，错误代码 E${i % 997}，现场无法复位，请尽快处理 #${i}`,
        severity: 'major',
      });
    // Warm up at the measured concurrency, so every pooled connection has prepared its statements
    // and the JIT has compiled the hot path before the clock starts.
    await runLoad({
      origin,
      concurrency: 32,
      seconds: 3,
      request: (i) => ({ method: 'POST', path: '/api/v1/tickets', headers, body: body(-i) }),
    });
    show(
      `${label}: create ticket (c=32)`,
      await measured(server, () =>
        runLoad({
          origin,
          concurrency: 32,
          seconds: SECONDS,
          expectStatus: 201,
          request: (i) => ({ method: 'POST', path: '/api/v1/tickets', headers, body: body(i) }),
        }),
      ),
    );
  } finally {
    server.kill('SIGTERM');
  }
}

async function lists(url: string, port: number) {
  const server = await startServer({ DATABASE_URL: url, SEED_DEMO: 'false' }, port);
  try {
    const origin = `http://127.0.0.1:${port}`;
    const headers = await signIn(origin, 'admin', ADMIN_PASSWORD);
    const filters = [
      '',
      '?priority=P1',
      '?state=closed&channel=wechat',
      '?regionCode=440000',
      '?priority=P0&sort=due_asc',
      '?createdFrom=2025-03-01T00:00:00%2B08:00&createdTo=2025-04-01T00:00:00%2B08:00',
      '?q=SV-2025-0001',
    ];
    for (const concurrency of [1, 8]) {
      show(
        `PostgreSQL 1M: filtered list (c=${concurrency})`,
        await measured(server, () =>
          runLoad({
            origin,
            concurrency,
            seconds: SECONDS,
            expectStatus: 200,
            request: (i) => ({ method: 'GET', path: `/api/v1/tickets${filters[i % filters.length]}`, headers }),
          }),
        ),
      );
    }
  } finally {
    server.kill('SIGTERM');
  }
}

const only = process.env.BENCH_ONLY;
if (only !== 'lists') {
  const pgUrl = await freshPostgres('sl_bench_intake');
  await intake('PostgreSQL', { DATABASE_URL: pgUrl }, 3901);
}
if (!only) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sl-bench-'));
  await intake('PGlite', { DATA_DIR: dir }, 3902);
  rmSync(dir, { recursive: true, force: true });
}
if (only !== 'postgres' && process.env.BENCH_LIST_DATABASE_URL) await lists(process.env.BENCH_LIST_DATABASE_URL, 3903);
else
  console.log(
    '(set BENCH_LIST_DATABASE_URL to a database seeded with `npm run seed -- --tickets 1000000` for the list benchmark)',
  );
