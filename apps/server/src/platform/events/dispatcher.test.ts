import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase } from '../../../test/databases';
import { ManualClock } from '../clock';
import { type Database, rows } from '../db/client';
import { Dispatcher } from './dispatcher';
import { EventLog, type StoredEvent, SYSTEM_ACTOR } from './event-log';
import { type Subscriber, SubscriberRegistry } from './subscribers';

/** A subscriber whose effect is a row, so "delivered once" is counted in the database. */
function counting(name: string, types: string[] | '*' = '*', failFirst = 0): Subscriber & { calls: number } {
  let failures = failFirst;
  const sub = {
    name,
    types,
    calls: 0,
    async handle(event: StoredEvent, tx: Parameters<Subscriber['handle']>[1]) {
      sub.calls++;
      await tx.execute(sql`insert into effects (subscriber, event_id) values (${name}, ${event.id})`);
      if (failures-- > 0) throw new Error('transient failure after the effect was written');
    },
  };
  return sub;
}

describe.each(BACKENDS)('event dispatcher on %s', (kind) => {
  let database: Database;
  const clock = new ManualClock();

  beforeEach(async () => {
    database = await freshDatabase(kind);
    await database.exec('create table effects (subscriber text, event_id uuid, unique (subscriber, event_id))');
  });
  afterEach(async () => {
    await database.close();
  });

  const effects = () =>
    rows<{ subscriber: string; n: number }>(
      database.db,
      sql`select subscriber, count(*)::int as n from effects group by subscriber order by subscriber`,
    );

  it('writes the event and its outbox rows only when the transaction commits', async () => {
    const registry = new SubscriberRegistry();
    registry.register(counting('a'));
    const log = new EventLog<string>(clock, registry);
    await expect(
      database.db.transaction(async (tx) => {
        await log.append(tx, { type: 'thing.created', entityType: 'thing', entityId: '1', actor: SYSTEM_ACTOR });
        throw new Error('command failed');
      }),
    ).rejects.toThrow('command failed');
    const [{ n }] = (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from events`)) as [
      { n: number },
    ];
    expect(n).toBe(0);
    expect(await rows(database.db, sql`select * from event_deliveries`)).toHaveLength(0);
  });

  it('delivers each event once to each interested subscriber, in order', async () => {
    const registry = new SubscriberRegistry();
    const all = counting('all');
    const onlyClosed = counting('closed-only', ['thing.closed']);
    registry.register(all);
    registry.register(onlyClosed);
    const log = new EventLog<string>(clock, registry);
    await database.db.transaction(async (tx) => {
      await log.append(tx, { type: 'thing.created', entityType: 'thing', entityId: '1', actor: SYSTEM_ACTOR });
      await log.append(tx, { type: 'thing.closed', entityType: 'thing', entityId: '1', actor: SYSTEM_ACTOR });
    });
    const dispatcher = new Dispatcher(database.db, registry, clock);
    expect(await dispatcher.drain()).toBe(3);
    expect(await dispatcher.drain()).toBe(0);
    expect(await effects()).toEqual([
      { subscriber: 'all', n: 2 },
      { subscriber: 'closed-only', n: 1 },
    ]);
    const timeline = await log.forEntity(database.db, 'thing', '1');
    expect(timeline.map((e) => e.type)).toEqual(['thing.created', 'thing.closed']);
  });

  it('survives a restart between commit and delivery: the new process delivers, once', async () => {
    // "Process one" commits the event and dies before its dispatcher runs.
    const before = new SubscriberRegistry();
    before.register(counting('projection'));
    await database.db.transaction((tx) =>
      new EventLog<string>(clock, before).append(tx, {
        type: 'thing.created',
        entityType: 'thing',
        entityId: '9',
        actor: SYSTEM_ACTOR,
      }),
    );
    // "Process two" starts with fresh in-memory state: only the database remembers.
    const after = new SubscriberRegistry();
    const projection = counting('projection');
    after.register(projection);
    const restarted = new Dispatcher(database.db, after, clock);
    expect(await restarted.drain()).toBe(1);
    expect(await new Dispatcher(database.db, after, clock).drain()).toBe(0);
    expect(projection.calls).toBe(1);
    expect(await effects()).toEqual([{ subscriber: 'projection', n: 1 }]);
  });

  it('rolls back a failed handler and retries it later without duplicating its effect', async () => {
    const registry = new SubscriberRegistry();
    const flaky = counting('flaky', '*', 2);
    registry.register(flaky);
    await database.db.transaction((tx) =>
      new EventLog<string>(clock, registry).append(tx, {
        type: 't',
        entityType: 'thing',
        entityId: '1',
        actor: SYSTEM_ACTOR,
      }),
    );
    const dispatcher = new Dispatcher(database.db, registry, clock);
    expect(await dispatcher.drain()).toBe(0);
    expect(await dispatcher.drain()).toBe(0); // backing off: not due yet
    clock.advance(2_001);
    expect(await dispatcher.drain()).toBe(0); // second failure
    clock.advance(4_001);
    expect(await dispatcher.drain()).toBe(1);
    expect(flaky.calls).toBe(3);
    expect(await effects()).toEqual([{ subscriber: 'flaky', n: 1 }]);
  });

  it('runs a batch in one savepoint, and when one event fails delivers the others and retries only that one', async () => {
    const registry = new SubscriberRegistry();
    let rolledBack = 0;
    const picky: Subscriber & { calls: number } = {
      ...counting('picky'),
      async handle(event, tx) {
        picky.calls++;
        await tx.execute(sql`insert into effects (subscriber, event_id) values ('picky', ${event.id})`);
        if (event.entityId === 'bad') throw new Error('this one cannot be handled yet');
      },
      rolledBack: () => rolledBack++,
    };
    registry.register(picky);
    const log = new EventLog<string>(clock, registry);
    await database.db.transaction(async (tx) => {
      for (const id of ['1', '2', 'bad', '3']) {
        await log.append(tx, { type: 't', entityType: 'thing', entityId: id, actor: SYSTEM_ACTOR });
      }
    });
    const dispatcher = new Dispatcher(database.db, registry, clock);
    expect(await dispatcher.drain()).toBe(3);
    // The run stopped at the bad event (3 calls) and rolled back, then each event alone (4): the bad one fails again.
    expect(picky.calls).toBe(7);
    expect(rolledBack).toBe(2);
    expect(await effects()).toEqual([{ subscriber: 'picky', n: 3 }]);
    const [left] = await rows<{ attempts: number; last_error: string }>(
      database.db,
      sql`select attempts, last_error from event_deliveries`,
    );
    expect(left).toEqual({ attempts: 1, last_error: 'this one cannot be handled yet' });
  });

  it('two dispatchers draining at once never deliver the same row twice', async () => {
    const registry = new SubscriberRegistry();
    const sub = counting('sink');
    registry.register(sub);
    const log = new EventLog<string>(clock, registry);
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 120; i++) {
        await log.append(tx, { type: 't', entityType: 'thing', entityId: String(i), actor: SYSTEM_ACTOR });
      }
    });
    const [a, b] = await Promise.all([
      new Dispatcher(database.db, registry, clock, { batchSize: 10 }).drain(),
      new Dispatcher(database.db, registry, clock, { batchSize: 10 }).drain(),
    ]);
    expect(a + b).toBe(120);
    expect(await effects()).toEqual([{ subscriber: 'sink', n: 120 }]);
  });
});

// A real crash needs a second process sharing the database, so it runs on PostgreSQL
// (required in CI); PGlite's restart is covered above by reopening the same database.
if (BACKENDS.includes('postgres')) {
  describe('event dispatcher across a killed process on postgres', () => {
    let database: Database & { url?: string };
    const clock = new ManualClock();
    beforeEach(async () => {
      database = await freshDatabase('postgres');
      await database.exec('create table effects (subscriber text, event_id uuid, unique (subscriber, event_id))');
    });
    afterEach(async () => {
      await database.close();
    });
    const effects = () =>
      rows<{ subscriber: string; n: number }>(
        database.db,
        sql`select subscriber, count(*)::int as n from effects group by subscriber order by subscriber`,
      );

    it('delivers, once, an event whose process was SIGKILLed right after commit', async () => {
      const url = (database as unknown as { url?: string }).url!;
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', path.resolve(import.meta.dirname, '../../../test/fixtures/commit-and-die.ts'), url, 'k1'],
        {
          encoding: 'utf8',
          cwd: path.resolve(import.meta.dirname, '../../..'),
        },
      );
      expect(child.signal).toBe('SIGKILL');
      expect(child.stdout).toContain('committed');
      clock.set(new Date()); // the dead process stamped its outbox row with the real time
      const registry = new SubscriberRegistry();
      const projection = counting('projection');
      registry.register(projection);
      expect(await new Dispatcher(database.db, registry, clock).drain()).toBe(1);
      expect(await new Dispatcher(database.db, registry, clock).drain()).toBe(0);
      expect(await effects()).toEqual([{ subscriber: 'projection', n: 1 }]);
    });
  });
}

describe('event dispatcher across a PGlite restart', () => {
  it('delivers after the embedded database is closed and reopened from its data directory', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { openDatabase } = await import('../db/client');
    const { migrate } = await import('../db/migrate');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sl-restart-'));
    const clock = new ManualClock();
    try {
      const first = await openDatabase({ kind: 'pglite', dataDir });
      await migrate(first);
      const before = new SubscriberRegistry();
      before.register(counting('projection'));
      await first.db.transaction((tx) =>
        new EventLog<string>(clock, before).append(tx, {
          type: 't',
          entityType: 'thing',
          entityId: '1',
          actor: SYSTEM_ACTOR,
        }),
      );
      await first.close();

      const second = await openDatabase({ kind: 'pglite', dataDir });
      await second.exec('create table effects (subscriber text, event_id uuid, unique (subscriber, event_id))');
      const after = new SubscriberRegistry();
      const projection = counting('projection');
      after.register(projection);
      expect(await new Dispatcher(second.db, after, clock).drain()).toBe(1);
      expect(await new Dispatcher(second.db, after, clock).drain()).toBe(0);
      expect(projection.calls).toBe(1);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
