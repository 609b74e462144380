import { sql } from 'drizzle-orm';
import { rows } from '../platform/db/client';
import type { DemoActor, DemoCast } from './demo-actors';

/**
 * What each role finds set up on a fresh demo, made by the role that would make it: the manager
 * writes engineer profiles, skill needs, rules and dashboards; the keeper the catalogue and stock;
 * the agent the portal FAQ; the administrator who hears about what.
 */

const SKILLS = { cnc: '数控机床', robot: '工业机器人', elevator: '电梯', electronics: '消费电子' } as const;

/** Which skill a product model's repairs need (models of master-data.ts). */
const MODEL_SKILLS: Record<string, string> = {
  'VMC-850': SKILLS.cnc,
  CK6150: SKILLS.cnc,
  'RB-20': SKILLS.robot,
  'GL-3000': SKILLS.elevator,
  'ES-600': SKILLS.elevator,
  'NB-14P': SKILLS.electronics,
  'PAD-11': SKILLS.electronics,
  'PH-X5': SKILLS.electronics,
};

const week = (days: number[], start: string, end: string) => days.map((weekday) => ({ weekday, start, end }));

/** Home bases in the teams' main cities; the south engineer is on the weekend duty rota. */
const ENGINEERS = [
  {
    username: 'engineer',
    skills: Object.values(SKILLS),
    certifications: [{ tag: '特种设备作业证-电梯', expiresOn: '2029-06-30' }],
    home: [23.1291, 113.2644],
    workingHours: week([1, 2, 3, 4, 5, 6, 7], '08:00', '20:00'),
    capacityJobs: 5,
    costRateFen: 12_000,
    van: 'VAN-GZ-01',
    vanPart: 'ENC-CBL-5M',
  },
  {
    username: 'engineer2',
    skills: [SKILLS.cnc, SKILLS.robot, SKILLS.elevator],
    certifications: [{ tag: '特种设备作业证-电梯', expiresOn: '2027-03-31' }],
    home: [31.2304, 121.4737],
    workingHours: week([1, 2, 3, 4, 5, 6], '08:30', '17:30'),
    capacityJobs: 4,
    costRateFen: 13_000,
    van: 'VAN-SH-01',
    vanPart: 'DCB-01',
  },
  {
    username: 'engineer3',
    skills: [SKILLS.cnc, SKILLS.elevator, SKILLS.electronics],
    certifications: [],
    home: [30.5728, 104.0668],
    workingHours: week([1, 2, 3, 4, 5, 6], '08:30', '17:30'),
    capacityJobs: 4,
    costRateFen: 11_000,
    van: 'VAN-CD-01',
    vanPart: 'ES-COMB-01',
  },
  {
    username: 'engineer4',
    skills: [SKILLS.cnc, SKILLS.electronics],
    certifications: [],
    home: [39.9042, 116.4074],
    workingHours: week([1, 2, 3, 4, 5], '08:30', '17:30'),
    capacityJobs: 5,
    costRateFen: 11_500,
    van: 'VAN-BJ-01',
    vanPart: 'PAD11-BAT',
  },
] as const;

