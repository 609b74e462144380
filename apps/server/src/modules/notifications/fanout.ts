import type { InboxItem, Locale, NotifiableEvent, PersonChannel, Role } from '@serviceloop/contracts';
import { and, eq } from 'drizzle-orm';
import { newId } from '../../platform/ids';
import type { Platform, Reaction, StoredEvent, Tx } from '../../platform/index';
import { customerNames } from '../customers/index';
import { activeUsers, type UserRecord, userNames } from '../identity/index';
import { findPart, findWarehouse } from '../parts/index';
import { findTickets, type TicketRow } from '../tickets/index';
import {
  notificationDeliveries,
  notificationEndpoints,
  notificationPreferences,
  notificationSubscriptions,
  notifications,
  notificationTemplates,
} from './tables';
import { DEFAULT_TEMPLATES, render, type Variables } from './templates';
import { MAX_ATTEMPTS, quietUntil } from './timing';

type UserRow = UserRecord;
type TicketFacts = { ticket: TicketRow; customer: string | null; assignee: string | null };
type SubscriptionRow = typeof notificationSubscriptions.$inferSelect;

/** A message with its own text, to recipients named like a subscription's. */
export interface DirectMessage {
  recipients: {
    kind: 'user' | 'role' | 'assignee' | 'team_manager' | 'endpoint';
    userId?: string;
    role?: string;
    endpointId?: string;
  }[];
  /** Person channels (in_app, email, sms); endpoints send on their own kind. */
  channels: string[];
  title: string;
  body: string;
  /** Text per language, used instead of `title`/`body` (which then read the same in every language). */
  byLocale?: Record<Locale, { title: string; body: string }>;
}

/** Someone a message is for: a user, or a ticket's customer contact known only by email/phone. */
interface Person {
  key: string;
  userId: string | null;
  email: string | null;
  mobile: string | null;
  locale: Locale;
  channels: Set<PersonChannel>;
  /** Channels a subscription asked for that the person switched off: logged as skipped, not sent. */
  switchedOff: Set<PersonChannel>;
}

/** What one event says, gathered once and rendered per language. */
interface Context {
  variables: (locale: Locale) => Variables;
  /** In-app link (relative); robots and email get it absolute through `variables.link`. */
  link: string | null;
  ticket: TicketRow | null;
  /** The event's own recipients: the engineer a dispatch names, the ticket's assignee and reporter. */
  assigneeId: string | null;
  reporterId: string | null;
  /** P0 tickets and SLA breaches reach people during their quiet hours too. */
  urgent: boolean;
  payload: Record<string, unknown>;
}

const SPIKE_DIMENSIONS: Record<string, Record<Locale, string>> = {
  productModel: { 'zh-CN': '产品型号', 'en-US': 'Product model' },
  batch: { 'zh-CN': '批次', 'en-US': 'Batch' },
  region: { 'zh-CN': '区域', 'en-US': 'Region' },
};

/** A spike alert (`analytics.spike_detected`) speaks of a model, batch or region, not of a ticket. */
function spikeContext(event: StoredEvent, base: string): Context | null {
  const { dimension, label, key, count, baseline } = event.data as Record<string, unknown>;
  if (typeof dimension !== 'string' || !(dimension in SPIKE_DIMENSIONS)) return null;
  const link = '/console/analytics';
  return {
    variables: (locale) => ({
      dimension: SPIKE_DIMENSIONS[dimension]![locale],
      label: String(label ?? key ?? ''),
      count: Number(count),
      baseline: Number(baseline).toFixed(1),
      link: `${base}${link}`,
    }),
    link,
    ticket: null,
    assigneeId: null,
    reporterId: null,
    urgent: false,
    payload: { dimension, key, label, count, baseline, pValue: event.data.pValue },
  };
}

