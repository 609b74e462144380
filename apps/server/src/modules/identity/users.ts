import type { CreateUser, PasswordPolicy, Role, User } from '@serviceloop/contracts';
import type { Actor } from '../../platform/http/actor';
import type { users } from './tables';

export type UserRow = typeof users.$inferSelect;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    mobile: row.mobile,
    roles: row.roles as Role[],
    teamIds: row.teamIds,
    regionCodes: row.regionCodes,
    customerId: row.customerId,
    locale: row.locale as User['locale'],
    active: row.active,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    version: row.version,
  };
}

export function toActor(row: UserRow, via: { sessionId?: string; tokenId?: string; tokenScopes?: string[] }): Actor {
  return {
    kind: via.tokenId ? 'token' : 'user',
    userId: row.id,
    username: row.username,
    roles: row.roles as Role[],
    teamIds: row.teamIds,
    regionCodes: row.regionCodes,
    customerId: row.customerId,
    sessionId: via.sessionId ?? null,
    tokenId: via.tokenId ?? null,
    tokenScopes: via.tokenScopes ?? null,
    locale: row.locale as Actor['locale'],
    passwordChangedAt: row.passwordChangedAt,
  };
}

/** A customer contact belongs to exactly one organisation, and staff to none. */
export function membershipProblems(input: Pick<CreateUser, 'roles' | 'customerId'>): string[] {
  const isCustomer = input.roles.includes('customer');
  if (isCustomer && input.roles.length > 1) return ['roles'];
  if (isCustomer && !input.customerId) return ['customerId'];
  if (!isCustomer && input.customerId) return ['customerId'];
  return [];
}

export type { PasswordPolicy };