/** Spare parts per model code, priced in fen; `reorder` is the regional reorder point. */
const PARTS = [
  {
    sku: 'ENC-CBL-5M',
    nameZh: '主轴编码器线缆 5 米',
    nameEn: 'Spindle encoder cable 5 m',
    models: ['VMC-850', 'CK6150'],
    fen: 38_000,
    unit: '根',
  },
  {
    sku: 'SRV-DRV-2K',
    nameZh: '伺服驱动器 2kW',
    nameEn: 'Servo drive 2 kW',
    models: ['VMC-850', 'CK6150', 'RB-20'],
    fen: 460_000,
    unit: '台',
  },
  {
    sku: 'RB-RV-40',
    nameZh: '机器人 RV 减速机',
    nameEn: 'Robot RV reducer',
    models: ['RB-20'],
    fen: 820_000,
    unit: '台',
  },
  {
    sku: 'DCB-01',
    nameZh: '门机控制板',
    nameEn: 'Door controller board',
    models: ['GL-3000'],
    fen: 128_000,
    unit: '块',
  },
  {
    sku: 'TRC-ENC-01',
    nameZh: '曳引机编码器',
    nameEn: 'Traction machine encoder',
    models: ['GL-3000'],
    fen: 96_000,
    unit: '个',
  },
  {
    sku: 'ES-COMB-01',
    nameZh: '扶梯梳齿板',
    nameEn: 'Escalator comb plate',
    models: ['ES-600'],
    fen: 21_000,
    unit: '块',
  },
  {
    sku: 'NB14-MB',
    nameZh: 'NB-14 Pro 主板',
    nameEn: 'NB-14 Pro mainboard',
    models: ['NB-14P'],
    fen: 185_000,
    unit: '块',
  },
  { sku: 'PAD11-BAT', nameZh: 'PAD-11 电池', nameEn: 'PAD-11 battery', models: ['PAD-11'], fen: 26_000, unit: '块' },
  {
    sku: 'PHX5-LCD',
    nameZh: 'PH-X5 屏幕总成',
    nameEn: 'PH-X5 display assembly',
    models: ['PH-X5'],
    fen: 68_000,
    unit: '个',
  },
] as const;

const WAREHOUSES = [
  { code: 'HQ', name: '总仓（苏州）', kind: 'headquarters', regionCode: '320000' },
  { code: 'GZ', name: '华南区域仓（广州）', kind: 'regional', regionCode: '440000' },
  { code: 'SH', name: '华东区域仓（上海）', kind: 'regional', regionCode: '310000' },
] as const;

const FAQS = [
  {
    question: '电梯困人怎么办？',
    answer:
      '请保持冷静，按下轿厢内的警铃或拨打电梯内的救援电话，不要强行扒门。我们的工程师 30 分钟内响应，并同时通知物业。',
    keywords: '电梯 困人 关人 救援 警铃',
  },
  {
    question: '数控机床主轴报警 ALM-401 如何处理？',
    answer:
      '多为主轴编码器线缆松动或磨损：断电后检查编码器插头是否牢固；仍报警请在门户报修并附上报警画面照片，工程师会带线缆上门。',
    keywords: '主轴 报警 ALM-401 编码器 数控',
  },
  {
    question: '笔记本无法开机怎么办？',
    answer: '请先连接原装电源适配器充电 30 分钟，再长按电源键 15 秒强制重启；若仍无反应，请扫描机身底部二维码报修。',
    keywords: '笔记本 开机 黑屏 不开机 电源',
  },
  {
    question: '如何查询维修进度？',
    answer:
      '登录客户门户，在“我的工单”中打开工单即可看到受理、派工、上门、完工的每一步，工程师出发后还会显示预计到达时间。',
    keywords: '进度 查询 工单 状态 跟踪',
  },
  {
    question: '保修期内维修收费吗？',
    answer:
      '保修期内因产品质量问题产生的维修免费；人为损坏、耗材和保修范围外的服务会先给出报价，经您在门户确认后再施工。',
    keywords: '保修 收费 报价 费用 质保',
  },
] as const;

export interface DemoSetup {
  people: Record<
    'manager' | 'agent' | 'warehouse' | 'customer' | 'admin' | (typeof ENGINEERS)[number]['username'],
    DemoActor
  >;
  parts: Map<string, string>;
  warehouses: Map<string, string>;
}