/** A device's alarm (`telemetry.alert`): what a rule's message names, urgent when critical. */
function deviceAlertContext(event: StoredEvent, base: string): Context {
  const { serialNumber, code, message, severity } = event.data as Record<string, unknown>;
  const link = `/console/devices/${event.entityId}`;
  return {
    variables: () => ({
      serialNumber: String(serialNumber ?? ''),
      code: String(code ?? ''),
      message: String(message ?? ''),
      severity: String(severity ?? ''),
      link: `${base}${link}`,
    }),
    link,
    ticket: null,
    assigneeId: null,
    reporterId: null,
    urgent: severity === 'critical',
    payload: { deviceId: event.entityId, ...event.data },
  };
}

const CLOCK_NAMES = {
  response: { 'zh-CN': '响应', 'en-US': 'Response' },
  resolution: { 'zh-CN': '解决', 'en-US': 'Resolution' },
};
const shanghaiTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const formatTime = (value: unknown) => {
  if (!value) return '';
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? '' : shanghaiTime.format(d);
};

export interface QueuedDelivery {
  channel: keyof typeof MAX_ATTEMPTS;
  address: string;
  userId: string | null;
  endpointId?: string;
  key: string;
  title: string;
  body: string;
  /** Webhook body; for email, `html` is the message's HTML part. */
  payload?: Record<string, unknown>;
  runAt: Date;
  /** Why this leg cannot go out: it is written to the log as `skipped` with this reason, never sent. */
  skipped?: string;
}

/**
 * Queues one outbound message for the delivery worker, in the caller's transaction. One per event,
 * channel and recipient (a unique key): queueing the same again does nothing.
 */
export async function queueDelivery(tx: Tx, now: Date, event: { id: string; type: string }, d: QueuedDelivery) {
  const id = newId(now.getTime());
  await tx
    .insert(notificationDeliveries)
    .values({
      id,
      messageId: `msg_${id.replace(/-/g, '')}`,
      eventId: event.id,
      eventType: event.type,
      channel: d.channel,
      endpointId: d.endpointId ?? null,
      userId: d.userId,
      address: d.address,
      recipientKey: d.key,
      title: d.title,
      body: d.body,
      payload: d.payload ?? {},
      state: d.skipped ? 'skipped' : 'pending',
      lastError: d.skipped ?? null,
      attempts: 0,
      maxAttempts: MAX_ATTEMPTS[d.channel],
      runAt: d.runAt,
      createdAt: now,
    })
    .onConflictDoNothing();
}

/**
 * Turns an event into messages: finds the subscriptions for its type, resolves each to people or
 * endpoints, applies each person's preferences (channels, quiet hours, language), renders the
 * template, writes inbox rows and queues outbound deliveries — all in the dispatcher's
 * transaction, so an event is fanned out exactly once. Sending happens later, outside it.
 */
export class Fanout {
  constructor(private readonly platform: Platform) {}

  /** Returns the inbox items written, for live delivery after commit. */
  async handle(event: StoredEvent, tx: Tx): Promise<{ userId: string; item: InboxItem }[]> {
    const subscriptions = await this.perBatch(tx, `subscriptions:${event.type}`, () =>
      tx
        .select()
        .from(notificationSubscriptions)
        .where(and(eq(notificationSubscriptions.eventType, event.type), eq(notificationSubscriptions.enabled, true))),
    );
    if (subscriptions.length === 0) return [];
    const context = await this.context(tx, event);
    if (!context) return [];
    const templates = await this.perBatch(tx, `templates:${event.type}`, () =>
      this.templates(tx, event.type as NotifiableEvent),
    );
    return this.deliver(tx, event, context, subscriptions, templates);
  }

  private readonly batchCache = new WeakMap<Tx, Map<string, Promise<unknown>>>();

