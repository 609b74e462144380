import type {
  ApiToken,
  CreateApiToken,
  CreateTeam,
  CreateUser,
  Me,
  PasswordPolicy,
  PolicyRule,
  RetentionSettings,
  Role,
  Team,
  UpdateUser,
  User,
} from '@serviceloop/contracts';
import { and, count, desc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { diff, type EventActor } from '../../platform/events/event-log';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound, staleVersion } from '../../platform/http/errors';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { Authenticator, newTokenSecret, sha256 } from './auth';
import { hashPassword, passwordExpired, passwordProblems, verifyPassword } from './passwords';
import { grantsFor, lockoutProblems } from './policy';
import { SettingsStore } from './settings';
import { apiTokens, teams, users } from './tables';
import { accountKey, forgetAccount } from './throttle';
import { membershipProblems, toUser, type UserRow } from './users';

export const eventActor = (actor: Actor): EventActor =>
  actor.kind === 'system' ? { kind: 'system', id: null } : { kind: actor.kind, id: actor.userId };

const policyError = (problems: string[]) =>
  new AppError(
    422,
    'auth.password_policy',
    {},
    problems.map((code) => ({ path: 'password', code })),
  );

/** Users, teams, API tokens and the two policies (permissions, passwords). */
export class IdentityService {
  readonly settings: SettingsStore;
  readonly auth: Authenticator;

  constructor(private readonly platform: Platform) {
    this.settings = new SettingsStore(platform.db, platform.clock);
    this.auth = new Authenticator(platform, this.settings);
  }

