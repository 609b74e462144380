import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './databases';
import { type Agent, createTestServer, type TestServer } from './harness';
import { type OpenApiDocument, operationsOf } from './openapi-walk';

/**
 * `PATCH` changes exactly the fields it sends, on every resource: for each PATCH operation in
 * the OpenAPI document, a fully populated record is read, one field patched, and the record read
 * again. A new PATCH operation without a factory here fails the test, so it is covered too.
 */

type Json = Record<string, unknown>;
interface Subject {
  /** The record's own URL (PATCH and, unless `read` says otherwise, GET). */
  url: string;
  read?: () => Promise<Json>;
  /** One field and its new value; every other field must come back as it was. */
  change: Json;
}
type Factory = (admin: Agent) => Promise<Subject>;

async function created(res: Promise<{ statusCode: number; body: string; json(): Json }>): Promise<Json> {
  const answer = await res;
  expect(answer.statusCode, answer.body).toBe(201);
  return answer.json();
}

let seq = 0;
/** A fresh suffix for the fields that must be unique. */
const next = () => String(++seq).padStart(3, '0');
/** A unified social credit code with a valid check digit. */
function creditCode(): string {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const body = `91310000MA1FL1${next()}`;
  const sum = [...body].reduce((total, c, i) => total + charset.indexOf(c) * weights[i]!, 0);
  return body + charset[(31 - (sum % 31)) % 31];
}

const WEEKDAYS = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '18:00' }));

const customer = (admin: Agent) =>
  created(
    admin.post('/api/v1/customers', {
      name: `华东重工 ${next()}`,
      creditCode: creditCode(),
      tier: 'vip',
      regionCode: '310000',
      industry: 'machine_tools',
    }),
  );
const productModel = (admin: Agent) =>
  created(
    admin.post('/api/v1/product-models', {
      code: `VMC-${next()}`,
      name: '立式加工中心',
      category: 'cnc_machine',
      manufacturer: '沈阳机床',
    }),
  );
const contract = async (admin: Agent, customerId: string) =>
  created(
    admin.post('/api/v1/contracts', {
      customerId,
      number: `HT-${next()}`,
      coverage: 'parts_only',
      slaTier: 'gold',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      value: 120000,
    }),
  );
const calendar = (admin: Agent) =>
  created(
    admin.post('/api/v1/sla/calendars', {
      code: `east-${next()}`,
      name: '华东全天',
      timeZone: 'Asia/Shanghai',
      alwaysOn: false,
      weekHours: [...Array.from({ length: 6 }, () => [{ start: '08:00', end: '20:00' }]), []],
      chinaHolidays: false,
      extraHolidays: ['2026-12-31'],
      extraWorkdays: ['2026-12-27'],
    }),
  );
const report = (admin: Agent) =>
  created(
    admin.post('/api/v1/analytics/reports', {
      name: `型号统计 ${next()}`,
      definition: { dimensions: ['productModel'], measures: ['tickets'], chart: 'bar' },
      sharedRoles: ['manager', 'agent'],
    }),
  );

