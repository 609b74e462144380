import { sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import { type Db, rows, type Tx, textArray, uuidArray } from '../db/client';
import { type EventRow, type StoredEvent, toStoredEvent } from './event-log';
import type { Subscriber, SubscriberRegistry } from './subscribers';

export interface DispatcherOptions {
  batchSize?: number;
  pollMs?: number;
  maxAttempts?: number;
  onError?: (error: unknown, context: { subscriber: string; eventId: string }) => void;
}

type DueRow = EventRow & { subscriber: string; attempts: number };

/**
 * Delivers outbox rows to subscribers, at least once and surviving restarts: a row leaves
 * the outbox only in the transaction that ran its handler. Replicas share the work through
 * FOR UPDATE SKIP LOCKED, so no delivery is processed by two at once.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly db: Db,
    private readonly subscribers: SubscriberRegistry,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions = {},
  ) {
    // Outbox rows (events × subscribers) per transaction: large enough that per-round costs vanish
    // under a burst of reports, small enough that a round stays well under a second.
    this.batchSize = options.batchSize ?? 400;
    this.pollMs = options.pollMs ?? 500;
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  /** Delivers everything due now; resolves with how many deliveries succeeded. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { delivered, claimed } = await this.deliverBatch();
      total += delivered;
      if (claimed < this.batchSize) return total;
    }
  }

  /**
   * Waits for a delivery round already running (a kick after a commit), then delivers whatever
   * is still due: rows that round had locked are skipped by a concurrent `drain`, so a caller that
   * needs everything delivered — a test reading a projection — settles instead.
   */
  async settle(): Promise<number> {
    await this.running;
    return this.drain();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Asks for a delivery round soon, e.g. right after a command committed. */
  kick(): void {
    // Nothing can be waiting for a process with no subscribers.
    if (this.subscribers.names().length === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error) => this.options.onError?.(error, { subscriber: '*', eventId: '*' }))
      .finally(() => {
        this.running = null;
        if (this.again && this.timer) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.again = false;
    await this.running;
  }

  private async deliverBatch(): Promise<{ delivered: number; claimed: number }> {
    const now = this.clock.now();
    const committed = new Set<string>();
    const result = await this.db.transaction(async (tx) => {
      const due = await rows<DueRow>(
        tx,
        sql`select e.*, d.subscriber, d.attempts from event_deliveries d join events e on e.id = d.event_id
            where not d.dead and d.next_attempt_at <= ${now.toISOString()}
              and d.subscriber = any(${textArray(this.subscribers.names())})
            order by e.seq limit ${this.batchSize} for update of d skip locked`,
      );
      // Each subscriber sees its own events in order; subscribers are independent of each other.
      const bySubscriber = new Map<string, DueRow[]>();
      for (const row of due) bySubscriber.set(row.subscriber, [...(bySubscriber.get(row.subscriber) ?? []), row]);
      const done: DueRow[] = [];
      for (const [name, batch] of bySubscriber) {
        // Only rows of subscribers this process knows are claimed; another version's wait for it.
        const subscriber = this.subscribers.get(name)!;
        const delivered = await this.deliverAll(tx, subscriber, batch, now);
        done.push(...delivered);
        if (delivered.length > 0) committed.add(name);
      }
      if (done.length > 0) {
        // One statement takes every delivered row out of the outbox, in the transaction that ran them.
        await tx.execute(sql`delete from event_deliveries d
          using unnest(${textArray(done.map((r) => r.subscriber))}, ${uuidArray(done.map((r) => r.id))}) as x(subscriber, event_id)
          where d.subscriber = x.subscriber and d.event_id = x.event_id`);
      }
      return { delivered: done.length, claimed: due.length };
    });
    for (const name of committed) this.subscribers.get(name)?.afterCommit?.();
    return result;
  }

  /**
   * Runs one subscriber over its claimed events. Round trips, not work, bounded delivery: so the
   * whole run shares one savepoint (and the handler's per-transaction caches), and only when it
   * fails is each event tried in a savepoint of its own, so one bad event holds back only itself.
   * Returns the rows delivered.
   */
  private async deliverAll(tx: Tx, subscriber: Subscriber, batch: DueRow[], now: Date): Promise<DueRow[]> {
    const events = batch.map(toStoredEvent);
    const run = (savepoint: Tx, some: StoredEvent[]) =>
      subscriber.handleBatch
        ? subscriber.handleBatch(some, savepoint)
        : some.reduce((previous, event) => previous.then(() => subscriber.handle(event, savepoint)), Promise.resolve());
    try {
      await tx.transaction((savepoint) => run(savepoint, events));
      return batch;
    } catch (error) {
      subscriber.rolledBack?.();
      if (batch.length === 1) {
        await this.retryLater(tx, batch[0]!, error, now);
        return [];
      }
    }
    const delivered: DueRow[] = [];
    for (const [i, row] of batch.entries()) {
      try {
        await tx.transaction((savepoint) => run(savepoint, [events[i]!]));
        delivered.push(row);
      } catch (error) {
        subscriber.rolledBack?.();
        await this.retryLater(tx, row, error, now);
      }
    }
    return delivered;
  }

  /** A failed delivery backs off exponentially and is given up (`dead`) after `maxAttempts`. */
  private async retryLater(tx: Tx, row: DueRow, error: unknown, now: Date) {
    const attempts = row.attempts + 1;
    const retryAt = new Date(now.getTime() + Math.min(2 ** attempts * 1000, 3_600_000));
    await tx.execute(sql`
      update event_deliveries set attempts = ${attempts}, next_attempt_at = ${retryAt.toISOString()},
        last_error = ${String((error as Error)?.message ?? error).slice(0, 2000)}, dead = ${attempts >= this.maxAttempts}
      where subscriber = ${row.subscriber} and event_id = ${row.id}`);
    this.options.onError?.(error, { subscriber: row.subscriber, eventId: row.id });
  }
}