  async me(row: UserRow, csrfToken: string): Promise<Me> {
    const [policy, passwordPolicy] = await Promise.all([
      this.settings.get('policy'),
      this.settings.get('passwordPolicy'),
    ]);
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      roles: row.roles as Role[],
      locale: row.locale as Me['locale'],
      customerId: row.customerId,
      teamIds: row.teamIds,
      regionCodes: row.regionCodes,
      csrfToken,
      passwordExpired: passwordExpired(row.passwordChangedAt, passwordPolicy.value, this.platform.clock.now()),
      permissions: grantsFor(policy.value, row.roles as Role[]),
    };
  }

  async userRow(id: string): Promise<UserRow> {
    const [row] = await this.platform.db.select().from(users).where(eq(users.id, id));
    if (!row) throw notFound('user');
    return row;
  }

  async listUsers(query: { page: number; pageSize: number; q?: string; role?: Role }) {
    const where: SQL[] = [];
    if (query.q) {
      const like = `%${query.q}%`;
      where.push(or(ilike(users.username, like), ilike(users.displayName, like), ilike(users.email, like))!);
    }
    if (query.role) where.push(sql`${query.role} = any(${users.roles})`);
    const condition = where.length ? and(...where) : undefined;
    const [rows, [total]] = await Promise.all([
      this.platform.db
        .select()
        .from(users)
        .where(condition)
        .orderBy(users.username)
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
      this.platform.db.select({ n: count() }).from(users).where(condition),
    ]);
    return { items: rows.map(toUser), total: total!.n, page: query.page, pageSize: query.pageSize };
  }

  async createUser(input: CreateUser, by: EventActor): Promise<User> {
    const membership = membershipProblems(input);
    if (membership.length) {
      throw new AppError(
        400,
        'validation.failed',
        {},
        membership.map((path) => ({ path, code: 'validation.membership' })),
      );
    }
    const problems = passwordProblems(
      input.password,
      (await this.settings.get('passwordPolicy')).value,
      input.username,
    );
    if (problems.length) throw policyError(problems);
    const now = this.platform.clock.now();
    const row: UserRow = {
      id: newId(now.getTime()),
      username: input.username,
      displayName: input.displayName,
      email: input.email ?? null,
      mobile: input.mobile ?? null,
      passwordHash: await hashPassword(input.password),
      passwordChangedAt: now,
      roles: input.roles,
      teamIds: input.teamIds,
      regionCodes: input.regionCodes,
      customerId: input.customerId ?? null,
      locale: input.locale,
      active: true,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const [existing] = await this.platform.db
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.username})`, input.username.toLowerCase()));
    if (existing)
      throw new AppError(409, 'resource.duplicate', { field: 'username' }, [{ path: 'username', code: 'duplicate' }]);
    await this.platform.transaction(async (tx) => {
      await tx.insert(users).values(row);
      const { passwordHash: _, ...visible } = row;
      await this.platform.events.append(tx, {
        type: 'user.created',
        entityType: 'user',
        entityId: row.id,
        actor: by,
        changes: diff({}, { ...toUser(row), id: row.id } as Record<string, unknown>),
        data: { roles: visible.roles },
      });
    });
    return toUser(row);
  }

  async updateUser(id: string, input: z.infer<typeof UpdateUser>, by: EventActor): Promise<User> {
    return this.platform.transaction(async (tx) => {
      const [before] = await tx.select().from(users).where(eq(users.id, id)).for('update');
      if (!before) throw notFound('user');
      if (before.version !== input.version) throw staleVersion(before.version);
      const { version: _, ...patch } = input;
      const next = {
        ...before,
        ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      } as UserRow;
      const membership = membershipProblems({ roles: next.roles as Role[], customerId: next.customerId });
      if (membership.length) {
        throw new AppError(
          400,
          'validation.failed',
          {},
          membership.map((path) => ({ path, code: 'validation.membership' })),
        );
      }
      const changes = diff(toUser(before) as unknown as Record<string, unknown>, patch);
      const [updated] = await tx
        .update(users)
        .set({ ...patch, updatedAt: this.platform.clock.now(), version: before.version + 1 })
        .where(eq(users.id, id))
        .returning();
      // Narrowed access or deactivation takes effect at once, not at the next login.
      if (
        'roles' in changes ||
        'active' in changes ||
        'customerId' in changes ||
        'regionCodes' in changes ||
        'teamIds' in changes
      ) {
        await this.auth.revokeSessions(tx, id);
      }
      await this.platform.events.append(tx, {
        type: 'roles' in changes ? 'user.permissions_changed' : 'user.updated',
        entityType: 'user',
        entityId: id,
        actor: by,
        changes,
      });
      return toUser(updated!);
    });
  }

  async setPassword(id: string, password: string, by: EventActor, currentPassword?: string): Promise<void> {
    const row = await this.userRow(id);
    if (currentPassword !== undefined && !(await verifyPassword(row.passwordHash, currentPassword))) {
      throw new AppError(422, 'auth.invalid_credentials', {}, [{ path: 'currentPassword', code: 'invalid' }]);
    }
    const problems = passwordProblems(password, (await this.settings.get('passwordPolicy')).value, row.username);
    if (problems.length) throw policyError(problems);
    const passwordHash = await hashPassword(password);
    await this.platform.transaction(async (tx) => {
      const now = this.platform.clock.now();
      await tx
        .update(users)
        .set({ passwordHash, passwordChangedAt: now, updatedAt: now, version: row.version + 1 })
        .where(eq(users.id, id));
      // Other sessions end; the caller's own (changing its password) is re-issued by the route.
      await this.auth.revokeSessions(tx, id);
      await this.platform.events.append(tx, {
        type: 'user.password_changed',
        entityType: 'user',
        entityId: id,
        actor: by,
      });
    });
  }

  /**
   * An administrator's unlock: every address may try the user's account again at once — for an
   * owner who locked themselves out, or once an attack is dealt with.
   */
  async unlockLogin(id: string, by: EventActor): Promise<void> {
    await this.userRow(id);
    await this.platform.transaction(async (tx) => {
      const addresses = await forgetAccount(tx, accountKey(id, ''));
      await this.platform.events.append(tx, {
        type: 'auth.login_unlocked',
        entityType: 'user',
        entityId: id,
        actor: by,
        data: { addresses },
      });
    });
  }

  async setLocale(id: string, locale: 'zh-CN' | 'en-US'): Promise<void> {
    await this.platform.db.update(users).set({ locale }).where(eq(users.id, id));
  }

  async listTeams(): Promise<Team[]> {
    const rows = await this.platform.db.select().from(teams).orderBy(teams.name);
    return rows.map((t) => ({ id: t.id, name: t.name, regionCodes: t.regionCodes }));
  }

  async createTeam(input: z.infer<typeof CreateTeam>, by: EventActor): Promise<Team> {
    const id = newId();
    await this.platform.transaction(async (tx) => {
      await tx
        .insert(teams)
        .values({ id, name: input.name, regionCodes: input.regionCodes, createdAt: this.platform.clock.now() });
      await this.platform.events.append(tx, {
        type: 'team.created',
        entityType: 'team',
        entityId: id,
        actor: by,
        data: { name: input.name },
      });
    });
    return { id, name: input.name, regionCodes: input.regionCodes };
  }

  async policy(): Promise<PolicyRule[]> {
    return (await this.settings.get('policy')).value;
  }

  async setPolicy(rules: PolicyRule[], by: EventActor): Promise<PolicyRule[]> {
    const lockout = lockoutProblems(rules);
    if (lockout.length)
      throw new AppError(
        422,
        'policy.lockout',
        {},
        lockout.map((path) => ({ path, code: 'required' })),
      );
    const before = await this.policy();
    await this.platform.transaction(async (tx) => {
      await this.settings.put(tx, 'policy', rules);
      const key = (r: PolicyRule) => `${r.role}:${r.resource}:${r.action}:${r.scope}:${r.hiddenFields.join('|')}`;
      const was = new Set(before.map(key));
      const now = new Set(rules.map(key));
      await this.platform.events.append(tx, {
        type: 'policy.changed',
        entityType: 'settings',
        entityId: 'policy',
        actor: by,
        data: { added: [...now].filter((k) => !was.has(k)), removed: [...was].filter((k) => !now.has(k)) },
      });
    });
    return rules;
  }

  async passwordPolicy(): Promise<PasswordPolicy> {
    return (await this.settings.get('passwordPolicy')).value;
  }

  async setPasswordPolicy(policy: PasswordPolicy, by: EventActor): Promise<PasswordPolicy> {
    return this.saveDocument('passwordPolicy', policy, 'settings.password_policy_changed', by);
  }

  async retention(): Promise<RetentionSettings> {
    return (await this.settings.get('retention')).value;
  }

  async setRetention(retention: RetentionSettings, by: EventActor): Promise<RetentionSettings> {
    return this.saveDocument('retention', retention, 'settings.retention_changed', by);
  }

  /** Saves a settings document, with an audit event saying what changed. */
  private async saveDocument<T extends PasswordPolicy | RetentionSettings>(
    key: 'passwordPolicy' | 'retention',
    value: T,
    type: 'settings.password_policy_changed' | 'settings.retention_changed',
    by: EventActor,
  ): Promise<T> {
    const before = (await this.settings.get(key)).value;
    await this.platform.transaction(async (tx) => {
      await this.settings.put(tx, key, value as never);
      await this.platform.events.append(tx, {
        type,
        entityType: 'settings',
        entityId: key,
        actor: by,
        changes: diff(before as unknown as Record<string, unknown>, value as unknown as Record<string, unknown>),
      });
    });
    return value;
  }

  async listTokens(userId: string): Promise<ApiToken[]> {
    const rows = await this.platform.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId))
      .orderBy(desc(apiTokens.createdAt));
    return rows.map(toApiToken);
  }

  async createToken(actor: Actor, input: z.infer<typeof CreateApiToken>): Promise<ApiToken & { token: string }> {
    const now = this.platform.clock.now();
    const secret = newTokenSecret();
    const row = {
      id: newId(now.getTime()),
      userId: actor.userId,
      name: input.name,
      tokenHash: sha256(secret),
      scopes: input.scopes,
      expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      lastUsedAt: null,
      revokedAt: null,
      createdAt: now,
    };
    await this.platform.transaction(async (tx) => {
      await tx.insert(apiTokens).values(row);
      await this.platform.events.append(tx, {
        type: 'auth.token_created',
        entityType: 'api_token',
        entityId: row.id,
        actor: eventActor(actor),
        data: { name: input.name, scopes: input.scopes, expiresAt: row.expiresAt.toISOString() },
      });
    });
    return { ...toApiToken(row), token: secret };
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    await this.platform.transaction(async (tx) => {
      const revoked = await tx
        .update(apiTokens)
        .set({ revokedAt: this.platform.clock.now() })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      if (revoked.length === 0) throw notFound('api_token');
      await this.platform.events.append(tx, {
        type: 'auth.token_revoked',
        entityType: 'api_token',
        entityId: id,
        actor: eventActor(actor),
      });
    });
  }

  /**
   * The first administrator, created once: with ADMIN_PASSWORD when given, else with a
   * random password that is returned (for printing once) and never stored in clear.
   */
  async ensureAdmin(password?: string): Promise<{ created: boolean; password?: string }> {
    const [existing] = await this.platform.db.select({ id: users.id }).from(users).where(eq(users.username, 'admin'));
    if (existing) return { created: false };
    const chosen = password ?? newTokenSecret().slice(4, 24);
    const problems = passwordProblems(chosen, (await this.settings.get('passwordPolicy')).value, 'admin');
    if (problems.length) {
      throw new Error(
        `ADMIN_PASSWORD is refused by the password policy (${problems.join(', ')}): use 12+ characters, not common, without "admin"`,
      );
    }
    await this.createUser(
      {
        username: 'admin',
        displayName: '系统管理员',
        password: chosen,
        roles: ['admin'],
        teamIds: [],
        regionCodes: [],
        locale: 'zh-CN',
      },
      { kind: 'system', id: null },
    );
    return { created: true, password: password ? undefined : chosen };
  }
}

function toApiToken(row: typeof apiTokens.$inferSelect): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
