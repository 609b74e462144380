import { TicketState, type WorkflowDefinition } from '@serviceloop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

type Version = { id: string; version: number; status: string; revision: number; definition: WorkflowDefinition };
type Offered = { key: string; action: string | null; missingFields: string[]; failedGuards: string[] };

describe.each(BACKENDS)('workflows on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let agent: Agent;
  let engineer: Agent;
  const en = { 'accept-language': 'en-US' };

  const create = async (type: string, fields: Record<string, unknown> = {}) => {
    const res = await agent.post('/api/v1/tickets', {
      type,
      channel: 'phone',
      contactName: '吴工',
      contactPhone: '13812345678',
      title: '新产线设备安装',
      description: '二号车间新到三台数控机床，需要安装调试',
      fields,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().ticket as { id: string; version: number; stage: string; workflowVersionId: string };
  };
  const offered = async (who: Agent, id: string) => {
    const res = await who.get(`/api/v1/tickets/${id}/transitions`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { stage: { key: string; phase: string }; workflowVersion: number; transitions: Offered[] };
  };
  const take = (who: Agent, t: { id: string; version: number }, key: string, body: Record<string, unknown> = {}) =>
    who.post(`/api/v1/tickets/${t.id}/transitions/${key}`, { version: t.version, ...body }, en);

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    agent = await server.userWith('agent');
    engineer = await server.userWith('engineer');
  }, 180_000);
  afterAll(async () => {
    await server.close();
  });

  it('seeds a valid version 1 of every ticket type; repair is the lifecycle itself', async () => {
    const types = (await admin.get('/api/v1/workflows/types')).json();
    expect(types.map((t: { key: string }) => t.key)).toEqual([
      'repair',
      'installation',
      'inspection',
      'consultation',
      'maintenance',
    ]);
    for (const t of types) {
      const v = (await admin.get(`/api/v1/workflows/versions/${t.activeVersion.id}`)).json();
      expect(v, t.key).toMatchObject({ version: 1, status: 'active', problems: [] });
      if (t.key === 'repair')
        expect(v.definition.states.map((s: { key: string }) => s.key).sort()).toEqual(
          TicketState.options.filter((s) => s !== 'suspended' && s !== 'cancelled').sort(),
        );
    }
    expect((await agent.get('/api/v1/workflows/types')).statusCode).toBe(403);
  });

  it('keeps the repair commands working and moves the stage with them', async () => {
    const t = await create('repair');
    expect(t.stage).toBe('new');
    const triaged = await agent.post(`/api/v1/tickets/${t.id}/transitions`, {
      action: 'triage',
      version: 1,
      priority: 'P1',
    });
    expect(triaged.statusCode, triaged.body).toBe(200);
    expect(triaged.json()).toMatchObject({ state: 'triaged', stage: 'triaged' });
    const timeline = (await agent.get(`/api/v1/tickets/${t.id}/timeline`)).json();
    expect(timeline.at(-1).data.workflow).toEqual({ transition: 'triage', from: 'new', to: 'triaged' });
    // Comments and suspensions work in any stage and leave it where it is.
    const suspended = await agent.post(`/api/v1/tickets/${t.id}/transitions`, {
      action: 'suspend',
      version: 2,
      reason: '等待客户停机窗口',
    });
    expect(suspended.json()).toMatchObject({ state: 'suspended', stage: 'triaged' });
    expect((await offered(agent, t.id)).stage).toEqual(expect.objectContaining({ key: 'triaged', phase: 'waiting' }));
    expect((await offered(agent, t.id)).transitions).toEqual([]);
  });

  it('offers transitions by role and checks required fields and guards', async () => {
    const t = await create('inspection');
    expect(t.stage).toBe('new');
    const view = await offered(agent, t.id);
    expect(view.transitions.map((x) => x.key)).toEqual(['accept']);
    // Quality reads every ticket but is among no transition's roles.
    expect((await offered(await server.userWith('quality'), t.id)).transitions).toEqual([]);
    // The transition's own action inputs are checked as that command.
    const bad = await take(agent, t, 'accept', { priority: 'P9' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('priority');
    const accepted = await take(agent, t, 'accept', { priority: 'P2' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'triaged', stage: 'planning', version: 2 });
    // Not a transition from this stage.
    expect((await take(agent, { id: t.id, version: 2 }, 'archive')).json().code).toBe('workflow.no_transition');

    // Walk to review, then archiving needs a complete checklist.
    const start = new Date(server.clock.now().getTime() + 3_600_000).toISOString();
    const end = new Date(server.clock.now().getTime() + 7_200_000).toISOString();
    const dispatched = await take(agent, { id: t.id, version: 2 }, 'dispatch', {
      engineerId: engineer.userId,
      plannedStart: start,
      plannedEnd: end,
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const visitId = dispatched.json().visits[0].id;
    const arrived = await take(engineer, { id: t.id, version: 3 }, 'arrive', { visitId });
    expect(arrived.json()).toMatchObject({ stage: 'inspecting', state: 'on_site' });
    await engineer.post(`/api/v1/tickets/${t.id}/transitions`, { action: 'check_out', version: 4, visitId });
    const reported = await take(engineer, { id: t.id, version: 5 }, 'report', {
      rootCause: '例行巡检',
      actionsTaken: '检查主轴、导轨润滑，紧固电气端子',
      labourMinutes: 90,
      checklist: { functionalTest: true, stressTest: false, relatedPartsCheck: true },
    });
    expect(reported.json()).toMatchObject({ stage: 'review', state: 'resolved' });
    const manager = await server.userWith('manager');
    const review = await offered(manager, t.id);
    expect(review.transitions).toEqual([
      expect.objectContaining({ key: 'archive', failedGuards: ['checklist_complete'] }),
    ]);
    const refused = await take(manager, { id: t.id, version: 6 }, 'archive', { overrideReason: '主管确认' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'workflow.guard_failed' });
    expect(refused.json().message).toContain('checklist_complete');
    // Agents are not among the roles of this transition, whatever the engine would let them do.
    expect((await take(agent, { id: t.id, version: 6 }, 'archive')).statusCode).toBe(403);
  });

  it('refuses to activate a version with a dead end, and running tickets keep their version', async () => {
    const before = await create('installation');
    const base = (await admin.get('/api/v1/workflows/types')).json()[1];
    const draftRes = await admin.post('/api/v1/workflows/versions', { ticketType: 'installation' });
    expect(draftRes.statusCode, draftRes.body).toBe(201);
    const draft = draftRes.json() as Version;
    expect(draft).toMatchObject({ version: 2, status: 'draft', revision: 1 });
    expect((await admin.post('/api/v1/workflows/versions', { ticketType: 'installation' })).statusCode).toBe(409);
    expect((await admin.get('/api/v1/workflows/types')).json()[1].draft.id).toBe(draft.id);

    // A stage for missing parts that nothing leaves: a dead end.
    const def = structuredClone(draft.definition);
    def.states.push({
      key: 'waiting_parts',
      name: { 'zh-CN': '等待备件', 'en-US': 'Waiting for parts' },
      phase: 'waiting',
      lifecycle: 'on_site',
      position: { x: 660, y: 260 },
    });
    def.transitions.push({
      key: 'parts_missing',
      name: { 'zh-CN': '缺件', 'en-US': 'Parts missing' },
      from: ['installing'],
      to: 'waiting_parts',
      roles: ['engineer', 'agent'],
      action: null,
      requiredFields: ['missingParts'],
      guards: [],
    });
    const unknownField = await admin.put(`/api/v1/workflows/versions/${draft.id}`, { revision: 1, definition: def });
    expect(unknownField.statusCode, unknownField.body).toBe(200);
    expect(unknownField.json().problems.map((p: { code: string }) => p.code)).toEqual([
      'workflow.unknown_field',
      'workflow.dead_end',
    ]);
    // The field exists once the form has it.
    const field = await admin.post('/api/v1/forms/fields', {
      ticketType: 'installation',
      key: 'missingParts',
      labelZh: '缺少的备件',
      labelEn: 'Missing parts',
      kind: 'text',
    });
    expect(field.statusCode, field.body).toBe(201);
    const refused = await admin.post(`/api/v1/workflows/versions/${draft.id}/activate`, { revision: 2 }, en);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'workflow.invalid' });
    expect(refused.json().details).toEqual([
      expect.objectContaining({
        path: 'states.6',
        code: 'workflow.dead_end',
        message: 'The state “waiting_parts” is a dead end: not done and no transition leaves it',
      }),
    ]);
    expect((await admin.post(`/api/v1/workflows/versions/${draft.id}/activate`, { revision: 1 })).statusCode).toBe(409);

    def.transitions.push({
      key: 'parts_arrived',
      name: { 'zh-CN': '备件到货', 'en-US': 'Parts arrived' },
      from: ['waiting_parts'],
      to: 'installing',
      roles: ['engineer', 'agent'],
      action: null,
      requiredFields: [],
      guards: [],
    });
    expect(
      (await admin.put(`/api/v1/workflows/versions/${draft.id}`, { revision: 2, definition: def })).json(),
    ).toMatchObject({
      revision: 3,
      problems: [],
    });
    const activated = await admin.post(`/api/v1/workflows/versions/${draft.id}/activate`, { revision: 3 });
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json()).toMatchObject({ status: 'active', version: 2 });
    expect(
      (await admin.put(`/api/v1/workflows/versions/${draft.id}`, { revision: 3, definition: def })).statusCode,
    ).toBe(409);
    const versions = (await admin.get('/api/v1/workflows/versions?type=installation')).json();
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);

    // New tickets take version 2; the one created before keeps version 1.
    const after = await create('installation');
    expect(after.workflowVersionId).toBe(draft.id);
    expect(before.workflowVersionId).toBe(base.activeVersion.id);
    expect((await admin.get(`/api/v1/tickets/${before.id}`)).json().workflowVersionId).toBe(base.activeVersion.id);

    // Walk both to installing; only the new one can go to waiting for parts.
    const toInstalling = async (t: { id: string }) => {
      await take(agent, { id: t.id, version: 1 }, 'accept', { priority: 'P2' });
      const start = new Date(server.clock.now().getTime() + 3_600_000).toISOString();
      const end = new Date(server.clock.now().getTime() + 7_200_000).toISOString();
      const d = await take(agent, { id: t.id, version: 2 }, 'dispatch', {
        engineerId: engineer.userId,
        plannedStart: start,
        plannedEnd: end,
      });
      const r = await take(engineer, { id: t.id, version: 3 }, 'arrive', { visitId: d.json().visits[0].id });
      expect(r.json().stage).toBe('installing');
    };
    await toInstalling(before);
    await toInstalling(after);
    expect((await offered(engineer, before.id)).transitions.map((x) => x.key)).not.toContain('parts_missing');
    expect((await take(engineer, { id: before.id, version: 4 }, 'parts_missing')).statusCode).toBe(409);
    const fresh = await offered(engineer, after.id);
    expect(fresh.workflowVersion).toBe(2);
    expect(fresh.transitions.find((x) => x.key === 'parts_missing')?.missingFields).toEqual(['missingParts']);
    const missing = await take(engineer, { id: after.id, version: 4 }, 'parts_missing');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details).toEqual([
      expect.objectContaining({ path: 'fields.missingParts', message: 'Required' }),
    ]);
    const waiting = await take(engineer, { id: after.id, version: 4 }, 'parts_missing', {
      fields: { missingParts: '伺服驱动器 ×1' },
    });
    expect(waiting.statusCode, waiting.body).toBe(200);
    expect(waiting.json()).toMatchObject({
      stage: 'waiting_parts',
      state: 'on_site',
      fields: { missingParts: '伺服驱动器 ×1' },
    });
    const moved = (await agent.get(`/api/v1/tickets/${after.id}/timeline`)).json().at(-1);
    expect(moved).toMatchObject({
      type: 'ticket.stage_changed',
      data: { transition: 'parts_missing', from: 'installing', to: 'waiting_parts' },
    });
    expect((await offered(engineer, after.id)).stage.phase).toBe('waiting');
  });
});
