import type { Role } from '@serviceloop/contracts';
import { type AnyColumn, and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { searchText } from '../../platform/db/records';
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

/**
 * The display name of the user whose id is in `id` (a column of the caller's query), as a
 * scalar subquery: a list labels its rows by person in its own single statement.
 */
export const userNameOf = (id: SQL | AnyColumn): SQL<string | null> =>
  sql<string | null>`(select ${users.displayName} from ${users} where ${users.id} = ${id})`;

/** The ids of users whose display name contains the text (any case), as a subquery for another module's `in (…)`. */
export const userIdsNamed = (text: string): SQL =>
  sql`select ${users.id} from ${users} where ${searchText(text, users.displayName)}`;

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

export type UserRecord = typeof users.$inferSelect;

/** One account as stored (for notifying or showing its owner), active or not. */
export async function findUser(db: Executor, id: string): Promise<UserRecord | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/**
 * Active accounts to reach: those with the ids, or holding the role (optionally only members
 * of the team).
 */
export function activeUsers(
  db: Executor,
  who: { ids: string[] } | { role: Role; teamId?: string },
): Promise<UserRecord[]> {
  const active = eq(users.active, true);
  if ('ids' in who) {
    return who.ids.length
      ? db
          .select()
          .from(users)
          .where(and(active, inArray(users.id, who.ids)))
      : Promise.resolve([]);
  }
  const team = who.teamId ? sql`${who.teamId}::uuid = any(${users.teamIds})` : undefined;
  return db
    .select()
    .from(users)
    .where(and(active, sql`${who.role} = any(${users.roles})`, team));
}

/** Active customer accounts that sign in with this mobile number or (case-insensitive) e-mail. */
export async function customerLoginsUsing(
  db: Executor,
  mobile: string | null,
  email: string | null,
): Promise<{ mobile: string | null; email: string | null }[]> {
  const conditions: SQL[] = [];
  if (mobile) conditions.push(eq(users.mobile, mobile));
  if (email) conditions.push(eq(sql`lower(${users.email})`, email));
  if (!conditions.length) return [];
  return db
    .select({ mobile: users.mobile, email: users.email })
    .from(users)
    .where(and(eq(users.active, true), sql`'customer' = any(${users.roles})`, or(...conditions)));
}

/** Active accounts with an e-mail address, by sign-in name: the people a mailing can reach. */
export function activeUsersWithEmail(db: Executor): Promise<UserRecord[]> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.active, true), sql`${users.email} is not null`))
    .orderBy(users.username);
}
