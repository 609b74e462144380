import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase } from '../../../test/databases';
import { ManualClock } from '../clock';
import { type Database, rows } from '../db/client';
import { JobQueue } from './queue';

describe.each(BACKENDS)('job queue on %s', (kind) => {
  let database: Database;
  let clock: ManualClock;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    clock = new ManualClock('2026-05-01T09:00:00+08:00');
    await database.exec('create table effects (job text, n int)');
  });
  afterEach(async () => {
    await database.close();
  });

  const effects = async () =>
    (await rows<{ job: string }>(database.db, sql`select job from effects order by n`)).map((r) => r.job);

  const queueWithRecorder = () => {
    const queue = new JobQueue(database.db, clock);
    let n = 0;
    queue.handle('remind', async (job, tx) => {
      await tx.execute(sql`insert into effects values (${String(job.payload.name)}, ${n++})`);
    });
    return queue;
  };

  it('runs a delayed job only once its time has come, by the injected clock', async () => {
    const queue = queueWithRecorder();
    await queue.enqueue(database.db, {
      queue: 'remind',
      payload: { name: 'sla-warning' },
      runAt: new Date(clock.now().getTime() + 2 * 3_600_000),
    });
    expect(await queue.runDue()).toBe(0);
    clock.advance(2 * 3_600_000 - 1);
    expect(await queue.runDue()).toBe(0);
    clock.advance(1);
    expect(await queue.runDue()).toBe(1);
    expect(await queue.runDue()).toBe(0);
    expect(await effects()).toEqual(['sla-warning']);
  });

  it('enqueues inside the caller transaction: a rolled-back command leaves no job', async () => {
    const queue = queueWithRecorder();
    await expect(
      database.db.transaction(async (tx) => {
        await queue.enqueue(tx, { queue: 'remind', payload: { name: 'ghost' } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();
    expect(await queue.runDue()).toBe(0);
  });

  it('deduplicates pending jobs by key', async () => {
    const queue = queueWithRecorder();
    expect(
      await queue.enqueue(database.db, { queue: 'remind', payload: { name: 'a' }, dedupeKey: 'ticket-1' }),
    ).not.toBeNull();
    expect(
      await queue.enqueue(database.db, { queue: 'remind', payload: { name: 'b' }, dedupeKey: 'ticket-1' }),
    ).toBeNull();
    await queue.runDue();
    expect(await effects()).toEqual(['a']);
    // Once finished, the key is free again.
    expect(
      await queue.enqueue(database.db, { queue: 'remind', payload: { name: 'c' }, dedupeKey: 'ticket-1' }),
    ).not.toBeNull();
  });

  it('retries a failing job with backoff, rolls back its partial effects, and gives up after max attempts', async () => {
    const queue = new JobQueue(database.db, clock);
    let calls = 0;
    queue.handle('flaky', async (_job, tx) => {
      calls++;
      await tx.execute(sql`insert into effects values ('partial', ${calls})`);
      throw new Error('downstream unavailable');
    });
    await queue.enqueue(database.db, { queue: 'flaky', maxAttempts: 3 });
    for (let i = 0; i < 5; i++) {
      await queue.runDue();
      clock.advance(60_000);
    }
    expect(calls).toBe(3);
    expect(await effects()).toEqual([]);
    const [job] = await rows<{ failed: boolean; last_error: string }>(
      database.db,
      sql`select failed, last_error from jobs`,
    );
    expect(job).toEqual({ failed: true, last_error: 'downstream unavailable' });
  });

  it('fires a recurring schedule once per slot, collapsing slots missed while down', async () => {
    const queue = queueWithRecorder();
    await queue.schedule('digest', 'remind', 3_600_000, { name: 'digest' });
    await queue.schedule('digest', 'remind', 3_600_000, { name: 'digest' }); // every replica declares it
    expect(await queue.runDue()).toBe(0);
    clock.advance(3_600_000);
    expect(await queue.runDue()).toBe(1);
    expect(await queue.runDue()).toBe(0);
    clock.advance(5 * 3_600_000); // down for five slots
    expect(await queue.runDue()).toBe(1);
    expect(await effects()).toEqual(['digest', 'digest']);
  });

  it('two workers never run the same job', async () => {
    const queue = queueWithRecorder();
    for (let i = 0; i < 40; i++) await queue.enqueue(database.db, { queue: 'remind', payload: { name: `j${i}` } });
    const second = queueWithRecorder();
    const [a, b] = await Promise.all([queue.runDue(), second.runDue()]);
    expect(a + b).toBe(40);
    expect(new Set(await effects()).size).toBe(40);
    expect(await effects()).toHaveLength(40);
  });

  it('retries a job whose worker died mid-run once its lease expires', async () => {
    const dying = new JobQueue(database.db, clock, { leaseMs: 30_000 });
    dying.handle('remind', async () => {});
    await dying.enqueue(database.db, { queue: 'remind', payload: { name: 'survivor' } });
    // The worker claims the job and dies before running it: its transaction never happens.
    const claimed = await (dying as unknown as { claim(): Promise<{ id: string } | null> }).claim();
    expect(claimed).not.toBeNull();
    const healthy = queueWithRecorder();
    expect(await healthy.runDue()).toBe(0); // still leased
    clock.advance(30_001);
    expect(await healthy.runDue()).toBe(1);
    expect(await effects()).toEqual(['survivor']);
  });
});
