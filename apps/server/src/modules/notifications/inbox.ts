import type { InboxItem, InboxPage, NotificationPreferences } from '@serviceloop/contracts';
import { and, count, desc, eq, isNull, lte, type SQL, sql } from 'drizzle-orm';
import { type Bus, MAX_MESSAGE_BYTES } from '../../platform/bus';
import { notFound, staleVersion } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { notificationPreferences, notifications } from './tables';

type Listener = (item: InboxItem) => void;
type Pushed = { userId: string; item: InboxItem };

const CHANNEL = 'sl_inbox';

/**
 * Live inbox: the streams open in this process, per user. The fan-out publishes what it wrote
 * once its transaction committed, over the platform bus — so a user's stream on any replica hears
 * notifications fanned out by any other (PostgreSQL LISTEN/NOTIFY; in-process on PGlite). What a
 * stream misses while the bus reconnects, the bell's periodic count catches up with.
 */
export class InboxFeed {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly bus: Bus) {
    bus.subscribe(CHANNEL, (message) => {
      // One item per message is what a replica of the previous version still sends.
      const m = message as { items?: Pushed[] } & Partial<Pushed>;
      for (const { userId, item } of m.items ?? (m.userId && m.item ? [m as Pushed] : [])) {
        for (const listener of this.listeners.get(userId) ?? []) listener(item);
      }
    });
  }

  subscribe(userId: string, listener: Listener): () => void {
    const set = this.listeners.get(userId) ?? new Set();
    set.add(listener);
    this.listeners.set(userId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(userId);
    };
  }

  /**
   * Packs the items into as few messages as fit a NOTIFY payload: a burst of reports fans out to
   * thousands of notices, and one message each would cost the database a round trip apiece.
   */
  publish(items: Pushed[]): void {
    let batch: Pushed[] = [];
    let bytes = 0;
    const send = () => {
      if (batch.length > 0) this.bus.publish(CHANNEL, { items: batch }).catch(() => {});
      batch = [];
      bytes = 0;
    };
    for (const { userId, item } of items) {
      // A notice's body can outgrow a NOTIFY payload; the stream shows a shortened one, the inbox the whole.
      const body = Buffer.byteLength(item.body) > MAX_MESSAGE_BYTES / 2 ? `${item.body.slice(0, 1000)}…` : item.body;
      const pushed = { userId, item: { ...item, body } };
      const size = Buffer.byteLength(JSON.stringify(pushed)) + 1;
      if (bytes + size > MAX_MESSAGE_BYTES - 20) send();
      batch.push(pushed);
      bytes += size;
    }
    send();
  }

  get openStreams(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}

type Row = typeof notifications.$inferSelect;
const present = (r: Row): InboxItem => ({
  id: r.id,
  eventType: r.eventType,
  title: r.title,
  body: r.body,
  link: r.link,
  read: r.readAt !== null,
  createdAt: r.createdAt.toISOString(),
});

const DEFAULT_PREFERENCES: NotificationPreferences = {
  channels: { in_app: true, email: true, sms: true },
  quietHours: null,
  locale: null,
  weeklyDigest: null,
  version: 0,
};

/** One user's inbox and preferences. `scope` is the caller's grant turned into a condition (own rows). */
export class Inbox {
  constructor(private readonly platform: Platform) {}

  async page(scope: SQL, query: { page: number; pageSize: number; unread?: 'true' | 'false' }): Promise<InboxPage> {
    const where = and(scope, query.unread === 'true' ? isNull(notifications.readAt) : undefined);
    const items = await this.platform.db
      .select()
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const [totals] = await this.platform.db
      .select({
        total: count(),
        unread: sql<number>`count(*) filter (where ${notifications.readAt} is null)`.mapWith(Number),
      })
      .from(notifications)
      .where(scope);
    const total = query.unread === 'true' ? totals!.unread : totals!.total;
    return { items: items.map(present), total, unread: totals!.unread, page: query.page, pageSize: query.pageSize };
  }

  async unread(scope: SQL): Promise<number> {
    const [row] = await this.platform.db
      .select({ n: count() })
      .from(notifications)
      .where(and(scope, isNull(notifications.readAt)));
    return row!.n;
  }

  async markRead(scope: SQL, id: string): Promise<InboxItem> {
    const [row] = await this.platform.db
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, ${this.platform.clock.now().toISOString()}::timestamptz)` })
      .where(and(scope, eq(notifications.id, id)))
      .returning();
    if (!row) throw notFound('notification');
    return present(row);
  }

  async markAllRead(scope: SQL, upTo?: string): Promise<number> {
    const updated = await this.platform.db
      .update(notifications)
      .set({ readAt: this.platform.clock.now() })
      .where(and(scope, isNull(notifications.readAt), upTo ? lte(notifications.createdAt, new Date(upTo)) : undefined))
      .returning({ id: notifications.id });
    return updated.length;
  }

  async preferences(userId: string): Promise<NotificationPreferences> {
    const [row] = await this.platform.db
      .select()
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, userId));
    if (!row) return DEFAULT_PREFERENCES;
    return {
      channels: row.channels,
      quietHours: row.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null,
      locale: (row.locale as NotificationPreferences['locale']) ?? null,
      weeklyDigest: row.weeklyDigest,
      version: row.version,
    };
  }

  /** Version 0 creates the row; afterwards the version must match (409 otherwise). */
  async setPreferences(
    userId: string,
    input: {
      version: number;
      channels?: Partial<NotificationPreferences['channels']>;
      quietHours?: NotificationPreferences['quietHours'];
      locale?: NotificationPreferences['locale'];
      weeklyDigest?: boolean | null;
    },
  ): Promise<NotificationPreferences> {
    return this.platform.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(notificationPreferences)
        .where(eq(notificationPreferences.userId, userId))
        .for('update');
      const currentVersion = current?.version ?? 0;
      if (input.version !== currentVersion) throw staleVersion(currentVersion);
      const before = current
        ? {
            channels: current.channels,
            quiet: current.quietStart && current.quietEnd ? { start: current.quietStart, end: current.quietEnd } : null,
            locale: current.locale,
            weeklyDigest: current.weeklyDigest,
          }
        : { channels: DEFAULT_PREFERENCES.channels, quiet: null, locale: null, weeklyDigest: null };
      const quiet = input.quietHours === undefined ? before.quiet : input.quietHours;
      const values = {
        channels: { ...before.channels, ...input.channels },
        quietStart: quiet?.start ?? null,
        quietEnd: quiet?.end ?? null,
        locale: input.locale === undefined ? before.locale : input.locale,
        weeklyDigest: input.weeklyDigest === undefined ? before.weeklyDigest : input.weeklyDigest,
        updatedAt: this.platform.clock.now(),
        version: currentVersion + 1,
      };
      await tx
        .insert(notificationPreferences)
        .values({ userId, ...values })
        .onConflictDoUpdate({ target: notificationPreferences.userId, set: values });
      return {
        channels: values.channels,
        quietHours: quiet,
        locale: values.locale as NotificationPreferences['locale'],
        weeklyDigest: values.weeklyDigest,
        version: values.version,
      };
    });
  }
}
