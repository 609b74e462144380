import { sql } from 'drizzle-orm';
import { chinaDate } from '../modules/assets/index';
import type { ManualClock } from '../platform/clock';
import { rows } from '../platform/db/client';
import type { JobQueue } from '../platform/jobs/queue';
import { type DemoActor, type DemoCast, DemoRequestError } from './demo-actors';
import type { DemoSetup } from './demo-setup';
import { demoSignature } from './signature';

const HOUR = 3_600_000;

interface Device {
  customer: string;
  device_id: string;
  site_id: string | null;
  lat: number | null;
  lng: number | null;
}

interface Visit {
  id: string;
  checkedOutAt: string | null;
  declinedAt?: string | null;
}

/** One ticket's story, remembering the ticket as the last step left it. */
class Story {
  private ticket = { id: '', version: 0, visits: [] as Visit[] };
  constructor(private readonly staff: DemoActor) {}

  get id() {
    return this.ticket.id;
  }

  async report(by: DemoActor, device: Device, fields: Record<string, unknown>) {
    const created = await by.post('/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      deviceId: device.device_id,
      siteId: device.site_id,
      serviceType: 'onsite',
      ...fields,
    });
    this.ticket = created.ticket;
  }

  /** A transition; when a rule or an SLA clock moved the ticket meanwhile, once more on its new version. */
  async move(by: DemoActor, body: Record<string, unknown>) {
    const url = `/tickets/${this.id}/transitions`;
    try {
      this.ticket = await by.post(url, { version: this.ticket.version, ...body });
    } catch (error) {
      if (!(error instanceof DemoRequestError) || error.status !== 409) throw error;
      const { version } = await this.staff.get(`/tickets/${this.id}`);
      this.ticket = await by.post(url, { version, ...body });
    }
  }

  /** The visit still ahead: not declined, not checked out. */
  async visitId(): Promise<string> {
    const visits = this.ticket.visits ?? (await this.staff.get(`/tickets/${this.id}`)).visits;
    return (visits as Visit[]).find((v) => !v.declinedAt && !v.checkedOutAt)!.id;
  }
}

export interface TodayOptions {
  clock: ManualClock;
  now: Date;
  jobs: JobQueue;
}

/**
 * The last three days of work, replayed step by step on the seeding clock so that today every
 * lifecycle state is there: new reports, a queue to dispatch (one breached, one at risk), remote
 * support, visits today and tomorrow for every engineer (the `engineer` account one on site right
 * now), tickets resolved and awaiting the customer's signature, one suspended, one cancelled, and
 * one closed with the customer's signature, CSAT and NPS after a requisition was issued and used.
 */
