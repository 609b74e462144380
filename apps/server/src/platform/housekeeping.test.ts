import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/databases';
import { createTestServer, type TestServer } from '../../test/harness';
import { rows } from './db/client';
import { HOUSEKEEPING_QUEUE } from './housekeeping';

const DAY = 86_400_000;

describe.each(BACKENDS)('housekeeping on %s', (kind) => {
  let server: TestServer;
  const now = new Date('2026-12-07T03:00:00Z');
  const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

  beforeEach(async () => {
    server = await createTestServer(kind);
    server.clock.set(now);
  });
  afterEach(async () => {
    await server.close();
  });

  const db = () => server.platform.db;
  const ids = async (query: ReturnType<typeof sql>) =>
    (await rows<{ id: string }>(db(), query)).map((r) => r.id).sort();
  /** Queues one clean-up run and runs every job due, its follow-ups included. */
  const cleanUp = async () => {
    await server.platform.jobs.enqueue(db(), { queue: HOUSEKEEPING_QUEUE });
    await server.platform.jobs.runDue();
  };

  const job = async (name: string, at: string, state: 'finished' | 'failed' | 'waiting') => {
    await db().execute(sql`
      insert into jobs (id, queue, payload, run_at, created_at, finished_at, failed)
      values (${randomUUID()}, 'test.unhandled', ${JSON.stringify({ name })}::jsonb, ${at}, ${at},
              ${state === 'finished' ? at : null}, ${state === 'failed'})`);
  };
  const event = async (occurredAt: string) => {
    const id = randomUUID();
    await db().execute(sql`
      insert into events (id, occurred_at, type, entity_type, entity_id, actor_kind)
      values (${id}, ${occurredAt}, 'test.happened', 'test', ${id}, 'system')`);
    return id;
  };
  const delivery = async (name: string, state: 'delivered' | 'dead' | 'pending', createdAt: string) => {
    const id = randomUUID();
    await db().execute(sql`
      insert into notification_deliveries (id, message_id, event_type, channel, address, recipient_key, title, body,
                                           state, max_attempts, run_at, created_at)
      values (${id}, ${name}, 'ticket.created', 'email', 'a@example.com', ${name}, ${name}, '', ${state}, 5,
              ${createdAt}, ${createdAt})`);
    await db().execute(sql`
      insert into notification_attempts (id, delivery_id, send_id, attempt, at, ok, duration_ms)
      values (${randomUUID()}, ${id}, ${randomUUID()}, 1, ${createdAt}, ${state === 'delivered'}, 12)`);
  };

  it('deletes finished bookkeeping past its retention and keeps the recent, the unfinished and every event', async () => {
    await job('old-finished', ago(40), 'finished');
    await job('old-failed', ago(40), 'failed');
    await job('old-waiting', ago(40), 'waiting');
    await job('recent-finished', ago(5), 'finished');

    for (const [key, days] of [
      ['old', 8],
      ['recent', 1],
    ] as const) {
      await db().execute(sql`insert into idempotency_keys (owner, key, request_hash, status, body, created_at)
                             values ('u:POST /api/v1/tickets', ${key}, 'h', 201, '{"id":1}'::jsonb, ${ago(days)})`);
    }

    const [admin] = await rows<{ id: string }>(db(), sql`select id from users where username = 'admin'`);
    const session = async (name: string, expiresAt: string, revokedAt: string | null = null) =>
      db().execute(sql`insert into sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, revoked_at)
                       values (${name}, ${admin!.id}, 'csrf', ${ago(60)}, ${ago(60)}, ${expiresAt}, ${revokedAt})`);
    await session('expired-long-ago', ago(31));
    await session('expired-lately', ago(2));
    await session('signed-out-long-ago', ago(-1), ago(31));
    await session('still-valid', ago(-1));

    // The outbox: a delivery that gave up long ago goes; one still being retried stays however old.
    const oldEvent = await event(ago(400));
    const recentEvent = await event(ago(10));
    const outbox = async (eventId: string, subscriber: string, dead: boolean, at: string) =>
      db().execute(sql`insert into event_deliveries (event_id, subscriber, attempts, next_attempt_at, dead)
                       values (${eventId}, ${subscriber}, 10, ${at}, ${dead})`);
    await outbox(oldEvent, 'test.gave-up', true, ago(100));
    await outbox(oldEvent, 'test.retrying', false, ago(100));
    await outbox(recentEvent, 'test.gave-up', true, ago(10));

    await delivery('old-delivered', 'delivered', ago(100));
    await delivery('old-dead', 'dead', ago(100));
    await delivery('old-pending', 'pending', ago(100));
    await delivery('recent-delivered', 'delivered', ago(10));

    const eventsBefore = await rows<{ n: number }>(db(), sql`select count(*)::int as n from events`);
    await cleanUp();

    expect(
      (
        await rows<{ name: string }>(
          db(),
          sql`select payload->>'name' as name from jobs where queue = 'test.unhandled' order by 1`,
        )
      ).map((r) => r.name),
    ).toEqual(['old-waiting', 'recent-finished']);
    expect(await ids(sql`select key as id from idempotency_keys`)).toEqual(['recent']);
    expect(await ids(sql`select id_hash as id from sessions where id_hash like '%-%'`)).toEqual([
      'expired-lately',
      'still-valid',
    ]);
    expect(
      await rows(
        db(),
        sql`select event_id, subscriber from event_deliveries where subscriber like 'test.%' order by 2, 1`,
      ),
    ).toEqual([
      { event_id: recentEvent, subscriber: 'test.gave-up' },
      { event_id: oldEvent, subscriber: 'test.retrying' },
    ]);
    expect(await ids(sql`select message_id as id from notification_deliveries`)).toEqual([
      'old-pending',
      'recent-delivered',
    ]);
    expect(await rows(db(), sql`select count(*)::int as n from notification_attempts`)).toEqual([{ n: 2 }]);
    // The timeline and audit log are not bookkeeping: not one event goes.
    expect(await rows(db(), sql`select count(*)::int as n from events`)).toEqual(eventsBefore);
    expect(await ids(sql`select id from events where id in (${oldEvent}, ${recentEvent})`)).toEqual(
      [oldEvent, recentEvent].sort(),
    );
  });

  it('deletes a backlog in bounded batches, one short transaction each', async () => {
    const batch = server.platform.housekeeping.batchSize;
    await db().execute(sql`
      insert into jobs (id, queue, run_at, created_at, finished_at)
      select gen_random_uuid(), 'test.unhandled', ${ago(40)}, ${ago(40)}, ${ago(40)}
      from generate_series(1, ${batch * 2 + 5})`);
    await cleanUp();
    const left = await rows(db(), sql`select count(*)::int as n from jobs where queue = 'test.unhandled'`);
    expect(left).toEqual([{ n: 0 }]);
    // Three runs: two full batches, each queueing the next, and the rest.
    const runs = await rows(
      db(),
      sql`select count(*)::int as n from jobs where queue = ${HOUSEKEEPING_QUEUE} and finished_at is not null`,
    );
    expect(runs).toEqual([{ n: 3 }]);
  });

  it('runs daily from the schedule every start declares', async () => {
    const [schedule] = await rows<{ every_ms: string }>(
      db(),
      sql`select every_ms from job_schedules where queue = ${HOUSEKEEPING_QUEUE}`,
    );
    expect(Number(schedule?.every_ms)).toBe(DAY);
  });

  it('keeps rows as long as the admin-edited retention says, and refuses a retention of nothing', async () => {
    const admin = await server.signIn('admin');
    const defaults = await admin.get('/api/v1/settings/retention');
    const retention = defaults.json() as Record<string, number>;
    expect(retention).toEqual({
      finishedJobsDays: 30,
      idempotencyKeysDays: 7,
      endedSessionsDays: 30,
      finishedDeliveriesDays: 90,
    });
    await job('ten-days-old', ago(10), 'finished');
    await cleanUp();
    expect(await ids(sql`select payload->>'name' as id from jobs where queue = 'test.unhandled'`)).toEqual([
      'ten-days-old',
    ]);

    const saved = await admin.put('/api/v1/settings/retention', { ...retention, finishedJobsDays: 7 });
    expect(saved.statusCode, saved.body).toBe(200);
    await cleanUp();
    expect(await ids(sql`select payload->>'name' as id from jobs where queue = 'test.unhandled'`)).toEqual([]);

    const refused = await admin.request(
      'PUT',
      '/api/v1/settings/retention',
      { ...retention, finishedJobsDays: 0 },
      { 'accept-language': 'zh-CN' },
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details.map((d: { path: string }) => d.path)).toEqual(['finishedJobsDays']);

    const engineer = await server.userWith('engineer');
    expect((await engineer.put('/api/v1/settings/retention', defaults.json())).statusCode).toBe(403);
  });
});
