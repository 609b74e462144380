import type { Action, DataScope, PolicyRule, Resource, Role } from '@serviceloop/contracts';
import type { Grant } from './access';

/** Widest first: when several roles grant the same action, the widest scope wins. */
const WIDTH: DataScope[] = ['all', 'region', 'team', 'organisation', 'own'];

/**
 * The grant a set of roles has for one action, or null when none allows it. A field is
 * hidden only if every granting rule hides it: a second role can reveal, never conceal.
 */
export function grantFor(rules: PolicyRule[], roles: Role[], resource: Resource, action: Action): Grant | null {
  const matching = rules.filter((r) => r.resource === resource && r.action === action && roles.includes(r.role));
  if (matching.length === 0) return null;
  const scope = WIDTH.find((s) => matching.some((r) => r.scope === s))!;
  const hiddenFields = matching
    .map((r) => r.hiddenFields)
    .reduce((acc, fields) => acc.filter((f) => fields.includes(f)));
  return { scope, hiddenFields };
}

/** Every grant a user has, for the web to hide what they may not do. */
export function grantsFor(rules: PolicyRule[], roles: Role[]) {
  const seen = new Map<string, { resource: Resource; action: Action } & Grant>();
  for (const r of rules) {
    if (!roles.includes(r.role)) continue;
    const key = `${r.resource}:${r.action}`;
    if (!seen.has(key))
      seen.set(key, { resource: r.resource, action: r.action, ...grantFor(rules, roles, r.resource, r.action)! });
  }
  return [...seen.values()];
}

/** A policy must keep at least one admin able to manage users and the policy itself. */
export function lockoutProblems(rules: PolicyRule[]): string[] {
  const needed: [Resource, Action][] = [
    ['user', 'read'],
    ['user', 'update'],
    ['settings', 'read'],
    ['settings', 'update'],
  ];
  return needed
    .filter(([resource, action]) => grantFor(rules, ['admin'], resource, action)?.scope !== 'all')
    .map(([resource, action]) => `admin:${resource}:${action}`);
}