  /**
   * Configuration (subscriptions, templates, who holds a role) read once per delivery batch: the
   * dispatcher runs a batch of events in one savepoint, and a burst of reports would otherwise
   * re-read the same rows for every event. A change committed meanwhile applies from the next batch.
   */
  private perBatch<T>(tx: Tx, key: string, load: () => PromiseLike<T>): Promise<T> {
    let cache = this.batchCache.get(tx);
    if (!cache) {
      cache = new Map();
      this.batchCache.set(tx, cache);
    }
    // A drizzle query runs each time it is awaited: settle it once into a promise to share.
    if (!cache.has(key)) cache.set(key, Promise.resolve(load()));
    return cache.get(key) as Promise<T>;
  }

  /**
   * A message someone configured elsewhere (an automation rule's notify or escalate action): the
   * same recipients, preferences, channels and delivery as a subscription, with the rule's own
   * title and body (`{{ticketNumber}}`, `{{title}}`, `{{priority}}`… filled from the ticket).
   * `event` is the event the message belongs to: deliveries are unique per event and recipient.
   */
  async direct(tx: Tx, event: StoredEvent, message: DirectMessage): Promise<{ userId: string; item: InboxItem }[]> {
    const context = await this.context(tx, event);
    if (!context) return [];
    const now = this.platform.clock.now();
    const subscriptions = message.recipients.map(
      (r): SubscriptionRow => ({
        id: event.id,
        eventType: event.type,
        recipientKind: r.kind,
        userId: r.userId ?? null,
        role: r.role ?? null,
        endpointId: r.endpointId ?? null,
        channels: message.channels,
        enabled: true,
        createdAt: now,
        updatedAt: now,
        version: 1,
      }),
    );
    const text = { title: message.title, body: message.body };
    return this.deliver(tx, event, context, subscriptions, message.byLocale ?? { 'zh-CN': text, 'en-US': text });
  }

  private async deliver(
    tx: Tx,
    event: StoredEvent,
    context: Context,
    subscriptions: SubscriptionRow[],
    templates: Record<Locale, { title: string; body: string }>,
  ): Promise<{ userId: string; item: InboxItem }[]> {
    const people = await this.people(
      tx,
      subscriptions.filter((s) => s.recipientKind !== 'endpoint'),
      context,
    );
    const now = this.platform.clock.now();
    const pushed: { userId: string; item: InboxItem }[] = [];

    for (const person of people) {
      const text = templates[person.locale];
      const vars = context.variables(person.locale);
      const title = render(text.title, vars);
      const body = render(text.body, vars);
      if (person.userId && person.channels.has('in_app')) {
        const id = newId(now.getTime());
        const row = {
          id,
          userId: person.userId,
          eventId: event.id,
          eventType: event.type,
          title,
          body,
          link: context.link,
          createdAt: now,
        };
        const item = {
          id,
          eventType: event.type,
          title,
          body,
          link: context.link,
          read: false,
          createdAt: now.toISOString(),
        };
        const batch = this.collected.get(tx);
        if (batch) batch.push({ row, item });
        else {
          const inserted = await tx
            .insert(notifications)
            .values(row)
            .onConflictDoNothing()
            .returning({ id: notifications.id });
          if (inserted.length > 0) pushed.push({ userId: person.userId, item });
        }
      }
      const prefs = person.userId ? await this.preferences(tx, person.userId) : null;
      const runAt = (!context.urgent && quietUntil(now, prefs?.quiet ?? null)) || now;
      // Every outbound leg asked for leaves a row: one that cannot go out says why, so "the
      // director never got the SMS" is answered by the delivery log.
      for (const [channel, address] of [
        ['email', person.email],
        ['sms', person.mobile],
      ] as const) {
        const skipped = person.switchedOff.has(channel)
          ? 'switched off in the recipient’s preferences'
          : this.unreachable(channel, address);
        if (!person.channels.has(channel) && !person.switchedOff.has(channel)) continue;
        await this.queue(tx, event, {
          channel,
          address: address ?? '',
          userId: person.userId,
          key: person.key,
          title,
          body,
          runAt,
          ...(skipped ? { skipped } : {}),
        });
      }
    }

    for (const s of subscriptions.filter((s) => s.recipientKind === 'endpoint')) {
      const [endpoint] = await tx
        .select()
        .from(notificationEndpoints)
        .where(eq(notificationEndpoints.id, s.endpointId!));
      if (!endpoint) continue;
      // Robots serve Chinese service teams' group chats: they speak zh-CN.
      const vars = context.variables('zh-CN');
      const text = templates['zh-CN'];
      await this.queue(tx, event, {
        channel: endpoint.kind,
        endpointId: endpoint.id,
        address: '',
        userId: null,
        key: `endpoint:${endpoint.id}`,
        title: render(text.title, vars),
        body: render(text.body, vars),
        payload:
          endpoint.kind === 'webhook'
            ? { type: event.type, timestamp: event.occurredAt.toISOString(), data: context.payload }
            : {},
        runAt: now,
        ...(endpoint.enabled ? {} : { skipped: 'endpoint disabled' }),
      });
    }
    return pushed;
  }

