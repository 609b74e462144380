/**
 * `npm run bench:automation` — two numbers from the automation brief (docs/benchmarks.md):
 *
 * 1. Rule evaluation on one core: 200 enabled rules (a realistic mix of triggers, all/any trees
 *    of 2–6 typed leaves over ticket, customer, device and custom fields), compiled once into the
 *    trigger index; then events are evaluated one after another — building each event's situation
 *    (facts + event data + changes), looking up the rules its type and changed fields wake, and
 *    matching their conditions. No database: this is the engine's own cost.
 * 2. The SLA due-clock sweep on PostgreSQL with 100,000 open tickets, each with a running
 *    response and resolution clock and their warning/breach jobs: the statement that finds every
 *    clock due for a warning or breach, the job runner's idle poll over the 400,000 pending jobs,
 *    and a wave of 1,000 breaches falling due at once, processed by the SLA module's own handler.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server; the
 * bench creates and drops its own database. BENCH_SECONDS (default 5) sets the evaluation run;
 * BENCH_ONLY=engine|sla runs one part.
 */
import { randomBytes } from 'node:crypto';
import type { ConditionNode } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type RuleDefinition, RuleIndex, type TriggerEvent } from '../apps/server/src/modules/automation/engine';
import { situation } from '../apps/server/src/modules/automation/facts';
import { ManualClock } from '../apps/server/src/platform/clock';
import { loadConfig } from '../apps/server/src/platform/config';
import { openDatabase, rows } from '../apps/server/src/platform/db/client';
import { migrate } from '../apps/server/src/platform/db/migrate';
import { Random } from '../apps/server/src/seed/random';
import { createServer } from '../apps/server/src/server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ONLY = process.env.BENCH_ONLY;

// ---- 1. engine ----------------------------------------------------------------------------------

const AREAS = ['华东', '华南', '华北', '西南', '华中'];
const CATEGORIES = ['硬件失灵', '软件故障', '安装调试', '使用咨询', '环境因素'];
const TRIGGERS: TriggerEvent['type'][] = [
  'ticket.created',
  'ticket.triaged',
  'ticket.dispatched',
  'ticket.updated',
  'sla.warning',
  'sla.breached',
  'survey.answered',
];

function leafFor(rng: Random): ConditionNode {
  switch (rng.int(0, 7)) {
    case 0:
      return { field: 'ticket.category', op: 'eq', value: rng.pick(CATEGORIES) };
    case 1:
      return { field: 'ticket.area', op: 'in', value: [rng.pick(AREAS), rng.pick(AREAS)] };
    case 2:
      return { field: 'ticket.priority', op: 'in', value: ['P0', 'P1'] };
    case 3:
      return { field: 'customer.tier', op: 'eq', value: rng.chance(0.5) ? 'vip' : 'standard' };
    case 4:
      return { field: 'ticket.fields.lines', op: 'gte', value: rng.int(1, 5) };
    case 5:
      return { field: 'ticket.title', op: 'contains', value: rng.pick(['报警', '异响', '不开机', '漏油']) };
    case 6:
      return { field: 'device.modelCode', op: 'not_in', value: ['CNC-100', 'CNC-200'] };
    default:
      return { field: 'ticket.reopenCount', op: 'between', value: [1, 3] };
  }
}

function rules(count: number, rng: Random): RuleDefinition[] {
  return Array.from({ length: count }, (_, i) => {
    const type = rng.pick([
      'ticket.created',
      'ticket.transitioned',
      'field_changed',
      'sla.breached',
      'sla.warning',
    ] as const);
    const trigger =
      type === 'ticket.transitioned'
        ? { type, events: rng.chance(0.5) ? ['ticket.triaged'] : [] }
        : type === 'field_changed'
          ? { type, field: rng.pick(['priority', 'fields.lines', 'assigneeId']) }
          : { type };
    const leaves = Array.from({ length: rng.int(2, 6) }, () => leafFor(rng));
    const conditions: ConditionNode = rng.chance(0.5)
      ? { all: leaves }
      : { all: [leaves[0]!, { any: leaves.slice(1) }] };
    return {
      id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      name: `rule ${i}`,
      description: null,
      enabled: true,
      position: i,
      trigger,
      conditions,
      actions: [{ type: 'comment', body: 'x', visibility: 'internal' }],
      stopProcessing: false,
    } as RuleDefinition;
  });
}

