import { sql } from 'drizzle-orm';
import { FAULT_MIX_2024, FAULT_MIX_2025 } from '../modules/tickets/taxonomy';
import { type Executor, rows } from '../platform/db/client';
import { newId } from '../platform/ids';
import { apportion, Random } from './random';

/**
 * Two years (2024, 2025) of tickets through full lifecycles, in bulk: rows are generated here
 * and written in batches through one JSON parameter each (jsonb_to_recordset), because one
 * INSERT per ticket would take hours at a million. The fault-category mix reproduces seed 000's
 * table exactly for each year.
 */

const BATCH = 5_000;
const YEARS = [
  { year: 2024, mix: FAULT_MIX_2024 },
  { year: 2025, mix: FAULT_MIX_2025 },
] as const;

const PRIORITY: [string, number][] = [
  ['P0', 5],
  ['P1', 20],
  ['P2', 45],
  ['P3', 30],
];
const CHANNEL: [string, number][] = [
  ['phone', 35],
  ['wechat', 25],
  ['portal', 15],
  ['email', 8],
  ['api', 5],
  ['field', 7],
  ['telemetry', 5],
];
const CSAT: [number, number][] = [
  [5, 45],
  [4, 30],
  [3, 15],
  [2, 6],
  [1, 4],
];
const HOURS_TO_RESOLVE: Record<string, [number, number]> = { P0: [1, 8], P1: [4, 30], P2: [8, 80], P3: [24, 200] };
const TITLES: Record<string, string[]> = {
  hardware: ['设备无法开机', '主轴报警停机', '传感器失灵', '门机异响', '控制板故障'],
  software: ['系统卡死', '数据同步失败', '功能模块报错', '升级后兼容性问题'],
  operation: ['参数设置错误', '误删配置', '接线错误', '未按规程操作'],
  parts: ['耗材消耗过快', '备件型号错配', '配件质量问题'],
  other: ['环境受潮导致故障', '偶发故障无法复现', '雷击损坏'],
};

interface Device {
  id: string;
  customer_id: string;
  model_id: string;
  site_id: string | null;
  serial_number: string;
  region_code: string;
}

export async function generateHistory(
  db: Executor,
  options: { tickets: number; seed: number; log?: (msg: string) => void },
) {
  const rng = new Random(options.seed);
  const log = options.log ?? (() => {});
  const devices = await rows<Device>(
    db,
    sql`select d.id, d.customer_id, d.model_id, d.site_id, d.serial_number, c.region_code
        from devices d join customers c on c.id = d.customer_id`,
  );
  if (devices.length === 0) throw new Error('no devices: create master data first');
  const engineers = (await rows<{ id: string }>(db, sql`select id from users where 'engineer' = any(roles)`)).map(
    (r) => r.id,
  );
  const leaves = await rows<{ id: string; root: string }>(
    db,
    sql`select c.id, p.code as root from fault_categories c join fault_categories p on p.id = c.parent_id`,
  );
  const leavesByRoot = new Map<string, string[]>();
  for (const l of leaves) leavesByRoot.set(l.root, [...(leavesByRoot.get(l.root) ?? []), l.id]);

  let written = 0;
  for (const [i, { year, mix }] of YEARS.entries()) {
    const total = Math.floor(options.tickets / 2) + (i === 0 ? options.tickets % 2 : 0);
    const roots = Object.entries(apportion(total, mix)).flatMap(([root, n]) => Array<string>(n).fill(root));
    rng.shuffle(roots);
    for (let start = 0; start < roots.length; start += BATCH) {
      const batch = roots
        .slice(start, start + BATCH)
        .map((root) => ticketRow(rng, year, root, devices, leavesByRoot, engineers));
      await insertBatch(db, year, batch);
      written += batch.length;
      if (written % 50_000 === 0 || written === options.tickets) log(`${written} tickets`);
    }
  }
  // Fresh statistics, or the planner treats a million bulk-loaded rows as an empty table.
  await db.execute(sql`analyze tickets`);
  await db.execute(sql`analyze events`);
  return written;
}