  /** Why a person channel cannot carry a message, or null when it can. */
  private unreachable(channel: 'email' | 'sms', address: string | null): string | null {
    if (!address) return channel === 'email' ? 'no email address' : 'no mobile number';
    if (channel === 'email' && !this.platform.config.smtp) return 'SMTP_URL is not configured';
    return null;
  }

  private queue(tx: Tx, event: StoredEvent, d: QueuedDelivery) {
    return queueDelivery(tx, this.platform.clock.now(), event, d);
  }

  /** Tickets with their customer's and assignee's names: three reads however many tickets. */
  private async ticketRows(tx: Tx, ids: string[]): Promise<TicketFacts[]> {
    const found = await findTickets(tx, ids);
    if (found.length === 0) return [];
    const customers = await customerNames(
      tx,
      found.map((t) => t.customerId),
    );
    const assignees = await userNames(
      tx,
      found.map((t) => t.assigneeId),
    );
    return found.map((ticket) => ({
      ticket,
      customer: ticket.customerId ? (customers.get(ticket.customerId) ?? null) : null,
      assignee: ticket.assigneeId ? (assignees.get(ticket.assigneeId) ?? null) : null,
    }));
  }

  private readonly prefetched = new WeakMap<Tx, Map<string, TicketFacts>>();
  private readonly collected = new WeakMap<Tx, { row: typeof notifications.$inferInsert; item: InboxItem }[]>();

  /**
   * Fans out a delivery batch with a fixed number of round trips instead of a few per event: the
   * tickets the events speak of are read in one query before, and the inbox rows written in one
   * statement after (rows already there — a redelivered event — are skipped and not pushed again).
   */
  async handleBatch(events: StoredEvent[], tx: Tx): Promise<{ userId: string; item: InboxItem }[]> {
    const ticketIds = [...new Set(events.filter((e) => e.entityType === 'ticket').map((e) => e.entityId))];
    if (ticketIds.length > 0) {
      this.prefetched.set(tx, new Map((await this.ticketRows(tx, ticketIds)).map((r) => [r.ticket.id, r])));
    }
    const collected: { row: typeof notifications.$inferInsert; item: InboxItem }[] = [];
    this.collected.set(tx, collected);
    try {
      for (const event of events) await this.handle(event, tx);
    } finally {
      this.prefetched.delete(tx);
      this.collected.delete(tx);
    }
    if (collected.length === 0) return [];
    const inserted = await tx
      .insert(notifications)
      .values(collected.map((c) => c.row))
      .onConflictDoNothing()
      .returning({ id: notifications.id });
    const written = new Set(inserted.map((r) => r.id));
    return collected.filter((c) => written.has(c.row.id!)).map((c) => ({ userId: c.row.userId, item: c.item }));
  }

