import type { AssignmentStrategy } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';

/** Tickets an engineer is holding: assigned, not yet done. */
const OPEN_LOAD = sql`(select count(*) from tickets o where o.assignee_id = u.id
                         and o.state not in ('resolved', 'awaiting_confirmation', 'closed', 'cancelled'))`;

/**
 * Picks an engineer for a ticket by a dispatch strategy of the source documents:
 * - `round_robin`: the next active engineer (of the team, if named) after the one this rule
 *   assigned last, in a stable order;
 * - `least_loaded`: the one holding the fewest open tickets (ties: the longest since assigned);
 * - `skill_region`: engineers whose profile covers the ticket's province and has every skill its
 *   fault category asks for (modules/field's skill requirements), then the least loaded.
 * Returns null when nobody qualifies; the action then reports that instead of guessing.
 */
export async function pickEngineer(
  db: Executor,
  strategy: AssignmentStrategy,
  ticketId: string,
  options: { teamId?: string; ruleId: string },
): Promise<string | null> {
  const team = options.teamId ? sql`and ${options.teamId}::uuid = any(u.team_ids)` : sql``;
  const engineers = sql`u.active and 'engineer' = any(u.roles) ${team}`;
  if (strategy === 'round_robin') {
    const [last] = await rows<{ assignee: string | null }>(
      db,
      sql`select a ->> 'target' as assignee from automation_runs r, jsonb_array_elements(r.actions) a
          where r.rule_id = ${options.ruleId} and r.matched and a ->> 'type' = 'assign' and a ->> 'status' = 'done'
          order by r.occurred_at desc, r.id desc limit 1`,
    );
    const [next] = await rows<{ id: string }>(
      db,
      sql`select u.id from users u where ${engineers}
          order by (u.id::text <= coalesce(${last?.assignee ?? null}::text, '')), u.id limit 1`,
    );
    return next?.id ?? null;
  }
  const skilled =
    strategy === 'skill_region'
      ? sql`and exists (
              select 1 from engineer_profiles p, tickets t
              where p.user_id = u.id and p.active and t.id = ${ticketId}
                and (t.region_code is null or exists (
                      select 1 from unnest(p.region_codes) rc
                      where rc = t.region_code or left(rc, 2) || '0000' = left(t.region_code, 2) || '0000'))
                and p.skills @> coalesce((select s.skills from skill_requirements s
                                          where s.subject_kind = 'category' and s.subject_id = t.category_id), '[]'::jsonb))`
      : sql``;
  const [best] = await rows<{ id: string }>(
    db,
    sql`select u.id from users u where ${engineers} ${skilled}
        order by ${OPEN_LOAD}, u.id limit 1`,
  );
  return best?.id ?? null;
}
