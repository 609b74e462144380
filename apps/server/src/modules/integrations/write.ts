import type { ImportEntity, Priority } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import { dueTimes } from '../tickets/index';
import { REPAIR_V1 } from '../workflows/index';
import type { CheckedRow, DeviceRef } from './validate';

/**
 * Bulk writes of checked rows inside the import's one transaction: batches travel as one JSON
 * parameter each (jsonb_to_recordset), because a statement per row would take minutes at
 * 100,000 rows. Every record gets its `<entity>.created` event (and closed tickets their
 * `ticket.closed`), marked imported and written straight into the event log: history notifies no
 * subscriber — the caller refreshes the analytics facts of what it wrote instead.
 */

const BATCH = 5_000;

export interface WriteContext {
  tx: Tx;
  runId: string;
  actorId: string | null;
  now: Date;
}

const SEVERITY: Record<Priority, string> = { P0: 'critical', P1: 'major', P2: 'minor', P3: 'cosmetic' };
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
/** The year of an instant in China, which picks the ticket number's yearly sequence. */
const chinaYear = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).getUTCFullYear();

function* batches<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

export async function writeRecords(entity: ImportEntity, rows: CheckedRow[], ctx: WriteContext): Promise<string[]> {
  return WRITERS[entity](rows, ctx);
}

const WRITERS: Record<ImportEntity, (rows: CheckedRow[], ctx: WriteContext) => Promise<string[]>> = {
  async ticket(rows, ctx) {
    const years = new Set<number>();
    const records = rows.map(({ values: v }) => {
      const reported = v.reportedAt as Date;
      const priority = (v.priority as Priority | null) ?? 'P2';
      const due = dueTimes(priority, reported);
      const device = v.device as DeviceRef | null;
      const year = chinaYear(reported);
      years.add(year);
      return {
        id: newId(reported.getTime()),
        year,
        source_number: v.sourceNumber ?? null,
        channel: v.channel ?? 'phone',
        priority,
        severity: SEVERITY[priority],
        service_type: v.serviceType ?? 'remote',
        customer_id: v.customerId,
        contact_name: v.contactName ?? '历史导入',
        site_id: device?.siteId ?? null,
        region_code: v.regionCode,
        product_model_id: device?.modelId ?? null,
        device_id: device?.id ?? null,
        serial_number: device?.serialNumber ?? v.serialNumber ?? null,
        title: v.title,
        description: v.description ?? v.title,
        category_id: v.categoryId,
        reported_at: reported.toISOString(),
        assignee_id: v.engineerId ?? null,
        response_due_at: due.responseDueAt.toISOString(),
        resolution_due_at: due.resolutionDueAt.toISOString(),
        first_responded_at: iso(v.respondedAt),
        resolved_at: iso(v.resolvedAt),
        closed_at: iso(v.closedAt),
        resolution: {
          rootCause: v.rootCause ?? '',
          actionsTaken: v.actionsTaken ?? '',
          partsUsed: [],
          labourMinutes: v.labourMinutes ?? 0,
          travelMinutes: 0,
        },
        csat: v.csat ?? null,
      };
    });
    for (const year of years) await ctx.tx.execute(sql.raw(`create sequence if not exists ticket_number_${year}`));
    const data = JSON.stringify({ imported: true, runId: ctx.runId });
    for (const batch of batches(records)) {
      await ctx.tx.execute(sql`
        with x as (
          select * from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(
            id uuid, year int, source_number text, channel text, priority text, severity text, service_type text,
            customer_id uuid, contact_name text, site_id uuid, region_code text, product_model_id uuid, device_id uuid,
            serial_number text, title text, description text, category_id uuid, reported_at timestamptz,
            assignee_id uuid, response_due_at timestamptz, resolution_due_at timestamptz,
            first_responded_at timestamptz, resolved_at timestamptz, closed_at timestamptz, resolution jsonb,
            csat smallint)
        ), numbered as (
          select x.*, nextval(('ticket_number_' || x.year)::regclass) as n from x
        ), inserted as (
          insert into tickets (id, number, version, type, channel, state, priority, severity, service_type,
            customer_id, contact_name, site_id, region_code, product_model_id, device_id, serial_number,
            unknown_device, title, description, category_id, reported_at, assignee_id, response_due_at,
            resolution_due_at, first_responded_at, resolved_at, closed_at, resolution, confirmation, csat,
            is_repeat, reopen_count, fields, workflow_version_id, stage, created_at, updated_at)
          select id, 'SV-' || year || '-' || lpad(n::text, greatest(6, length(n::text)), '0'), 1, 'repair',
            channel, 'closed', priority, severity, service_type, customer_id, contact_name, site_id, region_code,
            product_model_id, device_id, serial_number, false, title, description, category_id, reported_at,
            assignee_id, response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at, resolution,
            case when csat is null then null else jsonb_build_object('csat', csat, 'confirmedAt', closed_at) end,
            csat, false, 0, '{}'::jsonb, ${REPAIR_V1}::uuid, 'closed', reported_at, closed_at
          from numbered
          returning id, number, reported_at, closed_at
        ), sourced as (
          insert into imported_records (entity, source_key, record_id, run_id)
          select 'ticket', source_number, id, ${ctx.runId}::uuid from x where source_number is not null
        )
        insert into events (id, occurred_at, type, entity_type, entity_id, actor_kind, actor_id, visibility, data)
        select gen_random_uuid(), i.reported_at, 'ticket.created', 'ticket', i.id::text,
          ${ctx.actorId ? 'user' : 'system'}, ${ctx.actorId}::uuid, 'customer',
          ${data}::jsonb || jsonb_build_object('number', i.number, 'sourceNumber', x.source_number)
        from inserted i join x on x.id = i.id
        union all
        select gen_random_uuid(), i.closed_at, 'ticket.closed', 'ticket', i.id::text,
          ${ctx.actorId ? 'user' : 'system'}, ${ctx.actorId}::uuid, 'customer', ${data}::jsonb
        from inserted i`);
    }
    return records.map((r) => r.id);
  },

  async customer(rows, ctx) {
    const records = rows.map(({ values: v }) => ({
      id: newId(ctx.now.getTime()),
      name: v.name,
      credit_code: v.creditCode ?? null,
      tier: v.tier,
      region_code: v.regionCode,
      industry: v.industry,
    }));
    for (const batch of batches(records)) {
      await ctx.tx.execute(sql`
        with inserted as (
          insert into customers (id, name, credit_code, tier, region_code, industry, created_at, updated_at, version)
          select id, name, credit_code, tier, region_code, industry, ${ctx.now.toISOString()}::timestamptz, ${ctx.now.toISOString()}::timestamptz, 1
          from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(
            id uuid, name text, credit_code text, tier text, region_code text, industry text)
          returning *
        )
        ${createdEvents('customer', ctx)}`);
    }
    return records.map((r) => r.id);
  },

  async device(rows, ctx) {
    const records = rows.map(({ values: v }) => ({
      id: newId(ctx.now.getTime()),
      model_id: v.modelId,
      serial_number: v.serialNumber,
      asset_code: v.assetCode ?? null,
      customer_id: v.customerId,
      batch: v.batch ?? null,
      firmware_version: v.firmwareVersion ?? null,
      installed_on: v.installedOn ?? null,
      warranty_ends_on: v.warrantyEndsOn ?? null,
    }));
    for (const batch of batches(records)) {
      await ctx.tx.execute(sql`
        with inserted as (
          insert into devices (id, model_id, serial_number, asset_code, customer_id, batch, firmware_version,
            installed_on, warranty_ends_on, created_at, version)
          select id, model_id, serial_number, asset_code, customer_id, batch, firmware_version, installed_on,
            warranty_ends_on, ${ctx.now.toISOString()}::timestamptz, 1
          from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(
            id uuid, model_id uuid, serial_number text, asset_code text, customer_id uuid, batch text,
            firmware_version text, installed_on date, warranty_ends_on date)
          returning *
        )
        ${createdEvents('device', ctx)}`);
    }
    return records.map((r) => r.id);
  },

  async part(rows, ctx) {
    const records = rows.map(({ values: v }) => ({
      id: newId(ctx.now.getTime()),
      sku: v.sku,
      name_zh: v.nameZh,
      name_en: v.nameEn ?? null,
      unit_cost_fen: v.unitCostFen,
      unit: v.unit,
      serial_tracked: v.serialTracked,
    }));
    for (const batch of batches(records)) {
      await ctx.tx.execute(sql`
        with inserted as (
          insert into parts (id, sku, name_zh, name_en, compatible_model_ids, unit_cost_fen, unit, serial_tracked,
            active, created_at, updated_at, version)
          select id, sku, name_zh, name_en, '[]'::jsonb, unit_cost_fen, unit, serial_tracked, true, ${ctx.now.toISOString()}::timestamptz,
            ${ctx.now.toISOString()}::timestamptz, 1
          from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(
            id uuid, sku text, name_zh text, name_en text, unit_cost_fen bigint, unit text, serial_tracked boolean)
          returning *
        )
        ${createdEvents('part', ctx)}`);
    }
    return records.map((r) => r.id);
  },
};

