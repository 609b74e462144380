import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { startReceiver } from '../../../test/notify-world';
import { rows } from '../../platform/db/client';
import { createServer } from '../../server';

/**
 * Rules over HTTP on a real database: saved and checked through the API, woken by real ticket and
 * SLA events, acting through the tickets service and notifications (a WeCom robot played by a
 * local HTTP server), logged per run; dry run, loop protection, schedules and escalation after a
 * restart with the injected clock.
 */
describe.each(BACKENDS)('automation rules on %s', (kind) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: Agent;
  let customerId: string;
  let teamId: string;
  let robotId: string;

  const settle = async () => {
    await server.platform.dispatcher.stop();
    await server.platform.dispatcher.drain();
  };
  const ok = async (res: { statusCode: number; body: string; json(): unknown }, status = 200) => {
    expect(res.statusCode, res.body).toBe(status);
    // biome-ignore lint/suspicious/noExplicitAny: responses are checked field by field.
    return res.json() as any;
  };
  const saveRule = async (rule: Record<string, unknown>) =>
    ok(await (await server.signIn('admin')).post('/api/v1/automation/rules', rule), 201);
  const disable = async (rule: { id: string; version: number }) =>
    ok(
      await (await server.signIn('admin')).patch(`/api/v1/automation/rules/${rule.id}`, {
        version: rule.version,
        enabled: false,
      }),
    );
  const report = async (extra: Record<string, unknown> = {}) => {
    const res = await (await server.signIn('admin')).post('/api/v1/tickets', {
      channel: 'phone',
      customerId,
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '数控机床不开机',
      description: '3 号机主板坏了，上电无反应，产线停机',
      problemType: '主板坏了',
      ...extra,
    });
    return (await ok(res, 201)).ticket as { id: string; version: number; number: string };
  };
  const ticket = async (id: string) => ok(await (await server.signIn('admin')).get(`/api/v1/tickets/${id}`));
  const timeline = async (id: string) =>
    (await ok(await (await server.signIn('admin')).get(`/api/v1/tickets/${id}/timeline`))) as {
      type: string;
      actorId: string | null;
      data: Record<string, unknown>;
    }[];
  const runs = async (ruleId: string) =>
    (await ok(await (await server.signIn('admin')).get(`/api/v1/automation/rules/${ruleId}/runs`))).items;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await createTestServer(kind);
    server.clock.set('2026-03-02T09:00:00+08:00');
    admin = await server.signIn('admin');
    customerId = (
      await ok(
        await admin.post('/api/v1/customers', {
          name: '上海精密机床有限公司',
          tier: 'vip',
          regionCode: '310000',
          industry: 'machine_tools',
        }),
        201,
      )
    ).id;
    teamId = (await ok(await admin.post('/api/v1/teams', { name: '华东硬件组', regionCodes: ['310000'] }), 201)).id;
    // The robot is a local server: allow-listed, as an admin would.
    expect((await admin.post('/api/v1/notifications/allowed-hosts', { host: '127.0.0.1' })).statusCode).toBe(204);
    robotId = (
      await ok(
        await admin.post('/api/v1/notifications/endpoints', {
          kind: 'wecom',
          name: '华东服务群',
          url: `${receiver.base}/wecom/send?key=K1`,
        }),
        201,
      )
    ).id;
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('refuses a rule whose conditions do not fit their fields, by path', async () => {
    const res = await admin.post('/api/v1/automation/rules', {
      name: '坏规则',
      trigger: { type: 'schedule', cron: '61 * * * *' },
      conditions: {
        all: [
          { field: 'ticket.priority', op: 'gt', value: 'P1' },
          { field: 'ticket.nope', op: 'eq', value: 1 },
        ],
      },
      actions: [{ type: 'comment', body: 'x' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { path: string }) => d.path)).toEqual([
      'conditions.all.0.op',
      'conditions.all.1.field',
      'trigger.cron',
    ]);
    const shape = await admin.post('/api/v1/automation/rules', { name: 'x', trigger: { type: 'nope' }, actions: [] });
    expect(shape.statusCode).toBe(400);
  });

  it('dispatches a 硬件失灵 ticket in 华东 to its team and tells the robot, logged per run', async () => {
    const rule = await saveRule({
      name: '华东硬件故障自动派单',
      trigger: { type: 'ticket.created' },
      conditions: {
        all: [
          { field: 'ticket.category', op: 'eq', value: '硬件失灵' },
          { field: 'ticket.area', op: 'eq', value: '华东' },
        ],
      },
      actions: [
        { type: 'assign', teamId },
        {
          type: 'notify',
          recipients: [{ kind: 'endpoint', endpointId: robotId }],
          title: '新硬件工单 {{ticketNumber}}',
          body: '{{title}}（{{customer}}）已派给华东硬件组',
        },
      ],
    });
    const matching = await report();
    const elsewhere = await report({
      problemType: '软件报错',
      title: '界面报错',
      description: '操作界面弹出错误码 E-17，重启后仍然出现',
    });
    await settle();
    expect((await ticket(matching.id)).teamId).toBe(teamId);
    expect((await ticket(elsewhere.id)).teamId).toBeNull();
    const transferred = (await timeline(matching.id)).find((e) => e.type === 'ticket.transferred')!;
    expect(transferred.actorId).toBeNull();
    expect(transferred.data.automation).toMatchObject({ ruleIds: [rule.id], depth: 1 });

    await server.modules.notifications.worker.runDue();
    const robot = receiver.at('/wecom');
    expect(robot).toHaveLength(1);
    expect(robot[0]!.json.msgtype).toBeDefined();
    expect(robot[0]!.body).toContain(matching.number);
    expect(robot[0]!.body).toContain('华东硬件组');

    const log = await runs(rule.id);
    expect(log).toHaveLength(2);
    const hit = log.find((r: { ticketId: string }) => r.ticketId === matching.id);
    expect(hit).toMatchObject({ matched: true, eventType: 'ticket.created', error: null });
    expect(hit.actions.map((a: { status: string }) => a.status)).toEqual(['done', 'done']);
    const miss = log.find((r: { ticketId: string }) => r.ticketId === elsewhere.id);
    expect(miss.matched).toBe(false);
    expect(miss.trace.children.map((c: { matched: boolean }) => c.matched)).toEqual([false, true]);
    await disable(rule);
  });

  it('dry-runs a rule against a ticket node by node without writing anything', async () => {
    const target = await report();
    await settle();
    const before = await ticket(target.id);
    const rule = await saveRule({
      name: 'VIP 升级',
      enabled: false,
      trigger: { type: 'ticket.created' },
      conditions: {
        any: [
          { field: 'customer.tier', op: 'eq', value: 'vip' },
          { field: 'ticket.priority', op: 'in', value: ['P0'] },
        ],
      },
      actions: [
        { type: 'set_priority', priority: 'P0' },
        { type: 'comment', body: 'VIP 客户，已升级' },
      ],
    });
    const admin = await server.signIn('admin');
    const result = await ok(await admin.post(`/api/v1/automation/rules/${rule.id}/dry-run`, { ticketId: target.id }));
    expect(result.matched).toBe(true);
    expect(result.trace.children.map((c: { matched: boolean; actual: unknown }) => [c.matched, c.actual])).toEqual([
      [true, 'vip'],
      [false, null],
    ]);
    expect(result.actions.map((a: { status: string; type: string }) => `${a.type}:${a.status}`)).toEqual([
      'set_priority:planned',
      'comment:planned',
    ]);
    // The editor's unsaved state: an all-tree that fails on its first leaf.
    const unsaved = await ok(
      await admin.post('/api/v1/automation/dry-run', {
        ticketId: target.id,
        rule: {
          name: '草稿',
          trigger: { type: 'ticket.created' },
          conditions: { all: [{ field: 'customer.tier', op: 'eq', value: 'standard' }] },
          actions: [{ type: 'comment', body: 'x' }],
        },
      }),
    );
    expect(unsaved.matched).toBe(false);
    expect(unsaved.actions[0].status).toBe('skipped');
    await settle();
    expect((await ticket(target.id)).version).toBe(before.version);
    expect(await runs(rule.id)).toHaveLength(0);
    expect((await admin.post(`/api/v1/automation/rules/${rule.id}/dry-run`, { ticketId: rule.id })).statusCode).toBe(
      404,
    );
  });

  it('does not let rules retrigger themselves or each other endlessly', async () => {
    // The field the rules write (set-field writes only what the form would accept).
    await ok(
      await admin.post('/api/v1/forms/fields', { key: 'side', labelZh: '哪一方', labelEn: 'Side', kind: 'text' }),
      201,
    );
    // Each answers the other's change; without the causal chain they would ping-pong forever.
    const ping = await saveRule({
      name: 'ping',
      position: 1,
      trigger: { type: 'field_changed', field: 'fields.side' },
      conditions: { field: 'ticket.fields.side', op: 'ne', value: 'ping' },
      actions: [{ type: 'set_field', field: 'side', value: 'ping' }],
    });
    const pong = await saveRule({
      name: 'pong',
      position: 2,
      trigger: { type: 'ticket.updated' },
      conditions: { field: 'ticket.fields.side', op: 'eq', value: 'ping' },
      actions: [{ type: 'set_field', field: 'side', value: 'pong' }],
    });
    // A rule that comments on every comment: its own comment must not wake it again.
    const echo = await saveRule({
      name: 'echo',
      trigger: { type: 'ticket.transitioned', events: ['ticket.commented'] },
      actions: [{ type: 'comment', body: '已收到 {{ticket.number}}' }],
    });
    const t = await report();
    await settle();
    await ok(
      await (await server.signIn('admin')).post(`/api/v1/tickets/${t.id}/transitions`, {
        action: 'comment',
        version: (await ticket(t.id)).version,
        body: '请尽快处理',
      }),
    );
    await settle();
    const comments = (await timeline(t.id)).filter((e) => e.type === 'ticket.commented');
    expect(comments.map((c) => c.data.body)).toEqual(['请尽快处理', `已收到 ${t.number}`]);
    // Set the field by hand once: both rules answer it (ping, then pong on ping's value); ping's
    // change no longer wakes ping, pong's wakes ping once more, and a chain holding both ends.
    await server.platform.transaction((tx) =>
      server.modules.tickets.service.update(tx, t.id, { fields: { side: 'manual' } }, {
        ...(admin as unknown as { userId: string }),
        kind: 'user',
        userId: admin.userId,
      } as never),
    );
    await settle();
    const updates = (await timeline(t.id)).filter((e) => e.type === 'ticket.updated');
    expect(updates.map((e) => (e.data.automation as { ruleIds: string[] } | undefined)?.ruleIds ?? [])).toEqual([
      [],
      [ping.id],
      [pong.id],
      [pong.id, ping.id],
    ]);
    expect((await ticket(t.id)).fields.side).toBe('ping');
    for (const r of [ping, pong, echo]) await disable(r);
  });

  it('runs a cron rule at 09:00 China time on weekdays over the open tickets, moved by the clock', async () => {
    server.clock.set('2026-03-06T10:00:00+08:00'); // a Friday
    const open = await report();
    await settle();
    const rule = await saveRule({
      name: '每个工作日 9 点提醒未分诊工单',
      trigger: { type: 'schedule', cron: '0 9 * * 1-5' },
      conditions: {
        all: [
          { field: 'ticket.state', op: 'eq', value: 'new' },
          { field: 'ticket.id', op: 'eq', value: open.id },
        ],
      },
      actions: [{ type: 'comment', body: '工单仍未分诊，请处理' }],
    });
    await settle();
    const reminders = async () =>
      (await timeline(open.id)).filter((e) => e.type === 'ticket.commented' && e.data.body === '工单仍未分诊，请处理');
    server.clock.set('2026-03-09T08:59:00+08:00');
    await server.platform.jobs.runDue();
    await settle();
    expect(await reminders()).toHaveLength(0);
    server.clock.set('2026-03-09T09:00:30+08:00');
    await server.platform.jobs.runDue();
    await settle();
    expect(await reminders()).toHaveLength(1);
    const [next] = await rows<{ run_at: Date }>(
      server.platform.db,
      sql`select run_at from jobs where queue = 'automation.schedule' and finished_at is null and payload ->> 'ruleId' = ${rule.id}`,
    );
    expect(new Date(next!.run_at).toISOString()).toBe('2026-03-10T01:00:00.000Z');
    await disable(rule);
  });

  it('escalates a P0 not resolved in time once, also after a restart, by robot and SMS', async () => {
    server.clock.set('2026-03-10T10:00:00+08:00');
    const director = await ok(
      await (await server.signIn('admin')).post('/api/v1/users', {
        username: 'director',
        displayName: '服务总监',
        mobile: '13900000001',
        password: 'Harbour-Lantern-Quay-81',
        roles: ['manager'],
      }),
      201,
    );
    const rule = await saveRule({
      name: 'P0 超时升级',
      trigger: { type: 'sla.breached', clock: 'resolution' },
      conditions: { field: 'ticket.priority', op: 'eq', value: 'P0' },
      actions: [
        {
          type: 'escalate',
          raiseTo: 'one_step',
          recipients: [
            { kind: 'role', role: 'manager' },
            { kind: 'endpoint', endpointId: robotId },
          ],
          channels: ['sms'],
          title: 'P0 工单 {{ticketNumber}} 超时未解决',
          body: '{{title}} 已超过解决时限，请立即处理',
        },
      ],
    });
    const t = await report();
    await settle();
    const p0 = await ok(
      await (await server.signIn('admin')).post(`/api/v1/tickets/${t.id}/transitions`, {
        action: 'triage',
        priority: 'P0',
        version: (await ticket(t.id)).version,
      }),
    );
    expect(p0.priority).toBe('P0');
    await settle();
    receiver.received.length = 0;
    const restarted = await createServer({
      config: server.platform.config,
      database: server.platform.database,
      clock: server.clock,
    });
    try {
      // P0: resolved within 4 hours round the clock; the breach job falls due at 14:00.
      server.clock.set('2026-03-10T14:30:00+08:00');
      await restarted.platform.jobs.runDue();
      await restarted.platform.dispatcher.stop();
      await restarted.platform.dispatcher.drain();
      await server.platform.jobs.runDue();
      await settle();
      await restarted.modules.notifications.worker.runDue();
      await server.modules.notifications.worker.runDue();
    } finally {
      await restarted.platform.dispatcher.stop();
      await restarted.app.close();
    }
    const events = await timeline(t.id);
    expect(events.filter((e) => e.type === 'sla.breached' && e.data.kind === 'resolution')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'automation.notified')).toHaveLength(1);
    const log = await runs(rule.id);
    expect(log.filter((r: { matched: boolean }) => r.matched)).toHaveLength(1);
    expect(receiver.at('/wecom').filter((r) => r.body.includes('超时未解决'))).toHaveLength(1);
    const sms = await rows<{ address: string; state: string }>(
      server.platform.db,
      sql`select address, state from notification_deliveries
          where channel = 'sms' and user_id = ${director.id} and event_type = 'automation.notified'`,
    );
    expect(sms).toEqual([{ address: '13900000001', state: 'delivered' }]);
  });
  it('re-plans the SLA clocks when a rule raises the priority, as triage would have planned them', async () => {
    server.clock.set('2026-03-11T10:00:00+08:00'); // a Wednesday
    const t = await report();
    await settle();
    const admin = await server.signIn('admin');
    const step = async (body: Record<string, unknown>) =>
      ok(await admin.post(`/api/v1/tickets/${t.id}/transitions`, { ...body, version: (await ticket(t.id)).version }));
    await step({ action: 'triage', priority: 'P2' });
    await settle();
    const resolution = async () =>
      (
        (await ok(await admin.get(`/api/v1/tickets/${t.id}/sla`))).clocks as { kind: string; [k: string]: unknown }[]
      ).find((c) => c.kind === 'resolution')!;
    // P2: three working days on the working-day calendar — Monday 10:00.
    expect(await resolution()).toMatchObject({ dueAt: '2026-03-16T02:00:00.000Z', policyName: 'P2 默认 / P2 default' });
    const rule = await saveRule({
      name: '客户催单升为 P0',
      trigger: { type: 'ticket.transitioned', events: ['ticket.commented'] },
      conditions: {
        all: [
          { field: 'ticket.id', op: 'eq', value: t.id },
          { field: 'ticket.priority', op: 'eq', value: 'P2' },
        ],
      },
      actions: [{ type: 'set_priority', priority: 'P0' }],
    });
    await step({ action: 'comment', body: '产线全停，请加急' });
    await settle();
    await settle();
    expect((await ticket(t.id)).priority).toBe('P0');
    // P0: four hours round the clock from the report, the same as a ticket triaged P0.
    expect(await resolution()).toMatchObject({
      dueAt: '2026-03-11T06:00:00.000Z',
      targetMinutes: 240,
      policyName: 'P0 默认 / P0 default',
      state: 'running',
    });
    expect((await ticket(t.id)).resolutionDueAt).toBe('2026-03-11T06:00:00.000Z');
    // The breach job of the new due time is queued.
    server.clock.set('2026-03-11T14:05:00+08:00');
    await server.platform.jobs.runDue();
    await settle();
    expect((await timeline(t.id)).filter((e) => e.type === 'sla.breached')).toHaveLength(1);
    await disable(rule);
  });
  it('checks a set-field value as the form does: a refused one is a failed action in the run log', async () => {
    const admin = await server.signIn('admin');
    const choice = (value: string, zh: string) => ({ value, labelZh: zh, labelEn: value });
    for (const field of [
      {
        key: 'urgency',
        labelZh: '紧急程度',
        labelEn: 'Urgency',
        kind: 'select',
        choices: [choice('low', '低'), choice('high', '高')],
      },
      { key: 'stoppedLines', labelZh: '停机产线数', labelEn: 'Lines stopped', kind: 'number', min: 0, max: 20 },
    ])
      await ok(await admin.post('/api/v1/forms/fields', field), 201);
    const t = await report();
    await settle();
    const rule = await saveRule({
      name: '催单标记',
      trigger: { type: 'ticket.transitioned', events: ['ticket.commented'] },
      conditions: { field: 'ticket.id', op: 'eq', value: t.id },
      actions: [
        { type: 'set_field', field: 'urgency', value: 'extreme' },
        { type: 'set_field', field: 'stoppedLines', value: 99 },
        { type: 'set_field', field: 'noSuchField', value: 'x' },
        { type: 'set_field', field: 'urgency', value: 'high' },
      ],
    });
    const before = await ticket(t.id);
    await ok(
      await admin.post(`/api/v1/tickets/${t.id}/transitions`, {
        action: 'comment',
        body: '客户来电催促',
        version: before.version,
      }),
    );
    await settle();
    const [run] = await runs(rule.id);
    expect(run.actions.map((a: { status: string }) => a.status)).toEqual(['failed', 'failed', 'failed', 'done']);
    expect(run.actions[0].error).toContain('validation.field_choice');
    expect(run.actions[1].error).toContain('validation.field_max');
    expect(run.actions[2].error).toContain('validation.field_unknown');
    expect(run.error).toBe(run.actions[0].error);
    // Only the valid value reached the ticket, in one change.
    const after = await ticket(t.id);
    expect(after.fields).toEqual({ ...before.fields, urgency: 'high' });
    expect((await timeline(t.id)).filter((e) => e.type === 'ticket.updated')).toHaveLength(1);
    await disable(rule);
  });
  it('starts P0 clocks, from the report, for an untriaged ticket a rule escalates; triage re-plans them', async () => {
    server.clock.set('2026-03-12T10:00:00+08:00');
    const rule = await saveRule({
      name: '困人立即升级',
      trigger: { type: 'ticket.created' },
      conditions: { field: 'ticket.title', op: 'contains', value: '困人' },
      actions: [
        {
          type: 'escalate',
          raiseTo: 'P0',
          recipients: [{ kind: 'role', role: 'manager' }],
          channels: ['in_app'],
          title: '困人工单 {{ticketNumber}}',
          body: '{{title}}',
        },
      ],
    });
    const t = await report({ title: '电梯困人，无人应答' });
    await settle();
    // Signed in afresh for each request: the clock moves past a session's idle time.
    const admin = {
      get: async (url: string) => (await server.signIn('admin')).get(url),
      post: async (url: string, body: unknown) => (await server.signIn('admin')).post(url, body),
    };
    const clock = async (kind: string) =>
      (
        (await ok(await admin.get(`/api/v1/tickets/${t.id}/sla`))).clocks as { kind: string; [k: string]: unknown }[]
      ).find((c) => c.kind === kind);
    expect(await ticket(t.id)).toMatchObject({
      state: 'new',
      priority: 'P0',
      responseDueAt: '2026-03-12T02:30:00.000Z',
      resolutionDueAt: '2026-03-12T06:00:00.000Z',
    });
    // The customer has waited since the report: 30 minutes to a response, 4 hours to the fix.
    expect(await clock('response')).toMatchObject({
      startedAt: '2026-03-12T02:00:00.000Z',
      dueAt: '2026-03-12T02:30:00.000Z',
      policyName: 'P0 默认 / P0 default',
      state: 'running',
    });
    expect(await clock('resolution')).toMatchObject({ dueAt: '2026-03-12T06:00:00.000Z', state: 'running' });
    // Nobody answered within 30 minutes: the response clock breaches.
    server.clock.set('2026-03-12T10:31:00+08:00');
    await server.platform.jobs.runDue();
    await settle();
    const breaches = (await timeline(t.id)).filter((e) => e.type === 'sla.breached');
    expect(breaches.map((e) => e.data.kind)).toEqual(['response']);
    // Triage is the first response; the priority it sets is the one the clocks now hold to.
    server.clock.set('2026-03-12T10:40:00+08:00');
    await ok(
      await admin.post(`/api/v1/tickets/${t.id}/transitions`, {
        action: 'triage',
        priority: 'P1',
        version: (await ticket(t.id)).version,
      }),
    );
    await settle();
    expect(await clock('response')).toMatchObject({
      state: 'met',
      metAt: '2026-03-12T02:40:00.000Z',
      breachedAt: '2026-03-12T02:31:00.000Z',
    });
    expect(await clock('resolution')).toMatchObject({
      policyName: 'P1 默认 / P1 default',
      dueAt: '2026-03-13T02:00:00.000Z',
      state: 'running',
    });
    await disable(rule);
  });

  it('runs a scheduled rule over every open ticket, not only the 500 oldest', async () => {
    server.clock.set('2026-04-01T10:05:00+08:00');
    const template = await report({ title: '积压模板' });
    await settle();
    // 600 old open tickets, then three newer ones the rule is for: all beyond the 500th.
    await server.platform.db.execute(sql`
      insert into tickets
      select (jsonb_populate_record(null::tickets, to_jsonb(t) || jsonb_build_object(
        'id', gen_random_uuid(),
        'number', t.number || '-' || g,
        'title', case when g > 600 then '积压末尾 ' || g else '积压 ' || g end,
        'reported_at', timestamptz '2026-01-01T00:00:00+08:00' + g * interval '1 minute'))).*
      from tickets t, generate_series(1, 603) g where t.id = ${template.id}`);
    const rule = await saveRule({
      name: '每 10 分钟检查积压',
      trigger: { type: 'schedule', cron: '*/10 * * * *' },
      conditions: { field: 'ticket.title', op: 'contains', value: '积压末尾' },
      actions: [{ type: 'comment', body: '积压提醒' }],
    });
    await settle();
    server.clock.set('2026-04-01T10:10:30+08:00');
    await server.platform.jobs.runDue();
    await settle();
    const matched = (await runs(rule.id)).filter((r: { matched: boolean }) => r.matched);
    const [reminded] = await rows<{ n: number }>(
      server.platform.db,
      sql`select count(*)::int as n from events e join tickets t on t.id::text = e.entity_id::text
          where e.type = 'ticket.commented' and e.data ->> 'body' = '积压提醒' and t.title like '积压末尾%'`,
    );
    expect(matched).toHaveLength(3);
    expect(reminded!.n).toBe(3);
    await disable(rule);
    await server.platform.db.execute(sql`update tickets set state = 'cancelled' where title like '积压%'`);
  });
});
