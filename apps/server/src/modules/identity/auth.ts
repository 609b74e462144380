import { createHash, timingSafeEqual } from 'node:crypto';
import { nationalMobileCN } from '@serviceloop/contracts';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { newSecret } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { passwordExpired, verifyPassword } from './passwords';
import type { SettingsStore } from './settings';
import { apiTokens, sessions, users } from './tables';
import { accountKey, addressKey, admitAttempt, FREE_FAILURES, forgetPair, recordAddressFailure } from './throttle';
import type { UserRow } from './users';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type LoginResult =
  | { ok: true; user: UserRow; secret: string; csrfToken: string; passwordExpired: boolean }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryInSeconds: number };

/** Touching last_seen on every request would write on every read; once a minute is enough for the idle timeout. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Sessions and API tokens: how a request proves who it is. Secrets are random and
 * only their hashes are stored; a session is revocable at once by deleting nothing but
 * setting `revoked_at`, and ends after the idle or absolute timeout.
 */
export class Authenticator {
  /** Every request looks its session up: prepared once, so neither drizzle nor PostgreSQL re-plans it. */
  private readonly sessionByHash;

  constructor(
    private readonly platform: Platform,
    private readonly settings: SettingsStore,
  ) {
    this.sessionByHash = platform.db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.idHash, sql.placeholder('hash')),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql.placeholder('now')),
        ),
      )
      .prepare('session_by_hash');
  }

  async login(input: { username: string; password: string; ip: string; userAgent?: string; previousSecret?: string }) {
    const { clock, config } = this.platform;
    const user = await accountFor(this.platform.db, input.username);
    const account = accountKey(user?.id, input.username);
    const address = addressKey(input.ip);
    const admission = await admitAttempt(this.platform, account, address);
    if (admission.waitMs > 0) {
      return { ok: false, reason: 'throttled', retryInSeconds: Math.ceil(admission.waitMs / 1000) } as LoginResult;
    }

    // Unknown users and wrong passwords take the same path and the same time.
    const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
    const now = clock.now();
    if (!user || !valid) {
      await this.platform.transaction(async (tx) => {
        await recordAddressFailure(tx, address, now);
        await this.platform.events.append(tx, {
          type: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? input.username.toLowerCase().slice(0, 64),
          actor: { kind: 'anonymous', id: null },
          data: { username: input.username.slice(0, 64), ip: input.ip, failures: admission.failures },
        });
        // The owner hears of it once per run of failures from an address (notifications tells them).
        if (user && admission.failures === FREE_FAILURES) {
          await this.platform.events.append(tx, {
            type: 'auth.login_throttled',
            entityType: 'user',
            entityId: user.id,
            actor: { kind: 'anonymous', id: null },
            data: { ip: input.ip, failures: admission.failures },
          });
        }
      });
      return { ok: false, reason: 'invalid' } as LoginResult;
    }

    const secret = newSecret();
    const csrfToken = newSecret();
    await this.platform.transaction(async (tx) => {
      await forgetPair(tx, account, address);
      // Rotation: whatever session this browser had before login ends now.
      if (input.previousSecret) {
        await tx
          .update(sessions)
          .set({ revokedAt: now })
          .where(eq(sessions.idHash, sha256(input.previousSecret)));
      }
      await tx.insert(sessions).values({
        idHash: sha256(secret),
        userId: user.id,
        csrfToken,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + config.sessionAbsoluteMs),
        ip: input.ip,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      });
      await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
      await this.platform.events.append(tx, {
        type: 'auth.logged_in',
        entityType: 'user',
        entityId: user.id,
        actor: { kind: 'user', id: user.id },
        data: { ip: input.ip },
      });
    });
    const policy = (await this.settings.get('passwordPolicy')).value;
    return {
      ok: true,
      user,
      secret,
      csrfToken,
      passwordExpired: passwordExpired(user.passwordChangedAt, policy, now),
    } as LoginResult;
  }

  /** The live session behind a cookie secret, or null when unknown, revoked, idle too long or past its end. */
  async session(secret: string) {
    const { db, clock, config } = this.platform;
    const now = clock.now();
    const [found] = await this.sessionByHash.execute({ hash: sha256(secret), now });
    if (!found?.user.active) return null;
    if (now.getTime() - found.session.lastSeenAt.getTime() > config.sessionIdleMs) return null;
    if (now.getTime() - found.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, found.session.idHash));
    }
    return found;
  }

  async logout(secret: string): Promise<void> {
    await this.platform.db
      .update(sessions)
      .set({ revokedAt: this.platform.clock.now() })
      .where(eq(sessions.idHash, sha256(secret)));
  }

  /** Ends every session of a user: on password change, deactivation, role change. */
  async revokeSessions(tx: Executor, userId: string) {
    await tx
      .update(sessions)
      .set({ revokedAt: this.platform.clock.now() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  }

  /** The user and token behind a bearer secret; records use at most hourly so the audit log shows it without flooding. */
  async token(secret: string) {
    const { db, clock } = this.platform;
    const now = clock.now();
    const [found] = await db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, sha256(secret)), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
    if (!found?.user.active) return null;
    const last = found.token.lastUsedAt?.getTime() ?? 0;
    if (now.getTime() - last > 3_600_000) {
      await this.platform.transaction(async (tx) => {
        await tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, found.token.id));
        await this.platform.events.append(tx, {
          type: 'auth.token_used',
          entityType: 'api_token',
          entityId: found.token.id,
          actor: { kind: 'token', id: found.user.id },
        });
      });
    }
    return found;
  }
}

/**
 * The active account a sign-in names: its username, or — for customer contacts, who are invited
 * by phone or e-mail and never see a username — that mobile number or e-mail address. A phone or
 * address shared by two contacts signs in neither (the invitation refuses to create such a pair).
 */
async function accountFor(db: Executor, identifier: string): Promise<UserRow | undefined> {
  const name = identifier.trim().toLowerCase();
  const [byName] = await db
    .select()
    .from(users)
    .where(and(eq(users.active, true), eq(sql`lower(${users.username})`, name)));
  if (byName) return byName;
  const mobile = nationalMobileCN(identifier);
  const contact = mobile ? eq(users.mobile, mobile) : name.includes('@') ? eq(sql`lower(${users.email})`, name) : null;
  if (!contact) return undefined;
  const found = await db
    .select()
    .from(users)
    .where(and(eq(users.active, true), sql`'customer' = any(${users.roles})`, contact))
    .limit(2);
  return found.length === 1 ? found[0] : undefined;
}

/** API token secrets carry a prefix so secret scanners and log redaction can spot them. */
export const newTokenSecret = () => `slt_${newSecret(32)}`;
