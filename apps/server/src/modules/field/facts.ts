import { sql } from 'drizzle-orm';
import { type Executor, rows, uuidArray } from '../../platform/db/client';
import { currentVisit } from './current-visit';
import type { Point } from './geo';

/**
 * What the planners need to know, read from the tables of the modules that own it: tickets and
 * visits (tickets), sites (customers), van stock (parts), users (identity). Reads only — the
 * planners stay pure and the writes go through the ticket lifecycle.
 */

/** An on-site job's expected length when nothing better is known; the board lets a dispatcher stretch it. */
export const DEFAULT_JOB_MINUTES = 120;
/** Tickets waiting for a visit. */
export const WAITING_STATES = ['triaged', 'remote_support'];

export interface JobFacts {
  ticketId: string;
  number: string;
  version: number;
  title: string;
  state: string;
  priority: string | null;
  customerId: string | null;
  customerName: string | null;
  regionCode: string | null;
  productModelId: string | null;
  location: Point | null;
  slaDueAt: Date | null;
  requiredSkills: string[];
  durationMinutes: number;
}

interface JobRow {
  id: string;
  number: string;
  version: number;
  title: string;
  state: string;
  priority: string | null;
  customer_id: string | null;
  customer_name: string | null;
  region_code: string | null;
  product_model_id: string | null;
  lat: number | null;
  lng: number | null;
  sla_due_at: Date | string | null;
  resolution_due_at: Date | string | null;
  skills: string[] | null;
}

const jobSelect = sql`
  select t.id, t.number, t.version, t.title, t.state, t.priority, t.customer_id, c.name as customer_name,
         t.region_code, t.product_model_id, s.lat, s.lng, t.sla_due_at, t.resolution_due_at,
         (select coalesce(jsonb_agg(distinct skill), '[]'::jsonb)
            from skill_requirements r, jsonb_array_elements_text(r.skills) skill
           where (r.subject_kind = 'category' and r.subject_id = t.category_id)
              or (r.subject_kind = 'model' and r.subject_id = t.product_model_id)) as skills
    from tickets t
    left join customers c on c.id = t.customer_id
    left join sites s on s.id = t.site_id`;

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

const toJob = (r: JobRow): JobFacts => ({
  ticketId: r.id,
  number: r.number,
  version: r.version,
  title: r.title,
  state: r.state,
  priority: r.priority,
  customerId: r.customer_id,
  customerName: r.customer_name,
  regionCode: r.region_code,
  productModelId: r.product_model_id,
  location: r.lat === null || r.lng === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
  // The nearest running SLA deadline, else the resolution due time set at triage.
  slaDueAt: date(r.sla_due_at) ?? date(r.resolution_due_at),
  requiredSkills: [...(r.skills ?? [])].sort(),
  durationMinutes: DEFAULT_JOB_MINUTES,
});

export async function jobsByIds(db: Executor, ids: string[]): Promise<JobFacts[]> {
  if (ids.length === 0) return [];
  const found = await rows<JobRow>(db, sql`${jobSelect} where t.id = any(${uuidArray(ids)})`);
  return found.map(toJob);
}

/** Tickets waiting for a visit, most urgent first (at most 500: a board, not an export). */
export async function waitingJobs(db: Executor): Promise<JobFacts[]> {
  const found = await rows<JobRow>(
    db,
    sql`${jobSelect} where t.state = any(array['triaged', 'remote_support'])
        order by t.sla_due_at asc nulls last, t.resolution_due_at asc nulls last, t.id limit 500`,
  );
  return found.map(toJob);
}

export interface EngineerFacts {
  profileId: string;
  engineerId: string;
  displayName: string;
  skills: string[];
  certifications: { tag: string; expiresOn: string | null }[];
  regionCodes: string[];
  /** The teams the engineer's user belongs to. */
  teamIds: string[];
  home: Point | null;
  workingHours: { weekday: number; start: string; end: string }[];
  leave: { from: string; to: string }[];
  capacityJobs: number;
  capacityHours: number;
}

/** Active engineers with an active profile. */
export async function engineers(db: Executor): Promise<EngineerFacts[]> {
  const found = await rows<{
    id: string;
    user_id: string;
    display_name: string;
    skills: string[];
    certifications: { tag: string; expiresOn: string | null }[];
    region_codes: string[];
    team_ids: string[];
    home_lat: number | null;
    home_lng: number | null;
    working_hours: { weekday: number; start: string; end: string }[];
    leave: { from: string; to: string }[];
    capacity_jobs: number;
    capacity_hours: number;
  }>(
    db,
    sql`select p.*, u.display_name, u.team_ids from engineer_profiles p join users u on u.id = p.user_id
         where p.active and u.active and 'engineer' = any(u.roles) order by u.display_name, p.user_id`,
  );
  return found.map((r) => ({
    profileId: r.id,
    engineerId: r.user_id,
    displayName: r.display_name,
    skills: r.skills,
    certifications: r.certifications,
    regionCodes: r.region_codes,
    teamIds: r.team_ids,
    home: r.home_lat === null || r.home_lng === null ? null : { lat: Number(r.home_lat), lng: Number(r.home_lng) },
    workingHours: r.working_hours,
    leave: r.leave,
    capacityJobs: r.capacity_jobs,
    capacityHours: Number(r.capacity_hours),
  }));
}

