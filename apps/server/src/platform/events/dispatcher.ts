import { sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import { type Db, rows, textArray } from '../db/client';
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
    return this.db.transaction(async (tx) => {
      const due = await rows<DueRow>(
        tx,
        sql`select e.*, d.subscriber, d.attempts from event_deliveries d join events e on e.id = d.event_id
            where not d.dead and d.next_attempt_at <= ${now.toISOString()}
              and d.subscriber = any(${textArray(this.subscribers.names())})
            order by e.seq limit ${this.batchSize} for update of d skip locked`,
      );
      let delivered = 0;
      for (const row of due) {
        // Only rows of subscribers this process knows are claimed; another version's wait for it.
        const subscriber = this.subscribers.get(row.subscriber)!;
        const event = toStoredEvent(row);
        try {
          await tx.transaction((savepoint) => subscriber.handle(event, savepoint));
          await tx.execute(
            sql`delete from event_deliveries where subscriber = ${row.subscriber} and event_id = ${row.id}`,
          );
          delivered++;
        } catch (error) {
          const attempts = row.attempts + 1;
          const retryAt = new Date(now.getTime() + Math.min(2 ** attempts * 1000, 3_600_000));
          await tx.execute(sql`
            update event_deliveries set attempts = ${attempts}, next_attempt_at = ${retryAt.toISOString()},
              last_error = ${String((error as Error)?.message ?? error).slice(0, 2000)}, dead = ${attempts >= this.maxAttempts}
            where subscriber = ${row.subscriber} and event_id = ${row.id}`);
          this.options.onError?.(error, { subscriber: row.subscriber, eventId: row.id });
        }
      }
      return { delivered, claimed: due.length };
    });
  }
}
