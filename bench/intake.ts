/**
 * `npm run bench:intake` — ticket intake and ticket lists through the HTTP API (not a test).
 *
 *   1. creates tickets at concurrency 32 for BENCH_SECONDS (default 20) on PostgreSQL, with every
 *      event subscriber on, watching the outbox: its largest backlog during the run, how long it
 *      takes to drain after it, and whether the KPI facts then cover every ticket; then the bare
 *      Fastify + pg baseline (bench/baseline-server.ts) under the same load, for the ratio;
 *   2. the same intake on PGlite (the embedded default);
 *   3. lists and filters tickets on a database holding BENCH_LIST_DATABASE_URL's tickets
 *      (load it first: `DATABASE_URL=… npm run seed -- --tickets 1000000`).
 *
 * Servers run as their own processes (the built apps/server/dist/main.js), the load from this one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runLoad } from './lib/load';
import {
  ADMIN_PASSWORD,
  DatabaseCpu,
  freshPostgres,
  type Measured,
  measured,
  show,
  signIn,
  startServer,
  stopServer,
} from './lib/server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

const body = (i: number) =>
  JSON.stringify({
    channel: 'api',
    contactName: '压测联系人',
    contactPhone: '13812345678',
    title: `压测报修 ${i}`,
    description: `设备报警停机，错误代码 E${i % 997}，现场无法复位，请尽快处理 #${i}`,
    severity: 'major',
  });

async function createLoad(origin: string, headers: Record<string, string>, seconds: number, expectStatus?: number) {
  return runLoad({
    origin,
    concurrency: 32,
    seconds,
    expectStatus,
    request: (i) => ({ method: 'POST', path: '/api/v1/tickets', headers, body: body(i) }),
  });
}

/** Samples the outbox (deliveries not yet done) once a second, then times its drain after the load. */
async function watchOutbox(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pending = async () =>
    Number((await client.query('select count(*)::int as n from event_deliveries where not dead')).rows[0].n);
  let max = 0;
  const samples: number[] = [];
  const timer = setInterval(() => {
    pending()
      .then((n) => {
        samples.push(n);
        max = Math.max(max, n);
      })
      .catch(() => {});
  }, 1000);
  return {
    async finish() {
      clearInterval(timer);
      const loadEnded = performance.now();
      let left = await pending();
      const atEnd = left;
      while (left > 0 && performance.now() - loadEnded < 120_000) {
        await new Promise((r) => setTimeout(r, 100));
        left = await pending();
      }
      const drainSeconds = (performance.now() - loadEnded) / 1000;
      const { rows } = await client.query(
        `select (select count(*)::int from tickets) as tickets,
                (select count(*)::int from ticket_facts) as facts,
                (select count(*)::int from event_deliveries where dead) as dead`,
      );
      await client.end();
      return {
        max,
        atEnd,
        left,
        drainSeconds,
        samples,
        ...(rows[0] as { tickets: number; facts: number; dead: number }),
      };
    },
  };
}

async function intakePostgres(): Promise<Measured> {
  const url = await freshPostgres('sl_bench_intake');
  const port = 3901;
  const server = await startServer({ SEED_DEMO: 'true', DATABASE_URL: url }, port);
  const dbCpu = await DatabaseCpu.open(url);
  try {
    const origin = `http://127.0.0.1:${port}`;
    const headers = { ...(await signIn(origin, 'agent', 'ServiceLoop-Demo-2026')), 'content-type': 'application/json' };
    // Warm up at the measured concurrency, so every pooled connection has prepared its statements
    // and the JIT has compiled the hot path before the clock starts; then let the outbox empty.
    await createLoad(origin, headers, 3);
    await (await watchOutbox(url)).finish();
    const outbox = await watchOutbox(url);
    const result = await measured(server, () => createLoad(origin, headers, SECONDS, 201), dbCpu);
    show('PostgreSQL: create ticket (c=32)', result);
    const o = await outbox.finish();
    console.log(
      `  outbox: at most ${o.max} deliveries pending during the run (per second: ${o.samples.join(' ')}), ${o.atEnd} at its end, ` +
        `${o.left === 0 ? `drained ${o.drainSeconds.toFixed(1)} s after it` : `STILL ${o.left} after ${o.drainSeconds.toFixed(0)} s`}; ` +
        `${o.dead} given up; KPI facts for ${o.facts} of ${o.tickets} tickets`,
    );
    return result;
  } finally {
    await dbCpu.close();
    await stopServer(server);
  }
}

async function baseline(): Promise<Measured> {
  const url = await freshPostgres('sl_bench_baseline');
  const port = 3904;
  const server = await startServer({ DATABASE_URL: url }, port, ['--import', 'tsx', 'bench/baseline-server.ts']);
  const dbCpu = await DatabaseCpu.open(url);
  try {
    const origin = `http://127.0.0.1:${port}`;
    const headers = { 'content-type': 'application/json' };
    await createLoad(origin, headers, 3);
    const result = await measured(server, () => createLoad(origin, headers, SECONDS, 201), dbCpu);
    show('bare Fastify + pg: insert (c=32)', result);
    return result;
  } finally {
    await dbCpu.close();
    await stopServer(server);
  }
}

async function intakePglite() {
  const dir = mkdtempSync(path.join(tmpdir(), 'sl-bench-'));
  const port = 3902;
  const server = await startServer({ SEED_DEMO: 'true', DATA_DIR: dir }, port);
  try {
    const origin = `http://127.0.0.1:${port}`;
    const headers = { ...(await signIn(origin, 'agent', 'ServiceLoop-Demo-2026')), 'content-type': 'application/json' };
    await createLoad(origin, headers, 3);
    show('PGlite: create ticket (c=32)', await measured(server, () => createLoad(origin, headers, SECONDS, 201)));
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
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
    await stopServer(server);
  }
}

const only = process.env.BENCH_ONLY;
if (only !== 'lists' && only !== 'pglite') {
  const service = await intakePostgres();
  const bare = await baseline();
  console.log(`  ServiceLoop / bare baseline, same run: ${((100 * service.perSecond) / bare.perSecond).toFixed(0)} %`);
}
if (!only || only === 'pglite') await intakePglite();
if (only !== 'postgres' && only !== 'pglite' && process.env.BENCH_LIST_DATABASE_URL)
  await lists(process.env.BENCH_LIST_DATABASE_URL, 3903);
else if (!only)
  console.log(
    '(set BENCH_LIST_DATABASE_URL to a database seeded with `npm run seed -- --tickets 1000000` for the list benchmark)',
  );
