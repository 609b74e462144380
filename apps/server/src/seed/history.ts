import { sql } from 'drizzle-orm';
import { backfillFacts } from '../modules/analytics/facts';
import { chinaDate } from '../modules/assets/index';
import { FAULT_MIX_2024, FAULT_MIX_2025 } from '../modules/tickets/taxonomy';
import { REPAIR_V1 } from '../modules/workflows/index';
import { type Executor, rows } from '../platform/db/client';
import { newId } from '../platform/ids';
import { apportion, Random } from './random';

/**
 * Two years of tickets through full lifecycles, in bulk: rows are generated here and written in
 * batches through one JSON parameter each (jsonb_to_recordset), because one INSERT per ticket
 * would take hours at a million. The history ends at `until`: by default the end of 2025, so the
 * two years are 2024 and 2025 and the fault-category mix reproduces seed 000's table exactly for
 * each; the demo ends it at the clock of its first start, so this year's charts run up to today.
 */

const BATCH = 5_000;
const DAY = 86_400_000;
/** Midnight of 1 January 2026 in China: the end of the two calendar years of seed 000. */
const SEED_000_UNTIL = new Date('2026-01-01T00:00:00+08:00');
/** The earlier year of the two follows seed 000's 2024 mix, the later its 2025 mix. */
const YEARS = [
  { yearsBack: 2, mix: FAULT_MIX_2024 },
  { yearsBack: 1, mix: FAULT_MIX_2025 },
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
/** Share of on-site jobs needing a second visit (a part missing on the first): first-time fix ≈ 85 %. */
const SECOND_VISIT = 0.15;
/** Share of tickets that repeat an earlier repair on the same device and fault category within 30 days. */
const REPEAT = 0.04;
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
  options: { tickets: number; seed: number; until?: Date; log?: (msg: string) => void },
) {
  const rng = new Random(options.seed);
  const log = options.log ?? (() => {});
  const until = (options.until ?? SEED_000_UNTIL).getTime();
  const devices = await rows<Device>(
    db,
    sql`select d.id, d.customer_id, d.model_id, d.site_id, d.serial_number, c.region_code
        from devices d join customers c on c.id = d.customer_id`,
  );
  if (devices.length === 0) throw new Error('no devices: create master data first');
  // On-site jobs go to an engineer covering the customer's province when there is one.
  const engineers = new Map<string, string[]>();
  for (const e of await rows<{ id: string; region: string }>(
    db,
    sql`select id, unnest(case when region_codes = '{}' then array['*'] else region_codes end) as region
        from users where 'engineer' = any(roles) and active order by username, region`,
  )) {
    engineers.set(e.region, [...(engineers.get(e.region) ?? []), e.id]);
    engineers.set('*', [...(engineers.get('*') ?? []), e.id]);
  }
  const leaves = await rows<{ id: string; root: string }>(
    db,
    sql`select c.id, p.code as root from fault_categories c join fault_categories p on p.id = c.parent_id`,
  );
  const leavesByRoot = new Map<string, string[]>();
  for (const l of leaves) leavesByRoot.set(l.root, [...(leavesByRoot.get(l.root) ?? []), l.id]);

  let written = 0;
  for (const [i, { yearsBack, mix }] of YEARS.entries()) {
    const periodEnd = until - (yearsBack - 1) * 365 * DAY;
    const total = Math.floor(options.tickets / 2) + (i === 0 ? options.tickets % 2 : 0);
    const roots = Object.entries(apportion(total, mix)).flatMap(([root, n]) => Array<string>(n).fill(root));
    rng.shuffle(roots);
    const lastByRoot = new Map<string, Generated>();
    for (let start = 0; start < roots.length; start += BATCH) {
      const batch = roots.slice(start, start + BATCH).map((root) => {
        const previous = rng.chance(REPEAT) ? lastByRoot.get(root) : undefined;
        const generated = ticketRow(rng, periodEnd, until, root, devices, leavesByRoot, engineers, previous);
        lastByRoot.set(root, generated);
        return generated;
      });
      await insertBatch(db, batch);
      written += batch.length;
      if (written % 50_000 === 0 || written === options.tickets) log(`${written} tickets`);
    }
  }
  // Fresh statistics, or the planner treats a million bulk-loaded rows as an empty table.
  await db.execute(sql`analyze tickets`);
  await db.execute(sql`analyze events`);
  await db.execute(sql`analyze visits`);
  // Bulk history notifies no subscriber, so it brings the analytics facts up to date itself.
  const facts = await backfillFacts(db, options.until ?? new Date());
  await db.execute(sql`analyze ticket_facts`);
  log(`${facts} analytics facts`);
  return written;
}

