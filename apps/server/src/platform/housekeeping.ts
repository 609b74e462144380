import { DEFAULT_RETENTION, type RetentionSettings } from '@serviceloop/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock';
import { type Executor, rows } from './db/client';
import type { JobQueue } from './jobs/queue';

export const HOUSEKEEPING_QUEUE = 'platform.housekeeping';
const DAY = 86_400_000;

/** One kind of finished bookkeeping and how to delete a bounded batch of it. */
export interface RetentionRule {
  /** The retention setting that says how many days it is kept. */
  setting: keyof RetentionSettings;
  /** What it removes, as the log names it. */
  name: string;
  /** Deletes at most `limit` rows that ended before `cutoff`; resolves with how many it deleted. */
  purge(tx: Executor, cutoff: Date, limit: number): Promise<number>;
}

/**
 * Deletes at most `limit` rows of `table` matching `where`. The rows are picked by their physical
 * address, so one helper serves tables with any primary key, and a row changed concurrently is
 * skipped (its address moved) rather than deleted from under its writer.
 */
export async function deleteBatch(tx: Executor, table: string, where: SQL, limit: number): Promise<number> {
  const [row] = await rows<{ n: number }>(
    tx,
    sql`with gone as (
          delete from ${sql.identifier(table)} where ctid = any(array(
            select ctid from ${sql.identifier(table)} where ${where} limit ${limit}))
          returning 1)
        select count(*)::int as n from gone`,
  );
  return row?.n ?? 0;
}

/**
 * The platform's own bookkeeping. Not the events table: it is the timeline and the audit log, and
 * delivered outbox rows leave `event_deliveries` in the transaction that delivered them — only
 * deliveries that gave up stay behind, and those go after their retention.
 */
const PLATFORM_RULES: RetentionRule[] = [
  {
    setting: 'finishedJobsDays',
    name: 'jobs',
    purge: (tx, cutoff, limit) =>
      deleteBatch(
        tx,
        'jobs',
        sql`(finished_at < ${cutoff.toISOString()} or (failed and run_at < ${cutoff.toISOString()}))`,
        limit,
      ),
  },
  {
    setting: 'idempotencyKeysDays',
    name: 'idempotency_keys',
    purge: (tx, cutoff, limit) => deleteBatch(tx, 'idempotency_keys', sql`created_at < ${cutoff.toISOString()}`, limit),
  },
  {
    setting: 'finishedDeliveriesDays',
    name: 'event_deliveries',
    purge: (tx, cutoff, limit) =>
      deleteBatch(tx, 'event_deliveries', sql`dead and next_attempt_at < ${cutoff.toISOString()}`, limit),
  },
];

/**
 * The daily clean-up (docs/operations.md): finished bookkeeping past its retention is deleted so
 * tables stay the size of the work in flight, not of the years behind. Each job run deletes at most
 * `batchSize` rows per rule in its own short transaction and, when a rule had more, queues the next
 * run at once — a big backlog goes in many small transactions, never one long lock.
 * Modules add rules for the bookkeeping they own (sessions, outbound messages).
 */
export class Housekeeping {
  private readonly rules: RetentionRule[] = [...PLATFORM_RULES];
  private retention: (tx: Executor) => Promise<RetentionSettings> = async () => DEFAULT_RETENTION;

  constructor(
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    readonly batchSize = 1000,
  ) {
    jobs.handle(HOUSEKEEPING_QUEUE, async (job, tx) => {
      const deleted = await this.round(tx);
      const more = Object.values(deleted).some((n) => n >= this.batchSize);
      if (more) await this.jobs.enqueue(tx, { queue: HOUSEKEEPING_QUEUE, dedupeKey: `after:${job.id}` });
      if (Object.values(deleted).some((n) => n > 0)) this.log.info({ deleted, more }, 'housekeeping deleted old rows');
    });
  }

  register(rule: RetentionRule): void {
    this.rules.push(rule);
  }

  /** Where the admin-edited retention comes from (identity's settings); defaults until told. */
  readRetentionFrom(read: (tx: Executor) => Promise<RetentionSettings>): void {
    this.retention = read;
  }

  /** Declares the daily run; safe on every start and every replica. */
  schedule(): Promise<void> {
    return this.jobs.schedule('housekeeping-daily', HOUSEKEEPING_QUEUE, DAY);
  }

  /** One batch per rule in `tx`; resolves with how many rows each rule deleted. */
  async round(tx: Executor): Promise<Record<string, number>> {
    const retention = { ...DEFAULT_RETENTION, ...(await this.retention(tx)) };
    const now = this.clock.now().getTime();
    const deleted: Record<string, number> = {};
    for (const rule of this.rules) {
      const cutoff = new Date(now - retention[rule.setting] * DAY);
      deleted[rule.name] = await rule.purge(tx, cutoff, this.batchSize);
    }
    return deleted;
  }
}
