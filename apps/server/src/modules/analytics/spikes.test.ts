import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, reportFault, TEST_PASSWORD, type TestServer } from '../../../test/harness';
import { rows } from '../../platform/db/client';
import { poissonUpperTail } from './spikes';

describe('the one-sided Poisson test', () => {
  it('matches hand-computed tails', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 12);
    // P(X ≥ 5 | λ = 1) = 1 − e⁻¹(1 + 1 + 1/2 + 1/6 + 1/24)
    expect(poissonUpperTail(5, 1)).toBeCloseTo(1 - Math.exp(-1) * (1 + 1 + 1 / 2 + 1 / 6 + 1 / 24), 12);
    expect(poissonUpperTail(3, 0)).toBe(0);
    // Monotone: a higher count is never less surprising.
    for (let k = 1; k < 30; k++) expect(poissonUpperTail(k + 1, 4)).toBeLessThanOrEqual(poissonUpperTail(k, 4));
  });
});

const DAY = 86_400_000;

describe.each(BACKENDS)('spike alerts on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let manager: Agent;
  const models: Record<string, string> = {};
  const start = new Date('2026-01-05T10:00:00+08:00').getTime();

  const report = async (model: string, at: number, serial: string) => {
    server.clock.set(new Date(at));
    await reportFault(admin, {
      title: '设备报警',
      severity: 'minor',
      productModelId: models[model],
      serialNumber: serial,
    });
  };

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    manager = await server.userWith('manager');
    for (const code of ['SPIKE-1', 'CALM-1']) {
      const created = await admin.post('/api/v1/product-models', { code, name: code, category: 'cnc_machine' });
      expect(created.statusCode, created.body).toBe(201);
      models[code] = created.json().id;
    }
    // Eight quiet weeks: one SPIKE-1 and two CALM-1 reports a week…
    for (let week = 0; week < 8; week++) {
      await report('SPIKE-1', start + week * 7 * DAY, `S-${week}`);
      await report('CALM-1', start + week * 7 * DAY + 3_600_000, `C-${week}a`);
      await report('CALM-1', start + week * 7 * DAY + 7_200_000, `C-${week}b`);
    }
    // …then a week with eight SPIKE-1 reports and three CALM-1 ones.
    for (let i = 0; i < 8; i++) await report('SPIKE-1', start + 56 * DAY + i * 3_600_000, `S-x${i}`);
    for (let i = 0; i < 3; i++) await report('CALM-1', start + 57 * DAY + i * 3_600_000, `C-x${i}`);
    server.clock.set(new Date(start + 62 * DAY));
    await server.platform.dispatcher.settle();
  });
  afterAll(async () => {
    await server.close();
  });

  it('tells subscribers and wakes rules when it detects a spike; a leg with no mobile is logged as skipped', async () => {
    const created = async (res: { statusCode: number; body: string; json(): unknown }) => {
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string };
    };
    const director = await created(
      await admin.post('/api/v1/users', {
        username: 'director',
        displayName: '服务总监',
        mobile: '13900000001',
        password: TEST_PASSWORD,
        roles: ['manager'],
      }),
    );
    // Managers hear of spikes in the inbox and by SMS (the subscription the docs promise).
    await created(
      await admin.post('/api/v1/notifications/subscriptions', {
        eventType: 'analytics.spike_detected',
        recipientKind: 'role',
        role: 'manager',
        channels: ['in_app', 'sms'],
      }),
    );
    // A rule on the spike trigger: a model's spike goes to the service director for quality follow-up.
    const rule = await created(
      await admin.post('/api/v1/automation/rules', {
        name: '型号激增转质量跟进',
        trigger: { type: 'analytics.spike_detected' },
        conditions: { field: 'event.dimension', op: 'eq', value: 'productModel' },
        actions: [
          {
            type: 'notify',
            recipients: [{ kind: 'user', userId: director.id }],
            channels: ['in_app'],
            title: '质量跟进：{{event.label}} 近 7 天 {{event.count}} 张',
            body: '请安排质量分析 {{link}}',
          },
        ],
      }),
    );
    await server.platform.dispatcher.settle();
    await server.platform.jobs.enqueue(server.platform.db, { queue: 'analytics.spikes' });
    expect(await server.platform.jobs.runDue()).toBe(1);
    await server.platform.dispatcher.settle();
    await server.modules.notifications.worker.runDue();

    const inbox = async (agent: Agent) =>
      ((await agent.get('/api/v1/notifications')).json().items as { title: string; body: string }[]).map(
        (n) => n.title,
      );
    const directorAgent = await server.signIn('director', TEST_PASSWORD);
    expect((await inbox(directorAgent)).sort()).toEqual([
      '故障异常激增：产品型号“SPIKE-1”',
      '质量跟进：SPIKE-1 近 7 天 8 张',
    ]);
    expect(await inbox(manager)).toEqual(['故障异常激增：产品型号“SPIKE-1”']);
    const [run] = (await admin.get(`/api/v1/automation/rules/${rule.id}/runs`)).json().items;
    expect(run).toMatchObject({ eventType: 'analytics.spike_detected', ticketId: null, matched: true });
    expect(run.actions.map((a: { status: string }) => a.status)).toEqual(['done']);
    // Every SMS leg is in the delivery log: sent to the director, skipped (with why) for the manager
    // who has no mobile number.
    const sms = (await admin.get('/api/v1/notifications/deliveries?channel=sms')).json().items as {
      id: string;
      userId: string;
      state: string;
      target: string;
      lastError: string | null;
    }[];
    expect(
      sms
        .map(({ userId, state, target, lastError }) => ({ userId, state, target, lastError }))
        .sort((a, b) => a.state.localeCompare(b.state)),
    ).toEqual([
      { userId: director.id, state: 'delivered', target: '13900000001', lastError: null },
      { userId: manager.userId, state: 'skipped', target: '', lastError: 'no mobile number' },
    ]);
    expect(server.modules.notifications.sms).toMatchObject({ sent: [{ phone: '13900000001' }] });
    // A skipped leg had nowhere to go: redelivering it is refused, not sent to nobody.
    const skipped = sms.find((d) => d.state === 'skipped')!;
    const again = await admin.post(`/api/v1/notifications/deliveries/${skipped.id}/redeliver`);
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().code).toBe('notify.delivery_skipped');
  });

  it('takes the analytics filters but the period, and refuses a period', async () => {
    const spikes = async (query: string) => (await manager.get(`/api/v1/analytics/spikes?${query}`)).json();
    expect((await spikes(`productModelId=${models['SPIKE-1']}`)).map((s: { key: string }) => s.key)).toEqual([
      models['SPIKE-1'],
    ]);
    expect(await spikes(`productModelId=${models['CALM-1']}`)).toEqual([]);
    expect(await spikes('priority=P0')).toEqual([]);
    const period = await manager.get('/api/v1/analytics/spikes?to=2026-01-01T00:00:00%2B08:00', {
      'accept-language': 'en-US',
    });
    expect(period.statusCode, period.body).toBe(400);
    expect(period.json().details).toEqual([
      expect.objectContaining({
        path: 'querystring.to',
        message: 'This figure takes no period (fault statistics take a year; spikes are always the last 7 days)',
      }),
    ]);
  });

  it('flags the model that rose above its own baseline, and raises the alert once', async () => {
    const spikes = (await manager.get('/api/v1/analytics/spikes')).json();
    expect(spikes).toEqual([
      {
        dimension: 'productModel',
        key: models['SPIKE-1'],
        label: 'SPIKE-1',
        count: 8,
        baseline: 1,
        pValue: poissonUpperTail(8, 1),
      },
    ]);
    const raised = async () =>
      (
        await rows<{ n: number }>(
          server.platform.db,
          sql`select count(*)::int as n from events where type = 'analytics.spike_detected'`,
        )
      )[0]!.n;
    // The daily job, run twice within the week: one alert, not two.
    for (let day = 0; day < 2; day++) {
      await server.platform.jobs.enqueue(server.platform.db, { queue: 'analytics.spikes' });
      expect(await server.platform.jobs.runDue()).toBe(1);
      server.clock.advance(DAY);
    }
    expect(await raised()).toBe(1);
  });
});