const FACTORIES: Record<string, Factory> = {
  '/api/v1/auth/me/preferences': async (admin) => ({
    url: '/api/v1/auth/me/preferences',
    read: async () => (await admin.get('/api/v1/auth/me')).json(),
    change: { locale: 'en-US' },
  }),
  '/api/v1/users/:id': async (admin) => {
    const team = await created(admin.post('/api/v1/teams', { name: '华东组', regionCodes: ['310000'] }));
    const user = await created(
      admin.post('/api/v1/users', {
        username: 'zhou',
        displayName: '周工',
        password: 'Correct-Horse-Battery-9',
        email: 'zhou@example.com',
        mobile: '13812345678',
        roles: ['agent', 'manager'],
        teamIds: [team.id],
        regionCodes: ['310000'],
        locale: 'en-US',
      }),
    );
    return { url: `/api/v1/users/${user.id}`, change: { displayName: '周工程师' } };
  },
  '/api/v1/customers/:id': async (admin) => ({
    url: `/api/v1/customers/${(await customer(admin)).id}`,
    change: { name: '华东重工集团' },
  }),
  '/api/v1/contacts/:id': async (admin) => {
    const contact = await created(
      admin.post('/api/v1/contacts', {
        customerId: (await customer(admin)).id,
        name: '王经理',
        mobile: '13912345678',
        email: 'wang@example.com',
        title: '设备科长',
      }),
    );
    return { url: `/api/v1/contacts/${contact.id}`, change: { name: '王科长' } };
  },
  '/api/v1/sites/:id': async (admin) => {
    const site = await created(
      admin.post('/api/v1/sites', {
        customerId: (await customer(admin)).id,
        name: `浦东工厂 ${next()}`,
        provinceCode: '310000',
        cityCode: '310100',
        districtCode: '310115',
        address: '张江路 1 号',
        lat: 31.2,
        lng: 121.6,
      }),
    );
    return { url: `/api/v1/sites/${site.id}`, change: { name: '浦东一厂' } };
  },
  '/api/v1/product-models/:id': async (admin) => ({
    url: `/api/v1/product-models/${(await productModel(admin)).id}`,
    change: { name: '立式加工中心 II' },
  }),
  '/api/v1/contracts/:id': async (admin) => ({
    url: `/api/v1/contracts/${(await contract(admin, (await customer(admin)).id as string)).id}`,
    change: { value: 150000 },
  }),
  '/api/v1/devices/:id': async (admin) => {
    const owner = (await customer(admin)).id as string;
    const site = await created(
      admin.post('/api/v1/sites', {
        customerId: owner,
        name: `浦东工厂 ${next()}`,
        provinceCode: '310000',
        cityCode: '310100',
        address: '张江路 1 号',
      }),
    );
    const device = await created(
      admin.post('/api/v1/devices', {
        modelId: (await productModel(admin)).id,
        serialNumber: 'SN-0001',
        assetCode: 'A-01',
        customerId: owner,
        siteId: site.id,
        contractId: (await contract(admin, owner)).id,
        batch: 'B2026',
        firmwareVersion: '1.0.0',
        installedOn: '2026-03-01',
        warrantyEndsOn: '2028-03-01',
      }),
    );
    return { url: `/api/v1/devices/${device.id}`, change: { firmwareVersion: '1.0.1' } };
  },
  '/api/v1/forms/fields/:id': async (admin) => {
    const field = await created(
      admin.post('/api/v1/forms/fields', {
        key: 'line',
        labelZh: '产线',
        labelEn: 'Line',
        kind: 'select',
        required: true,
        choices: [
          { value: 'a', labelZh: 'A 线', labelEn: 'Line A' },
          { value: 'b', labelZh: 'B 线', labelEn: 'Line B' },
        ],
        position: 3,
        active: true,
      }),
    );
    return {
      url: `/api/v1/forms/fields/${field.id}`,
      read: async () => (await admin.get('/api/v1/forms/fields')).json().find((f: Json) => f.id === field.id),
      change: { position: 1 },
    };
  },
  '/api/v1/analytics/reports/:id': async (admin) => ({
    url: `/api/v1/analytics/reports/${(await report(admin)).id}`,
    change: { name: '型号工单统计' },
  }),
  '/api/v1/analytics/dashboards/:id': async (admin) => {
    const [a, b] = [await report(admin), await report(admin)];
    const board = await created(
      admin.post('/api/v1/analytics/dashboards', {
        name: '周会看板',
        layout: [
          { reportId: a.id, span: 12 },
          { reportId: b.id, span: 12 },
        ],
        sharedRoles: ['manager'],
      }),
    );
    return {
      url: `/api/v1/analytics/dashboards/${board.id}`,
      change: {
        layout: [
          { reportId: b.id, span: 12 },
          { reportId: a.id, span: 12 },
        ],
      },
    };
  },
  '/api/v1/parts/:id': async (admin) => {
    const part = await created(
      admin.post('/api/v1/parts', {
        sku: 'SP-001',
        nameZh: '主轴轴承',
        nameEn: 'Spindle bearing',
        compatibleModelIds: [(await productModel(admin)).id],
        unitCostFen: 12000,
        unit: '套',
        serialTracked: true,
        active: false,
      }),
    );
    return { url: `/api/v1/parts/${part.id}`, change: { nameZh: '主轴轴承组件' } };
  },
  '/api/v1/warehouses/:id': async (admin) => {
    const warehouse = await created(
      admin.post('/api/v1/warehouses', {
        code: 'WH-SH',
        name: '上海仓',
        kind: 'regional',
        regionCode: '310000',
        ownerUserId: admin.userId,
        active: false,
      }),
    );
    return { url: `/api/v1/warehouses/${warehouse.id}`, change: { name: '上海中心仓' } };
  },
  '/api/v1/sla/policies/:id': async (admin) => {
    const owner = (await customer(admin)).id as string;
    const policy = await created(
      admin.post('/api/v1/sla/policies', {
        name: '金牌 P1',
        priority: 'P1',
        customerTier: 'vip',
        contractId: (await contract(admin, owner)).id,
        responseMinutes: 30,
        resolutionMinutes: 480,
        calendarId: (await calendar(admin)).id,
        warningPercent: 70,
        active: false,
      }),
    );
    return { url: `/api/v1/sla/policies/${policy.id}`, change: { name: '金牌 P1（新）' } };
  },
  '/api/v1/sla/calendars/:id': async (admin) => ({
    url: `/api/v1/sla/calendars/${(await calendar(admin)).id}`,
    change: { name: '华东全天（新）' },
  }),
  '/api/v1/faqs/:id': async (admin) => {
    const faq = await created(
      admin.post('/api/v1/faqs', {
        question: '报警 E35 如何复位？',
        answer: '断电 30 秒后重启。',
        keywords: 'E35 复位 报警',
        active: false,
      }),
    );
    return {
      url: `/api/v1/faqs/${faq.id}`,
      read: async () =>
        (await admin.get('/api/v1/faqs?pageSize=200&includeInactive=true'))
          .json()
          .items.find((f: Json) => f.id === faq.id),
      change: { answer: '断电 60 秒后重启。' },
    };
  },
  '/api/v1/engineer-profiles/:id': async (admin) => {
    const engineer = await created(
      admin.post('/api/v1/users', {
        username: 'li-engineer',
        displayName: '李工',
        password: 'Correct-Horse-Battery-9',
        roles: ['engineer'],
      }),
    );
    const profile = await created(
      admin.post('/api/v1/engineer-profiles', {
        userId: engineer.id,
        skills: ['数控', '电梯'],
        certifications: [{ tag: '特种设备作业', expiresOn: '2028-01-01' }],
        regionCodes: ['310000'],
        homeLat: 31.2,
        homeLng: 121.5,
        workingHours: WEEKDAYS,
        capacityJobs: 3,
        capacityHours: 6,
        leave: [{ from: '2027-01-04', to: '2027-01-08', note: '年假' }],
        costRateFen: 15000,
        active: false,
      }),
    );
    return { url: `/api/v1/engineer-profiles/${profile.id}`, change: { capacityJobs: 4 } };
  },
  '/api/v1/notifications/endpoints/:id': async (admin) => {
    const endpoint = await created(
      admin.post('/api/v1/notifications/endpoints', {
        kind: 'dingtalk',
        name: '华东群',
        url: 'https://oapi.dingtalk.com/robot/send?access_token=test-token',
        secret: 'SEC-test-secret',
        enabled: false,
      }),
    );
    return { url: `/api/v1/notifications/endpoints/${endpoint.id}`, change: { name: '华东服务群' } };
  },
  '/api/v1/notifications/subscriptions/:id': async (admin) => {
    const subscription = await created(
      admin.post('/api/v1/notifications/subscriptions', {
        eventType: 'ticket.created',
        recipientKind: 'role',
        role: 'manager',
        channels: ['in_app', 'email'],
        enabled: false,
      }),
    );
    return { url: `/api/v1/notifications/subscriptions/${subscription.id}`, change: { enabled: true } };
  },
  '/api/v1/notifications/templates/:id': async (admin) => {
    // Every event ships with its templates; an administrator edits them.
    const [template] = (await admin.get('/api/v1/notifications/templates?eventType=ticket.created&locale=en-US')).json()
      .items as Json[];
    return { url: `/api/v1/notifications/templates/${template!.id}`, change: { title: 'Ticket {{ticketNumber}}' } };
  },
  '/api/v1/automation/rules/:id': async (admin) => {
    const rule = await created(
      admin.post('/api/v1/automation/rules', {
        name: '重要客户升级',
        description: 'VIP 客户的工单升为 P1',
        enabled: true,
        position: 7,
        trigger: { type: 'ticket.created' },
        conditions: { all: [{ field: 'customer.tier', op: 'eq', value: 'vip' }] },
        actions: [{ type: 'set_priority', priority: 'P1' }],
        stopProcessing: true,
      }),
    );
    return { url: `/api/v1/automation/rules/${rule.id}`, change: { enabled: false } };
  },
};

