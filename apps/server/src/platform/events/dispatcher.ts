import { sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import { type Db, rows, type Tx, textArray, uuidArray } from '../db/client';
import { type EventRow, toStoredEvent } from './event-log';
import type { SubscriberRegistry } from './subscribers';

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
    this.batchSize = options.batchSize ?? 50;
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
      let delivered = 0;
      const batches = new Map<string, DueRow[]>();
      for (const row of due) {
        // Only rows of subscribers this process knows are claimed; another version's wait for it.
        const subscriber = this.subscribers.get(row.subscriber)!;
        if (subscriber.handleBatch) batches.set(row.subscriber, [...(batches.get(row.subscriber) ?? []), row]);
        else if (await this.deliver(tx, [row], (savepoint) => subscriber.handle(toStoredEvent(row), savepoint), now)) {
          delivered++;
          committed.add(row.subscriber);
        }
      }
      for (const [name, batch] of batches) {
        const subscriber = this.subscribers.get(name)!;
        const events = batch.map(toStoredEvent);
        if (await this.deliver(tx, batch, (savepoint) => subscriber.handleBatch!(events, savepoint), now)) {
          delivered += batch.length;
          committed.add(name);
        }
      }
      return { delivered, claimed: due.length };
    });
    for (const name of committed) this.subscribers.get(name)?.afterCommit?.();
    return result;
  }

  /** Runs one handler call for `rows` in a savepoint: done rows leave the outbox, a failure schedules a retry. */
  private async deliver(tx: Tx, rows: DueRow[], handle: (savepoint: Tx) => Promise<void>, now: Date) {
    const subscriber = rows[0]!.subscriber;
    const ids = uuidArray(rows.map((r) => r.id));
    try {
      await tx.transaction(handle);
      await tx.execute(sql`delete from event_deliveries where subscriber = ${subscriber} and event_id = any(${ids})`);
      return true;
    } catch (error) {
      for (const row of rows) {
        const attempts = row.attempts + 1;
        const retryAt = new Date(now.getTime() + Math.min(2 ** attempts * 1000, 3_600_000));
        await tx.execute(sql`
          update event_deliveries set attempts = ${attempts}, next_attempt_at = ${retryAt.toISOString()},
            last_error = ${String((error as Error)?.message ?? error).slice(0, 2000)}, dead = ${attempts >= this.maxAttempts}
          where subscriber = ${subscriber} and event_id = ${row.id}`);
        this.options.onError?.(error, { subscriber, eventId: row.id });
      }
      return false;
    }
  }
}
