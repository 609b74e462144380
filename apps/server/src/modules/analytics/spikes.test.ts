import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, reportFault, type TestServer } from '../../../test/harness';
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

  it('takes the analytics filters but the period, and refuses a period', async () => {
    const spikes = async (query: string) => (await manager.get(`/api/v1/analytics/spikes?${query}`)).json();
    expect((await spikes(`productModelId=${models['SPIKE-1']}`)).map((s: { key: string }) => s.key)).toEqual([
      models['SPIKE-1'],
    ]);
    expect(await spikes(`productModelId=${models['CALM-1']}`)).toEqual([]);
    expect(await spikes('priority=P0')).toEqual([]);
    const period = await manager.get('/api/v1/analytics/spikes?from=2026-01-01T00:00:00%2B08:00');
    expect(period.statusCode, period.body).toBe(400);
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