export async function seedDemoSetup(cast: DemoCast): Promise<DemoSetup> {
  const db = cast.server.platform.db;
  const people = {
    admin: await cast.as('admin'),
    manager: await cast.as('manager'),
    agent: await cast.as('agent'),
    warehouse: await cast.as('warehouse'),
    customer: await cast.as('customer'),
    engineer: await cast.as('engineer'),
    engineer2: await cast.as('engineer2'),
    engineer3: await cast.as('engineer3'),
    engineer4: await cast.as('engineer4'),
  };
  const { manager, warehouse, agent, admin } = people;

  for (const e of ENGINEERS)
    await manager.post('/engineer-profiles', {
      userId: people[e.username].userId,
      skills: e.skills,
      certifications: e.certifications,
      homeLat: e.home[0],
      homeLng: e.home[1],
      workingHours: e.workingHours,
      capacityJobs: e.capacityJobs,
      capacityHours: 8,
      costRateFen: e.costRateFen,
    });
  const models = await rows<{ id: string; code: string }>(db, sql`select id, code from product_models`);
  const modelId = new Map(models.map((m) => [m.code, m.id]));
  for (const m of models)
    await manager.put('/skill-requirements', { subjectKind: 'model', subjectId: m.id, skills: [MODEL_SKILLS[m.code]] });

  const parts = new Map<string, string>();
  for (const p of PARTS) {
    const part = await warehouse.post('/parts', {
      sku: p.sku,
      nameZh: p.nameZh,
      nameEn: p.nameEn,
      compatibleModelIds: p.models.map((code) => modelId.get(code)!),
      unitCostFen: p.fen,
      unit: p.unit,
    });
    parts.set(p.sku, part.id);
  }
  const warehouses = new Map<string, string>();
  for (const w of WAREHOUSES) warehouses.set(w.code, (await warehouse.post('/warehouses', w)).id);
  for (const e of ENGINEERS) {
    const van = await warehouse.post('/warehouses', {
      code: e.van,
      name: `车载库 ${e.van.slice(4, 6)}（${e.username}）`,
      kind: 'van',
      ownerUserId: people[e.username].userId,
    });
    warehouses.set(e.van, van.id);
  }
  // Stock: plenty at headquarters, some in each regional warehouse for the parts its region uses.
  for (const [i, p] of PARTS.entries()) {
    const partId = parts.get(p.sku)!;
    const receive = (code: string, quantity: number) =>
      warehouse.post('/stock/movements', {
        kind: 'receipt',
        partId,
        warehouseId: warehouses.get(code),
        quantity,
        reason: '演示期初库存',
      });
    await receive('HQ', 20 + 5 * (i % 4));
    if (i % 3 !== 2) await receive('GZ', 2 + (i % 5));
    if (i % 3 !== 1) await receive('SH', 3 + (i % 3));
  }
  // The regional lines of the busiest parts have reorder points; those below it raise the keeper's alerts.
  for (const sku of ['ENC-CBL-5M', 'DCB-01', 'NB14-MB'])
    for (const code of ['GZ', 'SH'])
      await warehouse.put('/stock/reorder-points', {
        partId: parts.get(sku),
        warehouseId: warehouses.get(code),
        reorderPoint: 4,
      });
  // Each van carries two of the part its engineer replaces most often.
  for (const e of ENGINEERS)
    await warehouse.post('/stock/movements', {
      kind: 'receipt',
      partId: parts.get(e.vanPart),
      warehouseId: warehouses.get(e.van),
      quantity: 2,
      reason: '车载库配货',
    });

  await seedRules(manager, admin);
  await seedDashboards(manager);
  for (const faq of FAQS) await agent.post('/faqs', faq);
  return { people, parts, warehouses };
}

