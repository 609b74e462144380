import { RULE_FIELDS } from '@serviceloop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createInstallationPair, type TestServer } from '../../../test/harness';
import { ID_FIELDS } from './config';

const ROBOT_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=6d1f1c2e-test-robot-key';
const SECTIONS = 'identity.teams,forms.fields,tickets.faultCategories,notifications.endpoints,automation.rules';
type Doc = { sourceInstallation: string; exportedAt: string; sections: Record<string, unknown[]> };
// biome-ignore lint/suspicious/noExplicitAny: rules and documents are checked field by field.
type Loose = any;

it('translates every id field a condition may read', () => {
  const idFields = Object.entries(RULE_FIELDS)
    .filter(([, f]) => f.type === 'id')
    .map(([path]) => path);
  expect(Object.keys(ID_FIELDS).sort()).toEqual(idFields.sort());
});

/**
 * Rules move between installations by name: every user, team, endpoint, category, customer,
 * device and reference-field value they name arrives as the target's own row.
 */
describe.each(BACKENDS)('automation rules as configuration on %s', (kind) => {
  let a: TestServer;
  let b: TestServer;
  let adminA: Agent;
  let adminB: Agent;

  const ok = async (res: { statusCode: number; body: string; json(): unknown }, status = 200): Promise<Loose> => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const exportOf = async (who: Agent, sections = SECTIONS) =>
    (await ok(await who.get(`/api/v1/config/export?sections=${sections}`))) as Doc;
  const importInto = (who: Agent, document: unknown, dryRun = true) =>
    who.post('/api/v1/config/import', { document, dryRun }, { 'accept-language': 'en-US' });
  const counts = (res: { json(): { sections: { key: string; created: string[]; updated: string[] }[] } }) =>
    Object.fromEntries(res.json().sections.map((s) => [s.key, [s.created.length, s.updated.length]]));
  const rulesOf = async (who: Agent) =>
    ((await ok(await who.get('/api/v1/automation/rules?pageSize=200'))).items as Loose[]).sort((x, y) =>
      x.name < y.name ? -1 : 1,
    );

  /** What both installations hold as master data (people, customers, devices): the same keys, their own ids. */
  const masterData = async (server: TestServer, admin: Agent) => {
    const engineer = await server.userWith('engineer', { username: 'wang.gong' });
    const director = await server.userWith('manager', { username: 'zhao.zongjian' });
    const customer = await ok(
      await admin.post('/api/v1/customers', {
        name: '上海精密机床有限公司',
        tier: 'vip',
        regionCode: '310000',
        industry: 'machine_tools',
      }),
      201,
    );
    const model = await ok(
      await admin.post('/api/v1/product-models', { code: 'VMC-850', name: '立式加工中心', category: 'cnc_machine' }),
      201,
    );
    const device = await ok(
      await admin.post('/api/v1/devices', { modelId: model.id, serialNumber: 'SN-2024-0042', customerId: customer.id }),
      201,
    );
    return { engineerId: engineer.userId, directorId: director.userId, customerId: customer.id, deviceId: device.id };
  };

  beforeAll(async () => {
    // Two installations start here; PGlite starts each from a data dir, slow on a busy machine.
    ({ a, b, adminA, adminB } = await createInstallationPair(kind));
  }, 240_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('exports rules by name and imports them onto the target’s own rows', async () => {
    const inA = await masterData(a, adminA);
    const inB = await masterData(b, adminB);
    // In A only: the configuration the document brings along.
    const teamId = (await ok(await adminA.post('/api/v1/teams', { name: '华东硬件组', regionCodes: ['310000'] }), 201))
      .id;
    const root = (await ok(await adminA.get('/api/v1/fault-categories'))).find((c: Loose) => !c.parentId);
    const categoryId = (
      await ok(
        await adminA.post('/api/v1/fault-categories', {
          code: 'hw.spindle',
          parentId: root.id,
          nameZh: '主轴故障',
          nameEn: 'Spindle fault',
        }),
        201,
      )
    ).id;
    await ok(
      await adminA.post('/api/v1/forms/fields', {
        key: 'endUser',
        labelZh: '最终用户',
        labelEn: 'End user',
        kind: 'reference',
        reference: 'customer',
      }),
      201,
    );
    // The robot exists in both, under the same name (its URL never travels).
    const endpoint = { kind: 'wecom', name: '华东群', url: ROBOT_URL };
    const endpointA = (await ok(await adminA.post('/api/v1/notifications/endpoints', endpoint), 201)).id;
    const endpointB = (await ok(await adminB.post('/api/v1/notifications/endpoints', endpoint), 201)).id;

    const dispatch = {
      name: '华东主轴故障派单',
      description: '主轴故障直接派给华东硬件组',
      enabled: false,
      position: 10,
      trigger: { type: 'ticket.created' },
      conditions: {
        all: [
          { field: 'ticket.categoryId', op: 'in', value: [categoryId] },
          { field: 'ticket.customerId', op: 'eq', value: inA.customerId },
          { not: { field: 'ticket.deviceId', op: 'eq', value: inA.deviceId } },
          {
            any: [
              { field: 'ticket.assigneeId', op: 'ne', value: inA.engineerId },
              { field: 'ticket.teamId', op: 'is_empty' },
            ],
          },
          { field: 'ticket.fields.endUser', op: 'eq', value: inA.customerId },
        ],
      },
      actions: [
        { type: 'assign', userId: inA.engineerId, teamId },
        { type: 'set_field', field: 'endUser', value: inA.customerId },
        {
          type: 'notify',
          recipients: [
            { kind: 'user', userId: inA.directorId },
            { kind: 'endpoint', endpointId: endpointA },
            { kind: 'role', role: 'agent' },
          ],
          title: '新主轴工单 {{ticketNumber}}',
          body: '{{title}}',
        },
        { type: 'webhook', endpointId: endpointA },
      ],
    };
    const escalation = {
      name: 'P0 超时升级',
      trigger: { type: 'sla.breached', clock: 'resolution' },
      conditions: { field: 'ticket.teamId', op: 'changed_to', value: teamId },
      actions: [
        {
          type: 'escalate',
          raiseTo: 'P0',
          recipients: [{ kind: 'user', userId: inA.directorId }],
          title: '超时',
          body: '{{ticketNumber}} 已超时',
        },
      ],
    };
    for (const rule of [dispatch, escalation]) await ok(await adminA.post('/api/v1/automation/rules', rule), 201);

    const exported = await exportOf(adminA);
    const rules = exported.sections['automation.rules'] as Loose[];
    expect(rules.map((r) => r.name)).toEqual(['P0 超时升级', '华东主轴故障派单']);
    // Names, never ids.
    expect(rules[1].conditions.all).toEqual([
      { field: 'ticket.categoryId', op: 'in', value: ['hw.spindle'] },
      { field: 'ticket.customerId', op: 'eq', value: '上海精密机床有限公司' },
      { not: { field: 'ticket.deviceId', op: 'eq', value: 'VMC-850/SN-2024-0042' } },
      {
        any: [
          { field: 'ticket.assigneeId', op: 'ne', value: 'wang.gong' },
          { field: 'ticket.teamId', op: 'is_empty' },
        ],
      },
      { field: 'ticket.fields.endUser', op: 'eq', value: '上海精密机床有限公司' },
    ]);
    expect(rules[1].actions).toEqual([
      { type: 'assign', user: 'wang.gong', team: '华东硬件组' },
      { type: 'set_field', field: 'endUser', value: '上海精密机床有限公司' },
      expect.objectContaining({
        type: 'notify',
        recipients: [
          { kind: 'user', user: 'zhao.zongjian' },
          { kind: 'endpoint', endpoint: '华东群' },
          { kind: 'role', role: 'agent' },
        ],
      }),
      { type: 'webhook', endpoint: '华东群' },
    ]);
    expect(rules[0].conditions).toEqual({ field: 'ticket.teamId', op: 'changed_to', value: '华东硬件组' });
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    expect(JSON.stringify(rules)).not.toMatch(uuid);

    // The team, category and field arrive with the same import; people, customer and device are B's own.
    const preview = await importInto(adminB, exported);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(counts(preview)['automation.rules']).toEqual([2, 0]);
    expect(await rulesOf(adminB)).toEqual([]);
    const applied = await importInto(adminB, exported, false);
    expect(applied.statusCode, applied.body).toBe(200);

    const teamB = (await ok(await adminB.get('/api/v1/teams'))).find((t: Loose) => t.name === '华东硬件组').id;
    const categoryB = (await ok(await adminB.get('/api/v1/fault-categories'))).find(
      (c: Loose) => c.code === 'hw.spindle',
    ).id;
    for (const [here, there] of [
      [teamB, teamId],
      [categoryB, categoryId],
      [endpointB, endpointA],
      [inB.engineerId, inA.engineerId],
      [inB.customerId, inA.customerId],
      [inB.deviceId, inA.deviceId],
    ])
      expect(here).not.toBe(there);
    const [escalationB, dispatchB] = await rulesOf(adminB);
    expect(dispatchB).toMatchObject({
      ...dispatch,
      conditions: {
        all: [
          { field: 'ticket.categoryId', op: 'in', value: [categoryB] },
          { field: 'ticket.customerId', op: 'eq', value: inB.customerId },
          { not: { field: 'ticket.deviceId', op: 'eq', value: inB.deviceId } },
          {
            any: [
              { field: 'ticket.assigneeId', op: 'ne', value: inB.engineerId },
              { field: 'ticket.teamId', op: 'is_empty' },
            ],
          },
          { field: 'ticket.fields.endUser', op: 'eq', value: inB.customerId },
        ],
      },
      actions: [
        { type: 'assign', userId: inB.engineerId, teamId: teamB },
        { type: 'set_field', field: 'endUser', value: inB.customerId },
        expect.objectContaining({
          recipients: [
            { kind: 'user', userId: inB.directorId },
            { kind: 'endpoint', endpointId: endpointB },
            { kind: 'role', role: 'agent' },
          ],
        }),
        { type: 'webhook', endpointId: endpointB },
      ],
    });
    expect(dispatchB.enabled).toBe(false);
    expect(escalationB).toMatchObject({
      enabled: true,
      conditions: { field: 'ticket.teamId', op: 'changed_to', value: teamB },
      actions: [expect.objectContaining({ recipients: [{ kind: 'user', userId: inB.directorId }] })],
    });

    // Round trip: B exports what A exported; the same document again changes nothing.
    expect((await exportOf(adminB)).sections).toEqual(exported.sections);
    expect(counts(await importInto(adminB, exported, false))['automation.rules']).toEqual([0, 0]);
    // A changed rule is updated in place (same id, next version), still disabled.
    const moved = structuredClone(exported);
    (moved.sections['automation.rules']![1] as Loose).position = 20;
    expect(counts(await importInto(adminB, moved, false))['automation.rules']).toEqual([0, 1]);
    const [, updated] = await rulesOf(adminB);
    expect(updated).toMatchObject({ id: dispatchB.id, version: dispatchB.version + 1, position: 20, enabled: false });
  });

  it('refuses a rule naming what the target lacks, by path, and writes nothing', async () => {
    const base = await exportOf(adminB);
    const rules = base.sections['automation.rules'] as Loose[];
    const ghost = structuredClone(rules[1]);
    ghost.name = '幽灵规则';
    ghost.actions[0] = { type: 'assign', user: 'ghost', team: '华南服务组' };
    ghost.conditions.all[1].value = '不存在的客户';
    ghost.conditions.all[0].op = 'gt';
    const document = {
      ...base,
      sections: { 'identity.teams': [{ name: '西北服务组', regionCodes: ['610000'] }], 'automation.rules': [ghost] },
    };
    const refused = await importInto(adminB, document, false);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details.map((d: Loose) => [d.path, d.message])).toEqual([
      [
        'sections.automation.rules.0.conditions.all.1.value',
        '“不存在的客户” does not exist here: users, customers, devices, parts and tickets do not travel with configuration; create it here first',
      ],
      [
        'sections.automation.rules.0.actions.0.user',
        '“ghost” does not exist here: users, customers, devices, parts and tickets do not travel with configuration; create it here first',
      ],
      [
        'sections.automation.rules.0.actions.0.team',
        '“华南服务组” is referred to but exists neither here nor in the document',
      ],
      // The rule API's own check runs too.
      ['sections.automation.rules.0.conditions.all.0.op', expect.any(String)],
    ]);
    const zh = await adminB.post('/api/v1/config/import', { document }, { 'accept-language': 'zh-CN' });
    expect(zh.json().details[1].message).toContain('“ghost”在本系统中不存在');
    expect((await rulesOf(adminB)).map((r) => r.name)).not.toContain('幽灵规则');
    const teams = (await ok(await adminB.get('/api/v1/teams'))).map((t: Loose) => t.name);
    expect(teams).not.toContain('西北服务组');
  });

  it('keeps rule names unique, as the section names rules by them', async () => {
    const rule = {
      name: '同名规则',
      trigger: { type: 'ticket.created' },
      actions: [{ type: 'comment', body: '收到' }],
    };
    await ok(await adminA.post('/api/v1/automation/rules', rule), 201);
    const twice = await adminA.post('/api/v1/automation/rules', rule);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().details).toEqual([expect.objectContaining({ path: 'name' })]);
  });
});
