import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/http/actor';
import { type Grant, scopeFilter } from '../identity/index';

/**
 * Analytics reach the tickets the reader's analytics grant reaches: a regional manager sees their
 * region — on screen, in exports, in the PDF and in their weekly digest alike.
 */
export const analyticsScope = (grant: Grant, actor: Actor): SQL =>
  scopeFilter(grant, actor, {
    region: sql`f.region_code`,
    team: sql`f.team_id`,
    organisation: sql`f.customer_id`,
    owner: sql`f.engineer_id`,
  });