function benchEngine() {
  const rng = new Random(42);
  const started = performance.now();
  const index = new RuleIndex(rules(200, rng));
  const compileMs = performance.now() - started;
  // 1,000 distinct tickets' facts, as loadTicketFacts returns them.
  const facts = Array.from({ length: 1000 }, (_, i) => ({
    'ticket.id': `t${i}`,
    'ticket.priority': rng.pick(['P0', 'P1', 'P2', 'P3']),
    'ticket.category': [rng.pick(CATEGORIES), 'x'],
    'ticket.area': rng.pick(AREAS),
    'ticket.title': rng.pick(['主轴报警', '电机异响', '设备不开机', '液压漏油']),
    'ticket.reopenCount': rng.int(0, 3),
    'ticket.fields.lines': String(rng.int(0, 6)),
    'customer.tier': rng.chance(0.3) ? 'vip' : 'standard',
    'device.modelCode': rng.pick(['CNC-100', 'CNC-300', 'RB-7']),
  }));
  const events = Array.from({ length: 1000 }, () => {
    const type = rng.pick(TRIGGERS);
    const changes: Record<string, { from: unknown; to: unknown }> =
      type === 'ticket.updated' || type === 'ticket.triaged' ? { priority: { from: 'P2', to: 'P1' } } : {};
    return {
      type,
      data: type.startsWith('sla.') ? { kind: 'response' } : type === 'survey.answered' ? { csat: 2 } : {},
      changes,
    };
  });
  let evaluated = 0;
  let matched = 0;
  let woken = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() < deadline) {
    for (let k = 0; k < 1000; k++) {
      const e = events[k]!;
      const trigger: TriggerEvent = {
        type: e.type,
        data: e.data,
        changed: Object.keys(e.changes).map((c) => `ticket.${c}`),
      };
      const s = situation(facts[(evaluated + k * 7) % 1000], e);
      const candidates = index.candidates(trigger);
      woken += candidates.length;
      for (const c of candidates) if (c.test(s)) matched++;
    }
    evaluated += 1000;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU seconds of this (single-threaded) process: the rate one core sustains, even when other
  // work on a shared machine takes turns with it. The wall-clock rate is printed beside it.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log('\n## Rule evaluation (one core, no database)');
  console.log(`rules: ${index.size} enabled, compiled and indexed in ${compileMs.toFixed(1)} ms`);
  console.log(
    `events evaluated: ${evaluated.toLocaleString('en')} in ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU → ${Math.round(evaluated / cpuSeconds).toLocaleString('en')} events per CPU-second (${Math.round(evaluated / seconds).toLocaleString('en')}/s wall clock)`,
  );
  console.log(
    `rules woken per event: ${(woken / evaluated).toFixed(1)} (of 200); conditions matched: ${(matched / evaluated).toFixed(2)} per event`,
  );
}

// ---- 2. SLA sweep -------------------------------------------------------------------------------

