import type { ImportEntity, Priority } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { pipeline, type Tx } from '../../platform/db/client';
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

/** Consecutive slices of BATCH items, each with the index of its first item. */
function* batches<T>(items: T[]): Generator<{ items: T[]; start: number }> {
  for (let start = 0; start < items.length; start += BATCH) yield { items: items.slice(start, start + BATCH), start };
}

export async function writeRecords(entity: ImportEntity, rows: CheckedRow[], ctx: WriteContext): Promise<string[]> {
  return WRITERS[entity](rows, ctx);
}

const WRITERS: Record<ImportEntity, (rows: CheckedRow[], ctx: WriteContext) => Promise<string[]>> = {
  async ticket(rows, ctx) {
    // Ids first (an in-file repeat names its earlier repair's id); the records are built a batch at
    // a time, while the database writes the previous batch.
    const ids = rows.map(({ values: v }) => newId((v.reportedAt as Date).getTime()));
    const repeats = repeatsInFile(rows);
    const years = new Set(rows.map(({ values: v }) => chinaYear(v.reportedAt as Date)));
    const record = (i: number) => {
      const v = rows[i]!.values;
      const reported = v.reportedAt as Date;
      const priority = (v.priority as Priority | null) ?? 'P2';
      const due = dueTimes(priority, reported);
      const device = v.device as DeviceRef | null;
      const earlier = repeats.get(i);
      return {
        id: ids[i],
        // The events' ids too: time-ordered ones land together in the event log's index.
        created_event: newId(reported.getTime()),
        // Imported tickets are closed history: 关闭时间 is a required column.
        closed_event: newId((v.closedAt as Date).getTime()),
        year: chinaYear(reported),
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
        // Custom field values from mapped `fields.<key>` columns, checked by the form's rule.
        fields: v.fields ?? {},
        visits: v.visits,
        repeat_of: earlier === undefined ? null : ids[earlier],
        repeat_closed_at: earlier === undefined ? null : iso(rows[earlier]!.values.closedAt),
      };
    };
    for (const year of years) await ctx.tx.execute(sql.raw(`create sequence if not exists ticket_number_${year}`));
    const data = JSON.stringify({ imported: true, runId: ctx.runId });
    await pipeline(
      batches(ids),
      ({ items, start }) => JSON.stringify(items.map((_, k) => record(start + k))),
      (records) =>
        ctx.tx.execute(sql`
        with x as (
          select * from jsonb_to_recordset(${records}::jsonb) as x(
            id uuid, created_event uuid, closed_event uuid, year int, source_number text, channel text, priority text, severity text, service_type text,
            customer_id uuid, contact_name text, site_id uuid, region_code text, product_model_id uuid, device_id uuid,
            serial_number text, title text, description text, category_id uuid, reported_at timestamptz,
            assignee_id uuid, response_due_at timestamptz, resolution_due_at timestamptz,
            first_responded_at timestamptz, resolved_at timestamptz, closed_at timestamptz, resolution jsonb,
            csat smallint, fields jsonb, visits smallint, repeat_of uuid, repeat_closed_at timestamptz)
        ), numbered as (
          -- The file's own earlier repair (found in memory) unless one already in the system closed later.
          select x.*, nextval(('ticket_number_' || x.year)::regclass) as n, coalesce((
              select p.id from tickets p
              where p.device_id = x.device_id and p.category_id = x.category_id
                and p.closed_at <= x.reported_at and p.closed_at >= x.reported_at - interval '30 days'
                and (x.repeat_closed_at is null or p.closed_at > x.repeat_closed_at)
              order by p.closed_at desc limit 1), x.repeat_of) as repeat_id
          from x
        ), inserted as (
          insert into tickets (id, number, version, type, channel, state, priority, severity, service_type,
            customer_id, contact_name, site_id, region_code, product_model_id, device_id, serial_number,
            unknown_device, title, description, category_id, reported_at, assignee_id, response_due_at,
            resolution_due_at, first_responded_at, resolved_at, closed_at, resolution, confirmation, csat,
            is_repeat, repeat_of, reopen_count, fields, imported_visits, workflow_version_id, stage, created_at, updated_at)
          select id, 'SV-' || year || '-' || lpad(n::text, greatest(6, length(n::text)), '0'), 1, 'repair',
            channel, 'closed', priority, severity, service_type, customer_id, contact_name, site_id, region_code,
            product_model_id, device_id, serial_number, false, title, description, category_id, reported_at,
            assignee_id, response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at, resolution,
            case when csat is null then null else jsonb_build_object('csat', csat, 'confirmedAt', closed_at) end,
            csat, repeat_id is not null, repeat_id, 0, fields, visits, ${REPAIR_V1}::uuid, 'closed', reported_at, closed_at
          from numbered
          returning id, number, reported_at, closed_at
        ), sourced as (
          insert into imported_records (entity, source_key, record_id, run_id)
          select 'ticket', source_number, id, ${ctx.runId}::uuid from x where source_number is not null
        )
        insert into events (id, occurred_at, type, entity_type, entity_id, actor_kind, actor_id, visibility, data)
        select x.created_event, i.reported_at, 'ticket.created', 'ticket', i.id::text,
          ${ctx.actorId ? 'user' : 'system'}, ${ctx.actorId}::uuid, 'customer',
          ${data}::jsonb || jsonb_build_object('number', i.number, 'sourceNumber', x.source_number)
        from inserted i join x on x.id = i.id
        union all
        select x.closed_event, i.closed_at, 'ticket.closed', 'ticket', i.id::text,
          ${ctx.actorId ? 'user' : 'system'}, ${ctx.actorId}::uuid, 'customer', ${data}::jsonb
        from inserted i join x on x.id = i.id`),
    );
    return ids;
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
    await pipeline(
      batches(records),
      ({ items }) => JSON.stringify(items),
      (batch) =>
        ctx.tx.execute(sql`
        with inserted as (
          insert into customers (id, name, credit_code, tier, region_code, industry, created_at, updated_at, version)
          select id, name, credit_code, tier, region_code, industry, ${ctx.now.toISOString()}::timestamptz, ${ctx.now.toISOString()}::timestamptz, 1
          from jsonb_to_recordset(${batch}::jsonb) as x(
            id uuid, name text, credit_code text, tier text, region_code text, industry text)
          returning *
        )
        ${createdEvents('customer', ctx)}`),
    );
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
    await pipeline(
      batches(records),
      ({ items }) => JSON.stringify(items),
      (batch) =>
        ctx.tx.execute(sql`
        with inserted as (
          insert into devices (id, model_id, serial_number, asset_code, customer_id, batch, firmware_version,
            installed_on, warranty_ends_on, created_at, version)
          select id, model_id, serial_number, asset_code, customer_id, batch, firmware_version, installed_on,
            warranty_ends_on, ${ctx.now.toISOString()}::timestamptz, 1
          from jsonb_to_recordset(${batch}::jsonb) as x(
            id uuid, model_id uuid, serial_number text, asset_code text, customer_id uuid, batch text,
            firmware_version text, installed_on date, warranty_ends_on date)
          returning *
        )
        ${createdEvents('device', ctx)}`),
    );
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
    await pipeline(
      batches(records),
      ({ items }) => JSON.stringify(items),
      (batch) =>
        ctx.tx.execute(sql`
        with inserted as (
          insert into parts (id, sku, name_zh, name_en, compatible_model_ids, unit_cost_fen, unit, serial_tracked,
            active, created_at, updated_at, version)
          select id, sku, name_zh, name_en, '[]'::jsonb, unit_cost_fen, unit, serial_tracked, true, ${ctx.now.toISOString()}::timestamptz,
            ${ctx.now.toISOString()}::timestamptz, 1
          from jsonb_to_recordset(${batch}::jsonb) as x(
            id uuid, sku text, name_zh text, name_en text, unit_cost_fen bigint, unit text, serial_tracked boolean)
          returning *
        )
        ${createdEvents('part', ctx)}`),
    );
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
 * Imported tickets that repeat an earlier repair of the same device and fault category closed
 * within the 30 days before they were reported — the rule intake applies to native tickets, so
 * the repeat-repair rate counts imported history the same way. Found in memory among the file's
 * rows (row index → the index of the latest such earlier row); the insert adds tickets already in
 * the system. Setting it afterwards by UPDATE rewrote every imported ticket and all its indexes.
 */
export function repeatsInFile(rows: CheckedRow[]): Map<number, number> {
  const WINDOW = 30 * 86_400_000;
  const groups = new Map<string, number[]>();
  rows.forEach(({ values: v }, i) => {
    const device = v.device as DeviceRef | null;
    if (!device || !v.categoryId || !v.closedAt) return;
    const key = `${device.id}|${v.categoryId}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  const closed = (i: number) => (rows[i]!.values.closedAt as Date).getTime();
  const reported = (i: number) => (rows[i]!.values.reportedAt as Date).getTime();
  const repeats = new Map<number, number>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const byClosing = [...members].sort((a, b) => closed(a) - closed(b));
    for (const i of members) {
      // The last ticket closed no later than this one was reported (binary search), not itself.
      let lo = 0;
      let hi = byClosing.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (closed(byClosing[mid]!) <= reported(i)) lo = mid + 1;
        else hi = mid;
      }
      let k = lo - 1;
      if (k >= 0 && byClosing[k] === i) k--;
      if (k >= 0 && closed(byClosing[k]!) >= reported(i) - WINDOW) repeats.set(i, byClosing[k]!);
    }
  }
  return repeats;
}
