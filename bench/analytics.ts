/**
 * `npm run bench:analytics` — analytics over HTTP on a database holding BENCH_ANALYTICS_DATABASE_URL's
 * tickets (load it first: `DATABASE_URL=… npm run seed -- --tickets 1000000`; the seed fills the
 * analytics facts too). Not a test. Measures, at concurrency 1 and 4: dashboard KPIs, the fault
 * statistics table, a Pareto over two filters (the report-builder shape: two dimensions), one
 * drill-down step, and how long a ticket change takes to reach a listening dashboard.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type LoadResult, runLoad } from './lib/load';

const root = path.resolve(import.meta.dirname, '..');
const URL_ = process.env.BENCH_ANALYTICS_DATABASE_URL;
const ADMIN_PASSWORD = 'Zq7-Harbour-Lantern-2026';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = 3911;
if (!URL_) {
  console.error('set BENCH_ANALYTICS_DATABASE_URL to a database seeded with `npm run seed -- --tickets 1000000`');
  process.exit(2);
}

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['apps/server/dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD,
      DATABASE_URL: URL_,
      SEED_DEMO: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 3000; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

const show = (label: string, r: LoadResult) =>
  console.log(
    `${label.padEnd(44)} ${String(r.perSecond).padStart(7)}/s  p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms  (${r.requests} requests, ${r.errors} errors)`,
  );

const server = await startServer();
try {
  const origin = `http://127.0.0.1:${PORT}`;
  const login = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { cookie };
  // biome-ignore lint/suspicious/noExplicitAny: bench reads a field or two of the answer
  const get = async (p: string): Promise<any> => (await fetch(`${origin}/api/v1${p}`, { headers })).json();

  const year = '&from=2025-01-01T00:00:00%2B08:00&to=2026-01-01T00:00:00%2B08:00';
  const top = (await get(`/analytics/pareto?dimension=productModel${year}`)).bars[0].key;
  const cases: [string, (i: number) => string][] = [
    [
      'dashboard KPIs (2025, rotating filters)',
      (i) =>
        [
          `/analytics/kpis?x=1${year}`,
          `/analytics/kpis?priority=P1${year}`,
          `/analytics/kpis?channel=wechat${year}`,
          '/analytics/backlog',
        ][i % 4]!,
    ],
    ['fault statistics table (2025 vs 2024)', () => '/analytics/fault-statistics?year=2025'],
    ['Pareto, two filters (model × region)', () => `/analytics/pareto?dimension=region&productModelId=${top}${year}`],
    ['drill-down step (top model → batches)', () => `/analytics/pareto?dimension=batch&productModelId=${top}`],
  ];
  for (const [label, path] of cases) {
    for (const concurrency of [1, 4]) {
      await runLoad({
        origin,
        concurrency,
        seconds: 1,
        request: (i) => ({ method: 'GET', path: `/api/v1${path(i)}`, headers }),
      });
      show(
        `${label} c=${concurrency}`,
        await runLoad({
          origin,
          concurrency,
          seconds: SECONDS,
          expectStatus: 200,
          request: (i) => ({ method: 'GET', path: `/api/v1${path(i)}`, headers }),
        }),
      );
    }
  }

  // Freshness: from a ticket create answered to the `change` event on a listening stream.
  const stream = await fetch(`${origin}/api/v1/analytics/stream`, {
    headers: { ...headers, accept: 'text/event-stream' },
  });
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  const delays: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    const created = await fetch(`${origin}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'api',
        contactName: '压测联系人',
        contactPhone: '13812345678',
        title: `实时看板 ${i}`,
        description: `看板刷新延迟测量，第 ${i} 次，请忽略`,
        severity: 'minor',
      }),
    });
    if (created.status !== 201) throw new Error(`create ${created.status}`);
    let text = '';
    while (!text.includes('event: change')) text += decoder.decode((await reader.read()).value);
    delays.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 300));
  }
  await reader.cancel();
  delays.sort((a, b) => a - b);
  console.log(
    `dashboard notified after a ticket change        median ${delays[5]!.toFixed(0)} ms  max ${delays.at(-1)!.toFixed(0)} ms (10 changes)`,
  );
} finally {
  server.kill('SIGTERM');
}
