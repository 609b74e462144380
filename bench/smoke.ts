/**
 * `npm run bench:smoke` — the regression guard (under 3 minutes; not a test). On a fresh PostgreSQL
 * database with the demo data it measures, as SERVER CPU PER REQUEST (steadier than throughput on a
 * shared machine): ticket intake — counting the CPU until the event outbox has drained, so work the
 * subscribers do for each create is included — and the console's heavy pages. Each figure is the
 * median of three rounds; it is compared with bench/reference.json, and the run fails (exit 1) when
 * one grew by more than 50 %.
 *
 *   BENCH_SMOKE_WRITE_REFERENCE=1   write this run's figures as the new reference (commit it, with why)
 *   BENCH_SMOKE_SLOW_CREATE=<ms>    self-check: burn that much CPU in every create; the run must fail
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runLoad } from './lib/load';
import { compare, type Figures, failed, median, type Reference, report } from './lib/regression';
import { ADMIN_PASSWORD, cpuSeconds, freshPostgres, root, signIn, startServer, stopServer } from './lib/server';

const REFERENCE = path.join(root, 'bench/reference.json');
const ROUNDS = 3;
const ROUND_SECONDS = Number(process.env.BENCH_SMOKE_SECONDS ?? 4);
const PORT = 3905;
const started = performance.now();

const slow = Number(process.env.BENCH_SMOKE_SLOW_CREATE ?? 0);
const url = await freshPostgres('sl_bench_smoke');
const server = await startServer(
  { SEED_DEMO: 'true', DATABASE_URL: url },
  PORT,
  slow > 0 ? ['--import', './bench/lib/slow-create.mjs', 'apps/server/dist/main.js'] : undefined,
);
const db = new pg.Client({ connectionString: url });
await db.connect();
const figures: Figures = {};
try {
  const origin = `http://127.0.0.1:${PORT}`;
  const agent = { ...(await signIn(origin, 'agent', 'ServiceLoop-Demo-2026')), 'content-type': 'application/json' };
  const admin = await signIn(origin, 'admin', ADMIN_PASSWORD);
  const pending = async () =>
    Number((await db.query('select count(*)::int as n from event_deliveries where not dead')).rows[0].n);
  const drained = async () => {
    for (let i = 0; i < 600 && (await pending()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
  };

  /** Server CPU per request over `rounds` runs of `request` (plus, for writes, until the outbox drained). */
  const cpuPerRequest = async (
    name: string,
    concurrency: number,
    request: Parameters<typeof runLoad>[0]['request'],
    expectStatus: number,
    settle?: () => Promise<void>,
  ) => {
    const perRound: number[] = [];
    // One unmeasured round warms the JIT, the pool's prepared statements and the caches.
    for (let round = 0; round <= ROUNDS; round++) {
      await settle?.();
      const before = cpuSeconds(server.pid);
      const result = await runLoad({
        origin,
        concurrency,
        seconds: round === 0 ? 2 : ROUND_SECONDS,
        expectStatus,
        request,
      });
      await settle?.();
      if (result.errors > 0)
        throw new Error(`${name}: ${result.errors} requests failed ${JSON.stringify(result.statuses)}`);
      if (round > 0) perRound.push(((cpuSeconds(server.pid) - before) * 1000) / result.requests);
    }
    figures[name] = Number(median(perRound).toFixed(3));
    console.log(`${name.padEnd(28)} ${perRound.map((x) => x.toFixed(3)).join(' / ')} ms → ${figures[name]} ms`);
  };

  const body = (i: number) =>
    JSON.stringify({
      channel: 'api',
      contactName: '冒烟联系人',
      contactPhone: '13812345678',
      title: `冒烟报修 ${i}`,
      description: `设备报警停机，错误代码 E${i % 997}，现场无法复位 #${i}`,
      severity: 'major',
    });
  await cpuPerRequest(
    'create ticket',
    16,
    (i) => ({ method: 'POST', path: '/api/v1/tickets', headers: agent, body: body(i) }),
    201,
    drained,
  );

  const filters = ['', '?priority=P1', '?state=closed&channel=wechat', '?regionCode=440000', '?q=SV-2'];
  await cpuPerRequest(
    'ticket list (filters)',
    4,
    (i) => ({ method: 'GET', path: `/api/v1/tickets${filters[i % filters.length]}`, headers: admin }),
    200,
  );
  const ids = (await db.query<{ id: string }>('select id from tickets order by reported_at desc limit 50')).rows.map(
    (r) => r.id,
  );
  await cpuPerRequest(
    'ticket page',
    4,
    (i) => ({ method: 'GET', path: `/api/v1/tickets/${ids[i % ids.length]}`, headers: admin }),
    200,
  );
  const views = ['/api/v1/analytics/kpis', '/api/v1/analytics/backlog', '/api/v1/analytics/trend'];
  await cpuPerRequest(
    'analytics dashboard',
    4,
    (i) => ({ method: 'GET', path: views[i % views.length]!, headers: admin }),
    200,
  );
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  await cpuPerRequest(
    'dispatch board',
    4,
    () => ({ method: 'GET', path: `/api/v1/dispatch/board?date=${today}`, headers: admin }),
    200,
  );
} finally {
  await db.end();
  await stopServer(server);
}

const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (process.env.BENCH_SMOKE_WRITE_REFERENCE) {
  const reference: Reference = {
    measuredAt: new Date().toISOString(),
    note: 'server CPU ms per request, median of 3 rounds (npm run bench:smoke); lower it when a change makes a path cheaper',
    serverCpuMsPerRequest: figures,
  };
  writeFileSync(REFERENCE, `${JSON.stringify(reference, null, 2)}\n`);
  console.log(`wrote ${path.relative(root, REFERENCE)} (${seconds} s)`);
} else {
  const reference = JSON.parse(readFileSync(REFERENCE, 'utf8')) as Reference;
  const comparisons = compare(reference.serverCpuMsPerRequest, figures);
  console.log(`\n${report(comparisons)}\n(reference of ${reference.measuredAt.slice(0, 10)}; ${seconds} s)`);
  if (failed(comparisons)) {
    console.log('bench:smoke FAILED: server CPU per request grew by more than 50 % (or a figure went unmeasured)');
    process.exitCode = 1;
  } else console.log('bench:smoke passed');
}
