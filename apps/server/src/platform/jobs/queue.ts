import { sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import { type Db, type Executor, rows, type Tx, textArray } from '../db/client';
import { newId } from '../ids';

export interface Job<P = Record<string, unknown>> {
  id: string;
  queue: string;
  payload: P;
  attempts: number;
}

export type JobHandler = (job: Job, tx: Tx) => Promise<void>;

export interface EnqueueOptions {
  queue: string;
  payload?: Record<string, unknown>;
  runAt?: Date;
  /** While an unfinished job with this key exists in the queue, enqueueing again does nothing. */
  dedupeKey?: string;
  maxAttempts?: number;
}

interface JobRow {
  id: string;
  queue: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/**
 * Delayed and recurring work on the application database (docs/adr/0002-jobs.md).
 * Time is the injected Clock's, not the database's, so tests move time instead of sleeping.
 * A claimed job holds a lease; its handler runs in the transaction that marks it finished,
 * so database effects happen once and a crashed run is retried after the lease expires.
 */
export class JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: { leaseMs?: number; pollMs?: number; onError?: (e: unknown, job?: Job) => void } = {},
  ) {}

  handle(queue: string, handler: JobHandler): void {
    if (this.handlers.has(queue)) throw new Error(`job queue ${queue} has a handler already`);
    this.handlers.set(queue, handler);
  }

  /** Enqueue inside the caller's transaction: the job exists exactly when the change does. */
  async enqueue(tx: Executor, options: EnqueueOptions): Promise<string | null> {
    const now = this.clock.now();
    const id = newId(now.getTime());
    const inserted = await rows<{ id: string }>(
      tx,
      sql`insert into jobs (id, queue, payload, run_at, max_attempts, dedupe_key, created_at)
          values (${id}, ${options.queue}, ${JSON.stringify(options.payload ?? {})}::jsonb,
                  ${(options.runAt ?? now).toISOString()}, ${options.maxAttempts ?? 5}, ${options.dedupeKey ?? null},
                  ${now.toISOString()})
          on conflict do nothing returning id`,
    );
    return inserted[0]?.id ?? null;
  }

  /** Declares a recurring job; safe to call on every start and from every replica. */
  async schedule(name: string, queue: string, everyMs: number, payload: Record<string, unknown> = {}): Promise<void> {
    const first = new Date(this.clock.now().getTime() + everyMs).toISOString();
    await this.db.execute(sql`
      insert into job_schedules (name, queue, every_ms, payload, next_run_at)
      values (${name}, ${queue}, ${everyMs}, ${JSON.stringify(payload)}::jsonb, ${first})
      on conflict (name) do update set queue = excluded.queue, every_ms = excluded.every_ms, payload = excluded.payload`);
  }

  /** Runs every job due now (and materialises due schedules); resolves with how many finished. */
  async runDue(limit = 100): Promise<number> {
    await this.materialiseSchedules();
    let finished = 0;
    for (let i = 0; i < limit; i++) {
      const job = await this.claim();
      if (!job) break;
      if (await this.execute(job)) finished++;
    }
    return finished;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runDue()
        .catch((e) => this.options.onError?.(e))
        .finally(() => {
          this.running = null;
        });
    }, this.options.pollMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async materialiseSchedules(): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const due = await rows<{ name: string; queue: string; every_ms: string; payload: object; next_run_at: string }>(
        tx,
        sql`select * from job_schedules where next_run_at <= ${now.toISOString()} for update skip locked`,
      );
      for (const s of due) {
        const every = Number(s.every_ms);
        const slot = new Date(s.next_run_at).getTime();
        // Missed slots while the system was down collapse into one run, not a burst.
        const next = slot + every * Math.max(1, Math.ceil((now.getTime() - slot + 1) / every));
        await this.enqueue(tx, {
          queue: s.queue,
          payload: s.payload as Record<string, unknown>,
          dedupeKey: `schedule:${s.name}`,
        });
        await tx.execute(
          sql`update job_schedules set next_run_at = ${new Date(next).toISOString()} where name = ${s.name}`,
        );
      }
    });
  }

  private async claim(): Promise<Job | null> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 60_000));
    const queues = [...this.handlers.keys()];
    const claimed = await rows<JobRow>(
      this.db,
      sql`update jobs set locked_until = ${leaseUntil.toISOString()}, attempts = attempts + 1
          where id = (
            select id from jobs
            where finished_at is null and not failed and run_at <= ${now.toISOString()}
              and (locked_until is null or locked_until < ${now.toISOString()})
              and queue = any(${textArray(queues)})
            order by run_at limit 1 for update skip locked)
          returning id, queue, payload, attempts, max_attempts`,
    );
    const row = claimed[0];
    return row ? { id: row.id, queue: row.queue, payload: row.payload, attempts: row.attempts } : null;
  }

  private async execute(job: Job): Promise<boolean> {
    const handler = this.handlers.get(job.queue)!;
    try {
      await this.db.transaction(async (tx) => {
        await handler(job, tx);
        await tx.execute(
          sql`update jobs set finished_at = ${this.clock.now().toISOString()}, locked_until = null where id = ${job.id}`,
        );
      });
      return true;
    } catch (error) {
      const retryAt = new Date(this.clock.now().getTime() + Math.min(2 ** job.attempts * 1000, 3_600_000));
      await this.db.execute(sql`
        update jobs set locked_until = null, run_at = ${retryAt.toISOString()},
          last_error = ${String((error as Error)?.message ?? error).slice(0, 2000)},
          failed = attempts >= max_attempts
        where id = ${job.id}`);
      this.options.onError?.(error, job);
      return false;
    }
  }
}
