import type { AnalyticsFilter } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, reportFault, type TestServer } from '../../../test/harness';
import { rows } from '../../platform/db/client';
import { rebuildFacts } from './facts';
import { kpisFromFacts } from './kpis';

type PartUsed = { sku: string; name: string; quantity: number };

const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const CHECKLIST = { functionalTest: true, stressTest: true, relatedPartsCheck: true };
const MINUTE = 60_000;

/**
 * A hand-computed fixture driven through the real lifecycle API with a hand-moved clock:
 *
 *   A  remote, triaged after 30 min (P2), closed at 180 min, CSAT 5            → FCR
 *   B  one visit, triaged after 60 min (P2), closed at 300 min, CSAT 4          → first-time fix
 *   C  two visits, triaged after 180 min (P0: response late), closed at 600 min, CSAT 2
 *   D  remote, suspended 120 min, closed by manager override at 360 min, no CSAT → FCR
 *   E  remote, closed at 120 min (CSAT 3), reopened, closed again at 240 min, CSAT 4 (reopened)
 *   F  repeats A (same device and category, within 30 days): stays open
 *   G  would repeat E, but is cancelled
 *
 * C repeats B (same device and category within 30 days of B closing). Closed: A–E (5).
 * FCR = {A, D} 2/5. First-time fix = {B} of {B, C} 1/2. CSAT answers 5, 4, 2, 4: mean 3.75,
 * satisfied 3/4. Repeat repair: A (by F) and B (by C), not E (G was cancelled) → 2/5. Close minutes 180, 300, 600, 360, 240: mean 336,
 * median 300, p90 504 (linear interpolation). Net of suspension: D 240 → mean 312, median 240.
 * Response within target: A, B, D, E, F (C was late); G, cancelled, is not counted → 5/6.
 *
 * Business hours (working days 09:00–18:00, China time; Monday 2 March 2026 is a working day):
 * A 09:00–12:00 Mon → 180; B (Tue 01:40–06:40), C (Tue 18:20–Wed 04:20) and E (Thu 03:40–07:40)
 * lie outside working hours → 0; D Wed 11:00–17:00 = 360 less its 12:00–14:00 suspension → 240.
 * Mean 84, median 0, p90 180 + 0.6 × 60 = 216.
 * Surveys answered: A NPS 10, B 8, C 3, E 9; D's survey unanswered → 2 promoters, 1 detractor of
 * 4 answers → NPS 25.
 *
 * Parts (catalogue: BRD ¥500, SNS ¥120): B consumes one BRD from stock and its resolution lists that
 * one → ¥500. C is issued one SNS from stock; its resolution lists three SNS (two beyond the ledger,
 * at catalogue cost), one BRD (none in the ledger) and two of an unknown SKU (no cost) → ¥120 + ¥240
 * + ¥500 = ¥860. Parts ¥1,360 in all.
 */
