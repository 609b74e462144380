import type { FieldJob, FieldJobDetail } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import { notFound } from '../../platform/http/errors';
import { currentVisit } from './current-visit';
import { addDays, dayStart } from './day';

/**
 * What the engineer's phone shows: their visits of a day — as lead or as a helper — with the
 * ticket, and for one job the device's history, how the same fault was fixed before and what the
 * van holds. Reads only; the phone writes through the sync operations.
 */

interface JobRow {
  visit_id: string;
  role: 'lead' | 'assistant';
  planned_start: Date | string;
  planned_end: Date | string;
  accepted_at: Date | string | null;
  checked_in_at: Date | string | null;
  checked_out_at: Date | string | null;
  lead_name: string;
  assistants: { engineerId: string; displayName: string; checkedInAt: string | null }[];
  ticket_id: string;
  number: string;
  version: number;
  state: string;
  priority: string | null;
  title: string;
  description: string;
  customer_name: string | null;
  contact_name: string;
  contact_phone: string | null;
  contact_email: string | null;
  address: string | null;
  device_id: string | null;
  serial_number: string | null;
  model_name: string | null;
  product_model_id: string | null;
  category_id: string | null;
  initial_diagnosis: string | null;
  resolution: unknown;
  confirmed: boolean;
  sla_due_at: Date | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * A visit counts while it is the one its ticket's latest dispatch named (a re-dispatch leaves the
 * earlier one as history) or once it was started; a declined one never does.
 */
const jobSelect = (userId: string) => sql`
  select v.id as visit_id,
         case when v.engineer_id = ${userId} then 'lead' else 'assistant' end as role,
         v.planned_start, v.planned_end, v.accepted_at,
         case when v.engineer_id = ${userId} then v.checked_in_at else a.checked_in_at end as checked_in_at,
         case when v.engineer_id = ${userId} then v.checked_out_at else a.checked_out_at end as checked_out_at,
         lead.display_name as lead_name,
         (select coalesce(jsonb_agg(jsonb_build_object('engineerId', x.engineer_id, 'displayName', u.display_name,
                                                       'checkedInAt', x.checked_in_at) order by u.display_name), '[]'::jsonb)
            from visit_assistants x join users u on u.id = x.engineer_id where x.visit_id = v.id) as assistants,
         t.id as ticket_id, t.number, t.version, t.state, t.priority, t.title, t.description, c.name as customer_name,
         t.contact_name, t.contact_phone, t.contact_email, coalesce(t.service_address, s.address) as address,
         t.device_id, t.serial_number, m.name as model_name, t.product_model_id, t.category_id, t.initial_diagnosis,
         t.resolution, t.confirmation is not null as confirmed, coalesce(t.sla_due_at, t.resolution_due_at) as sla_due_at
    from visits v
    join tickets t on t.id = v.ticket_id
    join users lead on lead.id = v.engineer_id
    left join visit_assistants a on a.visit_id = v.id and a.engineer_id = ${userId}
    left join customers c on c.id = t.customer_id
    left join sites s on s.id = t.site_id
    left join product_models m on m.id = t.product_model_id
   where (v.engineer_id = ${userId} or a.engineer_id is not null)
     and ${currentVisit}`;

const toJob = (r: JobRow): FieldJob & { productModelId: string | null } => ({
  visitId: r.visit_id,
  role: r.role,
  plannedStart: iso(r.planned_start)!,
  plannedEnd: iso(r.planned_end)!,
  acceptedAt: iso(r.accepted_at),
  checkedInAt: iso(r.checked_in_at),
  checkedOutAt: iso(r.checked_out_at),
  leadName: r.lead_name,
  assistants: r.assistants.map((a) => ({ ...a, checkedInAt: iso(a.checkedInAt) })),
  productModelId: r.product_model_id,
  ticket: {
    id: r.ticket_id,
    number: r.number,
    version: r.version,
    state: r.state,
    priority: r.priority,
    title: r.title,
    description: r.description,
    customerName: r.customer_name,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    contactEmail: r.contact_email,
    address: r.address,
    deviceId: r.device_id,
    serialNumber: r.serial_number,
    modelName: r.model_name,
    categoryId: r.category_id,
    initialDiagnosis: r.initial_diagnosis,
    resolution: r.resolution ?? null,
    confirmed: r.confirmed,
    slaDueAt: iso(r.sla_due_at),
  },
});