export async function seedDemoToday(cast: DemoCast, setup: DemoSetup, options: TodayOptions) {
  const { people, parts, warehouses } = setup;
  const { agent, customer, warehouse, engineer, engineer2, engineer3, engineer4 } = people;
  const db = cast.server.platform.db;
  const devices = await rows<Device>(
    db,
    sql`select c.name as customer, d.id as device_id, d.site_id, s.lat, s.lng
        from devices d join customers c on c.id = d.customer_id left join sites s on s.id = d.site_id
        order by d.asset_code`,
  );
  // Each customer's first device (ZC-…-1) is kept free of open work: it is the one the docs and
  // the browser tests report a fault on, and an open ticket there would be a likely duplicate.
  const device = (customer: string, n = 0) => devices.filter((d) => d.customer.startsWith(customer))[n + 1]!;
  const categories = await rows<{ id: string; root: string }>(
    db,
    sql`select c.id, p.code as root from fault_categories c join fault_categories p on p.id = c.parent_id order by c.code`,
  );
  const category = (root: string) => categories.find((c) => c.root === root)?.id ?? null;
  const now = options.now.getTime();
  const today = Date.parse(`${chinaDate(options.now)}T00:00:00+08:00`);
  /** A time of day in China, `days` after today. */
  const on = (days: number, time: string) => {
    const [h, m] = time.split(':').map(Number) as [number, number];
    return new Date(today + days * 24 * HOUR + (h * 60 + m) * 60_000).toISOString();
  };
  const ago = (hours: number) => new Date(now - hours * HOUR).toISOString();

  const steps: { at: number; run: () => Promise<void> }[] = [];
  /** A story as (hours before now, step) pairs; the steps of all stories run in time order. */
  const story = (plan: [number, (s: Story) => Promise<void>][]) => {
    const s = new Story(agent);
    for (const [hours, run] of plan) steps.push({ at: now - hours * HOUR, run: () => run(s) });
  };
  const triage =
    (priority: string, root = 'hardware') =>
    (s: Story) =>
      s.move(agent, { action: 'triage', priority, categoryId: category(root) });
  const dispatch =
    (to: DemoActor, start: () => string, hours = 2) =>
    (s: Story) =>
      s.move(agent, {
        action: 'dispatch',
        engineerId: to.userId,
        plannedStart: start(),
        plannedEnd: new Date(Date.parse(start()) + hours * HOUR).toISOString(),
      });
  const accept = (by: DemoActor) => async (s: Story) => s.move(by, { action: 'accept', visitId: await s.visitId() });
  const checkIn = (by: DemoActor, d: Device) => async (s: Story) =>
    s.move(by, {
      action: 'check_in',
      visitId: await s.visitId(),
      location: d.lat === null || d.lng === null ? null : { lat: d.lat + 0.0004, lng: d.lng - 0.0003 },
    });
  const checkOut = (by: DemoActor, note: string) => async (s: Story) =>
    s.move(by, { action: 'check_out', visitId: await s.visitId(), note });
  const resolve =
    (by: DemoActor, rootCause: string, actionsTaken: string, partsUsed: object[] = []) =>
    (s: Story) =>
      s.move(by, {
        action: 'resolve',
        diagnosis: rootCause,
        rootCause,
        actionsTaken,
        partsUsed,
        labourMinutes: 90,
        travelMinutes: 40,
        checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
      });

  const demoCustomer = '深圳精工';
  story([
    [
      0.4,
      (s) =>
        s.report(customer, device(demoCustomer, 3), {
          channel: 'portal',
          title: '数控车床尾座异响',
          description: '尾座移动时有明显异响，伴随轻微振动，已暂停使用',
          severity: 'minor',
        }),
    ],
  ]);
  story([
    [
      5,
      (s) =>
        s.report(agent, device('南宁绿城', 0), {
          title: '门店收银平板无法开机',
          description: '三家门店的收银平板充电后仍无法开机，影响营业',
        }),
    ],
    [4.5, triage('P2')],
  ]);
  // Declined by the engineer (away on another job), back in the queue, and now past its resolution target.
  story([
    [
      30,
      (s) =>
        s.report(agent, device('广州天河', 1), {
          title: '电梯困人后停梯',
          description: '3 号梯困人已解救，物业要求停梯检修后再运行',
          severity: 'critical',
        }),
    ],
    [29.5, triage('P1')],
    [29, dispatch(engineer, () => ago(27))],
    [
      28,
      async (s) =>
        s.move(engineer, {
          action: 'decline',
          visitId: await s.visitId(),
          reason: '正在南宁处理 P0 故障，今天赶不回广州',
        }),
    ],
  ]);
  story([
    [
      21,
      (s) =>
        s.report(agent, device('苏州汇川', 0), {
          title: '机器人第三轴过载报警',
          description: '焊装线 RB-20 机器人第三轴频繁过载报警停机',
        }),
    ],
    [20.5, triage('P1')],
  ]);
  story([
    [
      6,
      (s) =>
        s.report(agent, device('北京中关村', 0), {
          title: '笔记本频繁蓝屏',
          description: '研发部十台笔记本近两天频繁蓝屏，错误代码 0x0000007E',
          serviceType: 'remote',
        }),
    ],
    [5.5, triage('P3', 'software')],
    [5, (s) => s.move(agent, { action: 'start_remote', note: '已远程连接第一台，收集转储文件' })],
    [4, (s) => s.move(agent, { action: 'record_remote', note: '疑似显卡驱动与新版系统不兼容，正在回退驱动验证' })],
  ]);
  // The engineer's day: on site now, one more visit today, one tomorrow; a part requested for the afternoon.
  story([
    [
      22,
      (s) =>
        s.report(agent, device(demoCustomer, 0), {
          title: '主轴定向报警 SP-9032',
          description: '主轴定向停止位置偏差，换刀时报警 SP-9032，复位后能运行但每班出现数次',
        }),
    ],
    [21, triage('P2')],
    [20, dispatch(engineer, () => on(0, '15:00'))],
    [19, accept(engineer)],
    [
      18,
      (s) =>
        engineer
          .post('/requisitions', {
            ticketId: s.id,
            note: '怀疑编码器线缆磨损，带一根备用',
            lines: [{ partId: parts.get('ENC-CBL-5M'), warehouseId: warehouses.get('GZ'), quantity: 1 }],
          })
          .then(() => undefined),
    ],
  ]);
  story([
    [
      26,
      (s) =>
        s.report(agent, device('南宁绿城', 1), {
          title: '教育平板批量无法充电',
          description: '培训教室 20 台平板插电无反应，充电指示灯不亮',
        }),
    ],
    [25, triage('P2')],
    [24, dispatch(engineer, () => on(0, '10:00'))],
    [23, accept(engineer)],
  ]);
  story([
    [
      8,
      (s) =>
        s.report(agent, device('广州天河', 2), {
          title: '扶梯扶手带速度异常',
          description: '扶手带比梯级慢，乘客反映手被带着往后拉',
        }),
    ],
    [7.5, triage('P3')],
    [7, dispatch(engineer, () => on(1, '09:30'))],
  ]);
  story([
    [
      4,
      (s) =>
        s.report(agent, device(demoCustomer, 1), {
          title: '加工中心换刀卡刀',
          description: '换刀过程中刀臂卡住，报警 2041，产线停线',
          severity: 'critical',
        }),
    ],
    [3.8, triage('P1')],
    [3.5, dispatch(engineer, () => ago(2), 3)],
    [3.4, accept(engineer)],
    [1.5, checkIn(engineer, device(demoCustomer, 1))],
  ]);
  // Resolved yesterday by the east engineer: the agent has yet to ask the customer to confirm.
  story([
    [
      28,
      (s) =>
        s.report(agent, device('上海申城', 0), {
          title: '电梯门机开关门异常',
          description: '5 号梯开关门时抖动，偶尔重开门，物业担心夹人',
        }),
    ],
    [27, triage('P2')],
    [26, dispatch(engineer2, () => ago(22))],
    [25, accept(engineer2)],
    [22, checkIn(engineer2, device('上海申城', 0))],
    [20, checkOut(engineer2, '已更换门机控制板并调试')],
    [
      19.5,
      resolve(engineer2, '门机控制板电容老化', '更换门机控制板，调整门刀间隙，开关门 200 次无异常', [
        { sku: 'DCB-01', name: '门机控制板', quantity: 1 },
      ]),
    ],
  ]);
  // Waiting for the demo customer's signature and rating in the portal.
  story([
    [
      46,
      (s) =>
        s.report(agent, device(demoCustomer, 2), {
          title: '数控车床刀塔不能换位',
          description: '刀塔换位时报警 AL-12，手动也无法转位',
        }),
    ],
    [45, triage('P2')],
    [44, dispatch(engineer, () => ago(26))],
    [43, accept(engineer)],
    [26, checkIn(engineer, device(demoCustomer, 2))],
    [24, checkOut(engineer, '刀塔恢复正常，已试切')],
    [23.5, resolve(engineer, '刀塔锁紧信号开关松动', '紧固并重新调整锁紧信号开关，换位 50 次无报警')],
    [23, (s) => s.move(agent, { action: 'request_confirmation' })],
  ]);
  story([
    [
      30,
      (s) =>
        s.report(agent, device('重庆渝西', 0), {
          title: '主轴温升过高',
          description: '连续加工两小时后主轴温度超过 70 度，报警降速',
        }),
    ],
    [29, triage('P3')],
    [28, (s) => s.move(agent, { action: 'start_remote', note: '已指导客户检查冷却液液位与风扇' })],
    [27, (s) => s.move(agent, { action: 'suspend', reason: '等待客户安排停机窗口后上门检查主轴轴承' })],
  ]);
  // Closed: a requisition approved, issued and used on site, then signed and rated by the customer.
  story([
    [
      70,
      (s) =>
        s.report(agent, device(demoCustomer, 3), {
          title: '伺服驱动器报过流',
          description: '机器人 X 轴伺服驱动器报过流 AL-04，断电重启后仍报警',
        }),
    ],
    [69.5, triage('P1')],
    [69, dispatch(engineer, () => ago(66), 3)],
    [68.5, accept(engineer)],
    [
      68,
      async (s) => {
        const requisition = await engineer.post('/requisitions', {
          ticketId: s.id,
          lines: [{ partId: parts.get('SRV-DRV-2K'), warehouseId: warehouses.get('GZ'), quantity: 1 }],
        });
        const approved = await warehouse.post(`/requisitions/${requisition.id}/approve`, {
          version: requisition.version,
        });
        await warehouse.post(`/requisitions/${requisition.id}/issue`, { version: approved.version });
      },
    ],
    [66, checkIn(engineer, device(demoCustomer, 3))],
    [
      64.5,
      async (s) => {
        const { items } = await engineer.get(`/requisitions?ticketId=${s.id}`);
        await engineer.post(`/requisitions/${items[0].id}/consume`, { version: items[0].version });
      },
    ],
    [64.2, checkOut(engineer, '更换伺服驱动器，试运行正常')],
    [
      64,
      resolve(engineer, '伺服驱动器功率模块击穿', '更换伺服驱动器并恢复参数，空载与负载试运行各 30 分钟', [
        { sku: 'SRV-DRV-2K', name: '伺服驱动器 2kW', quantity: 1 },
      ]),
    ],
    [63, (s) => s.move(agent, { action: 'request_confirmation' })],
    [
      60,
      async (s) =>
        s.move(customer, {
          action: 'confirm',
          signature: await demoSignature(),
          csat: 5,
          comment: '工程师很专业，当天解决',
        }),
    ],
    [
      59,
      async (s) => {
        const { items } = await customer.get(`/surveys?ticketId=${s.id}`);
        await customer.post(`/surveys/${items[0].id}/answer`, { nps: 9, comment: '响应快，备件带得齐' });
      },
    ],
  ]);
  story([
    [
      10,
      (s) =>
        s.report(agent, device('成都锦城', 0), {
          title: '重复报修：3 号梯异响',
          description: '物业另一位同事重复报修 3 号梯运行异响',
        }),
    ],
    [9.5, (s) => s.move(agent, { action: 'cancel', reason: '与上午的报修重复，已合并跟进' })],
  ]);
  // The other engineers' days, so the dispatch board has rows everywhere.
  story([
    [
      12,
      (s) =>
        s.report(agent, device('西安古城', 0), {
          title: '手机屏幕触控失灵',
          description: '测试部 5 台手机屏幕局部触控失灵，怀疑批次问题',
        }),
    ],
    [11.5, triage('P3')],
    [11, dispatch(engineer3, () => on(1, '14:00'))],
  ]);
  story([
    [
      20,
      (s) =>
        s.report(agent, device('武汉光谷', 0), {
          title: '教室平板无法联网',
          description: '二号教学楼 30 台平板连不上校园网，其他设备正常',
        }),
    ],
    [19, triage('P2', 'software')],
    [18, dispatch(engineer4, () => on(0, '11:00'))],
    [17, accept(engineer4)],
  ]);

  steps.sort((a, b) => a.at - b.at);
  let jobsRun = 0;
  for (const step of steps) {
    options.clock.set(new Date(step.at));
    // SLA warnings and breaches fall due as time passes, before whatever happens next (looked
    // for every half hour: close enough for the demo, and it keeps the first start quick).
    if (step.at - jobsRun >= 30 * 60_000) {
      await options.jobs.runDue();
      jobsRun = step.at;
    }
    await step.run();
  }
}
