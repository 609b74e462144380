import { macroRegionOf, type ReferenceTarget } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db/client';
import type { Changes } from '../../platform/index';
import type { FactChanges, Facts, Situation } from './engine';

interface TicketFactsRow {
  ticket: Record<string, unknown>;
  customer: Record<string, unknown> | null;
  device: Record<string, unknown> | null;
  model_code: string | null;
  contract: Record<string, unknown> | null;
  category: { code: string; name_zh: string; name_en: string } | null;
  parent: { code: string; name_zh: string; name_en: string } | null;
}

/** A custom field as conditions and set-field actions see it: its kind, and what a reference names. */
export interface CustomField {
  kind: string;
  reference: ReferenceTarget | null;
}

/** Custom fields by key (the first definition of a key across ticket types, in form order). */
export async function customFields(db: Executor): Promise<Map<string, CustomField>> {
  const found = await rows<{ key: string; kind: string; reference: ReferenceTarget | null }>(
    db,
    sql`select distinct on (key) key, definition ->> 'kind' as kind, definition ->> 'reference' as reference
        from form_fields order by key, position`,
  );
  return new Map(found.map((r) => [r.key, { kind: r.kind, reference: r.reference ?? null }]));
}

/**
 * Everything a condition may read about a ticket, in one statement: the ticket, its customer,
 * device (with model), contract and fault category with its parent.
 */
export async function loadTicketFacts(db: Executor, ticketIds: string[], now: Date): Promise<Map<string, Facts>> {
  if (ticketIds.length === 0) return new Map();
  const found = await rows<TicketFactsRow>(
    db,
    sql`select to_jsonb(t) as ticket, to_jsonb(c) as customer, to_jsonb(d) as device, m.code as model_code,
               to_jsonb(k) as contract,
               case when f.id is null then null else jsonb_build_object('code', f.code, 'name_zh', f.name_zh, 'name_en', f.name_en) end as category,
               case when p.id is null then null else jsonb_build_object('code', p.code, 'name_zh', p.name_zh, 'name_en', p.name_en) end as parent
        from tickets t
        left join customers c on c.id = t.customer_id
        left join devices d on d.id = t.device_id
        left join product_models m on m.id = coalesce(d.model_id, t.product_model_id)
        left join service_contracts k on k.id = t.contract_id
        left join fault_categories f on f.id = t.category_id
        left join fault_categories p on p.id = f.parent_id
        where t.id = any(${`{${ticketIds.join(',')}}`}::uuid[])`,
  );
  return new Map(found.map((r) => [String(r.ticket.id), factsOf(r, now.getTime())]));
}

function factsOf(r: TicketFactsRow, now: number): Facts {
  const t = r.ticket;
  const facts: Facts = {
    'ticket.id': t.id,
    'ticket.number': t.number,
    'ticket.priority': t.priority,
    'ticket.severity': t.severity,
    'ticket.state': t.state,
    'ticket.channel': t.channel,
    'ticket.type': t.type,
    'ticket.serviceType': t.service_type,
    'ticket.categoryId': t.category_id,
    // A category matches by its own name and its parent's, in both languages: "硬件失灵" covers
    // "核心部件损坏".
    'ticket.category': [r.category?.name_zh, r.category?.name_en, r.parent?.name_zh, r.parent?.name_en].filter(Boolean),
    'ticket.categoryCode': [r.category?.code, r.parent?.code].filter(Boolean),
    'ticket.regionCode': t.region_code,
    'ticket.area': macroRegionOf(t.region_code as string | null),
    'ticket.title': t.title,
    'ticket.description': t.description,
    'ticket.assigneeId': t.assignee_id,
    'ticket.teamId': t.team_id,
    'ticket.customerId': t.customer_id,
    'ticket.deviceId': t.device_id,
    'ticket.isRepeat': t.is_repeat,
    'ticket.reopenCount': t.reopen_count,
    'ticket.reportedAt': t.reported_at,
    'ticket.ageMinutes': Math.floor((now - Date.parse(String(t.reported_at))) / 60_000),
    'ticket.warrantyStatus': t.warranty_status,
    'customer.name': r.customer?.name ?? null,
    'customer.tier': r.customer?.tier ?? null,
    'customer.industry': r.customer?.industry ?? null,
    'customer.regionCode': r.customer?.region_code ?? null,
    'device.serialNumber': r.device?.serial_number ?? t.serial_number ?? null,
    'device.modelCode': r.model_code,
    'device.batch': r.device?.batch ?? null,
    'device.firmware': r.device?.firmware_version ?? null,
    'contract.slaTier': r.contract?.sla_tier ?? null,
    'contract.coverage': r.contract?.coverage ?? null,
    'contract.active': r.contract
      ? String(r.contract.starts_on) <= new Date(now).toISOString().slice(0, 10) &&
        String(r.contract.ends_on) >= new Date(now).toISOString().slice(0, 10)
      : null,
  };
  for (const [key, value] of Object.entries((t.fields as Record<string, unknown>) ?? {}))
    facts[`ticket.fields.${key}`] = value;
  return facts;
}

/** An event's changes as field paths (`priority` → `ticket.priority`, `fields.x` → `ticket.fields.x`). */
export function changesOf(changes: Changes | undefined): FactChanges {
  const out: FactChanges = {};
  if (!changes) return out;
  for (const key in changes) out[`ticket.${key}`] = changes[key]!;
  return out;
}

/**
 * The facts of a ticket plus the triggering event's data (`event.*`). The ticket's facts are the
 * prototype, not copied: an event costs only its own few keys.
 */
export function situation(
  facts: Facts | undefined,
  event: { type: string; data: Record<string, unknown>; changes?: Changes },
): Situation {
  const merged: Facts = Object.create(facts ?? null);
  merged['event.type'] = event.type;
  for (const key in event.data) if (key !== 'automation') merged[`event.${key}`] = event.data[key];
  return { facts: merged, changes: changesOf(event.changes) };
}
