import type { Action, DataScope, Resource } from '@serviceloop/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/http/actor';

/** What the policy grants one actor for one action on one resource. */
export interface Grant {
  scope: DataScope;
  hiddenFields: string[];
}

/**
 * The gate every route goes through. `authorize` answers 401 without an actor and 403
 * when no rule (or, for API tokens, no token scope) allows the action; otherwise it
 * returns the widest grant, which the caller turns into a query condition with
 * `scopeFilter` and applies to results with `withoutHidden`.
 */
export interface Access {
  authorize(request: FastifyRequest, resource: Resource, action: Action): Promise<Grant>;
  /** The caller, or 401. */
  actor(request: FastifyRequest): Actor;
}

/**
 * Columns (or SQL expressions) that place a record in each kind of scope. A scope whose
 * column a resource doesn't have matches nothing: a missing mapping denies, never leaks.
 */
export interface ScopeColumns {
  region?: SQL | SQL.Aliased | unknown;
  team?: unknown;
  organisation?: unknown;
  owner?: unknown;
}

/** The WHERE condition that limits a query to what a grant reaches. Use it in lists, counts and exports alike. */
export function scopeFilter(grant: Grant, actor: Actor, columns: ScopeColumns): SQL {
  switch (grant.scope) {
    case 'all':
      return sql`true`;
    case 'region':
      return columns.region && actor.regionCodes.length > 0
        ? sql`${columns.region} = any(array(select jsonb_array_elements_text(${JSON.stringify(actor.regionCodes)}::jsonb)))`
        : sql`false`;
    case 'team':
      return columns.team && actor.teamIds.length > 0
        ? sql`${columns.team}::text = any(array(select jsonb_array_elements_text(${JSON.stringify(actor.teamIds)}::jsonb)))`
        : sql`false`;
    case 'organisation':
      return columns.organisation && actor.customerId ? sql`${columns.organisation} = ${actor.customerId}` : sql`false`;
    case 'own':
      return columns.owner ? sql`${columns.owner} = ${actor.userId}` : sql`false`;
  }
}

/** Drops the fields a grant hides. Apply to every row that leaves the server, single reads and lists alike. */
export function withoutHidden<T extends Record<string, unknown>>(row: T, grant: Grant): T {
  if (grant.hiddenFields.length === 0) return row;
  const copy: Record<string, unknown> = { ...row };
  for (const field of grant.hiddenFields) delete copy[field];
  return copy as T;
}
