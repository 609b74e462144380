import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { createTestServer, type TestServer } from '../../../test/harness';
import { rows } from '../../platform/db/client';
import { JobQueue } from '../../platform/jobs/queue';
import { createServer } from '../../server';
import { BREACH_QUEUE, WARNING_QUEUE } from './clocks';

const MINUTE = 60_000;
const at = (s: string) => new Date(s).toISOString();

describe.each(BACKENDS)('SLA clocks over HTTP on %s', (kind) => {
  let server: TestServer;

  beforeEach(async () => {
    server = await createTestServer(kind);
  });
  afterEach(async () => {
    await server.close();
  });

  /** Signs in at the current (moved) time: sessions end after idle hours. */
  const admin = () => server.signIn('admin');
  /** Lets every event committed so far reach the sla subscriber. */
  const settle = async () => {
    await server.platform.dispatcher.stop();
    await server.platform.dispatcher.drain();
  };
  // Each call signs in afresh: tests move the clock by hours and sessions end after 30 idle minutes.
  const report = async (extra: Record<string, unknown> = {}) => {
    const res = await (await admin()).post('/api/v1/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '数控机床主轴报警',
      description: '主轴运行中报警 ALM-401，停机后可复位，一小时内复现三次',
      severity: 'major',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().ticket as { id: string; version: number };
  };
  const act = async (ticket: { id: string; version: number }, body: Record<string, unknown>) => {
    const res = await (await admin()).post(`/api/v1/tickets/${ticket.id}/transitions`, {
      version: ticket.version,
      ...body,
    });
    expect(res.statusCode, `${body.action}: ${res.body}`).toBe(200);
    return res.json() as { id: string; version: number } & Record<string, unknown>;
  };
  const triaged = async (priority: string, extra: Record<string, unknown> = {}) => {
    const ticket = await act(await report(extra), { action: 'triage', priority });
    await settle();
    return ticket;
  };
  const sla = async (id: string) => {
    const res = await (await admin()).get(`/api/v1/tickets/${id}/sla`);
    expect(res.statusCode, res.body).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: clocks are checked field by field below.
    const clocks = res.json().clocks as Record<string, any>[];
    return {
      response: clocks.find((c) => c.kind === 'response')!,
      resolution: clocks.find((c) => c.kind === 'resolution')!,
    };
  };
  const slaEvents = async (ticketId: string) =>
    rows<{ type: string; data: Record<string, unknown> }>(
      server.platform.db,
      sql`select type, data from events where entity_type = 'ticket' and entity_id = ${ticketId}
          and type like 'sla.%' order by seq`,
    );

  it('seeds the default calendars and one catch-all policy per priority, once', async () => {
    const a = await admin();
    const policies = (await a.get('/api/v1/sla/policies')).json();
    expect(policies.items.map((p: { priority: string }) => p.priority)).toEqual(['P0', 'P1', 'P2', 'P3']);
    const byPriority = Object.fromEntries(policies.items.map((p: Record<string, unknown>) => [p.priority, p]));
    // P0/P1 as in priority.ts, round the clock; P2/P3 with days read as working days.
    expect(byPriority.P0).toMatchObject({ responseMinutes: 30, resolutionMinutes: 240, warningPercent: 80 });
    expect(byPriority.P2).toMatchObject({ responseMinutes: 480, resolutionMinutes: 3 * 540 });
    expect(byPriority.P3).toMatchObject({ responseMinutes: 540, resolutionMinutes: 7 * 540 });
    const calendars = (await a.get('/api/v1/sla/calendars')).json().items;
    expect(calendars.map((c: { code: string; alwaysOn: boolean }) => [c.code, c.alwaysOn])).toEqual([
      ['cn-workdays', false],
      ['round-the-clock', true],
    ]);
    const alwaysOnId = calendars.find((c: { alwaysOn: boolean }) => c.alwaysOn).id;
    expect(byPriority.P1.calendarId).toBe(alwaysOnId);
    expect(byPriority.P3.calendarId).not.toBe(alwaysOnId);

    await server.modules.startup();
    await server.modules.startup();
    expect((await a.get('/api/v1/sla/policies')).json().total).toBe(4);
    expect((await a.get('/api/v1/sla/calendars')).json().total).toBe(2);
  });

  it('validates policies and calendars field by field, in the reader’s language', async () => {
    const a = await admin();
    const [calendar] = (await a.get('/api/v1/sla/calendars')).json().items;
    const bad = await a.request(
      'POST',
      '/api/v1/sla/policies',
      {
        name: 'x',
        priority: 'P9',
        responseMinutes: 600,
        resolutionMinutes: 60,
        calendarId: calendar.id,
        warningPercent: 150,
      },
      { 'accept-language': 'en-US' },
    );
    expect(bad.statusCode).toBe(400);
    const paths = bad
      .json()
      .details.map((d: { path: string }) => d.path)
      .sort();
    expect(paths).toEqual(['priority', 'warningPercent']);
    const order = await a.request(
      'POST',
      '/api/v1/sla/policies',
      { name: 'x', priority: 'P2', responseMinutes: 600, resolutionMinutes: 60, calendarId: calendar.id },
      { 'accept-language': 'en-US' },
    );
    expect(order.json().details).toEqual([
      expect.objectContaining({
        path: 'responseMinutes',
        message: 'The response target cannot be longer than the resolution target',
      }),
    ]);
    const unknownCalendar = await a.post('/api/v1/sla/policies', {
      name: 'x',
      priority: 'P2',
      responseMinutes: 60,
      resolutionMinutes: 600,
      calendarId: '01900000-0000-7000-8000-000000000000',
    });
    expect(unknownCalendar.statusCode).toBe(400);
    expect(unknownCalendar.json().details[0].path).toBe('calendarId');
    const duplicate = await a.post('/api/v1/sla/policies', {
      name: '又一个 P2',
      priority: 'P2',
      responseMinutes: 60,
      resolutionMinutes: 600,
      calendarId: calendar.id,
    });
    expect(duplicate.statusCode).toBe(409);

    const overlapping = await a.post('/api/v1/sla/calendars', {
      code: 'shift',
      name: '两班',
      timeZone: 'Mars/Olympus',
      weekHours: [
        [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '18:00' },
        ],
        [{ start: '18:00', end: '09:00' }],
        [{ start: '25:00', end: '26:00' }],
        [],
        [],
        [],
        [],
      ],
    });
    expect(overlapping.statusCode).toBe(400);
    const messages = Object.fromEntries(
      overlapping.json().details.map((d: { path: string; message: string }) => [d.path, d.message]),
    );
    expect(Object.keys(messages).sort()).toEqual([
      'timeZone',
      'weekHours.0',
      'weekHours.1.0.end',
      'weekHours.2.0.end',
      'weekHours.2.0.start',
    ]);
    expect(messages['weekHours.0']).toBe('同一天的工作时段不能重叠');
    const idle = await a.post('/api/v1/sla/calendars', {
      code: 'idle',
      name: '无工作时间',
      weekHours: [[], [], [], [], [], [], []],
    });
    expect(idle.json().details[0]).toMatchObject({ path: 'weekHours' });
  });

  it('picks the most specific policy: contract over customer tier over catch-all', async () => {
    server.clock.set('2026-03-02T10:00:00+08:00');
    const a = await admin();
    const calendars = (await a.get('/api/v1/sla/calendars')).json().items;
    const roundTheClock = calendars.find((c: { alwaysOn: boolean }) => c.alwaysOn);
    const vip = (
      await a.post('/api/v1/customers', {
        name: '华东精机',
        regionCode: '310000',
        industry: 'machine_tools',
        tier: 'vip',
      })
    ).json();
    const contract = (
      await a.post('/api/v1/contracts', {
        customerId: vip.id,
        number: 'FW-2026-001',
        coverage: 'full',
        slaTier: 'gold',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
      })
    ).json();
    const model = (
      await a.post('/api/v1/product-models', { code: 'VMC-850', name: '立式加工中心', category: 'cnc_machine' })
    ).json();
    const device = (
      await a.post('/api/v1/devices', {
        modelId: model.id,
        serialNumber: 'VMC850-01',
        customerId: vip.id,
        contractId: contract.id,
      })
    ).json();
    expect(
      [vip.id, contract.id, model.id, device.id].every(Boolean),
      JSON.stringify([vip, contract, model, device]),
    ).toBe(true);
    const create = (body: Record<string, unknown>) =>
      a.post('/api/v1/sla/policies', { priority: 'P2', calendarId: roundTheClock.id, ...body });
    const tier = await create({ name: 'VIP P2', customerTier: 'vip', responseMinutes: 60, resolutionMinutes: 600 });
    expect(tier.statusCode, tier.body).toBe(201);
    const byContract = await create({
      name: '金牌合同 P2',
      contractId: contract.id,
      responseMinutes: 30,
      resolutionMinutes: 300,
    });
    expect(byContract.statusCode, byContract.body).toBe(201);

    const onContract = await triaged('P2', { deviceId: device.id });
    const vipOnly = await triaged('P2', { customerId: vip.id });
    const anyone = await triaged('P2');
    expect((await sla(onContract.id)).resolution).toMatchObject({ policyName: '金牌合同 P2', targetMinutes: 300 });
    expect((await sla(vipOnly.id)).resolution).toMatchObject({ policyName: 'VIP P2', targetMinutes: 600 });
    expect((await sla(anyone.id)).resolution).toMatchObject({
      policyName: 'P2 默认 / P2 default',
      targetMinutes: 1620,
    });
  });

  it('gives a P2 ticket triaged on a Friday at 17:00 its due times on the next working days, 调休 Sunday included', async () => {
    // Friday 18 September 2026; Sunday 20 September is a working day before National Day.
    server.clock.set('2026-09-18T17:00:00+08:00');
    const a = await admin();
    const ticket = await triaged('P2');
    const { response, resolution } = await sla(ticket.id);
    // Response: met by the triage itself (it sets the first response).
    expect(response).toMatchObject({ state: 'met', metAt: at('2026-09-18T17:00:00+08:00'), breached: false });
    // 480 working minutes: 60 on Friday, then 420 from Sunday 09:00.
    expect(response.dueAt).toBe(at('2026-09-20T16:00:00+08:00'));
    // 1620 working minutes: 60 Fri + 540 Sun + 540 Mon + 480 Tue.
    expect(resolution).toMatchObject({
      state: 'running',
      dueAt: at('2026-09-22T17:00:00+08:00'),
      remainingMinutes: 1620,
      elapsedMinutes: 0,
      paused: false,
      breached: false,
    });
    // The warning at 80 % = 1296 minutes: Tuesday 09:00 + 156 minutes.
    expect(resolution.warnAt).toBe(at('2026-09-22T11:36:00+08:00'));
    // The ticket shows the same due times as its clocks.
    const shown = (await a.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(shown.resolutionDueAt).toBe(resolution.dueAt);
    expect(shown.responseDueAt).toBe(response.dueAt);
    // Over the weekend Saturday counts nothing; Sunday counts.
    server.clock.set('2026-09-19T23:00:00+08:00');
    expect((await sla(ticket.id)).resolution.remainingMinutes).toBe(1560);
    server.clock.set('2026-09-20T10:00:00+08:00');
    expect((await sla(ticket.id)).resolution.remainingMinutes).toBe(1500);
  });

  it('pauses while suspended and moves the due time by the paused working minutes', async () => {
    server.clock.set('2026-03-02T10:00:00+08:00'); // Monday
    let a = await admin();
    let ticket = await triaged('P2');
    const before = (await sla(ticket.id)).resolution;
    expect(before.dueAt).toBe(at('2026-03-05T10:00:00+08:00'));

    server.clock.set('2026-03-02T11:00:00+08:00');
    ticket = await act(ticket, { action: 'suspend', reason: '等待客户提供停机窗口' });
    await settle();
    server.clock.set('2026-03-02T20:00:00+08:00');
    a = await admin();
    const paused = (await sla(ticket.id)).resolution;
    expect(paused).toMatchObject({ state: 'paused', paused: true, pausedSince: at('2026-03-02T11:00:00+08:00') });
    expect(paused.remainingMinutes).toBe(1620 - 60); // frozen at the moment it paused

    server.clock.set('2026-03-03T11:00:00+08:00'); // Tuesday
    a = await admin();
    ticket = await act(ticket, { action: 'resume' });
    await settle();
    const after = (await sla(ticket.id)).resolution;
    // Paused Monday 11–18 and Tuesday 9–11: 540 working minutes, one working day later.
    expect(after).toMatchObject({ state: 'running', paused: false, pausedMinutes: 540 });
    expect(after.dueAt).toBe(at('2026-03-06T10:00:00+08:00'));
    expect(after.remainingMinutes).toBe(1560);
    expect((await a.get(`/api/v1/tickets/${ticket.id}`)).json().resolutionDueAt).toBe(after.dueAt);
  });

  it('warns once and breaches once, even with two job runners racing over two due jobs', async () => {
    server.clock.set('2026-03-02T10:00:00+08:00');
    // Round the clock: 240 minutes, warning at 192. A one-minute suspension moves both by a
    // minute and leaves two warning jobs for the clock: the original and the moved one.
    const pauseForAMinute = async (ticket: { id: string; version: number }) => {
      server.clock.advance(10 * MINUTE);
      const suspended = await act(ticket, { action: 'suspend', reason: '客户现场断电' });
      server.clock.advance(MINUTE);
      await act(suspended, { action: 'resume' });
      await settle();
    };
    const raced = await triaged('P0');
    await pauseForAMinute(raced);
    server.clock.set('2026-03-02T10:30:00+08:00');
    const early = await triaged('P0');
    await pauseForAMinute(early);
    const { resolution } = await sla(raced.id);
    expect(resolution.warnAt).toBe(at('2026-03-02T13:13:00+08:00'));
    expect(resolution.dueAt).toBe(at('2026-03-02T14:01:00+08:00'));
    const warningJobs = await rows<{ n: number }>(
      server.platform.db,
      sql`select count(*)::int as n from jobs where queue = ${WARNING_QUEUE} and payload->>'clockId' = ${resolution.id}`,
    );
    expect(warningJobs).toEqual([{ n: 2 }]);

    const runners = [server.platform.jobs, new JobQueue(server.platform.db, server.clock)];
    runners[1]!.handle(WARNING_QUEUE, server.modules.sla.clocks.warn);
    runners[1]!.handle(BREACH_QUEUE, server.modules.sla.clocks.breach);
    const runBoth = () => Promise.all(runners.map((r) => r.runDue()));

    // Both of the raced clock's warning jobs are due: each runner may take one; one event.
    server.clock.set('2026-03-02T13:30:00+08:00');
    await runBoth();
    await runBoth();
    expect((await slaEvents(raced.id)).map((e) => e.type)).toEqual(['sla.warning']);
    expect((await slaEvents(raced.id))[0]!.data).toMatchObject({
      kind: 'resolution',
      percent: 80,
      remainingMinutes: 31,
    });
    // The other clock's original warning time (13:42) has passed, its moved one (13:43) not: nothing yet.
    server.clock.set('2026-03-02T13:42:30+08:00');
    await runBoth();
    expect(await slaEvents(early.id)).toEqual([]);
    server.clock.set('2026-03-02T13:43:00+08:00');
    await runBoth();
    expect((await slaEvents(early.id)).map((e) => e.type)).toEqual(['sla.warning']);

    server.clock.set('2026-03-02T14:05:00+08:00');
    await runBoth();
    await runBoth();
    expect((await slaEvents(raced.id)).map((e) => e.type)).toEqual(['sla.warning', 'sla.breached']);
    expect((await sla(raced.id)).resolution).toMatchObject({
      breached: true,
      breachedAt: at('2026-03-02T14:05:00+08:00'),
      remainingMinutes: -4,
    });
    // On the staff timeline, not on the customer's.
    const timeline = (await (await admin()).get(`/api/v1/tickets/${raced.id}/timeline`)).json();
    expect(timeline.filter((e: { type: string }) => e.type.startsWith('sla.'))).toEqual([
      expect.objectContaining({ type: 'sla.warning', visibility: 'internal', actorId: null }),
      expect.objectContaining({ type: 'sla.breached', visibility: 'internal' }),
    ]);
  });

  it('still fires once after a restart between scheduling and the due time', async () => {
    server.clock.set('2026-03-02T10:00:00+08:00');
    const ticket = await triaged('P1'); // 24 h round the clock, warning after 19 h 12 min
    // "Restart": a second process on the same database, with only what the database remembers.
    const restarted = await createServer({
      config: server.platform.config,
      database: server.platform.database,
      clock: server.clock,
    });
    try {
      server.clock.set('2026-03-03T06:00:00+08:00');
      expect(await restarted.platform.jobs.runDue()).toBeGreaterThan(0);
      await restarted.platform.jobs.runDue();
      await server.platform.jobs.runDue(); // the old process, had it survived, finds nothing to do
      expect((await slaEvents(ticket.id)).map((e) => e.type)).toEqual(['sla.warning']);
      server.clock.set('2026-03-03T10:00:01+08:00');
      await restarted.platform.jobs.runDue();
      await server.platform.jobs.runDue();
      expect((await slaEvents(ticket.id)).map((e) => e.type)).toEqual(['sla.warning', 'sla.breached']);
      // The restarted start-up did not seed a second set of policies.
      expect((await (await server.signIn('admin')).get('/api/v1/sla/policies')).json().total).toBe(4);
    } finally {
      await restarted.platform.dispatcher.stop();
      await restarted.platform.bus.close();
      await restarted.app.close();
    }
  });

  it('records a target met late as breached, once, and stops the clocks of a cancelled ticket', async () => {
    server.clock.set('2026-03-02T10:00:00+08:00');
    const late = await report();
    server.clock.advance(45 * MINUTE); // P0 response is due within 30 minutes of the report
    await act(late, { action: 'triage', priority: 'P0' });
    await settle();
    const { response } = await sla(late.id);
    expect(response).toMatchObject({
      state: 'met',
      breached: true,
      breachedAt: at('2026-03-02T10:30:00+08:00'),
      remainingMinutes: -15,
    });
    expect((await slaEvents(late.id)).map((e) => [e.type, e.data.kind, e.data.metLate])).toEqual([
      ['sla.breached', 'response', true],
    ]);
    await server.platform.jobs.runDue();
    expect(await slaEvents(late.id)).toHaveLength(1);

    const cancelled = await triaged('P0');
    await act({ id: cancelled.id, version: cancelled.version }, { action: 'cancel', reason: '客户重复报修' });
    await settle();
    server.clock.advance(10 * 3_600_000);
    await server.platform.jobs.runDue();
    const stopped = (await sla(cancelled.id)).resolution;
    expect(stopped).toMatchObject({ state: 'stopped', breached: false, breachedAt: null });
    expect(await slaEvents(cancelled.id)).toEqual([]);
  });

  it('resolving meets the resolution clock; reopening runs it again without counting the resolved time', async () => {
    server.clock.set('2026-03-02T10:00:00+08:00');
    let ticket = await triaged('P0');
    ticket = await act(ticket, { action: 'start_remote' });
    server.clock.advance(60 * MINUTE);
    ticket = await act(ticket, {
      action: 'resolve',
      rootCause: '参数丢失',
      actionsTaken: '远程恢复参数备份',
      labourMinutes: 30,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    });
    await settle();
    expect((await sla(ticket.id)).resolution).toMatchObject({
      state: 'met',
      remainingMinutes: 180,
      elapsedMinutes: 60,
    });
    server.clock.advance(120 * MINUTE);
    ticket = await act(ticket, { action: 'reopen', reason: '同样的报警再次出现' });
    await settle();
    const again = (await sla(ticket.id)).resolution;
    expect(again).toMatchObject({ state: 'running', metAt: null, pausedMinutes: 120, remainingMinutes: 180 });
    expect(again.dueAt).toBe(at('2026-03-02T16:00:00+08:00'));
  });

  it('sorts the ticket list by time to breach and keeps the clocks inside the ticket scope', async () => {
    server.clock.set('2026-03-02T10:00:00+08:00');
    const minuteLater = <T>(make: () => Promise<T>) => {
      server.clock.advance(MINUTE);
      return make();
    };
    const untriaged = await report();
    const p3 = await minuteLater(() => triaged('P3'));
    const p1 = await minuteLater(() => triaged('P1'));
    const p0 = await minuteLater(() => triaged('P0')); // due 14:03
    let suspended = await minuteLater(() => triaged('P0')); // due 14:04
    server.clock.advance(60 * MINUTE);
    suspended = await act(suspended, { action: 'suspend', reason: '等待备件到货' });
    await settle();
    const order = async () =>
      (await (await admin()).get('/api/v1/tickets?sort=sla_asc&pageSize=10'))
        .json()
        .items.map((t: { id: string }) => t.id);
    // Running deadlines first, nearest first; then tickets with no running clock, newest first.
    expect(await order()).toEqual([p0.id, p1.id, p3.id, suspended.id, untriaged.id]);
    // Resumed 3 hours later, the suspended P0 is due at 17:04: after the other P0, before the P1.
    server.clock.advance(180 * MINUTE);
    await act(suspended, { action: 'resume' });
    await settle();
    expect(await order()).toEqual([p0.id, suspended.id, p1.id, p3.id, untriaged.id]);
    expect((await sla(suspended.id)).resolution.dueAt).toBe(at('2026-03-02T17:04:00+08:00'));
    // The default order and the other sorts still work.
    expect((await (await admin()).get('/api/v1/tickets?sort=due_asc')).statusCode).toBe(200);

    const contact = await server.userWith('customer', {
      customerId: (
        await (await admin()).post('/api/v1/customers', { name: '别家', regionCode: '440000', industry: 'other' })
      ).json().id,
    });
    expect((await contact.get(`/api/v1/tickets/${p0.id}/sla`)).statusCode).toBe(404);
    const engineer = await server.userWith('engineer');
    expect((await engineer.get(`/api/v1/tickets/${p0.id}/sla`)).statusCode).toBe(404);
    const holidays = (await (await admin()).get('/api/v1/sla/holidays')).json();
    expect(holidays.years.map((y: { year: number }) => y.year)).toEqual([2024, 2025, 2026]);
    expect(holidays.years[1]).toMatchObject({ title: '国务院办公厅关于2025年部分节假日安排的通知', source: 'shipped' });
    expect(holidays.years[1].workdays).toHaveLength(5);
    expect(holidays.missing).toEqual([]);
  });
});