describe.each(BACKENDS)('every PATCH on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let patchUrls: string[];

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    const doc: OpenApiDocument = (await admin.get('/api/openapi.json')).json();
    patchUrls = operationsOf(doc)
      .filter((op) => op.method === 'PATCH')
      .map((op) => op.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('has a factory for every PATCH operation in the OpenAPI document', () => {
    expect(patchUrls.length).toBeGreaterThan(15);
    expect(patchUrls.filter((url) => !FACTORIES[url])).toEqual([]);
  });

  it('changes exactly the field it sends and refuses unknown ones', async () => {
    const broken: string[] = [];
    for (const url of patchUrls.filter((u) => FACTORIES[u])) {
      const subject = await FACTORIES[url]!(admin);
      const read = subject.read ?? (async () => (await admin.get(subject.url)).json() as Json);
      const before = await read();
      expect(before, url).toBeTruthy();
      const version = before.version as number | undefined;

      const typo = await admin.patch(subject.url, { ...subject.change, version, zzTypo: 1 });
      if (typo.statusCode !== 400 || !typo.body.includes('zzTypo')) broken.push(`${url} took an unknown field`);
      expect(await read(), `${url} changed on a refused PATCH`).toEqual(before);

      const res = await admin.patch(subject.url, { ...subject.change, version });
      if (res.statusCode !== 200) {
        broken.push(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        continue;
      }
      const after = await read();
      for (const [field, value] of Object.entries(subject.change)) {
        if (JSON.stringify(after[field]) !== JSON.stringify(value)) broken.push(`${url}: ${field} was not changed`);
      }
      const moved = ['version', 'updatedAt', ...Object.keys(subject.change)];
      const rest = (record: Json) => Object.fromEntries(Object.entries(record).filter(([k]) => !moved.includes(k)));
      if (JSON.stringify(rest(after)) !== JSON.stringify(rest(before))) {
        broken.push(`${url} also changed: ${JSON.stringify(rest(before))} → ${JSON.stringify(rest(after))}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