export interface VisitFacts {
  visitId: string;
  ticketId: string;
  number: string;
  version: number;
  title: string;
  state: string;
  priority: string | null;
  engineerId: string;
  plannedStart: Date;
  plannedEnd: Date;
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
  checkIn: Point | null;
  site: Point | null;
  slaDueAt: Date | null;
  /** Helpers on the visit beside its lead engineer. */
  assistantIds: string[];
}

/**
 * Visits planned to overlap [from, to). A re-dispatch leaves the earlier, never-started visit in
 * place (the lifecycle keeps history), so a visit not checked in counts only while it is the one
 * its ticket's latest `ticket.dispatched` event named (the event sequence orders dispatches; two in
 * the same millisecond have unordered ids and equal timestamps), and not for a cancelled ticket.
 */
export async function visitsBetween(db: Executor, from: Date, to: Date): Promise<VisitFacts[]> {
  const found = await rows<{
    id: string;
    ticket_id: string;
    number: string;
    version: number;
    title: string;
    state: string;
    priority: string | null;
    engineer_id: string;
    planned_start: Date | string;
    planned_end: Date | string;
    checked_in_at: Date | string | null;
    checked_out_at: Date | string | null;
    check_in_location: { lat: number; lng: number } | null;
    lat: number | null;
    lng: number | null;
    sla_due_at: Date | string | null;
    assistant_ids: string[];
  }>(
    db,
    sql`select v.id, v.ticket_id, t.number, t.version, t.title, t.state, t.priority, v.engineer_id, v.planned_start,
               v.planned_end, v.checked_in_at, v.checked_out_at, v.check_in_location, s.lat, s.lng,
               coalesce(t.sla_due_at, t.resolution_due_at) as sla_due_at,
               (select coalesce(jsonb_agg(a.engineer_id order by a.engineer_id), '[]'::jsonb) from visit_assistants a where a.visit_id = v.id) as assistant_ids
          from visits v
          join tickets t on t.id = v.ticket_id
          left join sites s on s.id = t.site_id
         where v.planned_start < ${to.toISOString()}::timestamptz and v.planned_end > ${from.toISOString()}::timestamptz
           and ${currentVisit}
         order by v.engineer_id, v.planned_start, v.id`,
  );
  return found.map((r) => ({
    visitId: r.id,
    ticketId: r.ticket_id,
    number: r.number,
    version: r.version,
    title: r.title,
    state: r.state,
    priority: r.priority,
    engineerId: r.engineer_id,
    plannedStart: new Date(r.planned_start),
    plannedEnd: new Date(r.planned_end),
    checkedInAt: date(r.checked_in_at),
    checkedOutAt: date(r.checked_out_at),
    checkIn: r.check_in_location ? { lat: r.check_in_location.lat, lng: r.check_in_location.lng } : null,
    site: r.lat === null || r.lng === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    slaDueAt: date(r.sla_due_at),
    assistantIds: r.assistant_ids ?? [],
  }));
}

/** Past visits of each engineer to this customer, and the customer's average rating of those tickets. */
export async function customerHistory(
  db: Executor,
  customerId: string | null,
): Promise<Map<string, { visits: number; averageCsat: number | null }>> {
  if (!customerId) return new Map();
  const found = await rows<{ engineer_id: string; visits: number; csat: number | null }>(
    db,
    sql`select v.engineer_id, count(*)::int as visits, avg(t.csat)::float8 as csat
          from visits v join tickets t on t.id = v.ticket_id
         where t.customer_id = ${customerId} and v.checked_out_at is not null
         group by v.engineer_id`,
  );
  return new Map(
    found.map((r) => [r.engineer_id, { visits: r.visits, averageCsat: r.csat === null ? null : Number(r.csat) }]),
  );
}

/** Parts available in each engineer's van that fit a product model. */
export async function vanParts(
  db: Executor,
  productModelId: string | null,
): Promise<Map<string, { sku: string; quantity: number }[]>> {
  const result = new Map<string, { sku: string; quantity: number }[]>();
  if (!productModelId) return result;
  const found = await rows<{ owner_user_id: string; sku: string; available: number }>(
    db,
    sql`select w.owner_user_id, p.sku, (b.on_hand - b.reserved)::int as available
          from warehouses w
          join stock_balances b on b.warehouse_id = w.id
          join parts p on p.id = b.part_id
         where w.kind = 'van' and w.active and p.active and b.on_hand - b.reserved > 0
           and p.compatible_model_ids @> ${JSON.stringify([productModelId])}::jsonb
         order by p.sku`,
  );
  for (const r of found) {
    const list = result.get(r.owner_user_id) ?? [];
    list.push({ sku: r.sku, quantity: r.available });
    result.set(r.owner_user_id, list);
  }
  return result;
}
