import { and, eq, sql } from 'drizzle-orm';
import { rows } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import type { Platform, RetentionRule } from '../../platform/index';
import { type Channels, type DeliveryRow, describeEndpoint, type EndpointRow } from './channels';
import { notificationAttempts, notificationDeliveries, notificationEndpoints } from './tables';
import { retryDelayMs } from './timing';

const ROBOTS = new Set(['wecom', 'dingtalk', 'feishu']);
/** How many queued robot messages one send may carry. */
const MERGE_LIMIT = 30;
const LEASE_MS = 120_000;

interface RawDelivery {
  id: string;
  message_id: string;
  event_id: string | null;
  event_type: string;
  channel: DeliveryRow['channel'];
  endpoint_id: string | null;
  user_id: string | null;
  address: string;
  recipient_key: string;
  title: string;
  body: string;
  payload: Record<string, unknown>;
  state: DeliveryRow['state'];
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_until: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

/**
 * The delivery log's sent and given-up messages past retention, with their attempts (which
 * reference them). Pending ones stay whatever their age: they are still to be sent.
 */
export const finishedDeliveries: RetentionRule = {
  setting: 'finishedDeliveriesDays',
  name: 'notification_deliveries',
  async purge(tx, cutoff, limit) {
    const [row] = await rows<{ n: number }>(
      tx,
      sql`with doomed as (
            select id from notification_deliveries
            where state <> 'pending' and created_at < ${cutoff.toISOString()} limit ${limit}),
          attempts as (delete from notification_attempts where delivery_id in (select id from doomed)),
          gone as (delete from notification_deliveries where id in (select id from doomed) returning 1)
          select count(*)::int as n from gone`,
    );
    return row?.n ?? 0;
  },
};

const date = (v: string | null) => (v ? new Date(v) : null);
const fromRaw = (r: RawDelivery): DeliveryRow => ({
  id: r.id,
  messageId: r.message_id,
  eventId: r.event_id,
  eventType: r.event_type,
  channel: r.channel,
  endpointId: r.endpoint_id,
  userId: r.user_id,
  address: r.address,
  recipientKey: r.recipient_key,
  title: r.title,
  body: r.body,
  payload: r.payload,
  state: r.state,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: new Date(r.run_at),
  lockedUntil: date(r.locked_until),
  lastStatus: r.last_status,
  lastError: r.last_error,
  deliveredAt: date(r.delivered_at),
  createdAt: new Date(r.created_at),
});

/**
 * Sends what the fan-out queued. Each delivery row is a job with a lease, claimed in one short
 * statement; the network call runs outside any transaction (a slow robot must not hold a
 * database connection — on PGlite, the only one), and its outcome is written in another. A
 * crashed send is retried when its lease expires, so receivers may see a message twice: webhooks
 * carry a stable `webhook-id` for that. Robots: at most `robotPerMinute` sends per robot; what is
 * due beyond that waits for the window and then goes out merged into one message.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;

  constructor(
    private readonly platform: Platform,
    private readonly channels: Channels,
    private readonly options: { robotPerMinute: number; random?: () => number },
  ) {}

  /** Sends everything due now; resolves with how many sends were made (a merged burst counts once). */
  async runDue(limit = 200): Promise<number> {
    let sends = 0;
    for (let i = 0; i < limit; i++) {
      const batch = await this.claim();
      if (!batch) break;
      if (await this.deliver(batch)) sends++;
    }
    return sends;
  }

  start(pollMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
  }

