import type { Locale, Role } from '@serviceloop/contracts';
import { inArray, sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/client';
import type { Actor } from '../../platform/http/actor';
import type { Platform } from '../../platform/index';
import { analyticsScope, digestSlot, nextDigestSlot, renderDigest, weeklyDigest } from '../analytics/index';
import { activeUsersWithEmail, grantFor, SettingsStore } from '../identity/index';
import { queueDelivery } from './fanout';
import { notificationPreferences } from './tables';

export const DIGEST_QUEUE = 'notifications.weekly-digest';
const EVENT = 'notifications.weekly_digest_sent';
/** A digest that could not go out at its slot (the system was down) is still worth sending that day. */
const CATCH_UP_MS = 24 * 3_600_000;

/**
 * The Monday 08:00 (Asia/Shanghai) KPI digest by email. One job per weekly slot on the JobQueue,
 * driven by the injected clock; each run queues next week's. Exactly once per user and week:
 * the run records a `notifications.weekly_digest_sent` event for its slot in the transaction that
 * queues the emails, and a run that finds it does nothing — so a restart, a second replica or a
 * retried job never sends twice. Emails go through the delivery worker like every other (retries,
 * delivery log).
 */
export function weeklyDigestJob(platform: Platform) {
  const enqueue = (tx: Tx | Platform['db'], slot: Date) =>
    platform.jobs.enqueue(tx, {
      queue: DIGEST_QUEUE,
      payload: { slot: slot.toISOString() },
      runAt: slot,
      dedupeKey: `weekly-digest:${slot.toISOString()}`,
    });

  platform.jobs.handle(DIGEST_QUEUE, async (job, tx) => {
    const slot = new Date(String(job.payload.slot));
    await enqueue(tx, nextDigestSlot(slot));
    if (platform.clock.now().getTime() - slot.getTime() > CATCH_UP_MS) return;
    const entityId = slot.toISOString();
    const [sent] = await rows(
      tx,
      sql`select 1 from events where type = ${EVENT} and entity_type = 'digest' and entity_id = ${entityId} limit 1`,
    );
    if (sent) return;
    const recipients = await digestRecipients(tx, platform);
    const eventId = await platform.events.append(tx, {
      type: EVENT,
      entityType: 'digest',
      entityId,
      actor: { kind: 'system', id: null },
      data: { recipients: recipients.length },
    });
    const dashboard = platform.config.publicUrl ? `${platform.config.publicUrl}/console/analytics` : null;
    const now = platform.clock.now();
    for (const r of recipients) {
      const digest = await weeklyDigest(tx, slot, r.scope, r.locale, platform.config.labourRatePerHour);
      const mail = renderDigest(digest, r.locale, dashboard);
      await queueDelivery(
        tx,
        now,
        { id: eventId, type: EVENT },
        {
          channel: 'email',
          address: r.email,
          userId: r.userId,
          key: `user:${r.userId}`,
          title: mail.subject,
          body: mail.text,
          payload: { html: mail.html },
          runAt: now,
        },
      );
    }
  });

  return {
    /** Declares this week's slot (if it is still due today) and the next one; idempotent, every start. */
    async startup() {
      if (!platform.config.smtp) return;
      const now = platform.clock.now();
      const current = digestSlot(now);
      if (now.getTime() - current.getTime() <= CATCH_UP_MS) await enqueue(platform.db, current);
      await enqueue(platform.db, nextDigestSlot(now));
    },
  };
}

/**
 * Who receives the digest: active users with an email address and email switched on, who are
 * managers (unless they opted out) or opted in — and whose roles may read analytics at all. Each
 * reads their own scope and language.
 */
async function digestRecipients(tx: Tx, platform: Platform) {
  const policy = (await new SettingsStore(tx, platform.clock).get('policy')).value;
  const people = await activeUsersWithEmail(tx);
  const prefsOf = new Map(
    (people.length
      ? await tx
          .select()
          .from(notificationPreferences)
          .where(
            inArray(
              notificationPreferences.userId,
              people.map((u) => u.id),
            ),
          )
      : []
    ).map((p) => [p.userId, p]),
  );
  // E-mail is on unless switched off; managers get the digest unless they opted out, others if they opted in.
  const found = people.flatMap((user) => {
    const prefs = prefsOf.get(user.id) ?? null;
    const emailOn = prefs?.channels.email ?? true;
    const wantsDigest = prefs?.weeklyDigest ?? user.roles.includes('manager');
    return emailOn && wantsDigest ? [{ user, prefs }] : [];
  });
  return found.flatMap(({ user, prefs }) => {
    const roles = user.roles as Role[];
    const grant = grantFor(policy, roles, 'analytics', 'read');
    if (!grant) return [];
    const actor: Actor = {
      kind: 'user',
      userId: user.id,
      username: user.username,
      roles,
      teamIds: user.teamIds,
      regionCodes: user.regionCodes,
      customerId: user.customerId,
      sessionId: null,
      tokenId: null,
      tokenScopes: null,
      locale: user.locale as Locale,
      passwordChangedAt: user.passwordChangedAt,
    };
    return [
      {
        userId: user.id,
        email: user.email!,
        locale: ((prefs?.locale ?? user.locale) as Locale) || 'zh-CN',
        scope: analyticsScope(grant, actor),
      },
    ];
  });
}