  private async context(tx: Tx, event: StoredEvent): Promise<Context | null> {
    const base = this.platform.config.publicUrl ?? '';
    if (event.entityType === 'part') {
      const part = await findPart(tx, event.entityId);
      if (!part) return null;
      const warehouseId = String(event.data.warehouseId ?? '');
      const warehouse = /^[0-9a-f-]{36}$/i.test(warehouseId) ? await findWarehouse(tx, warehouseId) : undefined;
      const link = '/console/parts';
      const common = {
        sku: part.sku,
        warehouse: warehouse?.name ?? '',
        available: event.data.available as number,
        reorderPoint: event.data.reorderPoint as number,
        link: `${base}${link}`,
      };
      return {
        variables: (locale) => ({ ...common, part: locale === 'en-US' ? (part.nameEn ?? part.nameZh) : part.nameZh }),
        link,
        ticket: null,
        assigneeId: null,
        reporterId: null,
        urgent: false,
        payload: { partId: part.id, sku: part.sku, warehouseId, ...event.data },
      };
    }
    if (event.entityType === 'analytics') return spikeContext(event, base);
    if (event.entityType === 'device') return deviceAlertContext(event, base);
    if (event.entityType === 'holiday_year') {
      const link = '/console/sla?tab=holidays';
      return {
        variables: () => ({ year: event.entityId, link: `${base}${link}` }),
        link,
        ticket: null,
        assigneeId: null,
        reporterId: null,
        urgent: false,
        payload: { year: Number(event.entityId) },
      };
    }
    if (event.entityType === 'user') {
      // A notice about someone's own account (repeated failed sign-ins): it reaches them at once.
      const variables = { address: String(event.data.ip ?? ''), failures: String(event.data.failures ?? '') };
      return {
        variables: () => variables,
        link: null,
        ticket: null,
        assigneeId: null,
        reporterId: null,
        urgent: true,
        payload: { userId: event.entityId, ...event.data },
      };
    }
    if (event.entityType !== 'ticket') return null;
    const found = this.prefetched.get(tx)?.get(event.entityId) ?? (await this.ticketRows(tx, [event.entityId]))[0];
    if (!found) return null;
    const t = found.ticket;
    const link = `/console/tickets/${t.id}`;
    const clock = event.data.kind as 'response' | 'resolution' | undefined;
    return {
      variables: (locale) => ({
        ticketNumber: t.number,
        title: t.title,
        priority: t.priority ?? '',
        customer: found.customer ?? t.contactName,
        dueAt: formatTime(event.data.dueAt ?? t.resolutionDueAt?.toISOString()),
        link: `${base}${link}`,
        state: t.state,
        assignee: found.assignee ?? '',
        plannedStart: formatTime(event.data.plannedStart),
        clock: clock ? CLOCK_NAMES[clock][locale] : '',
        remainingMinutes: (event.data.remainingMinutes as number | undefined) ?? '',
      }),
      link,
      ticket: t,
      assigneeId: (event.data.engineerId as string | undefined) ?? t.assigneeId,
      reporterId: t.reporterId,
      urgent: t.priority === 'P0' || event.type === 'sla.breached',
      payload: {
        eventId: event.id,
        ticketId: t.id,
        ticketNumber: t.number,
        title: t.title,
        priority: t.priority,
        state: t.state,
        customerId: t.customerId,
        ...event.data,
      },
    };
  }