describe.each(BACKENDS)('analytics on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let agent: Agent;
  let manager: Agent;
  let engineer: Agent;
  let contact: Agent;
  let keeper: Agent;
  let engineerId: string;
  let board: { id: string };
  let store: { id: string };
  let ticketA: { id: string };
  let closedTickets: { id: string }[];
  let device: { id: string };
  let otherDevice: { id: string };
  const start = new Date('2026-03-02T09:00:00+08:00').getTime();

  const at = (minutes: number) => server.clock.set(new Date(start + minutes * MINUTE));
  const create = async (deviceId: string, problemType = '主板故障') => reportFault(agent, { deviceId, problemType });
  const step = async (who: Agent, ticket: { id: string; version: number }, body: Record<string, unknown>) => {
    const res = await who.post(`/api/v1/tickets/${ticket.id}/transitions`, { version: ticket.version, ...body });
    expect(res.statusCode, `${body.action}: ${res.body}`).toBe(200);
    return res.json();
  };
  const resolve = (labourMinutes: number, travelMinutes = 0, partsUsed: PartUsed[] = []) => ({
    action: 'resolve',
    rootCause: '电容击穿',
    actionsTaken: '更换控制板并试运行',
    partsUsed,
    labourMinutes,
    travelMinutes,
    checklist: CHECKLIST,
  });
  const confirm = (csat: number) => ({ action: 'confirm', signature: SIGNATURE, csat });
  /** Runs a ticket created at `t0` through remote support to a confirmed close. */
  const remote = async (t0: number, respondAfter: number, closeAfter: number, csat: number, device = otherDevice) => {
    at(t0);
    let t = await create(device.id);
    at(t0 + respondAfter);
    t = await step(agent, t, { action: 'triage', priority: 'P2' });
    t = await step(agent, t, { action: 'start_remote' });
    at(t0 + closeAfter);
    t = await step(agent, t, resolve(30));
    t = await step(agent, t, { action: 'request_confirmation' });
    return step(contact, t, confirm(csat));
  };
  const onSite = async (
    t0: number,
    priority: string,
    respondAfter: number,
    closeAfter: number,
    visits: number,
    partsUsed: PartUsed[] = [],
  ) => {
    at(t0);
    // biome-ignore lint/suspicious/noExplicitAny: the ticket as the API answers it
    let t: any = await create(otherDevice.id, '传感器失灵');
    at(t0 + respondAfter);
    t = await step(agent, t, { action: 'triage', priority });
    for (let v = 0; v < visits; v++) {
      at(t0 + respondAfter + 10 + v * 60);
      const plannedStart = new Date(start + (t0 + respondAfter + 20 + v * 60) * MINUTE).toISOString();
      const plannedEnd = new Date(start + (t0 + respondAfter + 50 + v * 60) * MINUTE).toISOString();
      t = await step(agent, t, { action: 'dispatch', engineerId, plannedStart, plannedEnd });
      const visitId = t.visits.at(-1).id;
      t = await step(engineer, t, { action: 'check_in', visitId });
      t = await step(engineer, t, { action: 'check_out', visitId });
    }
    at(t0 + closeAfter);
    t = await step(engineer, t, resolve(90, 40, partsUsed));
    return step(engineer, t, { action: 'request_confirmation' });
  };

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    const customer = (
      await admin.post('/api/v1/customers', { name: '上海申城物业', regionCode: '310000', industry: 'elevator' })
    ).json();
    const model = (
      await admin.post('/api/v1/product-models', { code: 'GL-3000', name: '乘客电梯', category: 'elevator' })
    ).json();
    const newDevice = async (serialNumber: string, batch: string) =>
      (await admin.post('/api/v1/devices', { modelId: model.id, serialNumber, customerId: customer.id, batch })).json();
    device = await newDevice('GL3000-0001', '2024A1');
    otherDevice = await newDevice('GL3000-0002', '2024B2');
    agent = await server.userWith('agent');
    manager = await server.userWith('manager');
    engineer = await server.userWith('engineer', { regionCodes: ['310000'] });
    engineerId = engineer.userId;
    contact = await server.userWith('customer', { customerId: customer.id });
    keeper = await server.userWith('warehouse');
    const created = async (url: string, body: unknown) => {
      const res = await keeper.post(url, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
      return res.json();
    };
    board = await created('/api/v1/parts', { sku: 'AN-BRD', nameZh: '主控板', unitCostFen: 50_000 });
    const sensor = await created('/api/v1/parts', { sku: 'AN-SNS', nameZh: '传感器', unitCostFen: 12_000 });
    store = await created('/api/v1/warehouses', { code: 'AN-HQ', name: '总仓', kind: 'headquarters' });
    for (const part of [board, sensor])
      await created('/api/v1/stock/movements', {
        kind: 'receipt',
        partId: part.id,
        warehouseId: store.id,
        quantity: 10,
      });

    const a = await remote(0, 30, 180, 5, device); // A
    ticketA = a;
    let b = await onSite(1000, 'P2', 60, 300, 1, [{ sku: 'AN-BRD', name: '主控板', quantity: 1 }]); // B
    await created('/api/v1/stock/movements', {
      kind: 'consumption',
      partId: board.id,
      warehouseId: store.id,
      quantity: 1,
      ticketId: b.id,
    });
    b = await step(contact, b, confirm(4));
    let c = await onSite(2000, 'P0', 180, 600, 2, [
      { sku: 'AN-SNS', name: '传感器', quantity: 3 },
      { sku: 'AN-BRD', name: '主控板', quantity: 1 },
      { sku: 'AN-UNKNOWN', name: '杂件', quantity: 2 },
    ]);
    const issued = { kind: 'issue', partId: sensor.id, warehouseId: store.id, quantity: 1, ticketId: c.id };
    await created('/api/v1/stock/movements', issued);
    c = await step(contact, c, confirm(2));
    closedTickets = [a, b, c];

    at(3000); // D
    let d = await create(otherDevice.id, '系统卡死');
    at(3030);
    d = await step(agent, d, { action: 'triage', priority: 'P2' });
    d = await step(agent, d, { action: 'start_remote' });
    at(3060);
    d = await step(agent, d, { action: 'suspend', reason: '等待客户提供日志' });
    at(3180);
    d = await step(agent, d, { action: 'resume' });
    at(3300);
    d = await step(agent, d, resolve(20));
    at(3360);
    d = await step(manager, d, { action: 'close', overrideReason: '客户未回应，电话确认已恢复' });
    closedTickets.push(d);

    let e = await remote(4000, 20, 120, 3); // E
    e = await step(contact, e, { action: 'reopen', reason: '故障再次出现' });
    e = await step(agent, e, { action: 'start_remote' });
    at(4240);
    e = await step(agent, e, resolve(45));
    e = await step(agent, e, { action: 'request_confirmation' });
    e = await step(contact, e, confirm(4));
    closedTickets.push(e);

    at(5000); // F repeats A: same device, same category, within 30 days of A closing
    const f = await create(device.id);
    at(5010);
    await step(agent, f, { action: 'triage', priority: 'P2' });
    at(6000); // G
    const g = await create(otherDevice.id);
    await step(agent, g, { action: 'cancel', reason: '重复报修' });
    at(7000);
    await server.platform.dispatcher.settle();
    for (const [ticket, nps] of [
      [a, 10],
      [b, 8],
      [c, 3],
      [e, 9],
    ] as const) {
      const survey = (await contact.get(`/api/v1/surveys?ticketId=${ticket.id}`)).json().items[0];
      const answered = await contact.post(`/api/v1/surveys/${survey.id}/answer`, { nps });
      expect(answered.statusCode, answered.body).toBe(200);
    }
    await server.platform.dispatcher.settle();
  }, 180_000);
  afterAll(async () => {
    await server.close();
  });

  it('computes every KPI exactly as defined', async () => {
    // A period that does not start at midnight is answered from the facts, exactly.
    const res = await manager.get(`/api/v1/analytics/kpis?from=${encodeURIComponent('2026-03-02T08:00:00+08:00')}`);
    expect(res.statusCode, res.body).toBe(200);
    const k = res.json();
    expect(k.source).toBe('facts');
    expect(k.closed).toBe(5);
    expect(k.created).toBe(6);
    expect(k.firstContactResolution).toEqual({ value: 2 / 5, numerator: 2, denominator: 5 });
    expect(k.firstTimeFix).toEqual({ value: 1 / 2, numerator: 1, denominator: 2 });
    expect(k.csat.mean).toBeCloseTo(3.75, 10);
    expect(k.csat.satisfied).toEqual({ value: 3 / 4, numerator: 3, denominator: 4 });
    expect(k.repeatRepair).toEqual({ value: 2 / 5, numerator: 2, denominator: 5 });
    expect(k.timeToResolve.count).toBe(5);
    expect(k.timeToResolve.mean).toBeCloseTo(336, 6);
    expect(k.timeToResolve.median).toBeCloseTo(300, 6);
    expect(k.timeToResolve.p90).toBeCloseTo(504, 6);
    expect(k.netTimeToResolve.mean).toBeCloseTo(312, 6);
    expect(k.netTimeToResolve.median).toBeCloseTo(240, 6);
    expect(k.responseSla).toEqual({ value: 5 / 6, numerator: 5, denominator: 6 });
    // Response minutes of A–F: 30, 60, 180, 30, 20, 10.
    expect(k.timeToRespond.mean).toBeCloseTo(330 / 6, 6);
    // Labour + travel: A 30, B 90+40, C 90+40, D 20, E 45 → 355 minutes at 150/h; parts ¥1,360; over 5 tickets.
    expect(k.costPerTicket.labourMinutes + k.costPerTicket.travelMinutes).toBe(355);
    expect(k.costPerTicket.partsFen).toBe(136_000);
    expect(k.costPerTicket.mean).toBeCloseTo(((355 / 60) * 150 + 1_360) / 5, 6);
    expect(k.businessTimeToResolve).toEqual({ count: 5, mean: 84, median: 0, p90: expect.closeTo(216, 6) });
    expect(k.nps).toEqual({ score: 25, promoters: 2, detractors: 1, answers: 4 });
  });

  it("counts a ticket's parts cost as the parts module does, and follows consumption after close and catalogue prices", async () => {
    const sinceMorning = `from=${encodeURIComponent('2026-03-02T08:00:00+08:00')}`;
    const partsCost = async () => {
      const facts = await rows<{ id: string; fen: number }>(
        server.platform.db,
        sql`select ticket_id::text as id, parts_cost_fen::float8 as fen from ticket_facts`,
      );
      for (const t of closedTickets) {
        const res = await manager.get(`/api/v1/tickets/${t.id}/parts-cost`);
        expect(res.statusCode, res.body).toBe(200);
        expect(facts.find((f) => f.id === t.id)?.fen, t.id).toBe(res.json().totalFen);
      }
      return (await manager.get(`/api/v1/analytics/kpis?${sinceMorning}`)).json().costPerTicket;
    };
    expect((await partsCost()).partsFen).toBe(136_000);

    // A, closed, is booked a sensor afterwards: its facts follow the consumption.
    at(7100);
    const consumed = await keeper.post('/api/v1/stock/movements', {
      kind: 'consumption',
      partId: (await rows<{ id: string }>(server.platform.db, sql`select id::text from parts where sku = 'AN-SNS'`))[0]!
        .id,
      warehouseId: store.id,
      quantity: 1,
      ticketId: ticketA.id,
    });
    expect(consumed.statusCode, consumed.body).toBe(201);
    await server.platform.dispatcher.settle();
    const afterClose = await partsCost();
    expect(afterClose.partsFen).toBe(148_000);
    expect(afterClose.mean).toBeCloseTo(((355 / 60) * 150 + 1_480) / 5, 6);

    // The board costs ¥600 now: C's board listed beyond the ledger follows; B's, booked at ¥500, does not.
    const part = (await keeper.get(`/api/v1/parts/${board.id}`)).json();
    const repriced = await keeper.patch(`/api/v1/parts/${board.id}`, { version: part.version, unitCostFen: 60_000 });
    expect(repriced.statusCode, repriced.body).toBe(200);
    await server.platform.dispatcher.settle();
    expect((await partsCost()).partsFen).toBe(158_000);
    // C's unknown SKU enters the catalogue at ¥10 (two listed → ¥20), and leaves it again.
    const added = await keeper.post('/api/v1/parts', { sku: 'AN-UNKNOWN', nameZh: '杂件', unitCostFen: 1_000 });
    expect(added.statusCode, added.body).toBe(201);
    await server.platform.dispatcher.settle();
    expect((await partsCost()).partsFen).toBe(160_000);
    expect((await admin.delete(`/api/v1/parts/${added.json().id}`)).statusCode).toBe(204);
    await server.platform.dispatcher.settle();
    expect((await partsCost()).partsFen).toBe(158_000);
  });

  it('answers from the daily rollup what the facts answer: counts and means exactly, percentiles within 4.5 %', async () => {
    const week = `from=${encodeURIComponent('2026-03-02T00:00:00+08:00')}&to=${encodeURIComponent('2026-03-09T00:00:00+08:00')}`;
    const taxonomy = (await manager.get('/api/v1/fault-categories')).json();
    const hardware = taxonomy.find((c: { code: string }) => c.code === 'hardware').id;
    for (const filter of ['', '&priority=P2', '&channel=phone', '&regionCode=310000', `&categoryId=${hardware}`]) {
      const res = await manager.get(`/api/v1/analytics/kpis?${week}${filter}`);
      expect(res.statusCode, res.body).toBe(200);
      const fromRollup = res.json();
      expect(fromRollup.source, filter).toBe('rollup');
      const query = Object.fromEntries(new URLSearchParams(`${week}${filter}`));
      const exact = await kpisFromFacts(server.platform.db, query as AnalyticsFilter, sql`true`, 150);
      const { source: _r, ...rolled } = fromRollup;
      const { source: _f, ...facts } = exact;
      const durations = ['timeToRespond', 'timeToResolve', 'netTimeToResolve', 'businessTimeToResolve'] as const;
      for (const d of durations) {
        expect(rolled[d].count, `${filter} ${d}`).toBe(facts[d].count);
        expect(rolled[d].mean ?? 0, `${filter} ${d}`).toBeCloseTo(facts[d].mean ?? 0, 6);
        for (const p of ['median', 'p90'] as const) {
          if (facts[d][p] === null) expect(rolled[d][p]).toBeNull();
          else
            expect(Math.abs(rolled[d][p] - facts[d][p]!), `${filter} ${d} ${p}`).toBeLessThanOrEqual(
              0.045 * facts[d][p]! + 0.001,
            );
        }
      }
      const withoutDurations = (k: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(k).filter(([key]) => !(durations as readonly string[]).includes(key)));
      expect(withoutDurations(rolled), filter).toEqual(withoutDurations(facts));
    }
    const all = (await manager.get(`/api/v1/analytics/kpis?${week}`)).json();
    expect(all.closed).toBe(5);
    expect(all.nps.score).toBe(25);
    // Filters the rollup has no slice for, or two at once, go to the facts.
    expect((await manager.get(`/api/v1/analytics/kpis?${week}&batch=2024B2`)).json().source).toBe('facts');
    expect((await manager.get(`/api/v1/analytics/kpis?${week}&channel=phone&priority=P0`)).json().source).toBe('facts');
  });

  it('filters by dimension and period, refuses bad filters field by field, and is closed to engineers', async () => {
    const batchB2 = (await manager.get('/api/v1/analytics/kpis?batch=2024B2')).json();
    expect(batchB2.closed).toBe(4); // B, C, D, E
    const early = (
      await manager.get(
        `/api/v1/analytics/kpis?to=${encodeURIComponent(new Date(start + 1500 * MINUTE).toISOString())}`,
      )
    ).json();
    expect(early.closed).toBe(2); // A, B closed before minute 1500
    expect((await manager.get('/api/v1/analytics/kpis?regionCode=440000')).json().closed).toBe(0);
    expect((await manager.get('/api/v1/analytics/kpis?channel=phone&priority=P0')).json().closed).toBe(1); // C
    const bad = await manager.get('/api/v1/analytics/kpis?regionCode=abc&from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['querystring.from', 'querystring.regionCode']);
    expect((await engineer.get('/api/v1/analytics/kpis')).statusCode).toBe(403);
  });

  it('rebuilding the facts from scratch gives exactly the incrementally maintained ones', async () => {
    const snapshot = () =>
      rows<{ f: string }>(
        server.platform.db,
        sql`select string_agg(to_jsonb(f - 'refreshed_at')::text, '|' order by ticket_id) as f
            from (select to_jsonb(t) as f, t.ticket_id from ticket_facts t) x(f, ticket_id)`,
      );
    const rollup = () =>
      rows<{ r: string }>(
        server.platform.db,
        sql`select string_agg(to_jsonb(k)::text, '|' order by dimension, value, day) as r from kpi_daily k`,
      );
    const incremental = await snapshot();
    const incrementalRollup = await rollup();
    expect(incrementalRollup[0]!.r).toContain('"dimension": "all"');
    expect(await rebuildFacts(server.platform.db, server.clock.now())).toBe(7);
    expect(await snapshot()).toEqual(incremental);
    expect(await rollup()).toEqual(incrementalRollup);
  });

  it('shows the backlog, the fault statistics table and a Pareto with the vital few', async () => {
    const backlog = (await manager.get('/api/v1/analytics/backlog')).json();
    expect(backlog.open).toBe(1);
    expect(backlog.byState).toEqual([{ state: 'triaged', count: 1 }]);

    const stats = (await manager.get('/api/v1/analytics/fault-statistics?year=2026')).json();
    expect(stats.total).toBe(6);
    expect(stats.previousTotal).toBe(0);
    const shares = stats.categories.reduce((sum: number, c: { share: number }) => sum + c.share, 0);
    expect(shares).toBeCloseTo(100, 6);
    const hardware = stats.categories.find((c: { code: string }) => c.code === 'hardware');
    expect(hardware.count).toBe(5); // 主板故障 ×3 (A, E, F) and 传感器失灵 ×2 (B, C); D is software
    expect(hardware.changePoints).toBeNull();

    const byBatch = (await manager.get('/api/v1/analytics/pareto?dimension=batch')).json();
    expect(byBatch.bars.map((b: { key: string; count: number }) => [b.key, b.count])).toEqual([
      ['2024B2', 4],
      ['2024A1', 2],
    ]);
    // 主板故障's category: A, E, F (50 %) · 传感器失灵's: B, C (→ 83 %, crosses 80 %: still vital) · D.
    const byCategory = (await manager.get('/api/v1/analytics/pareto?dimension=category')).json();
    expect(byCategory.total).toBe(6);
    expect(byCategory.bars.map((b: { count: number; vital: boolean }) => [b.count, b.vital])).toEqual([
      [3, true],
      [2, true],
      [1, false],
    ]);
    const taxonomy = (await manager.get('/api/v1/fault-categories')).json();
    const nameOf = (id: string) => taxonomy.find((c: { id: string }) => c.id === id)?.nameZh;
    expect(byCategory.bars.map((b: { key: string; label: string }) => b.label)).toEqual(
      byCategory.bars.map((b: { key: string }) => nameOf(b.key)),
    );
    expect(byCategory.bars[2].cumulative).toBeCloseTo(100, 6);
  });

  it('applies every filter to the fault statistics and the backlog, by hand-counted tickets', async () => {
    const table = async (query: string) => {
      const res = await manager.get(`/api/v1/analytics/fault-statistics?year=2026&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; categories: { id: string; code: string; count: number }[] };
    };
    const all = await table('');
    const hardware = all.categories.find((c) => c.code === 'hardware') as unknown as {
      categoryId: string;
      subTypes: { categoryId: string; count: number }[];
    };
    const board = hardware.subTypes.find((c) => c.count === 3)!; // 主板故障: A, E, F
    const [model] = (await admin.get('/api/v1/product-models?q=GL-3000')).json().items;
    const quiet = (
      await admin.post('/api/v1/product-models', { code: 'QT-1', name: '静音型', category: 'elevator' })
    ).json();
    // Every ticket is of model GL-3000 in Shanghai (310000); A and F are on batch 2024A1; C is the P0.
    expect((await table('regionCode=310000')).total).toBe(6);
    expect((await table('regionCode=440000')).total).toBe(0);
    expect((await table(`productModelId=${model.id}`)).total).toBe(6);
    expect((await table(`productModelId=${quiet.id}`)).total).toBe(0);
    expect((await table(`categoryId=${hardware.categoryId}`)).total).toBe(5); // A, B, C, E, F
    expect((await table(`categoryId=${board.categoryId}`)).total).toBe(3);
    expect((await table('batch=2024A1')).total).toBe(2);
    expect((await table('priority=P0&channel=phone')).total).toBe(1);
    expect((await table('industry=elevator')).total).toBe(6);
    expect((await table('industry=machine_tools')).total).toBe(0);
    // The year is the period: a period beside it is refused, not ignored.
    const period = await manager.get('/api/v1/analytics/fault-statistics?year=2026&from=2026-01-01T00:00:00%2B08:00');
    expect(period.statusCode, period.body).toBe(400);
    expect(period.json().details.map((d: { path: string }) => d.path)).toEqual(['querystring.from']);
    // The backlog (F, reported at minute 5000, is the one open ticket) within a period of reports.
    const minute = (m: number) => encodeURIComponent(new Date(start + m * MINUTE).toISOString());
    expect((await manager.get(`/api/v1/analytics/backlog?to=${minute(4500)}`)).json().open).toBe(0);
    expect((await manager.get(`/api/v1/analytics/backlog?from=${minute(4500)}`)).json().open).toBe(1);
  });

  it('draws a trend beside the period before, and ranks engineers', async () => {
    // Closed: A on 3 Mar 12:00 (China time), B 3 Mar 06:40 +1d, C and D on 4 Mar, E on 5 Mar.
    const from = encodeURIComponent('2026-03-01T00:00:00+08:00');
    const to = encodeURIComponent('2026-03-08T00:00:00+08:00');
    const res = await manager.get(`/api/v1/analytics/trend?measure=closed&interval=day&from=${from}&to=${to}`);
    expect(res.statusCode, res.body).toBe(200);
    const t = res.json();
    // Days without a closure are there as 0, not left out (the chart would join 2 and 5 March).
    expect(t.points.map((p: { bucket: string; value: number }) => [p.bucket, p.value])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 1],
      ['2026-03-03', 1],
      ['2026-03-04', 2],
      ['2026-03-05', 1],
      ['2026-03-06', 0],
      ['2026-03-07', 0],
    ]);
    expect(t.previous.map((p: { bucket: string }) => p.bucket)).toEqual([
      '2026-02-22',
      '2026-02-23',
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
    ]);
    expect(t.previous.every((p: { value: number; count: number }) => p.value === 0 && p.count === 0)).toBe(true);
    expect(t.total).toEqual({ value: 5, previousValue: 0 });
    const csat = (await manager.get(`/api/v1/analytics/trend?measure=csat&interval=week&from=${from}&to=${to}`)).json();
    expect(csat.total.value).toBeCloseTo(3.75, 10);
    // A mean over no tickets is no value, not 0: the week of 23 February (with Sunday 1 March) closed none.
    expect(
      csat.points.map((p: { bucket: string; value: number | null; count: number }) => [p.bucket, p.count]),
    ).toEqual([
      ['2026-02-23', 0],
      ['2026-03-02', 5],
    ]);
    expect(csat.points[0].value).toBeNull();

    const board = (await manager.get('/api/v1/analytics/engineers')).json();
    expect(board).toEqual([
      {
        engineerId,
        name: engineer.username,
        closed: 2,
        medianResolveMinutes: 450,
        firstTimeFix: { value: 0.5, numerator: 1, denominator: 2 },
        csat: 3,
        openNow: 0,
      },
    ]);
  });

  it('measures engineer utilisation and load against the working hours and capacity of their profile', async () => {
    // Mon–Fri 09:00–18:00 (9 h, capped at 8 h a day), 4 jobs a day, on leave on Wednesday 4 March.
    const profile = await admin.post('/api/v1/engineer-profiles', {
      userId: engineerId,
      regionCodes: ['310000'],
      workingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '18:00' })),
      capacityJobs: 4,
      capacityHours: 8,
      leave: [{ from: '2026-03-04', to: '2026-03-04' }],
    });
    expect(profile.statusCode, profile.body).toBe(201);
    // Monday to Wednesday: two working days (16 h available, 8 jobs); B's visit (30 min) and C's two
    // (30 min each), all on Tuesday → 1.5 h booked, 3 visits.
    const from = encodeURIComponent('2026-03-02T00:00:00+08:00');
    const to = encodeURIComponent('2026-03-05T00:00:00+08:00');
    const res = await manager.get(`/api/v1/analytics/utilisation?from=${from}&to=${to}`);
    expect(res.statusCode, res.body).toBe(200);
    const u = res.json();
    expect(u.engineers).toEqual([
      {
        engineerId,
        name: expect.any(String),
        workingDays: 2,
        availableHours: 16,
        bookedHours: 1.5,
        utilisation: 1.5 / 16,
        visits: 3,
        jobCapacity: 8,
        load: 3 / 8,
      },
    ]);
    expect(u.total).toMatchObject({ availableHours: 16, bookedHours: 1.5, visits: 3, load: 3 / 8 });
    expect(
      (await manager.get(`/api/v1/analytics/utilisation?from=${from}&to=${to}&regionCode=440000`)).json().engineers,
    ).toEqual([]);
    const backwards = await manager.get(`/api/v1/analytics/utilisation?from=${to}&to=${from}`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().details[0].path).toBe('querystring.to');
    expect((await engineer.get('/api/v1/analytics/utilisation')).statusCode).toBe(403);

    // Under a policy that lets storekeepers read analytics for their teams, one sees the engineers of
    // the teams they share, and none else.
    const team = (await admin.post('/api/v1/teams', { name: '上海维保组', regionCodes: ['310000'] })).json();
    const user = (await admin.get(`/api/v1/users/${engineerId}`)).json();
    const joined = await admin.patch(`/api/v1/users/${engineerId}`, { version: user.version, teamIds: [team.id] });
    expect(joined.statusCode, joined.body).toBe(200);
    const { rules } = (await admin.get('/api/v1/policy')).json();
    const teamRead = { role: 'warehouse', resource: 'analytics', action: 'read', scope: 'team', hiddenFields: [] };
    expect((await admin.put('/api/v1/policy', { rules: [...rules, teamRead] })).statusCode).toBe(200);
    try {
      const teammate = await server.userWith('warehouse', { teamIds: [team.id] });
      const stranger = await server.userWith('warehouse');
      const seenBy = async (who: typeof admin) => {
        const answer = await who.get(`/api/v1/analytics/utilisation?from=${from}&to=${to}`);
        expect(answer.statusCode, answer.body).toBe(200);
        return answer.json().engineers.map((e: { engineerId: string }) => e.engineerId);
      };
      expect(await seenBy(teammate)).toEqual([engineerId]);
      expect(await seenBy(stranger)).toEqual([]);
    } finally {
      expect((await admin.put('/api/v1/policy', { rules })).statusCode).toBe(200);
    }
  });

  it('answers report-builder queries over one or two dimensions', async () => {
    const query = (definition: Record<string, unknown>) => manager.post('/api/v1/analytics/query', { definition });
    const byBatch = await query({ dimensions: ['batch'], measures: ['tickets', 'closed', 'firstContactResolution'] });
    expect(byBatch.statusCode, byBatch.body).toBe(200);
    // Created, not cancelled: 2024A1 = A, F (A closed, remote); 2024B2 = B, C, D, E (all closed; only D without visit or reopen).
    expect(byBatch.json().rows).toEqual([
      { batch: '2024B2', tickets: 4, closed: 4, firstContactResolution: 0.25 },
      { batch: '2024A1', tickets: 2, closed: 1, firstContactResolution: 1 },
    ]);
    const two = (await query({ dimensions: ['batch', 'channel'], measures: ['tickets'] })).json();
    expect(two.columns).toEqual(['batch', 'channel', 'tickets']);
    expect(two.rows).toHaveLength(2);
    const overlap = await query({ dimensions: ['category', 'rootCategory'], measures: ['tickets'] });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().details[0].path).toBe('definition.dimensions');
    expect((await query({ dimensions: [], measures: ['tickets'] })).statusCode).toBe(400);
  });

  it('saves reports and dashboards for their author and the roles they are shared with', async () => {
    const definition = { dimensions: ['productModel'], measures: ['tickets'], chart: 'pareto' };
    const saved = await manager.post('/api/v1/analytics/reports', { name: '型号帕累托', definition });
    expect(saved.statusCode, saved.body).toBe(201);
    const report = saved.json();
    expect((await agent.get('/api/v1/analytics/reports')).json()).toEqual([]);
    const shared = await manager.patch(`/api/v1/analytics/reports/${report.id}`, {
      version: report.version,
      sharedRoles: ['agent'],
    });
    expect(shared.json()).toMatchObject({ version: 2, sharedRoles: ['agent'], definition: { chart: 'pareto' } });
    expect((await agent.get('/api/v1/analytics/reports')).json().map((r: { id: string }) => r.id)).toEqual([report.id]);
    // Agents read shared reports but do not change them; a stale version changes nothing.
    expect((await agent.patch(`/api/v1/analytics/reports/${report.id}`, { version: 2, name: 'x' })).statusCode).toBe(
      403,
    );
    const stale = await manager.patch(`/api/v1/analytics/reports/${report.id}`, { version: 1, name: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect((await manager.get(`/api/v1/analytics/reports/${report.id}`)).json().name).toBe('型号帕累托');

    const board = await manager.post('/api/v1/analytics/dashboards', {
      name: '周会看板',
      layout: [{ reportId: report.id, span: 12 }],
    });
    expect(board.statusCode, board.body).toBe(201);
    expect(board.json().layout).toEqual([{ reportId: report.id, span: 12 }]);
    expect((await manager.post('/api/v1/analytics/dashboards', { name: '', layout: [] })).statusCode).toBe(400);
    expect((await manager.delete(`/api/v1/analytics/reports/${report.id}`)).statusCode).toBe(204);
    expect((await manager.get(`/api/v1/analytics/reports/${report.id}`)).statusCode).toBe(404);
  });

  it('tells a listening dashboard within a second that a ticket changed', async () => {
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const address = server.app.server.address() as { port: number };
    const controller = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${address.port}/api/v1/analytics/stream`, {
      headers: { accept: 'text/event-stream', cookie: manager.cookie! },
      signal: controller.signal,
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const heard = (async () => {
      let text = '';
      while (!text.includes('event: change')) text += new TextDecoder().decode((await reader.read()).value);
      return text;
    })();
    const started = Date.now();
    const t = await create(device.id, '耗材消耗过快');
    expect(t.id).toBeTruthy();
    await server.platform.dispatcher.settle();
    await heard;
    expect(Date.now() - started).toBeLessThan(1_000);
    controller.abort();
  });
});
