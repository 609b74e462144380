import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createInstallationPair, type TestServer } from '../../../test/harness';
import { AppError } from '../../platform/http/errors';
import { keyedSection } from './registry';

const ROBOT_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=6d1f1c2e-test-robot-key';
type Doc = { sourceInstallation: string; exportedAt: string; sections: Record<string, unknown[]> };

describe.each(BACKENDS)('configuration export and import on %s', (kind) => {
  let a: TestServer;
  let b: TestServer;
  let adminA: Agent;
  let adminB: Agent;
  const exportOf = async (who: Agent, query = '') => {
    const res = await who.get(`/api/v1/config/export${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Doc;
  };
  const importInto = (who: Agent, document: unknown, extra: Record<string, unknown> = {}) =>
    who.post('/api/v1/config/import', { document, ...extra }, { 'accept-language': 'en-US' });
  const counts = (res: { json(): { sections: { key: string; created: string[]; updated: string[] }[] } }) =>
    Object.fromEntries(res.json().sections.map((s) => [s.key, [s.created.length, s.updated.length]]));

  beforeAll(async () => {
    // Two installations start here; PGlite starts each from a data dir, slow on a busy machine.
    ({ a, b, adminA, adminB } = await createInstallationPair(kind));
  }, 240_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('moves configuration from one installation to another, credentials left behind', async () => {
    // Installation A is configured by hand.
    const ok = (res: { statusCode: number; body: string }) => expect(res.statusCode, res.body).toBeLessThan(300);
    ok(
      await adminA.post('/api/v1/forms/fields', {
        key: 'affectedLines',
        labelZh: '停机影响产线数',
        labelEn: 'Production lines stopped',
        kind: 'number',
        required: true,
        min: 0,
      }),
    );
    ok(await adminA.post('/api/v1/teams', { name: '华东硬件组', regionCodes: ['320000', '310000'] }));
    const root = (await adminA.get('/api/v1/fault-categories')).json().find((c: { parentId: null }) => !c.parentId);
    const category = await adminA.post('/api/v1/fault-categories', {
      code: 'hw.spindle',
      parentId: root.id,
      nameZh: '主轴故障',
      nameEn: 'Spindle fault',
    });
    ok(category);
    ok(await adminA.post('/api/v1/fault-synonyms', { phrase: '主轴异响', categoryId: category.json().id }));
    const calendar = await adminA.post('/api/v1/sla/calendars', { code: 'east-shift', name: '华东两班倒' });
    ok(calendar);
    ok(
      await adminA.post('/api/v1/sla/policies', {
        name: 'VIP 紧急',
        priority: 'P0',
        customerTier: 'vip',
        responseMinutes: 30,
        resolutionMinutes: 240,
        calendarId: calendar.json().id,
      }),
    );
    const robot = await adminA.post('/api/v1/notifications/endpoints', {
      kind: 'wecom',
      name: '华东群',
      url: ROBOT_URL,
    });
    ok(robot);
    ok(
      await adminA.post('/api/v1/notifications/subscriptions', {
        eventType: 'ticket.created',
        recipientKind: 'endpoint',
        endpointId: robot.json().id,
      }),
    );

    const exported = await exportOf(adminA);
    expect(exported).toMatchObject({ format: 'serviceloop-config', formatVersion: 1 });
    expect(JSON.stringify(exported)).not.toContain('test-robot-key');
    expect(exported.sections['notifications.endpoints']).toEqual([{ name: '华东群', kind: 'wecom', enabled: true }]);
    expect(exported.sections['sla.policies']).toContainEqual(
      expect.objectContaining({ priority: 'P0', customerTier: 'vip', calendar: 'east-shift', contract: null }),
    );
    const before = await exportOf(adminB);

    // A new robot needs its URL: the dry run says which, field by field, and writes nothing.
    const asked = await importInto(adminB, exported);
    expect(asked.statusCode).toBe(400);
    const endpointIndex = 0;
    expect(asked.json().details).toEqual([
      expect.objectContaining({
        path: `sections.notifications.endpoints.${endpointIndex}`,
        message: expect.stringContaining('“华东群” is new here'),
      }),
    ]);
    const secrets = { 'notifications.endpoints': { 华东群: { url: ROBOT_URL } } };
    const preview = await importInto(adminB, exported, { secrets });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().applied).toBe(false);
    expect(counts(preview)).toMatchObject({
      'forms.fields': [1, 0],
      'identity.teams': [1, 0],
      'tickets.faultCategories': [1, 0],
      'tickets.faultSynonyms': [1, 0],
      'sla.calendars': [1, 0],
      'sla.policies': [1, 0],
      'notifications.endpoints': [1, 0],
      'notifications.subscriptions': [1, 0],
      'notifications.templates': [0, 0],
    });
    expect((await exportOf(adminB)).sections).toEqual(before.sections);

    const applied = await importInto(adminB, exported, { secrets, dryRun: false });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().applied).toBe(true);
    // Round trip: B now exports what A exported, apart from who and when.
    const again = await exportOf(adminB);
    expect(again.sections).toEqual(exported.sections);
    expect(again.sourceInstallation).not.toBe(exported.sourceInstallation);
    // The robot works in B with the URL given at import; the category and synonym classify there.
    const endpoints = (await adminB.get('/api/v1/notifications/endpoints')).json();
    expect(endpoints.map((e: { name: string; url: string }) => e.name)).toEqual(['华东群']);
    const classified = await adminB.get(`/api/v1/fault-categories/classify?text=${encodeURIComponent('主轴异响')}`);
    const categoriesB = (await adminB.get('/api/v1/fault-categories')).json() as { id: string; code: string }[];
    expect(categoriesB.find((c) => c.id === classified.json().categoryId)?.code).toBe('hw.spindle');

    // Importing the same document again changes nothing; a changed field is an update.
    expect(
      Object.values(counts(await importInto(adminB, exported, { secrets })))
        .flat()
        .every((n) => n === 0),
    ).toBe(true);
    const changed = structuredClone(exported);
    (changed.sections['forms.fields']![0] as { labelZh: string }).labelZh = '停机产线数';
    expect(counts(await importInto(adminB, changed, { dryRun: false }))['forms.fields']).toEqual([0, 1]);
    // Each applied import is kept: from where, when, and what it changed.
    const history = (await adminB.get('/api/v1/config/imports')).json();
    expect(history.map((h: { sourceInstallation: string }) => h.sourceInstallation)).toEqual([
      exported.sourceInstallation,
      exported.sourceInstallation,
    ]);
    expect(history.map((h: { summary: Record<string, unknown> }) => h.summary['forms.fields'])).toEqual(
      expect.arrayContaining([
        { created: 0, updated: 1 },
        { created: 1, updated: 0 },
      ]),
    );
  });

  it('refuses an invalid document with the path of every problem', async () => {
    const valid = await exportOf(adminA, '?sections=forms.fields,sla.policies');
    expect(Object.keys(valid.sections).sort()).toEqual(['forms.fields', 'sla.policies']);
    const bad = structuredClone(valid) as Doc & { formatVersion: unknown };
    bad.sections['forms.fields']!.push({ key: 'Bad Key', labelZh: '坏', labelEn: 'Bad', kind: 'colour' });
    const policy = {
      name: 'x',
      priority: 'P9',
      customerTier: null,
      contract: null,
      responseMinutes: 60,
      resolutionMinutes: 90,
      calendar: 'east-shift',
      warningPercent: 80,
      active: true,
    };
    bad.sections['sla.policies']!.push(policy, { ...policy, priority: 'P3', resolutionMinutes: 30 });
    bad.sections['no.such'] = [];
    const res = await importInto(adminB, bad);
    expect(res.statusCode).toBe(400);
    const n = valid.sections['forms.fields']!.length;
    const m = valid.sections['sla.policies']!.length;
    expect(res.json().details.map((d: { path: string }) => d.path)).toEqual([
      `sections.forms.fields.${n}.key`,
      `sections.forms.fields.${n}.kind`,
      `sections.sla.policies.${m}.priority`,
      `sections.sla.policies.${m + 1}.responseMinutes`,
      'sections.no.such',
    ]);
    const zh = await adminB.post('/api/v1/config/import', { document: bad }, { 'accept-language': 'zh-CN' });
    expect(zh.json().details.at(-1).message).toBe('没有这个配置分区');

    const wrongFormat = await importInto(adminB, { ...valid, formatVersion: 2 });
    expect(wrongFormat.json().details.map((d: { path: string }) => d.path)).toEqual(['formatVersion']);
    // References that exist neither in the target nor in the document.
    const dangling = structuredClone(valid);
    dangling.sections['sla.policies'] = [
      { ...(valid.sections['sla.policies']![0] as object), calendar: 'nowhere', contract: 'HT-0000' },
    ];
    const refused = await importInto(adminB, dangling);
    expect(refused.json().details.map((d: { path: string; message: string }) => [d.path, d.message])).toEqual([
      ['sections.sla.policies.0.calendar', '“nowhere” is referred to but exists neither here nor in the document'],
      ['sections.sla.policies.0.contract', '“HT-0000” is referred to but exists neither here nor in the document'],
    ]);
    expect((await adminB.get('/api/v1/config/export?sections=nope')).statusCode).toBe(400);
    const agent = await a.userWith('agent');
    expect((await agent.get('/api/v1/config/export')).statusCode).toBe(403);
  });

  it('moves a workflow as a new active version of its type, refusing one with a dead end', async () => {
    type Flow = {
      ticketType: string;
      definition: { states: { key: string; phase: string; name: object }[]; transitions: { from: string[] }[] };
    };
    const activeVersion = async (who: Agent) =>
      (
        (await who.get('/api/v1/workflows/versions?type=installation')).json() as { status: string; version: number }[]
      ).find((v) => v.status === 'active')!.version;
    const doc = await exportOf(adminA, '?sections=workflows.active');
    const flows = doc.sections['workflows.active'] as Flow[];
    expect(flows.map((f) => f.ticketType)).toEqual([
      'consultation',
      'inspection',
      'installation',
      'maintenance',
      'repair',
    ]);
    const installation = structuredClone(flows.find((f) => f.ticketType === 'installation')!);
    installation.definition.states[0]!.name = { 'zh-CN': '待受理（导入）', 'en-US': 'New (imported)' };
    const before = await activeVersion(adminB);
    const applied = await importInto(
      adminB,
      { ...doc, sections: { 'workflows.active': [installation] } },
      { dryRun: false },
    );
    expect(applied.statusCode, applied.body).toBe(200);
    expect(counts(applied)['workflows.active']).toEqual([0, 1]);
    expect(await activeVersion(adminB)).toBe(before + 1);
    const moved = (await exportOf(adminB, '?sections=workflows.active')).sections['workflows.active'] as Flow[];
    expect(moved.find((f) => f.ticketType === 'installation')!.definition.states[0]!.name).toEqual(
      installation.definition.states[0]!.name,
    );

    // A stage nobody can leave: refused with where it is, and the active version stays.
    const deadEnd = structuredClone(installation);
    const stuck = deadEnd.definition.states.find((s) => s.phase !== 'done' && s.key !== 'new')!.key;
    deadEnd.definition.transitions = deadEnd.definition.transitions.filter((t) => !t.from.includes(stuck));
    const refused = await importInto(
      adminB,
      { ...doc, sections: { 'workflows.active': [deadEnd] } },
      { dryRun: false },
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details.length).toBeGreaterThan(0);
    for (const d of refused.json().details as { path: string }[])
      expect(d.path).toMatch(/^sections\.workflows\.active\.0\.definition\./);
    expect(await activeVersion(adminB)).toBe(before + 1);
  });

  it('writes nothing when a section fails halfway through the import', async () => {
    // A section that plans well but fails while writing, registered after every real one.
    b.modules.config.registry.register(
      keyedSection<{ name: string }>({
        key: 'test.failing',
        titleZh: '测试',
        titleEn: 'Test',
        item: z.object({ name: z.string() }),
        keyOf: (i) => i.name,
        load: async () => [],
        async save() {
          throw new AppError(409, 'resource.conflict');
        },
      }),
    );
    const document = {
      format: 'serviceloop-config',
      formatVersion: 1,
      sourceInstallation: 'test',
      exportedAt: new Date().toISOString(),
      sections: {
        'identity.teams': [{ name: '华南服务组', regionCodes: ['440000'] }],
        'sla.calendars': [{ code: 'south', name: '华南', alwaysOn: true }],
        'test.failing': [{ name: 'boom' }],
      },
    };
    const preview = await importInto(adminB, document);
    expect(counts(preview)).toMatchObject({
      'identity.teams': [1, 0],
      'sla.calendars': [1, 0],
      'test.failing': [1, 0],
    });
    const res = await importInto(adminB, document, { dryRun: false });
    expect(res.statusCode).toBe(409);
    const teams = (await adminB.get('/api/v1/teams')).json().map((t: { name: string }) => t.name);
    expect(teams).not.toContain('华南服务组');
    const calendars = (await exportOf(adminB, '?sections=sla.calendars')).sections['sla.calendars'];
    expect(calendars!.map((c) => (c as { code: string }).code)).not.toContain('south');
  });
});
