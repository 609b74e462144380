import { and, eq, sql } from 'drizzle-orm';
import ipaddr from 'ipaddr.js';
import type { Executor } from '../../platform/db/client';
import type { Platform } from '../../platform/index';
import { loginFailures } from './tables';

/**
 * Login throttling that slows a guesser without locking out the owner. Failures are counted per
 * account *and* client address: someone hammering an account from one place makes only that place
 * wait, so the owner signing in from elsewhere — or a colleague behind the same office NAT — is
 * never refused for it. Each pair has FREE_FAILURES mistakes, then waits 1 min, 2, 4, … up to
 * 15 min before each further try. An address failing across many accounts (a password spray) loses
 * its free mistakes: every account it fails on waits from the first failure, while the successful
 * sign-ins of others from that address still pass. Rows live in the database, so replicas agree.
 */
export const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 60_000;
const LONGEST_WAIT_MS = 15 * 60_000;
/** A pair quiet for this long starts again from nothing. */
const PAIR_MEMORY_MS = 24 * 3_600_000;
/** Failures from one address over every account, within a quiet-resetting window, that mark a spray. */
export const ADDRESS_LIMIT = 30;
const ADDRESS_WINDOW_MS = 15 * 60_000;
/** The `account` of an address's own row, counting its failures over every account. */
const EVERY_ACCOUNT = '*';

/** How long a pair waits after its `failures`-th failure in a row, when `free` of them cost nothing. */
export function waitAfter(failures: number, free: number): number {
  return failures < free ? 0 : Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - free));
}

/**
 * The address a throttle counts: IPv4 as itself (also when a dual-stack socket spells it
 * `::ffff:a.b.c.d`), IPv6 by its /64 — one subscriber's network, whose 2^64 addresses a guesser
 * could otherwise take turns with.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
}

/** The throttle key of an account: its user id when known, else the name typed (so unknown names are throttled alike). */
export const accountKey = (userId: string | undefined, typed: string) =>
  userId ? `user:${userId}` : `name:${typed.trim().toLowerCase().slice(0, 200)}`;

export type Admission = { waitMs: number; failures: number };

/**
 * Counts this attempt as a failure *before* the password is checked, with the pair's row locked,
 * and says how long the pair must still wait (0: go ahead). Counting first means that concurrent
 * guesses are each counted, not all let through while the first is being verified; a success
 * takes the count back (`forgetPair`).
 */
export async function admitAttempt(platform: Platform, account: string, address: string): Promise<Admission> {
  return platform.transaction(async (tx) => {
    const now = platform.clock.now();
    const spraying = await addressSpraying(tx, address, now);
    const pair = and(eq(loginFailures.account, account), eq(loginFailures.address, address));
    await tx.insert(loginFailures).values({ account, address, failures: 0, lastFailedAt: now }).onConflictDoNothing();
    const [row] = await tx.select().from(loginFailures).where(pair).for('update');
    const waiting = (row!.lockedUntil?.getTime() ?? 0) - now.getTime();
    if (waiting > 0) return { waitMs: waiting, failures: row!.failures };
    const failures = now.getTime() - row!.lastFailedAt.getTime() > PAIR_MEMORY_MS ? 1 : row!.failures + 1;
    const wait = waitAfter(failures, spraying ? 1 : FREE_FAILURES);
    await tx
      .update(loginFailures)
      .set({ failures, lastFailedAt: now, lockedUntil: wait > 0 ? new Date(now.getTime() + wait) : null })
      .where(pair);
    return { waitMs: 0, failures };
  });
}

/** A failed attempt also counts against its address, over every account. */
export async function recordAddressFailure(tx: Executor, address: string, now: Date): Promise<void> {
  const quietSince = new Date(now.getTime() - ADDRESS_WINDOW_MS).toISOString();
  // One statement, so two replicas counting the same address at once both count.
  await tx.execute(sql`
    insert into login_failures (account, address, failures, last_failed_at)
    values (${EVERY_ACCOUNT}, ${address}, 1, ${now.toISOString()})
    on conflict (account, address) do update set
      failures = case when login_failures.last_failed_at < ${quietSince} then 1 else login_failures.failures + 1 end,
      last_failed_at = excluded.last_failed_at`);
}

async function addressSpraying(tx: Executor, address: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .select()
    .from(loginFailures)
    .where(and(eq(loginFailures.account, EVERY_ACCOUNT), eq(loginFailures.address, address)));
  return !!row && row.failures >= ADDRESS_LIMIT && now.getTime() - row.lastFailedAt.getTime() <= ADDRESS_WINDOW_MS;
}

/** A success from an address forgets that pair's failures (the attempt counted in advance too). */
export async function forgetPair(tx: Executor, account: string, address: string): Promise<void> {
  await tx.delete(loginFailures).where(and(eq(loginFailures.account, account), eq(loginFailures.address, address)));
}

/** An administrator's unlock: every address may try the account again at once. Returns how many were waiting. */
export async function forgetAccount(tx: Executor, account: string): Promise<number> {
  const removed = await tx
    .delete(loginFailures)
    .where(eq(loginFailures.account, account))
    .returning({ address: loginFailures.address });
  return removed.length;
}
