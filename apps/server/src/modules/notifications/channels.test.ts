import { createHmac } from 'node:crypto';
import type { EventName } from '@serviceloop/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { startReceiver } from '../../../test/notify-world';
import { verifyWebhook } from './webhooks';

/**
 * Robots and webhooks against a local HTTP server playing WeCom, DingTalk, Feishu and an
 * integration: formats, signatures, failures in a 200, retries with backoff, the per-robot rate
 * limit with merged bursts, manual redelivery, and the SSRF guard through the API.
 */
describe.each(BACKENDS)('robots and webhooks on %s', (kind) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: Agent;
  let ticket: { id: string; number: string };

  const emit = (type: EventName) =>
    server.platform.transaction((tx) =>
      server.platform.events.append(tx, {
        type,
        entityType: 'ticket',
        entityId: ticket.id,
        actor: { kind: 'system', id: null },
        data: { kind: 'resolution', dueAt: '2026-05-18T18:00:00+08:00', remainingMinutes: 30 },
      }),
    );
  const send = async () => {
    await server.platform.dispatcher.settle();
    return server.modules.notifications.worker.runDue();
  };
  const endpoint = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/notifications/endpoints', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const subscribe = async (eventType: string, endpointId: string) => {
    const res = await admin.post('/api/v1/notifications/subscriptions', {
      eventType,
      recipientKind: 'endpoint',
      endpointId,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const deliveries = async (query = '') => (await admin.get(`/api/v1/notifications/deliveries${query}`)).json().items;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await createTestServer(kind, { NOTIFY_ROBOT_PER_MINUTE: '3' });
    server.clock.set('2026-05-18T10:00:00+08:00');
    admin = await server.signIn('admin');
    const created = await admin.post('/api/v1/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '主轴异响',
      description: '3 号机主轴高速运转时异响，伴随振动报警',
      severity: 'major',
    });
    ticket = created.json().ticket;
    // Nothing below is about the default subscriptions.
    for (const s of (await admin.get('/api/v1/notifications/subscriptions?pageSize=200')).json().items) {
      await admin.patch(`/api/v1/notifications/subscriptions/${s.id}`, { version: s.version, enabled: false });
    }
    await send();
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  it('refuses internal addresses when an endpoint is saved, and again when it sends', async () => {
    const refused = [
      `http://127.0.0.1:${receiver.port}/wecom/send?key=K`,
      `http://[::1]:${receiver.port}/wecom/send?key=K`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.20.30.40/hook',
      `http://localhost:${receiver.port}/wecom/send?key=K`,
      // IPv4-compatible IPv6 and a fully qualified localhost passed the guard once.
      `http://[::127.0.0.1]:${receiver.port}/wecom/send?key=K`,
      `http://localhost.:${receiver.port}/wecom/send?key=K`,
      'http://2130706433/hook',
    ];
    for (const url of refused) {
      const res = await admin.post('/api/v1/notifications/endpoints', { kind: 'wecom', name: 'x', url });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().code).toBe('notify.url_refused');
      expect(res.json().details[0].path).toBe('url');
    }
    // Allowed while saved, then the allow-list entry is removed: the send is refused, nothing leaves.
    expect((await admin.post('/api/v1/notifications/allowed-hosts', { host: 'localhost' })).statusCode).toBe(204);
    const robot = await endpoint({
      kind: 'wecom',
      name: '本机',
      url: `http://localhost:${receiver.port}/wecom/send?key=K`,
    });
    await subscribe('sla.warning', robot.id);
    expect((await admin.delete('/api/v1/notifications/allowed-hosts/localhost')).statusCode).toBe(204);
    await emit('sla.warning');
    await send();
    expect(receiver.received).toEqual([]);
    const [refusedSend] = await deliveries(`?endpointId=${robot.id}`);
    expect(refusedSend).toMatchObject({ state: 'dead', channel: 'wecom' });
    expect(refusedSend.lastError).toMatch(/refused: private name/);
    await admin.patch(`/api/v1/notifications/endpoints/${robot.id}`, { version: robot.version, enabled: false });
  });

  it('posts to WeCom, signed DingTalk and signed Feishu in their formats, never showing their credentials', async () => {
    expect((await admin.post('/api/v1/notifications/allowed-hosts', { host: '127.0.0.1' })).statusCode).toBe(204);
    const base = receiver.base;
    const wecom = await endpoint({
      kind: 'wecom',
      name: '售后群',
      url: `${base}/wecom/cgi-bin/webhook/send?key=WECOM-KEY-1`,
    });
    const ding = await endpoint({
      kind: 'dingtalk',
      name: '钉钉群',
      url: `${base}/dingtalk/robot/send?access_token=DING-TOKEN-1`,
      secret: 'SECding0123456789',
    });
    const feishu = await endpoint({
      kind: 'feishu',
      name: '飞书群',
      url: `${base}/feishu/open-apis/bot/v2/hook/FEISHU-HOOK-1`,
      secret: 'feishu-secret-1',
    });
    expect(wecom.secret).toBeNull();
    for (const e of [wecom, ding, feishu]) await subscribe('sla.breached', e.id);
    const listed = JSON.stringify((await admin.get('/api/v1/notifications/endpoints')).json());
    for (const credential of ['WECOM-KEY-1', 'DING-TOKEN-1', 'FEISHU-HOOK-1', 'SECding', 'feishu-secret']) {
      expect(listed).not.toContain(credential);
    }

    const warn = vi.spyOn(server.platform.log, 'warn');
    await emit('sla.breached');
    expect(await send()).toBe(3);

    const [w] = receiver.at('/wecom');
    expect(w!.query.get('key')).toBe('WECOM-KEY-1');
    expect(w!.json.msgtype).toBe('markdown');
    expect(w!.json.markdown.content).toContain(`SLA 超时：${ticket.number} 主轴异响`);

    const [d] = receiver.at('/dingtalk');
    const timestamp = d!.query.get('timestamp')!;
    expect(Math.abs(Number(timestamp) - server.clock.now().getTime())).toBeLessThan(1000);
    // What DingTalk itself checks: the signature of timestamp + "\n" + secret, keyed by the secret.
    const expected = createHmac('sha256', 'SECding0123456789')
      .update(`${timestamp}\nSECding0123456789`)
      .digest('base64');
    expect(d!.query.get('sign')).toBe(expected);
    expect(d!.json).toMatchObject({ msgtype: 'markdown', markdown: { title: `SLA 超时：${ticket.number} 主轴异响` } });

    const [f] = receiver.at('/feishu');
    const fs = f!.json;
    expect(fs.sign).toBe(createHmac('sha256', `${fs.timestamp}\nfeishu-secret-1`).update('').digest('base64'));
    expect(fs.msg_type).toBe('post');

    // A 200 whose errcode isn't 0 is a failure, retried with backoff; the log shows no credential.
    receiver.script('/dingtalk', { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' });
    await emit('sla.breached');
    await send();
    const failed = (await deliveries(`?endpointId=${ding.id}&state=pending`))[0];
    expect(failed).toMatchObject({ attempts: 1, lastStatus: 200, lastError: 'robot error 310000: sign not match' });
    expect(failed.target).toBe(`${base}/dingtalk/robot/send?access_token=***`);
    const wait = new Date(failed.nextAttemptAt).getTime() - server.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(15_000);
    expect(wait).toBeLessThanOrEqual(30_000);
    expect(JSON.stringify(warn.mock.calls)).toContain('robot error 310000');
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/DING-TOKEN-1|SECding/);
    server.clock.advance(31_000);
    await send();
    const detail = (await admin.get(`/api/v1/notifications/deliveries/${failed.id}`)).json();
    expect(detail.state).toBe('delivered');
    expect(detail.log.map((a: { ok: boolean }) => a.ok)).toEqual([false, true]);
    // WeCom and Feishu were not held back by DingTalk's failure.
    expect(receiver.at('/wecom')).toHaveLength(2);
    expect(receiver.at('/feishu')).toHaveLength(2);
    for (const e of [wecom, ding, feishu]) {
      const current = (await admin.get(`/api/v1/notifications/endpoints/${e.id}`)).json();
      await admin.patch(`/api/v1/notifications/endpoints/${e.id}`, { version: current.version, enabled: false });
    }
  });

  it('keeps each robot within its per-minute budget and merges the burst that waited', async () => {
    // This server allows 3 sends per robot per minute (NOTIFY_ROBOT_PER_MINUTE).
    server.clock.advance(120_000);
    const robot = await endpoint({ kind: 'wecom', name: '限流群', url: `${receiver.base}/wecom/send?key=BURST` });
    await subscribe('ticket.reopened', robot.id);
    for (let i = 0; i < 3; i++) {
      await emit('ticket.reopened');
      expect(await send()).toBe(1);
      server.clock.advance(1_000);
    }
    for (let i = 0; i < 4; i++) await emit('ticket.reopened');
    expect(await send()).toBe(0);
    expect(receiver.at('/wecom')).toHaveLength(3);
    server.clock.advance(58_000);
    expect(await send()).toBe(1);
    const sends = receiver.at('/wecom');
    expect(sends).toHaveLength(4);
    expect(sends[3]!.json.markdown.content).toMatch(/^\*\*4 条新通知\*\*/);
    const merged = await deliveries(`?endpointId=${robot.id}&state=delivered&pageSize=10`);
    expect(merged).toHaveLength(7);
    const detail = (await admin.get(`/api/v1/notifications/deliveries/${merged[0].id}`)).json();
    expect(detail.log.at(-1).batchSize).toBe(4);
    await admin.patch(`/api/v1/notifications/endpoints/${robot.id}`, { version: robot.version, enabled: false });
  });

  it('signs webhooks the Standard Webhooks way, keeps one id across retries over hours and redelivery', async () => {
    const hook = await endpoint({ kind: 'webhook', name: 'ERP', url: `${receiver.base}/erp/in` });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect((await admin.get(`/api/v1/notifications/endpoints/${hook.id}`)).json()).not.toHaveProperty('secret');
    await subscribe('sla.warning', hook.id);
    receiver.script('/erp', { status: 500, body: '' }, { status: 503, body: '' }, { status: 502, body: '' });
    await emit('sla.warning');

    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await send();
      const [pending] = await deliveries(`?endpointId=${hook.id}&state=pending`);
      expect(pending.lastStatus).toBe([500, 503, 502][attempt - 1]);
      waits.push(new Date(pending.nextAttemptAt).getTime() - server.clock.now().getTime());
      server.clock.set(pending.nextAttemptAt);
    }
    // 30 s doubling per failure, half of it jittered.
    expect(waits[0]).toBeGreaterThanOrEqual(15_000);
    expect(waits[0]).toBeLessThanOrEqual(30_000);
    expect(waits[1]).toBeGreaterThanOrEqual(30_000);
    expect(waits[2]).toBeGreaterThanOrEqual(60_000);
    expect(waits[2]).toBeLessThanOrEqual(120_000);
    await send();

    const calls = receiver.at('/erp');
    expect(calls).toHaveLength(4);
    const ids = new Set(calls.map((c) => c.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const call of calls) {
      const at = new Date(Number(call.headers['webhook-timestamp']) * 1000);
      expect(verifyWebhook(hook.secret, call.headers as Record<string, string>, call.body, at)).toBe(true);
      expect(
        verifyWebhook('whsec_d3Jvbmcgc2VjcmV0IGtleQ==', call.headers as Record<string, string>, call.body, at),
      ).toBe(false);
    }
    expect(calls[0]!.json).toMatchObject({
      type: 'sla.warning',
      data: { ticketId: ticket.id, ticketNumber: ticket.number, kind: 'resolution' },
    });

    const [done] = await deliveries(`?endpointId=${hook.id}`);
    expect(done.state).toBe('delivered');
    const again = await admin.post(`/api/v1/notifications/deliveries/${done.id}/redeliver`);
    expect(again.json().state).toBe('pending');
    await send();
    expect(receiver.at('/erp')).toHaveLength(5);
    expect(receiver.at('/erp')[4]!.headers['webhook-id']).toBe([...ids][0]);
    const log = (await admin.get(`/api/v1/notifications/deliveries/${done.id}`)).json().log;
    expect(log.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 503, 502, 200, 200]);

    // Rotating the secret answers the new one once; later messages are signed with it.
    const rotated = await admin.patch(`/api/v1/notifications/endpoints/${hook.id}`, { version: 1, rotateSecret: true });
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(hook.secret);
  });
});
