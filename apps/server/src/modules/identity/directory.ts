import type { Role } from '@serviceloop/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { users } from './tables';

/**
 * The people directory other modules read: names to show beside an id, and whether a person
 * named in a form may take the part the form gives them. Reads only, in the caller's transaction.
 */

/** Display names by user id; an unknown id is simply absent. */
export async function userNames(db: Executor, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const found = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, wanted));
  return new Map(found.map((u) => [u.id, u.name]));
}

export interface UserStanding {
  roles: Role[];
  active: boolean;
  regionCodes: string[];
}

/** A user's roles, whether the account is active, and the regions it covers. */
export async function userStanding(db: Executor, id: string): Promise<UserStanding | undefined> {
  const [user] = await db
    .select({ roles: users.roles, active: users.active, regionCodes: users.regionCodes })
    .from(users)
    .where(eq(users.id, id));
  return user ? { ...user, roles: user.roles as Role[] } : undefined;
}

/** Of these ids, the active accounts holding the role. */
export async function activeWithRole(db: Executor, ids: string[], role: Role): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.active, true), sql`${role} = any(${users.roles})`));
  return found.map((u) => u.id);
}

/** The id of the account with this sign-in name. */
export async function userIdByUsername(db: Executor, username: string): Promise<string | undefined> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return user?.id;
}