  /** Runs soon (after a fan-out committed) once started; coalesces with a run in progress. */
  kick(): void {
    if (!this.timer) return; // not started: tests drive runDue by hand
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runDue()
      .catch((err) => this.platform.backgroundFailed(err, {}, 'notification delivery run failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
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

  /** The oldest due delivery, and for a robot every other one due for the same robot. */
  private async claim(): Promise<DeliveryRow[] | null> {
    const now = this.platform.clock.now().toISOString();
    const lease = new Date(this.platform.clock.now().getTime() + LEASE_MS).toISOString();
    const [first] = await rows<RawDelivery>(
      this.platform.db,
      sql`update notification_deliveries set locked_until = ${lease}, attempts = attempts + 1
          where id = (select id from notification_deliveries
                      where state = 'pending' and run_at <= ${now} and (locked_until is null or locked_until < ${now})
                      order by run_at, id limit 1 for update skip locked)
          returning *`,
    );
    if (!first) return null;
    if (!ROBOTS.has(first.channel)) return [fromRaw(first)];
    const more = await rows<RawDelivery>(
      this.platform.db,
      sql`update notification_deliveries set locked_until = ${lease}, attempts = attempts + 1
          where id in (select id from notification_deliveries
                       where state = 'pending' and endpoint_id = ${first.endpoint_id} and id <> ${first.id}
                         and run_at <= ${now} and (locked_until is null or locked_until < ${now})
                       order by run_at, id limit ${MERGE_LIMIT - 1} for update skip locked)
          returning *`,
    );
    return [first, ...more].map(fromRaw).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** One send for the batch; returns whether a send was made (a rate-limited batch waits instead). */
  private async deliver(batch: DeliveryRow[]): Promise<boolean> {
    const head = batch[0]!;
    const endpoint = head.endpointId ? await this.endpoint(head.endpointId) : null;
    if (head.endpointId && !endpoint?.enabled) {
      await this.record(batch, { ok: false, status: null, error: 'endpoint disabled', permanent: true }, 0, null);
      return true;
    }
    if (endpoint && ROBOTS.has(endpoint.kind)) {
      const reopensAt = await this.robotWindow(endpoint.id);
      if (reopensAt) {
        await this.postpone(batch, reopensAt);
        return false;
      }
    }
    const started = Date.now();
    const result = await this.channels[head.channel].send(batch, endpoint, this.platform.clock.now());
    await this.record(batch, result, Date.now() - started, endpoint);
    if (!result.ok) {
      this.platform.log.warn(
        { channel: head.channel, endpoint: describeEndpoint(endpoint), status: result.status, error: result.error },
        'notification delivery failed',
      );
    }
    return true;
  }

  /** When the robot's one-minute budget is spent, the moment a slot frees up; otherwise null. */
  private async robotWindow(endpointId: string): Promise<Date | null> {
    const now = this.platform.clock.now();
    const since = new Date(now.getTime() - 60_000).toISOString();
    const [window] = await rows<{ sends: number; oldest: string | null }>(
      this.platform.db,
      sql`select count(*)::int as sends, min(first_at) as oldest
          from (select send_id, min(at) as first_at from notification_attempts
                where endpoint_id = ${endpointId} and at > ${since} group by send_id) s`,
    );
    if (!window || window.sends < this.options.robotPerMinute) return null;
    return new Date(new Date(window.oldest!).getTime() + 60_000 + 1);
  }

  private async postpone(batch: DeliveryRow[], until: Date): Promise<void> {
    const ids = batch.map((d) => d.id);
    await this.platform.db.execute(sql`
      update notification_deliveries set locked_until = null, attempts = attempts - 1, run_at = ${until.toISOString()}
      where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`);
  }

  private async record(
    batch: DeliveryRow[],
    result: { ok: boolean; status: number | null; error: string | null; permanent?: boolean },
    durationMs: number,
    endpoint: EndpointRow | null,
  ): Promise<void> {
    const now = this.platform.clock.now();
    const sendId = newId(now.getTime());
    await this.platform.transaction(async (tx) => {
      for (const d of batch) {
        await tx.insert(notificationAttempts).values({
          id: newId(now.getTime()),
          deliveryId: d.id,
          endpointId: endpoint?.id ?? null,
          sendId,
          attempt: d.attempts,
          at: now,
          ok: result.ok,
          statusCode: result.status,
          error: result.error,
          durationMs,
          batchSize: batch.length,
        });
        const dead = !result.ok && (result.permanent || d.attempts >= d.maxAttempts);
        const retryAt = new Date(now.getTime() + retryDelayMs(d.attempts, this.options.random ?? Math.random));
        await tx
          .update(notificationDeliveries)
          .set({
            state: result.ok ? 'delivered' : dead ? 'dead' : 'pending',
            deliveredAt: result.ok ? now : null,
            runAt: result.ok || dead ? d.runAt : retryAt,
            lockedUntil: null,
            lastStatus: result.status,
            lastError: result.error,
          })
          .where(eq(notificationDeliveries.id, d.id));
      }
    });
  }

  private async endpoint(id: string): Promise<EndpointRow | null> {
    const [row] = await this.platform.db
      .select()
      .from(notificationEndpoints)
      .where(and(eq(notificationEndpoints.id, id)));
    return row ?? null;
  }
}