type Generated = ReturnType<typeof ticketRow>;

function ticketRow(
  rng: Random,
  periodEnd: number,
  until: number,
  root: string,
  devices: Device[],
  leaves: Map<string, string[]>,
  engineers: Map<string, string[]>,
  previous?: { ticket: { id: string; closed_at: string; category_id: string }; device: Device },
) {
  // A repeat: the same device and fault category back within 30 days of the earlier ticket closing.
  const repeatAt = previous ? new Date(previous.ticket.closed_at).getTime() + rng.int(1, 29) * DAY : 0;
  const repeat = previous && repeatAt < periodEnd - 30 * DAY ? previous.ticket : null;
  const device = repeat ? previous!.device : rng.pick(devices);
  const reported = new Date(repeat ? repeatAt : periodEnd - 365 * DAY + rng.next() * 365 * DAY);
  const priority = rng.weighted(PRIORITY);
  const [minH, maxH] = HOURS_TO_RESOLVE[priority]!;
  const responded = new Date(reported.getTime() + rng.int(5, 240) * 60_000);
  const onsite = rng.chance(0.6);
  const candidates = engineers.get(device.region_code) ?? engineers.get('*');
  const engineer = onsite && candidates ? rng.pick(candidates) : null;
  const id = newId(reported.getTime());
  const visits = engineer ? visitRows(rng, id, engineer, responded) : [];
  const resolved =
    visits.length > 0
      ? new Date(visits.at(-1)!.checked_out_at)
      : new Date(reported.getTime() + (minH + rng.next() * (maxH - minH)) * 3_600_000);
  const closed = new Date(resolved.getTime() + rng.int(1, 48) * 3_600_000);
  const csat = rng.weighted(CSAT);
  const labour = visits.length
    ? visits.reduce((sum, v) => sum + (Date.parse(v.checked_out_at) - Date.parse(v.checked_in_at)) / 60_000, 0)
    : rng.int(20, 90);
  const ticket = {
    id,
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
    category_id: repeat ? repeat.category_id : rng.pick(leaves.get(root) ?? [null as unknown as string]),
    reported_at: reported.toISOString(),
    assignee_id: engineer,
    response_due_at: new Date(reported.getTime() + 2 * 3_600_000).toISOString(),
    resolution_due_at: new Date(reported.getTime() + maxH * 0.8 * 3_600_000).toISOString(),
    first_responded_at: responded.toISOString(),
    resolved_at: resolved.toISOString(),
    closed_at: closed.toISOString(),
    resolution: {
      rootCause: '历史导入',
      actionsTaken: onsite ? '上门维修' : '远程处理',
      partsUsed: [],
      labourMinutes: Math.round(labour),
      travelMinutes: onsite ? rng.int(20, 180) * visits.length : 0,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    },
    csat,
    repeat_of: repeat?.id ?? null,
  };
  return closedBy(until, { ticket, visits, device }, rng);
}

const TICKET_TIMES = [
  'reported_at',
  'response_due_at',
  'resolution_due_at',
  'first_responded_at',
  'resolved_at',
  'closed_at',
] as const;
const VISIT_TIMES = ['planned_start', 'planned_end', 'checked_in_at', 'checked_out_at', 'created_at'] as const;

/**
 * History is what already happened: a ticket whose story would end after `until` happened that
 * much earlier (and one to 72 hours more, so the last days' closures spread out), durations kept.
 */
function closedBy<
  G extends {
    ticket: Record<(typeof TICKET_TIMES)[number], string>;
    visits: Record<(typeof VISIT_TIMES)[number], string>[];
  },
>(until: number, generated: G, rng: Random): G {
  const late = Date.parse(generated.ticket.closed_at) - until;
  if (late <= 0) return generated;
  const back = late + rng.int(1, 72) * 3_600_000;
  const earlier = <T extends Record<string, unknown>>(row: T, keys: readonly (keyof T)[]) => {
    for (const key of keys) (row[key] as string) = new Date(Date.parse(row[key] as string) - back).toISOString();
  };
  earlier(generated.ticket, TICKET_TIMES);
  for (const visit of generated.visits) earlier(visit, VISIT_TIMES);
  return generated;
}

