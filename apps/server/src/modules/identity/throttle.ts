import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { loginThrottle } from './tables';

/**
 * Login throttling kept in the database so every replica sees the same counts.
 * A key (account or IP) that fails `limit` times within the window is locked for `lockMs`.
 */
export interface ThrottleRule {
  limit: number;
  windowMs: number;
  lockMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const IP_RULE: ThrottleRule = { limit: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** Milliseconds until the key may try again; 0 when it may try now. */
export async function lockedFor(db: Executor, key: string, now: Date): Promise<number> {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
  if (!row?.lockedUntil) return 0;
  return Math.max(0, row.lockedUntil.getTime() - now.getTime());
}

export async function recordFailure(db: Executor, key: string, rule: ThrottleRule, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - rule.windowMs);
  // One statement, so two replicas counting the same key at once both count.
  await db.execute(sql`
    insert into login_throttle (key, failures, window_started_at) values (${key}, 1, ${now.toISOString()})
    on conflict (key) do update set
      failures = case when login_throttle.window_started_at < ${windowStart.toISOString()} then 1 else login_throttle.failures + 1 end,
      window_started_at = case when login_throttle.window_started_at < ${windowStart.toISOString()} then ${now.toISOString()}::timestamptz else login_throttle.window_started_at end`);
  await db
    .update(loginThrottle)
    .set({ lockedUntil: new Date(now.getTime() + rule.lockMs), failures: 0, windowStartedAt: now })
    .where(and(eq(loginThrottle.key, key), sql`${loginThrottle.failures} >= ${rule.limit}`));
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
