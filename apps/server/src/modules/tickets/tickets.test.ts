import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe.each(BACKENDS)('tickets over HTTP on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let agent: Agent;
  let engineer: Agent;
  let contact: Agent;
  let customer: { id: string };
  let foreign: { id: string };
  let device: { id: string; serialNumber: string; modelId: string };
  let foreignDevice: { id: string };

  const report = (extra: Record<string, unknown> = {}) => ({
    channel: 'phone',
    contactName: '周先生',
    contactPhone: '13812345678',
    title: '电梯困人',
    description: '3 号梯停在 5 楼与 6 楼之间，轿厢内有人，显示故障码 E35',
    severity: 'critical',
    ...extra,
  });
  const create = async (who: Agent, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await who.post('/api/v1/tickets', report(extra), headers);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as {
      ticket: { id: string; version: number } & Record<string, any>;
      possibleDuplicates: { id: string; reason: string }[];
    };
  };
  const act = (who: Agent, id: string, body: Record<string, unknown>) =>
    who.post(`/api/v1/tickets/${id}/transitions`, body);
  const step = async (who: Agent, ticket: { id: string; version: number }, body: Record<string, unknown>) => {
    const res = await act(who, ticket.id, { version: ticket.version, ...body });
    expect(res.statusCode, `${body.action}: ${res.body}`).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    customer = (
      await admin.post('/api/v1/customers', {
        name: '上海申城物业',
        regionCode: '310000',
        industry: 'elevator',
        tier: 'vip',
      })
    ).json();
    foreign = (
      await admin.post('/api/v1/customers', { name: '外部客户', regionCode: '440000', industry: 'elevator' })
    ).json();
    const model = (
      await admin.post('/api/v1/product-models', { code: 'GL-3000', name: '乘客电梯', category: 'elevator' })
    ).json();
    device = (
      await admin.post('/api/v1/devices', {
        modelId: model.id,
        serialNumber: 'GL3000-0001',
        customerId: customer.id,
        warrantyEndsOn: '2099-01-01',
      })
    ).json();
    foreignDevice = (
      await admin.post('/api/v1/devices', { modelId: model.id, serialNumber: 'GL3000-9999', customerId: foreign.id })
    ).json();
    agent = await server.userWith('agent');
    engineer = await server.userWith('engineer', { regionCodes: ['310000'] });
    contact = await server.userWith('customer', { customerId: customer.id });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses an incomplete report field by field, in the reader’s language', async () => {
    const res = await agent.request(
      'POST',
      '/api/v1/tickets',
      { channel: 'fax', contactName: '', title: 'x', description: '坏了' },
      { 'accept-language': 'en-US' },
    );
    expect(res.statusCode).toBe(400);
    const byPath = Object.fromEntries(
      res.json().details.map((d: { path: string; message: string }) => [d.path, d.message]),
    );
    expect(Object.keys(byPath).sort()).toEqual(['channel', 'contactName', 'description', 'title']);
    expect(byPath.description).toBe('Describe the fault in at least 10 characters: symptom, when, error codes');
    const zh = await agent.post('/api/v1/tickets', report({ description: '坏了' }));
    expect(zh.json().details[0].message).toContain('故障描述至少 10 个字');
  });

  it('fills customer, model, contract and warranty from the device, and flags an unknown serial for cleaning', async () => {
    const { ticket } = await create(agent, { serialNumber: 'GL3000-0001', problemType: '主板壞了' });
    expect(ticket).toMatchObject({
      customerId: customer.id,
      deviceId: device.id,
      regionCode: '310000',
      warrantyStatus: 'in_warranty',
      unknownDevice: false,
      state: 'new',
    });
    expect(ticket.number).toMatch(/^SV-\d{4}-\d{6}$/);
    const categories = (await agent.get('/api/v1/fault-categories')).json();
    expect(categories.find((c: { id: string }) => c.id === ticket.categoryId)?.code).toBe('hardware.core_part');
    const unknown = await create(agent, { serialNumber: 'NOPE-123', customerId: customer.id });
    expect(unknown.ticket).toMatchObject({ unknownDevice: true, deviceId: null, customerId: customer.id });
  });

  it('creates once under concurrent retries with the same Idempotency-Key', async () => {
    const key = `retry-${kind}-1`;
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        agent.post('/api/v1/tickets', report({ customerId: customer.id }), { 'idempotency-key': key }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((r) => r.json().ticket.id)).size).toBe(1);
  });

  it('numbers tickets uniquely under concurrency', async () => {
    const created = await Promise.all(
      Array.from({ length: 20 }, () =>
        create(agent, { customerId: customer.id, description: `并发报修测试，编号唯一性检查 ${Math.random()}` }),
      ),
    );
    expect(new Set(created.map((c) => c.ticket.number)).size).toBe(20);
  });

  it('warns of likely duplicates: the same device open, or a similar description within 24 h', async () => {
    const first = await create(agent, {
      deviceId: device.id,
      description: '扶梯运行时有明显异响，左侧扶手带速度不同步',
    });
    const second = await create(agent, {
      customerId: customer.id,
      description: '扶梯运行时有明显异响，左侧扶手带速度不同步！',
    });
    expect(second.possibleDuplicates.map((d) => d.id)).toContain(first.ticket.id);
    const asked = await agent.post(
      '/api/v1/tickets/duplicates',
      report({ customerId: customer.id, description: '扶梯运行时有明显异响，左侧扶手带速度不同步' }),
    );
    expect(asked.json().map((d: { id: string }) => d.id)).toContain(first.ticket.id);
    const third = await create(agent, { deviceId: device.id, description: '完全不同的问题：操作面板按钮失灵' });
    expect(third.possibleDuplicates).toContainEqual(
      expect.objectContaining({ id: first.ticket.id, reason: 'same_device_open' }),
    );
  });

  it('walks the five steps, records every step on the timeline, and shows the customer only its milestones', async () => {
    let { ticket } = await create(agent, { deviceId: device.id, problemType: '主板故障' });
    ticket = await step(agent, ticket, { action: 'triage', priority: 'P1' });
    expect(ticket.responseDueAt).not.toBeNull();
    ticket = await step(agent, ticket, { action: 'start_remote' });
    ticket = await step(agent, ticket, { action: 'record_remote', note: '远程排查：疑似门机控制板故障' });
    ticket = await step(agent, ticket, {
      action: 'dispatch',
      engineerId: engineer.userId,
      plannedStart: '2026-12-01T09:00:00+08:00',
      plannedEnd: '2026-12-01T11:00:00+08:00',
    });
    const visitId = ticket.visits[0].id;
    expect(ticket.assigneeId).toBe(engineer.userId);
    // The engineer sees only assigned tickets, and this one now.
    const mine = (await engineer.get('/api/v1/tickets')).json();
    expect(mine.items.map((t: { id: string }) => t.id)).toEqual([ticket.id]);
    ticket = await step(engineer, ticket, { action: 'check_in', visitId, location: { lat: 31.23, lng: 121.47 } });
    ticket = await step(engineer, ticket, { action: 'check_out', visitId });
    ticket = await step(engineer, ticket, {
      action: 'resolve',
      rootCause: '门机控制板电容击穿',
      actionsTaken: '更换门机控制板，复位并试运行 20 次',
      partsUsed: [{ sku: 'DCB-01', name: '门机控制板', quantity: 1 }],
      labourMinutes: 95,
      travelMinutes: 40,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    });
    ticket = await step(engineer, ticket, { action: 'request_confirmation' });
    expect(ticket.allowedActions).toContain('confirm');
    ticket = await step(contact, ticket, { action: 'confirm', signature: SIGNATURE, csat: 5, comment: '处理及时' });
    expect(ticket).toMatchObject({ state: 'closed', csat: 5 });
    // The close brings the satisfaction survey (a subscriber): let it arrive before reading.
    await server.platform.dispatcher.settle();

    const staffView = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`))
      .json()
      .map((e: { type: string }) => e.type);
    expect(staffView).toEqual([
      'ticket.created',
      'ticket.triaged',
      'ticket.remote_started',
      'ticket.remote_recorded',
      'ticket.dispatched',
      'ticket.checked_in',
      'ticket.checked_out',
      'ticket.resolved',
      'ticket.confirmation_requested',
      'ticket.confirmed',
      'ticket.closed',
      'survey.created',
    ]);
    const customerView = (await contact.get(`/api/v1/tickets/${ticket.id}/timeline`))
      .json()
      .map((e: { type: string }) => e.type);
    expect(customerView).toEqual([
      'ticket.created',
      'ticket.triaged',
      'ticket.remote_started',
      'ticket.dispatched',
      'ticket.checked_in',
      'ticket.resolved',
      'ticket.confirmation_requested',
      'ticket.confirmed',
      'ticket.closed',
      'survey.created',
    ]);

    // A new report on the same device and fault category within 30 days is a repeat repair.
    const again = await create(agent, { deviceId: device.id, problemType: '主板坏了' });
    expect(again.ticket).toMatchObject({ isRepeat: true, repeatOf: ticket.id });

    // Reopened, the ticket repeats its own fix: a repeat with a reopen count, never its own repeatOf.
    const reopened = await step(contact, ticket, { action: 'reopen', reason: '门机又不动作了' });
    expect(reopened).toMatchObject({ state: 'triaged', isRepeat: true, reopenCount: 1, repeatOf: null });
  });

  it('answers a stale command with 409 and what changed, overwriting nothing', async () => {
    const { ticket } = await create(agent, { customerId: customer.id });
    const triaged = await step(agent, ticket, { action: 'triage', priority: 'P2' });
    const stale = await act(admin, ticket.id, { version: ticket.version, action: 'triage', priority: 'P0' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().details.currentVersion).toBe(triaged.version);
    expect(stale.json().details.changes.map((c: { type: string }) => c.type)).toEqual(['ticket.triaged']);
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().priority).toBe('P2');
  });

  it('refuses illegal transitions with a clear reason and closing without verification except by manager override', async () => {
    const { ticket } = await create(agent, { customerId: customer.id });
    const early = await act(agent, ticket.id, {
      version: ticket.version,
      action: 'resolve',
      rootCause: 'x1',
      actionsTaken: 'y1',
      labourMinutes: 1,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('ticket.invalid_transition');
    let t = await step(agent, ticket, { action: 'triage', priority: 'P3' });
    t = await step(agent, t, { action: 'start_remote' });
    t = await step(agent, t, {
      action: 'resolve',
      rootCause: '参数设置错误',
      actionsTaken: '远程指导恢复出厂参数',
      labourMinutes: 15,
      checklist: { functionalTest: true, stressTest: false, relatedPartsCheck: true },
    });
    const byAgent = await act(agent, t.id, { version: t.version, action: 'close', overrideReason: '客户电话确认' });
    expect(byAgent.json().code).toBe('ticket.close_needs_override');
    const manager = await server.userWith('manager');
    t = await step(manager, t, { action: 'close', overrideReason: '客户电话确认已恢复' });
    expect(t.state).toBe('closed');
  });

  it('keeps tickets inside the organisation, the assignment and the region', async () => {
    const ours = await create(contact, {
      title: '门禁卡无法刷梯',
      description: '住户反映门禁卡刷卡后电梯无响应，多部电梯均如此',
    });
    expect(ours.ticket).toMatchObject({ customerId: customer.id, channel: 'portal' });
    const theirs = await create(agent, { deviceId: foreignDevice.id });
    const seen = (await contact.get('/api/v1/tickets?pageSize=200')).json();
    expect(seen.items.every((t: { customerId: string }) => t.customerId === customer.id)).toBe(true);
    expect(seen.total).toBe(seen.items.length);
    expect((await contact.get(`/api/v1/tickets/${theirs.ticket.id}`)).statusCode).toBe(404);
    expect((await engineer.get(`/api/v1/tickets/${theirs.ticket.id}`)).statusCode).toBe(404);
    expect((await contact.post('/api/v1/tickets', report({ deviceId: foreignDevice.id }))).statusCode).toBe(400);
    const staffOnly = await act(contact, ours.ticket.id, { version: 1, action: 'triage', priority: 'P0' });
    expect(staffOnly.statusCode).toBe(403);
  });

  it('filters and sorts the list', async () => {
    const p0 = await create(agent, { customerId: customer.id, channel: 'wechat' });
    await step(agent, p0.ticket, { action: 'triage', priority: 'P0' });
    const page = (
      await agent.get(
        `/api/v1/tickets?priority=P0&channel=wechat&customerId=${customer.id}&state=triaged,remote_support`,
      )
    ).json();
    expect(page.items.map((t: { id: string }) => t.id)).toEqual([p0.ticket.id]);
    const byDue = (await agent.get('/api/v1/tickets?sort=due_asc&pageSize=5')).json();
    expect(byDue.items[0].resolutionDueAt).not.toBeNull();
    server.clock.advance(5 * 3_600_000);
    agent = await server.signIn(agent.username); // five idle hours ended the session
    const overdue = (await agent.get('/api/v1/tickets?overdue=true&pageSize=200')).json();
    expect(overdue.items.map((t: { id: string }) => t.id)).toContain(p0.ticket.id);
  });

  it('filters the list by the production batch of the device', async () => {
    admin = await server.signIn('admin'); // the clock may have idled the session out
    const made = await admin.post('/api/v1/devices', {
      modelId: device.modelId,
      serialNumber: 'GL3000-B0701',
      customerId: customer.id,
      batch: 'B2026-07',
    });
    expect(made.statusCode, made.body).toBe(201);
    const batched = made.json();
    const inBatch = await create(agent, { deviceId: batched.id });
    const ids = async (batch: string) =>
      (await agent.get(`/api/v1/tickets?batch=${encodeURIComponent(batch)}&pageSize=200`))
        .json()
        .items.map((t: { id: string }) => t.id);
    expect(await ids('B2026-07')).toEqual([inBatch.ticket.id]);
    expect(await ids('B2026-0')).toEqual([]);
  });
});