/** Four rules at work and one written but switched off, as a manager would try it first. */
async function seedRules(manager: DemoActor, admin: DemoActor) {
  const managers = { kind: 'role', role: 'manager' };
  await manager.post('/automation/rules', {
    name: '紧急工单通知主管',
    description: 'P0/P1 工单分级后立即通知服务主管',
    trigger: { type: 'ticket.transitioned', events: ['ticket.triaged'] },
    conditions: { field: 'ticket.priority', op: 'in', value: ['P0', 'P1'] },
    actions: [
      {
        type: 'notify',
        recipients: [managers],
        channels: ['in_app'],
        title: '紧急工单 {{ticketNumber}}（{{priority}}）',
        body: '{{customer}}：{{title}}，请关注派工进度。{{link}}',
      },
    ],
  });
  await manager.post('/automation/rules', {
    name: 'SLA 超时升级',
    description: '解决时限超时：优先级升一级并通知服务主管',
    trigger: { type: 'sla.breached', clock: 'resolution' },
    actions: [
      {
        type: 'escalate',
        raiseTo: 'one_step',
        recipients: [managers],
        channels: ['in_app'],
        title: 'SLA 超时：{{ticketNumber}}',
        body: '{{customer}} 的工单“{{title}}”已超过解决时限。{{link}}',
      },
    ],
  });
  await manager.post('/automation/rules', {
    name: '低分回访',
    description: '满意度低于 3 分时自动创建回访工单',
    trigger: { type: 'survey.low_score', below: 3 },
    actions: [
      {
        type: 'create_ticket',
        title: '客户满意度回访',
        description: '客户对上次服务的评分偏低，请客服主管在 24 小时内电话回访并记录改进措施。',
        kind: 'follow_up',
      },
    ],
  });
  // A monitoring system posts device alarms (POST /devices/{id}/alerts); the critical ones reach
  // the managers at once.
  await manager.post('/automation/rules', {
    name: '设备严重告警通知主管',
    description: '设备上报严重告警（如电梯困人、主轴过载）时立即通知服务主管',
    trigger: { type: 'telemetry.alert' },
    conditions: { field: 'event.severity', op: 'eq', value: 'critical' },
    actions: [
      {
        type: 'notify',
        recipients: [managers],
        channels: ['in_app'],
        title: '设备严重告警 {{serialNumber}}',
        body: '告警 {{code}}：{{message}}。{{link}}',
      },
    ],
  });
  await manager.post('/automation/rules', {
    name: '华东工单按技能与区域自动派工',
    description: '试运行中：启用后华东地区分级完成的工单自动派给技能与区域最匹配的工程师',
    enabled: false,
    trigger: { type: 'ticket.transitioned', events: ['ticket.triaged'] },
    conditions: { field: 'ticket.regionCode', op: 'in', value: ['310000', '320000', '330000'] },
    actions: [{ type: 'assign', strategy: 'skill_region' }],
  });
  // Who hears about what, beyond the defaults (assignees, team managers, agents, keepers):
  // the quality engineer hears of every reopened ticket, a sign the first repair did not hold.
  await admin.post('/notifications/subscriptions', {
    eventType: 'ticket.reopened',
    recipientKind: 'role',
    role: 'quality',
    channels: ['in_app'],
  });
}

/** Saved reports and two dashboards: the manager's weekly review and the dispatchers' board. */
async function seedDashboards(manager: DemoActor) {
  const report = async (name: string, definition: object, sharedRoles: string[]) =>
    (await manager.post('/analytics/reports', { name, definition, sharedRoles })).id as string;
  const everyone = ['manager', 'agent', 'quality'];
  const pareto = await report(
    '故障类别帕累托',
    { dimensions: ['category'], measures: ['tickets'], chart: 'pareto' },
    everyone,
  );
  const regions = await report(
    '各区域工单与首次修复率',
    { dimensions: ['region'], measures: ['tickets', 'firstTimeFix'], chart: 'bar' },
    everyone,
  );
  const models = await report(
    '产品型号故障排行',
    { dimensions: ['productModel'], measures: ['tickets', 'closed'], chart: 'bar' },
    everyone,
  );
  await manager.post('/analytics/dashboards', {
    name: '服务主管周会看板',
    layout: [
      { reportId: pareto, span: 12 },
      { reportId: regions, span: 12 },
      { reportId: models, span: 24 },
    ],
    sharedRoles: ['manager', 'quality'],
  });
  await manager.post('/analytics/dashboards', {
    name: '调度运营看板',
    layout: [
      { reportId: regions, span: 12 },
      { reportId: pareto, span: 12 },
    ],
    sharedRoles: ['agent'],
  });
}