/** One visit, or two when the first ended without the part (the second one to three days later). */
function visitRows(rng: Random, ticketId: string, engineerId: string, responded: Date) {
  const count = rng.chance(SECOND_VISIT) ? 2 : 1;
  const visits = [];
  let day = responded.getTime() + rng.int(2, 24) * 3_600_000;
  for (let n = 0; n < count; n++) {
    const checkedIn = day + rng.int(-20, 40) * 60_000;
    visits.push({
      id: newId(day),
      ticket_id: ticketId,
      engineer_id: engineerId,
      planned_start: new Date(day).toISOString(),
      planned_end: new Date(day + 3 * 3_600_000).toISOString(),
      checked_in_at: new Date(checkedIn).toISOString(),
      checked_out_at: new Date(checkedIn + rng.int(30, 240) * 60_000).toISOString(),
      created_at: responded.toISOString(),
    });
    day += rng.int(1, 3) * 86_400_000;
  }
  return visits;
}

const chinaYear = (at: string) => Number(chinaDate(new Date(at)).slice(0, 4));

/** Numbered like live intake: SV-<year in China>-<that year's sequence>. */
async function insertBatch(db: Executor, batch: Generated[]) {
  const json = JSON.stringify(batch.map((g) => ({ ...g.ticket, year: chinaYear(g.ticket.reported_at) })));
  const visits = JSON.stringify(batch.flatMap((g) => g.visits));
  for (const year of new Set(batch.map((g) => chinaYear(g.ticket.reported_at))))
    await db.execute(sql.raw(`create sequence if not exists ticket_number_${year}`));
  await db.execute(sql`
    with x as (
      select *, nextval(('ticket_number_' || x.year)::regclass) as n from jsonb_to_recordset(${json}::jsonb) as x(
        id uuid, channel text, priority text, severity text, service_type text, customer_id uuid, site_id uuid,
        region_code text, product_model_id uuid, device_id uuid, serial_number text, title text, category_id uuid,
        reported_at timestamptz, assignee_id uuid, response_due_at timestamptz, resolution_due_at timestamptz,
        first_responded_at timestamptz, resolved_at timestamptz, closed_at timestamptz, resolution jsonb, csat smallint,
        repeat_of uuid, year int)
    ), inserted as (
      insert into tickets (id, number, version, type, channel, state, priority, severity, service_type, customer_id,
        contact_name, site_id, region_code, product_model_id, device_id, serial_number, unknown_device, title, description,
        category_id, reported_at, assignee_id, response_due_at, resolution_due_at, first_responded_at, resolved_at,
        closed_at, resolution, confirmation, csat, repeat_of, is_repeat, reopen_count, fields, workflow_version_id, stage, created_at, updated_at)
      select id, 'SV-' || year || '-' || lpad(n::text, greatest(6, length(n::text)), '0'), 3, 'repair',
        channel, 'closed', priority, severity, service_type, customer_id, '历史联系人', site_id, region_code,
        product_model_id, device_id, serial_number, false, title, title || '（历史工单）', category_id, reported_at,
        assignee_id, response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at, resolution,
        jsonb_build_object('csat', csat, 'confirmedAt', closed_at), csat, repeat_of, repeat_of is not null, 0, '{}'::jsonb,
        ${REPAIR_V1}::uuid, 'closed', reported_at, closed_at
      from x
      returning id, reported_at, closed_at
    ), visited as (
      insert into visits (id, ticket_id, engineer_id, planned_start, planned_end, checked_in_at, checked_out_at, created_at)
      select * from jsonb_to_recordset(${visits}::jsonb) as v(id uuid, ticket_id uuid, engineer_id uuid,
        planned_start timestamptz, planned_end timestamptz, checked_in_at timestamptz, checked_out_at timestamptz,
        created_at timestamptz)
    )
    insert into events (id, occurred_at, type, entity_type, entity_id, actor_kind, visibility, data)
    select gen_random_uuid(), reported_at, 'ticket.created', 'ticket', id::text, 'system', 'customer', '{"imported": true}'::jsonb from inserted
    union all
    select gen_random_uuid(), closed_at, 'ticket.closed', 'ticket', id::text, 'system', 'customer', '{"imported": true}'::jsonb from inserted`);
}