  /** Every subscription's recipients as people, one entry per person with the union of channels. */
  private async people(tx: Tx, subscriptions: SubscriptionRow[], context: Context): Promise<Person[]> {
    const byKey = new Map<string, Person>();
    const add = (person: Omit<Person, 'channels' | 'switchedOff'>, channels: string[]) => {
      const existing = byKey.get(person.key) ?? {
        ...person,
        channels: new Set<PersonChannel>(),
        switchedOff: new Set<PersonChannel>(),
      };
      for (const c of channels) existing.channels.add(c as PersonChannel);
      byKey.set(person.key, existing);
    };
    for (const s of subscriptions) {
      const found = await this.usersFor(tx, s, context);
      for (const u of found) {
        add(
          { key: `user:${u.id}`, userId: u.id, email: u.email, mobile: u.mobile, locale: u.locale as Locale },
          s.channels,
        );
      }
      const t = context.ticket;
      if (s.recipientKind === 'customer_contact' && t && (t.contactEmail || t.contactPhone)) {
        const channels = s.channels.filter((c) => c !== 'in_app');
        add(
          {
            key: `contact:${t.contactEmail ?? t.contactPhone}`,
            userId: null,
            email: t.contactEmail,
            mobile: t.contactPhone,
            locale: 'zh-CN',
          },
          channels,
        );
      }
    }
    // Each user's preferences: channels switched off, the language they read.
    const people = [...byKey.values()];
    for (const person of people) {
      if (!person.userId) continue;
      const prefs = await this.preferences(tx, person.userId);
      if (!prefs) continue;
      for (const c of [...person.channels]) {
        if (prefs.channels[c]) continue;
        person.channels.delete(c);
        person.switchedOff.add(c);
      }
      if (prefs.locale) person.locale = prefs.locale;
    }
    return people.filter((p) => p.channels.size > 0 || p.switchedOff.size > 0);
  }

  private async usersFor(tx: Tx, s: SubscriptionRow, context: Context): Promise<UserRow[]> {
    const byIds = (ids: (string | null)[]) => activeUsers(tx, { ids: ids.filter((id): id is string => !!id) });
    switch (s.recipientKind) {
      case 'user':
        return byIds([s.userId]);
      case 'role':
        return s.role ? this.perBatch(tx, `role:${s.role}`, () => activeUsers(tx, { role: s.role as Role })) : [];
      case 'assignee':
        return byIds([context.assigneeId]);
      case 'reporter':
        return byIds([context.reporterId]);
      case 'team_manager': {
        // The managers of the ticket's team; with no team (or nobody managing it), every manager —
        // the service director's role — so an escalation never goes nowhere.
        const teamId = context.ticket?.teamId;
        if (teamId) {
          const team = await activeUsers(tx, { role: 'manager', teamId });
          if (team.length > 0) return team;
        }
        return activeUsers(tx, { role: 'manager' });
      }
      default:
        return [];
    }
  }

  private prefsCache = new WeakMap<Tx, Map<string, Awaited<ReturnType<Fanout['loadPreferences']>>>>();

  private async preferences(tx: Tx, userId: string) {
    let cache = this.prefsCache.get(tx);
    if (!cache) {
      cache = new Map();
      this.prefsCache.set(tx, cache);
    }
    if (!cache.has(userId)) cache.set(userId, await this.loadPreferences(tx, userId));
    return cache.get(userId)!;
  }

  private async loadPreferences(tx: Tx, userId: string) {
    const [row] = await tx.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
    if (!row) return null;
    return {
      channels: row.channels,
      quiet: row.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null,
      locale: row.locale as Locale | null,
    };
  }

  private async templates(tx: Tx, type: NotifiableEvent) {
    const rows = await tx.select().from(notificationTemplates).where(eq(notificationTemplates.eventType, type));
    const pick = (locale: Locale) => rows.find((r) => r.locale === locale) ?? DEFAULT_TEMPLATES[type][locale];
    return { 'zh-CN': pick('zh-CN'), 'en-US': pick('en-US') };
  }
}

/** What subscriptions do with a notifiable event (registered in reactions.ts). */
export function fanoutReaction(
  fanout: Fanout,
  afterCommit: (pushed: { userId: string; item: InboxItem }[]) => void,
): Reaction {
  let pending: { userId: string; item: InboxItem }[] = [];
  return {
    async handle(event, tx) {
      pending.push(...(await fanout.handle(event, tx)));
    },
    async handleBatch(events, tx) {
      pending.push(...(await fanout.handleBatch(events, tx)));
    },
    rolledBack() {
      pending = [];
    },
    afterCommit() {
      const items = pending;
      pending = [];
      afterCommit(items);
    },
  };
}
