/**
 * `npm run bench:import` — a historical ticket import through HTTP on PostgreSQL: a fresh
 * database, the built server, a generated xlsx of BENCH_IMPORT_ROWS (default 100,000) closed
 * tickets over 200 devices (registered by a device CSV import first), then upload → commit.
 * Prints rows/s for reading the file, checking every row, writing (tickets, events, repeat links,
 * in one transaction) and in total, from the server's own phase timings, plus the commit request's
 * wall time; then how long after the commit the analytics facts (added by the subscriber of the
 * import's `import.committed` event) cover every imported ticket. Not a test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { historyFile } from '../apps/server/test/import-files';

const root = path.resolve(import.meta.dirname, '..');
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const BASE = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_PASSWORD = 'Zq7-Harbour-Lantern-2026';
const PORT = 3912;
const DEVICES = 200;

const database = `sl_bench_import_${process.pid}`;
const admin = new pg.Client({ connectionString: BASE });
await admin.connect();
await admin.query(`create database ${database}`);
const url = new URL(BASE);
url.pathname = `/${database}`;
const dir = mkdtempSync(path.join(tmpdir(), 'sl-bench-import-'));

async function startServer(): Promise<ChildProcess> {
  // BENCH_SERVER_ARGS passes node flags to the server only, e.g. `--cpu-prof` to profile it.
  const nodeArgs = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, 'apps/server/dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD,
      DATABASE_URL: url.toString(),
      DATA_DIR: dir,
      SEED_DEMO: 'false',
    },
    stdio: ['ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore', 'inherit'],
  });
  for (let i = 0; i < 3000; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

/** User + system CPU seconds of a process so far (Linux /proc; clock ticks are 100 Hz there). */
function processCpu(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of the bench database's PostgreSQL backends (the server's pooled connections). */
async function databaseCpu(): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
    database,
  ]);
  return rows.reduce((sum, r) => sum + processCpu(r.pid), 0);
}

const server = await startServer();
try {
  const origin = `http://127.0.0.1:${PORT}/api/v1`;
  const login = await fetch(`${origin}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken };
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads a field or two of each answer
  const post = async (p: string, body: unknown): Promise<any> => {
    const response = await fetch(`${origin}${p}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${p}: ${response.status} ${(await response.text()).slice(0, 500)}`);
    return response.json();
  };
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const upload = async (entity: string, name: string, content: Buffer): Promise<any> => {
    const form = new FormData();
    form.append('entity', entity);
    form.append('file', new Blob([content]), name);
    const response = await fetch(`${origin}/imports`, { method: 'POST', headers, body: form });
    if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
    return response.json();
  };

  await post('/customers', { name: '批量客户', regionCode: '320000', industry: 'other' });
  await post('/product-models', { code: 'B-1', name: '批量型号', category: 'other' });
  const devices = ['序列号,型号,客户', ...Array.from({ length: DEVICES }, (_, i) => `SN-${i},B-1,批量客户`)].join('\n');
  const deviceRun = await upload('device', 'devices.csv', Buffer.from(devices));
  await post(`/imports/${deviceRun.run.id}/commit`, { mapping: deviceRun.mapping });

  const file = path.join(dir, 'history.xlsx');
  let started = performance.now();
  await historyFile(file, ROWS, DEVICES);
  const content = readFileSync(file);
  console.log(
    `generated ${ROWS.toLocaleString('en')} rows: ${(content.length / 1048576).toFixed(1)} MB xlsx in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  started = performance.now();
  const up = await upload('ticket', 'history.xlsx', content);
  console.log(`upload (store + header detection)          ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // The previous run's (and the set-up's) dirty pages are written out first, so that a run does not
  // pay for the checkpoint of the one before it (run right after another, the second was slower).
  await admin.query('checkpoint');
  const cpuBefore = { database: await databaseCpu(), server: processCpu(server.pid!) };
  started = performance.now();
  const done = await post(`/imports/${up.run.id}/commit`, { mapping: up.mapping });
  const wall = (performance.now() - started) / 1000;
  // CPU seconds spent, which a busy shared machine disturbs far less than wall time.
  const cpu = {
    database: (await databaseCpu()) - cpuBefore.database,
    server: processCpu(server.pid!) - cpuBefore.server,
  };
  if (done.imported !== ROWS) throw new Error(`imported ${done.imported} of ${ROWS}`);
  const t = done.timings as Record<string, number>;
  const line = (label: string, ms: number) =>
    console.log(
      `${label.padEnd(44)} ${(ms / 1000).toFixed(1).padStart(6)} s  ${Math.round(ROWS / (ms / 1000))
        .toLocaleString('en')
        .padStart(8)} rows/s`,
    );
  line('parse (read the xlsx)', t.parseMs!);
  line('validate (lookups + every row checked)', t.checkMs!);
  line('write (tickets, events, repeat links)', t.writeMs!);
  line('total (server)', t.totalMs!);
  line('commit request, wall', wall * 1000);
  console.log(
    `CPU during the commit: database ${cpu.database.toFixed(1)} s, server ${cpu.server.toFixed(1)} s (of ${wall.toFixed(1)} s)`,
  );
  // The analytics facts follow the commit (its import.committed event): how long until every
  // imported ticket counts in the KPIs.
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  for (;;) {
    const { rows } = await db.query('select count(*)::int as n from ticket_facts');
    if (rows[0].n >= ROWS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await db.end();
  const caughtUp = (performance.now() - started) / 1000 - wall;
  console.log(
    `${'KPIs include every imported ticket, after the commit'.padEnd(44)} ${caughtUp.toFixed(1).padStart(6)} s`,
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await admin.query(`drop database if exists ${database}`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
