import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, TEST_PASSWORD, type TestServer } from '../../../test/harness';
import { startMailbox } from '../../../test/notify-world';

/**
 * Who gets what, in which language, when: through the real ticket lifecycle and a real SMTP server.
 */
describe.each(BACKENDS)('notifications to people on %s', (kind) => {
  let server: TestServer;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let admin: Agent;
  let agent: Agent;
  let engineerZh: Agent;
  let engineerEn: Agent;
  let manager: Agent;
  let keeper: Agent;
  let customerId: string;

  const person = async (username: string, roles: string[], locale: 'zh-CN' | 'en-US') => {
    await server.modules.identity.service.createUser(
      {
        username,
        displayName: username,
        email: `${username}@example.com`,
        mobile: '13912345678',
        password: TEST_PASSWORD,
        roles: roles as never,
        teamIds: [],
        regionCodes: ['310000'],
        customerId: null,
        locale,
      },
      { kind: 'system', id: null },
    );
    return server.signIn(username);
  };
  const settle = async () => {
    await server.platform.dispatcher.settle();
    return server.modules.notifications.worker.runDue();
  };
  const report = async (title = '电梯困人', extra: Record<string, unknown> = {}) => {
    const res = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      customerId,
      contactName: '周先生',
      contactPhone: '13812345678',
      title,
      description: '3 号梯停在 5 楼与 6 楼之间，显示故障码 E35',
      severity: 'major',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().ticket as { id: string; number: string; version: number };
  };
  const dispatch = async (engineer: Agent, priority = 'P2', title = '电梯困人') => {
    let ticket = await report(title);
    const triaged = await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, {
      version: ticket.version,
      action: 'triage',
      priority,
    });
    expect(triaged.statusCode, triaged.body).toBe(200);
    ticket = triaged.json();
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, {
      version: ticket.version,
      action: 'dispatch',
      engineerId: engineer.userId,
      plannedStart: '2026-12-01T09:00:00+08:00',
      plannedEnd: '2026-12-01T11:00:00+08:00',
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { id: string; number: string };
  };
  const inbox = async (who: Agent) => (await who.get('/api/v1/notifications')).json();

  beforeAll(async () => {
    mailbox = await startMailbox();
    // The clock jumps across a night: sessions must outlive it.
    server = await createTestServer(kind, {
      SMTP_URL: mailbox.url,
      PUBLIC_URL: 'https://sl.example.com',
      SESSION_IDLE_MINUTES: '10000',
      SESSION_ABSOLUTE_HOURS: '1000',
    });
    server.clock.set('2026-05-18T10:00:00+08:00');
    admin = await server.signIn('admin');
    customerId = (
      await admin.post('/api/v1/customers', { name: '上海申城物业', regionCode: '310000', industry: 'elevator' })
    ).json().id;
    agent = await person('desk', ['agent'], 'zh-CN');
    engineerZh = await person('eng-zh', ['engineer'], 'zh-CN');
    engineerEn = await person('eng-en', ['engineer'], 'en-US');
    manager = await person('boss', ['manager'], 'zh-CN');
    keeper = await person('keeper', ['warehouse'], 'en-US');
  });
  afterAll(async () => {
    await server.close();
    await mailbox.close();
  });

  it('puts a new ticket in every agent’s inbox, live over server-sent events, and marks it read', async () => {
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (server.app.server.address() as AddressInfo).port;
    const controller = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${port}/api/v1/notifications/stream`, {
      headers: { accept: 'text/event-stream', cookie: agent.cookie! },
      signal: controller.signal,
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until(/event: unread\ndata: \{"unread":0\}/);

    const ticket = await report('扶梯异响');
    await settle();
    await until(/event: notification\n/);
    controller.abort();
    const pushed = JSON.parse(/event: notification\nid: .*\ndata: (.*)\n/.exec(text)![1]!);
    expect(pushed).toMatchObject({
      title: `新工单 ${ticket.number}：扶梯异响`,
      read: false,
      eventType: 'ticket.created',
    });

    const page = await inbox(agent);
    expect(page.unread).toBe(1);
    expect(page.items[0]).toMatchObject({ id: pushed.id, link: `/console/tickets/${ticket.id}` });
    expect(page.items[0].body).toContain('https://sl.example.com/console/tickets/');
    expect((await agent.get('/api/v1/notifications/unread-count')).json()).toEqual({ unread: 1 });
    // A client that doesn't ask for a stream gets the count at once.
    expect((await agent.get('/api/v1/notifications/stream')).json()).toEqual({ unread: 1 });
    // Someone else's notification is not found, not marked.
    expect((await engineerZh.post(`/api/v1/notifications/${pushed.id}/read`)).statusCode).toBe(404);
    const read = await agent.post(`/api/v1/notifications/${pushed.id}/read`);
    expect(read.json().read).toBe(true);
    expect((await agent.get('/api/v1/notifications/unread-count')).json()).toEqual({ unread: 0 });
    await report('再来一单');
    await settle();
    expect((await agent.post('/api/v1/notifications/read-all')).json()).toEqual({ marked: 1 });
    expect((await inbox(agent)).unread).toBe(0);
    // Engineers are not subscribed to new tickets.
    expect((await inbox(engineerZh)).total).toBe(0);
  });

  it('emails a dispatched engineer in their language through a real SMTP server', async () => {
    const zh = await dispatch(engineerZh, 'P2', '主板故障');
    const en = await dispatch(engineerEn, 'P1', 'Spindle noise');
    expect(await settle()).toBe(2);
    const [toZh] = mailbox.to('eng-zh@example.com');
    expect(toZh!.subject).toBe(`派工：${zh.number} 主板故障`);
    expect(toZh!.text).toContain('客户：上海申城物业');
    expect(toZh!.text).toContain('优先级：P2');
    expect(toZh!.text).toContain('计划上门：2026-12-01 09:00');
    const [toEn] = mailbox.to('eng-en@example.com');
    expect(toEn!.subject).toBe(`Dispatched to you: ${en.number} Spindle noise`);
    expect(toEn!.text).toContain('Priority: P1');
    expect(toEn!.text).toContain(`Open: https://sl.example.com/console/tickets/${en.id}`);
    expect((await inbox(engineerEn)).items.map((n: { title: string }) => n.title)).toEqual([
      `Dispatched to you: ${en.number} Spindle noise`,
    ]);
    const log = (await admin.get('/api/v1/notifications/deliveries?channel=email')).json();
    expect(log.items.map((d: { state: string }) => d.state)).toEqual(['delivered', 'delivered']);
  });

  it('follows each person’s preferences: channels off, language, quiet hours that P0 bypasses', async () => {
    const prefs = (await engineerEn.get('/api/v1/notifications/preferences')).json();
    expect(prefs).toEqual({
      channels: { in_app: true, email: true, sms: true },
      quietHours: null,
      locale: null,
      weeklyDigest: null,
      version: 0,
    });
    const off = await engineerEn.put('/api/v1/notifications/preferences', {
      version: 0,
      channels: { email: false },
      locale: 'zh-CN',
    });
    expect(off.statusCode, off.body).toBe(200);
    expect((await engineerEn.put('/api/v1/notifications/preferences', { version: 0 })).statusCode).toBe(409);
    const bad = await engineerEn.put('/api/v1/notifications/preferences', {
      version: 1,
      quietHours: { start: '25:00', end: '07:00' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('quietHours.start');

    const before = mailbox.messages.length;
    const silent = await dispatch(engineerEn);
    await settle();
    expect(mailbox.messages.length).toBe(before);
    const titles = (await inbox(engineerEn)).items.map((n: { title: string }) => n.title);
    expect(titles).toContain(`派工：${silent.number} 电梯困人`);

    await engineerZh.put('/api/v1/notifications/preferences', {
      version: 0,
      quietHours: { start: '22:00', end: '07:00' },
    });
    server.clock.set('2026-05-18T23:30:00+08:00');
    const night = await dispatch(engineerZh, 'P2', '夜间报修');
    const urgent = await dispatch(engineerZh, 'P0', '生产线停机');
    await settle();
    const subjects = () => mailbox.to('eng-zh@example.com').map((m) => m.subject);
    expect(subjects()).toContain(`派工：${urgent.number} 生产线停机`);
    expect(subjects()).not.toContain(`派工：${night.number} 夜间报修`);
    const held = (await admin.get('/api/v1/notifications/deliveries?state=pending')).json().items;
    expect(held.map((d: { nextAttemptAt: string }) => d.nextAttemptAt)).toEqual([
      new Date('2026-05-19T07:00:00+08:00').toISOString(),
    ]);
    server.clock.set('2026-05-19T07:00:30+08:00');
    await settle();
    expect(subjects()).toContain(`派工：${night.number} 夜间报修`);
  });

  it('tells managers of a breach and keepers of a reorder alert', async () => {
    const ticket = await report('SLA 测试');
    await server.platform.transaction((tx) =>
      server.platform.events.append(tx, {
        type: 'sla.breached',
        entityType: 'ticket',
        entityId: ticket.id,
        actor: { kind: 'system', id: null },
        data: { kind: 'resolution', dueAt: '2026-05-19T09:00:00+08:00' },
      }),
    );
    await settle();
    const breach = (await inbox(manager)).items.find((n: { eventType: string }) => n.eventType === 'sla.breached');
    expect(breach.title).toBe(`SLA 超时：${ticket.number} SLA 测试`);
    expect(breach.body).toContain('解决时限：2026-05-19 09:00');
    expect(mailbox.to('boss@example.com').map((m) => m.subject)).toContain(`SLA 超时：${ticket.number} SLA 测试`);

    const warehouse = (
      await admin.post('/api/v1/warehouses', { code: 'SH-1', name: '上海中心仓', kind: 'central' })
    ).json();
    const part = (
      await admin.post('/api/v1/parts', {
        sku: 'BRG-6205',
        nameZh: '主轴轴承',
        nameEn: 'Spindle bearing',
        unitCostFen: 5000,
      })
    ).json();
    await server.platform.transaction((tx) =>
      server.platform.events.append(tx, {
        type: 'parts.reorder_needed',
        entityType: 'part',
        entityId: part.id,
        actor: { kind: 'system', id: null },
        data: { warehouseId: warehouse.id, available: 2, reorderPoint: 5 },
      }),
    );
    await settle();
    const [alert] = (await inbox(keeper)).items;
    expect((await inbox(keeper)).total).toBe(1);
    expect(alert.title).toBe('Reorder needed: BRG-6205 Spindle bearing');
    expect(alert.body).toContain('Available: 2, reorder point: 5');
    expect(alert.link).toBe('/console/parts');
  });

  it('lets admins edit templates, preview them and change who hears what', async () => {
    const templates = (await admin.get('/api/v1/notifications/templates?eventType=ticket.created&locale=zh-CN')).json();
    expect(templates.total).toBe(1);
    const template = templates.items[0];
    const preview = await admin.post('/api/v1/notifications/templates/preview', {
      eventType: 'ticket.created',
      locale: 'zh-CN',
      title: '【{{priority}}】{{ticketNumber}} {{bogus}}',
      body: '{{customer}}',
    });
    expect(preview.json()).toEqual({
      title: '【P1】T2026-000123 ',
      body: '华东精密机械有限公司',
      unknownVariables: ['bogus'],
    });
    const edited = await admin.patch(`/api/v1/notifications/templates/${template.id}`, {
      version: template.version,
      title: '报修 {{ticketNumber}} / {{customer}}',
    });
    expect(edited.statusCode, edited.body).toBe(200);

    const subscription = await admin.post('/api/v1/notifications/subscriptions', {
      eventType: 'ticket.created',
      recipientKind: 'user',
      userId: engineerZh.userId,
      channels: ['in_app'],
    });
    expect(subscription.statusCode, subscription.body).toBe(201);
    const incomplete = await admin.post('/api/v1/notifications/subscriptions', {
      eventType: 'ticket.created',
      recipientKind: 'role',
    });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().details[0].path).toBe('recipientKind');

    const ticket = await report('模板测试');
    await settle();
    expect((await inbox(engineerZh)).items.map((n: { title: string }) => n.title)).toContain(
      `报修 ${ticket.number} / 上海申城物业`,
    );
    expect((await agent.get('/api/v1/notifications/subscriptions')).statusCode).toBe(403);
  });
});
