import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { type Bus, localBus, postgresBus } from './bus';
import { type Clock, systemClock } from './clock';
import type { Config } from './config';
import type { Database, Db, Tx } from './db/client';
import { eventCatalogue } from './events/catalogue';
import { Dispatcher } from './events/dispatcher';
import { EventLog } from './events/event-log';
import { SubscriberRegistry } from './events/subscribers';
import { Housekeeping } from './housekeeping';
import { JobQueue } from './jobs/queue';

/**
 * The kernel every module is handed: storage, time, the event backbone and jobs.
 * It knows nothing about tickets or customers.
 */
export interface Platform {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  subscribers: SubscriberRegistry;
  events: EventLog;
  dispatcher: Dispatcher;
  jobs: JobQueue;
  /** The daily clean-up of finished bookkeeping; modules register the rows they own. */
  housekeeping: Housekeeping;
  /** Live-update messages between the processes sharing the database (LISTEN/NOTIFY on PostgreSQL). */
  bus: Bus;
  /**
   * Logs a background run's failure (a delivery, a job, a send), except when the database is away:
   * workers retry on their next poll, and the outage is logged once, not once per poll.
   */
  backgroundFailed(err: unknown, context: Record<string, unknown>, message: string): void;
  /** One command, one transaction; after it commits the dispatcher is asked to deliver. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export function createPlatform(input: {
  config: Config;
  database: Database;
  clock?: Clock;
  log?: FastifyBaseLogger;
}): Platform {
  const clock = input.clock ?? systemClock;
  const log = input.log ?? (pino({ level: input.config.logLevel }) as unknown as FastifyBaseLogger);
  const db = input.database.db;
  const { availability } = input.database;
  availability.onChange((outage, err) => {
    if (outage) log.error({ err, reason: outage.reason }, 'database unavailable: requests answer 503, workers retry');
    else log.info('database available again');
  });
  const backgroundFailed: Platform['backgroundFailed'] = (err, context, message) => {
    if (!availability.noticed(err)) log.warn({ err, ...context }, message);
  };
  const catalogue = eventCatalogue({
    onMismatch: (type, issues) => log.warn({ type, issues }, 'event payload differs from its catalogue entry'),
  });
  const subscribers = new SubscriberRegistry(catalogue);
  const dispatcher = new Dispatcher(db, subscribers, clock, {
    onError: (err, where) => backgroundFailed(err, where, 'event delivery failed; will retry'),
  });
  const jobs = new JobQueue(db, clock, {
    onError: (err, job) => backgroundFailed(err, { job: job?.id }, 'job failed'),
  });
  const bus =
    input.database.kind === 'postgres' && input.database.url
      ? postgresBus(
          input.database.url,
          async (channel, payload) => {
            await db.execute(sql`select pg_notify(${channel}, ${payload})`);
          },
          log,
          availability,
        )
      : localBus();
  return {
    config: input.config,
    bus,
    database: input.database,
    db,
    clock,
    log,
    subscribers,
    events: new EventLog(clock, subscribers, catalogue),
    dispatcher,
    jobs,
    housekeeping: new Housekeeping(jobs, clock, log),
    backgroundFailed,
    async transaction(fn) {
      const result = await db.transaction(fn);
      dispatcher.kick();
      return result;
    },
  };
}

export type { Bus } from './bus';
export type { Clock } from './clock';
export type { Config } from './config';
export type { Database, Db, Executor, Tx } from './db/client';
export type { Changes, EventActor, NewEvent, StoredEvent } from './events/event-log';
export type { Reaction, Subscriber } from './events/subscribers';
export type { RetentionRule } from './housekeeping';
export { deleteBatch } from './housekeeping';
