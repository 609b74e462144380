import type { CreateEndpoint, Endpoint, EndpointWithSecret, UpdateEndpoint } from '@serviceloop/contracts';
import { asc, eq } from 'drizzle-orm';
import type { EventActor } from '../../platform/events/event-log';
import { AppError, notFound, staleVersion } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { bareHost, type OutboundGuard, redactUrl } from './outbound';
import { notificationAllowedHosts, notificationEndpoints } from './tables';
import { newWebhookSecret } from './webhooks';

type Row = typeof notificationEndpoints.$inferSelect;

const present = (r: Row): Endpoint => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  url: redactUrl(r.url),
  hasSecret: !!r.secret,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
  version: r.version,
});

/**
 * Robots and webhooks as configured by admins. Credentials never leave in a read: URLs are shown
 * masked, secrets not at all — a webhook's generated secret is answered once, on creation or
 * rotation. Their events record the masked URL only, so the audit log holds no credential either.
 */
export class Endpoints {
  constructor(
    private readonly platform: Platform,
    private readonly guard: OutboundGuard,
  ) {}

  async list(): Promise<Endpoint[]> {
    const rows = await this.platform.db.select().from(notificationEndpoints).orderBy(asc(notificationEndpoints.name));
    return rows.map(present);
  }

  async get(id: string): Promise<Endpoint> {
    return present(await this.row(id));
  }

  async create(input: CreateEndpoint, actor: EventActor): Promise<EndpointWithSecret> {
    await this.checkUrl(input.url);
    const secret = input.kind === 'webhook' ? newWebhookSecret() : (input.secret ?? null);
    const now = this.platform.clock.now();
    const row: Row = {
      id: newId(now.getTime()),
      kind: input.kind,
      name: input.name,
      url: input.url,
      secret,
      enabled: input.enabled,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.platform.transaction(async (tx) => {
      await tx.insert(notificationEndpoints).values(row);
      await this.platform.events.append(tx, {
        type: 'notification_endpoint.created',
        entityType: 'notification_endpoint',
        entityId: row.id,
        actor,
        data: { kind: row.kind, name: row.name, url: redactUrl(row.url) },
      });
    });
    return { ...present(row), secret: input.kind === 'webhook' ? secret : null };
  }

  async update(id: string, input: UpdateEndpoint, actor: EventActor): Promise<EndpointWithSecret> {
    if (input.url) await this.checkUrl(input.url);
    return this.platform.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(notificationEndpoints)
        .where(eq(notificationEndpoints.id, id))
        .for('update');
      if (!before) throw notFound('notification_endpoint');
      if (before.version !== input.version) throw staleVersion(before.version);
      const rotated = before.kind === 'webhook' && input.rotateSecret ? newWebhookSecret() : null;
      const secret =
        rotated ?? (before.kind !== 'webhook' && input.secret !== undefined ? input.secret : before.secret);
      const [after] = await tx
        .update(notificationEndpoints)
        .set({
          name: input.name ?? before.name,
          url: input.url ?? before.url,
          enabled: input.enabled ?? before.enabled,
          secret,
          updatedAt: this.platform.clock.now(),
          version: before.version + 1,
        })
        .where(eq(notificationEndpoints.id, id))
        .returning();
      await this.platform.events.append(tx, {
        type: 'notification_endpoint.updated',
        entityType: 'notification_endpoint',
        entityId: id,
        actor,
        data: {
          name: after!.name,
          url: redactUrl(after!.url),
          enabled: after!.enabled,
          secretChanged: secret !== before.secret,
        },
      });
      return { ...present(after!), secret: rotated };
    });
  }

  async allowedHosts(): Promise<{ host: string; createdAt: string }[]> {
    const rows = await this.platform.db
      .select()
      .from(notificationAllowedHosts)
      .orderBy(asc(notificationAllowedHosts.host));
    return rows.map((r) => ({ host: r.host, createdAt: r.createdAt.toISOString() }));
  }

  async allowHost(host: string, actor: EventActor): Promise<void> {
    const bare = bareHost(host);
    await this.platform.transaction(async (tx) => {
      await tx
        .insert(notificationAllowedHosts)
        .values({ host: bare, createdBy: actor.id, createdAt: this.platform.clock.now() })
        .onConflictDoNothing();
      await this.platform.events.append(tx, {
        type: 'notification_host.allowed',
        entityType: 'notification_host',
        entityId: newId(),
        actor,
        data: { host: bare },
      });
    });
  }

  async disallowHost(host: string, actor: EventActor): Promise<void> {
    const bare = bareHost(host);
    await this.platform.transaction(async (tx) => {
      const removed = await tx
        .delete(notificationAllowedHosts)
        .where(eq(notificationAllowedHosts.host, bare))
        .returning();
      if (removed.length === 0) throw notFound('notification_host');
      await this.platform.events.append(tx, {
        type: 'notification_host.disallowed',
        entityType: 'notification_host',
        entityId: newId(),
        actor,
        data: { host: bare },
      });
    });
  }

  /** Refuses, when saving, a URL the guard would refuse when sending — so an admin learns at once. */
  private async checkUrl(url: string): Promise<void> {
    const reason = await this.guard.refusal(url);
    if (reason) {
      throw new AppError(422, 'notify.url_refused', { reason }, [
        { path: 'url', message: 'notify.url_refused', reason },
      ]);
    }
  }

  private async row(id: string): Promise<Row> {
    const [row] = await this.platform.db.select().from(notificationEndpoints).where(eq(notificationEndpoints.id, id));
    if (!row) throw notFound('notification_endpoint');
    return row;
  }
}