const TICKETS = 100_000;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, performance.now() - t];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function benchSla() {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `sl_bench_automation_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 10 });
  try {
    await migrate(database);
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url.toString(),
      SEED_DEMO: 'false',
    });
    const server = await createServer({ config, database, clock });
    const db = server.platform.db;
    const now = clock.now();
    // 100,000 open, triaged tickets reported over the last 24 h, each with a response and a
    // resolution clock due within the next two days and their warning and breach jobs, as the sla
    // module writes them. 1,000 response clocks fall due 30 minutes from now: the wave.
    const [, seedMs] = await timed(async () => {
      await db.execute(sql`
        insert into tickets (id, number, channel, state, priority, severity, service_type, contact_name, title,
                             description, reported_at, region_code, fields, created_at, updated_at)
        select gen_random_uuid(), 'B' || lpad(i::text, 7, '0'), 'phone', 'triaged', (array['P0','P1','P2','P3'])[1 + i % 4],
               'major', 'onsite', '周先生', '主轴报警', '主轴运行中报警 ALM-401', ${now.toISOString()}::timestamptz - (i % 1440) * interval '1 minute',
               '310000', '{}', ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
        from generate_series(1, ${TICKETS}) i`);
      await db.execute(sql`
        insert into sla_clocks (id, ticket_id, kind, policy_id, calendar_id, target_minutes, warning_percent, started_at,
                                due_at, warn_at, created_at, updated_at)
        select gen_random_uuid(), t.id, k.kind, p.id, p.calendar_id, 240, 80, t.reported_at,
               case when k.kind = 'response' and n <= 1000 then ${now.toISOString()}::timestamptz + interval '30 minutes'
                    else ${now.toISOString()}::timestamptz + interval '2 hours' + (n % 2880) * interval '1 minute' end,
               ${now.toISOString()}::timestamptz + interval '1 hour' + (n % 2880) * interval '1 minute',
               ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
        from (select id, reported_at, row_number() over (order by number) n from tickets) t
        cross join (values ('response'), ('resolution')) k(kind)
        join lateral (select id, calendar_id from sla_policies where priority = 'P1' and customer_tier is null and contract_id is null limit 1) p on true`);
      await db.execute(sql`
        insert into jobs (id, queue, payload, run_at, max_attempts, dedupe_key, created_at)
        select gen_random_uuid(), j.queue, jsonb_build_object('clockId', c.id), j.run_at, 5,
               c.id || '@' || to_char(j.run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ${now.toISOString()}::timestamptz
        from sla_clocks c
        cross join lateral (values ('sla.warning', c.warn_at), ('sla.breach', c.due_at)) j(queue, run_at)`);
      await db.execute(
        sql`update tickets t set sla_due_at = c.due from (select ticket_id, min(due_at) due from sla_clocks group by ticket_id) c where c.ticket_id = t.id`,
      );
      await db.execute(sql`analyze`);
    });
    const [counts] = await rows<{ tickets: number; clocks: number; jobs: number }>(
      db,
      sql`select (select count(*)::int from tickets where state = 'triaged') tickets, (select count(*)::int from sla_clocks) clocks,
                 (select count(*)::int from jobs where finished_at is null) jobs`,
    );
    console.log('\n## SLA due-clock sweep (PostgreSQL)');
    console.log(
      `seeded ${counts!.tickets.toLocaleString('en')} open tickets, ${counts!.clocks.toLocaleString('en')} running clocks, ${counts!.jobs.toLocaleString('en')} pending alert jobs in ${(seedMs / 1000).toFixed(1)} s`,
    );

    // Every running clock due for a warning or a breach at a moment, across all open tickets.
    const dueQuery = (at: Date) =>
      rows<{ n: number }>(
        db,
        sql`select count(*)::int n from sla_clocks
            where met_at is null and stopped_at is null and paused_since is null
              and ((warned_at is null and breached_at is null and warn_at <= ${at.toISOString()})
                   or (breached_at is null and due_at <= ${at.toISOString()}))`,
      );
    const soon = new Date(now.getTime() + 31 * 60_000);
    const scans: number[] = [];
    let due = 0;
    for (let i = 0; i < 10; i++) {
      const [[r], ms] = await timed(() => dueQuery(soon));
      due = r!.n;
      scans.push(ms);
    }
    console.log(
      `due-clock scan over all open tickets' clocks: ${due} due; median ${median(scans).toFixed(1)} ms (10 runs)`,
    );

    // The job runner's poll when nothing is due (what every replica runs every few seconds).
    const polls: number[] = [];
    for (let i = 0; i < 20; i++) polls.push((await timed(() => server.platform.jobs.runDue()))[1]);
    console.log(
      `job runner idle poll over ${counts!.jobs.toLocaleString('en')} pending jobs: median ${median(polls).toFixed(1)} ms`,
    );

    // The wave: 1,000 response clocks breach at once; the SLA module's handlers fire each once.
    clock.set(soon);
    let processed = 0;
    const [, waveMs] = await timed(async () => {
      for (;;) {
        const n = await server.platform.jobs.runDue(1000);
        processed += n;
        if (n === 0) break;
      }
    });
    const [breached] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int n from events where type = 'sla.breached'`,
    );
    console.log(
      `breach wave: ${processed} jobs run, ${breached!.n} sla.breached events, in ${(waveMs / 1000).toFixed(2)} s (${Math.round(processed / (waveMs / 1000))} jobs/s)`,
    );
    await server.platform.dispatcher.stop();
    await server.app.close();
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

if (ONLY !== 'sla') benchEngine();
if (ONLY !== 'engine') await benchSla();