/** `<entity>.created` with the new row as its `after`, like a record created by hand, marked imported. */
function createdEvents(entity: string, ctx: WriteContext) {
  return sql`
    insert into events (id, occurred_at, type, entity_type, entity_id, actor_kind, actor_id, visibility, changes, data)
    select gen_random_uuid(), ${ctx.now.toISOString()}::timestamptz, ${`${entity}.created`}, ${entity}, i.id::text,
      ${ctx.actorId ? 'user' : 'system'}, ${ctx.actorId}::uuid, 'internal',
      jsonb_build_object('after', to_jsonb(i)), ${JSON.stringify({ imported: true, runId: ctx.runId })}::jsonb
    from inserted i`;
}

/**
 * Marks imported tickets that repeat an earlier repair of the same device and fault category
 * closed within the 30 days before they were reported — the rule intake applies to native tickets,
 * so the repeat-repair rate counts imported history the same way.
 */
export async function linkRepeats(tx: Tx, ticketIds: string[]): Promise<void> {
  for (const batch of batches(ticketIds)) {
    await tx.execute(sql`
      update tickets t set repeat_of = p.id, is_repeat = true
      from (
        select t2.id as ticket_id, (
          select p.id from tickets p
          where p.device_id = t2.device_id and p.category_id = t2.category_id and p.id <> t2.id
            and p.closed_at is not null and p.closed_at <= t2.reported_at
            and p.closed_at >= t2.reported_at - interval '30 days'
          order by p.closed_at desc limit 1) as id
        from tickets t2
        where t2.id = any(array(select jsonb_array_elements_text(${JSON.stringify(batch)}::jsonb)::uuid))
          and t2.device_id is not null and t2.category_id is not null
      ) p
      where t.id = p.ticket_id and p.id is not null`);
  }
}