function ticketRow(
  rng: Random,
  year: number,
  root: string,
  devices: Device[],
  leaves: Map<string, string[]>,
  engineers: string[],
) {
  const device = rng.pick(devices);
  const reported = new Date(Date.UTC(year, 0, 1) + rng.next() * 365 * 86_400_000 - 8 * 3_600_000);
  const priority = rng.weighted(PRIORITY);
  const [minH, maxH] = HOURS_TO_RESOLVE[priority]!;
  const responded = new Date(reported.getTime() + rng.int(5, 240) * 60_000);
  const resolved = new Date(reported.getTime() + (minH + rng.next() * (maxH - minH)) * 3_600_000);
  const closed = new Date(resolved.getTime() + rng.int(1, 48) * 3_600_000);
  const onsite = rng.chance(0.6);
  const csat = rng.weighted(CSAT);
  const labour = rng.int(20, onsite ? 480 : 90);
  return {
    id: newId(reported.getTime()),
    channel: rng.weighted(CHANNEL),
    priority,
    severity: priority === 'P0' ? 'critical' : priority === 'P1' ? 'major' : priority === 'P2' ? 'minor' : 'cosmetic',
    service_type: onsite ? 'onsite' : 'remote',
    customer_id: device.customer_id,
    site_id: device.site_id,
    region_code: device.region_code,
    product_model_id: device.model_id,
    device_id: device.id,
    serial_number: device.serial_number,
    title: rng.pick(TITLES[root] ?? ['故障']),
    category_id: rng.pick(leaves.get(root) ?? [null as unknown as string]),
    reported_at: reported.toISOString(),
    assignee_id: onsite && engineers.length ? rng.pick(engineers) : null,
    response_due_at: new Date(reported.getTime() + 2 * 3_600_000).toISOString(),
    resolution_due_at: new Date(reported.getTime() + maxH * 0.8 * 3_600_000).toISOString(),
    first_responded_at: responded.toISOString(),
    resolved_at: resolved.toISOString(),
    closed_at: closed.toISOString(),
    resolution: {
      rootCause: '历史导入',
      actionsTaken: onsite ? '上门维修' : '远程处理',
      partsUsed: [],
      labourMinutes: labour,
      travelMinutes: onsite ? rng.int(20, 180) : 0,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    },
    csat,
  };
}

async function insertBatch(db: Executor, year: number, batch: ReturnType<typeof ticketRow>[]) {
  const json = JSON.stringify(batch);
  await db.execute(sql.raw(`create sequence if not exists ticket_number_${year}`));
  await db.execute(sql`
    with x as (
      select * from jsonb_to_recordset(${json}::jsonb) as x(
        id uuid, channel text, priority text, severity text, service_type text, customer_id uuid, site_id uuid,
        region_code text, product_model_id uuid, device_id uuid, serial_number text, title text, category_id uuid,
        reported_at timestamptz, assignee_id uuid, response_due_at timestamptz, resolution_due_at timestamptz,
        first_responded_at timestamptz, resolved_at timestamptz, closed_at timestamptz, resolution jsonb, csat smallint)
    ), inserted as (
      insert into tickets (id, number, version, type, channel, state, priority, severity, service_type, customer_id,
        contact_name, site_id, region_code, product_model_id, device_id, serial_number, unknown_device, title, description,
        category_id, reported_at, assignee_id, response_due_at, resolution_due_at, first_responded_at, resolved_at,
        closed_at, resolution, confirmation, csat, is_repeat, reopen_count, fields, created_at, updated_at)
      select id, 'SV-' || ${year} || '-' || lpad(nextval(${`ticket_number_${year}`}::regclass)::text, 6, '0'), 3, 'repair',
        channel, 'closed', priority, severity, service_type, customer_id, '历史联系人', site_id, region_code,
        product_model_id, device_id, serial_number, false, title, title || '（历史工单）', category_id, reported_at,
        assignee_id, response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at, resolution,
        jsonb_build_object('csat', csat, 'confirmedAt', closed_at), csat, false, 0, '{}'::jsonb, reported_at, closed_at
      from x
      returning id, reported_at, closed_at
    )
    insert into events (id, occurred_at, type, entity_type, entity_id, actor_kind, visibility, data)
    select gen_random_uuid(), reported_at, 'ticket.created', 'ticket', id::text, 'system', 'customer', '{"imported": true}'::jsonb from inserted
    union all
    select gen_random_uuid(), closed_at, 'ticket.closed', 'ticket', id::text, 'system', 'customer', '{"imported": true}'::jsonb from inserted`);
}