/** The day's jobs in planned order, plus any visit still checked in from before. */
export async function jobsOfDay(db: Executor, userId: string, date: string): Promise<FieldJob[]> {
  const from = dayStart(date).toISOString();
  const to = dayStart(addDays(date, 1)).toISOString();
  const found = await rows<JobRow>(
    db,
    sql`${jobSelect(userId)}
        and ((v.planned_start < ${to}::timestamptz and v.planned_end > ${from}::timestamptz)
             or (v.checked_in_at is not null and v.checked_out_at is null))
        order by v.planned_start, v.id`,
  );
  return found.map((r) => {
    const { productModelId: _model, ...job } = toJob(r);
    return job;
  });
}

export async function jobDetail(db: Executor, userId: string, visitId: string): Promise<FieldJobDetail> {
  const [row] = await rows<JobRow>(db, sql`${jobSelect(userId)} and v.id = ${visitId}`);
  if (!row) throw notFound('visit');
  const { productModelId, ...job } = toJob(row);
  const t = job.ticket;
  const [history, knowledge, category, van] = await Promise.all([
    t.deviceId
      ? rows<{
          id: string;
          number: string;
          title: string;
          state: string;
          reported_at: Date | string;
          root_cause: string | null;
          actions_taken: string | null;
        }>(
          db,
          sql`select id, number, title, state, reported_at, resolution->>'rootCause' as root_cause,
                     resolution->>'actionsTaken' as actions_taken
                from tickets where device_id = ${t.deviceId} and id <> ${t.id}
               order by reported_at desc limit 20`,
        )
      : [],
    t.categoryId
      ? rows<{ id: string; number: string; title: string; root_cause: string; actions_taken: string }>(
          db,
          sql`select id, number, title, resolution->>'rootCause' as root_cause, resolution->>'actionsTaken' as actions_taken
                from tickets
               where category_id = ${t.categoryId} and id <> ${t.id} and resolution->>'rootCause' is not null
                 and (${productModelId}::uuid is null or product_model_id = ${productModelId}::uuid)
               order by resolved_at desc nulls last limit 5`,
        )
      : [],
    t.categoryId
      ? rows<{ name_zh: string; name_en: string }>(
          db,
          sql`select name_zh, name_en from fault_categories where id = ${t.categoryId}`,
        )
      : [],
    rows<{
      warehouse_id: string;
      part_id: string | null;
      sku: string | null;
      name: string | null;
      available: number | null;
      fits: boolean | null;
    }>(
      db,
      sql`select w.id as warehouse_id, p.id as part_id, p.sku, p.name_zh as name, (b.on_hand - b.reserved)::int as available,
                 (${productModelId}::uuid is not null and p.compatible_model_ids @> jsonb_build_array(${productModelId}::text)) as fits
            from warehouses w
            left join stock_balances b on b.warehouse_id = w.id and b.on_hand - b.reserved > 0
            left join parts p on p.id = b.part_id
           where w.kind = 'van' and w.active and w.owner_user_id = ${userId}
           order by fits desc nulls last, p.sku`,
    ),
  ]);
  return {
    job,
    deviceHistory: history.map((h) => ({
      ticketId: h.id,
      number: h.number,
      title: h.title,
      state: h.state,
      reportedAt: iso(h.reported_at)!,
      rootCause: h.root_cause,
      actionsTaken: h.actions_taken,
    })),
    knowledge: knowledge.map((k) => ({
      ticketId: k.id,
      number: k.number,
      title: k.title,
      rootCause: k.root_cause,
      actionsTaken: k.actions_taken ?? '',
    })),
    categoryName: category[0] ? `${category[0].name_zh} / ${category[0].name_en}` : null,
    van: {
      warehouseId: van[0]?.warehouse_id ?? null,
      parts: van
        .filter((p) => p.part_id)
        .map((p) => ({
          partId: p.part_id!,
          sku: p.sku!,
          name: p.name!,
          available: Number(p.available),
          fits: !!p.fits,
        })),
    },
  };
}
