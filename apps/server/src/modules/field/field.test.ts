import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' }));
const SHENZHEN = { lat: 22.5431, lng: 114.0579 };
const DATE = '2026-12-02';
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely; the assertions pin them down.
type Json = any;

describe.each(BACKENDS)('field service on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let agent: Agent;
  let near: Agent;
  let far: Agent;
  let plc: Agent;
  let model: { id: string };
  let customer: { id: string };
  let site: { id: string };

  const ok = async (
    res: Promise<{ statusCode: number; body: string; json: () => Json }>,
    status = 200,
  ): Promise<Json> => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };
  const profile = (who: Agent, home: { lat: number; lng: number }, skills: string[]) =>
    ok(
      admin.post('/api/v1/engineer-profiles', {
        userId: who.userId,
        skills,
        homeLat: home.lat,
        homeLng: home.lng,
        workingHours: EVERY_DAY,
        capacityJobs: 4,
        capacityHours: 8,
      }),
      201,
    );
  const triagedTicket = async (title: string) => {
    const created = await ok(
      agent.post('/api/v1/tickets', {
        channel: 'phone',
        contactName: '周先生',
        customerId: customer.id,
        siteId: site.id,
        productModelId: model.id,
        serviceType: 'onsite',
        title,
        description: '3 号梯停在 5 楼与 6 楼之间，显示故障码 E35',
      }),
      201,
    );
    return ok(
      agent.post(`/api/v1/tickets/${created.ticket.id}/transitions`, {
        action: 'triage',
        version: created.ticket.version,
        priority: 'P2',
      }),
    );
  };

  beforeAll(async () => {
    server = await createTestServer(kind);
    server.clock.set(`${DATE}T09:00:00+08:00`);
    admin = await server.signIn('admin');
    agent = await server.userWith('agent');
    near = await server.userWith('engineer', { regionCodes: ['440000'] });
    far = await server.userWith('engineer', { regionCodes: ['440000'] });
    plc = await server.userWith('engineer', { regionCodes: ['440000'] });
    model = await ok(
      admin.post('/api/v1/product-models', { code: 'GL-3000', name: '乘客电梯', category: 'elevator' }),
      201,
    );
    customer = await ok(
      admin.post('/api/v1/customers', { name: '深圳湾大厦', regionCode: '440000', industry: 'other' }),
      201,
    );
    site = await ok(
      admin.post('/api/v1/sites', {
        customerId: customer.id,
        name: '1 号楼',
        provinceCode: '440000',
        cityCode: '440300',
        address: '科技南路 1 号',
        ...SHENZHEN,
      }),
      201,
    );
    await profile(near, { lat: 22.55, lng: 114.07 }, ['elevator']);
    await profile(far, { lat: 23.1291, lng: 113.2644 }, ['elevator']);
    await profile(plc, { lat: 22.54, lng: 114.06 }, ['plc']);
    await ok(
      admin.put('/api/v1/skill-requirements', { subjectKind: 'model', subjectId: model.id, skills: ['elevator'] }),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('validates profiles field by field, in the reader’s language', async () => {
    const res = await admin.post(
      '/api/v1/engineer-profiles',
      {
        userId: far.userId,
        workingHours: [{ weekday: 1, start: '18:00', end: '09:00' }],
        homeLat: 22.5,
        capacityJobs: 0,
        leave: [{ from: '2026-12-09', to: '2026-12-01' }],
      },
      { 'accept-language': 'en-US' },
    );
    expect(res.statusCode).toBe(400);
    const details = res.json().details as { path: string; message: string }[];
    const byPath = Object.fromEntries(details.map((d) => [d.path, d.message]));
    expect(byPath['workingHours.0.end']).toBe('The end must be after the start');
    expect(byPath['leave.0.to']).toBe('Leave cannot end before it starts');
    expect(Object.keys(byPath)).toContain('capacityJobs');

    const notEngineer = await admin.post('/api/v1/engineer-profiles', { userId: agent.userId });
    expect(notEngineer.statusCode).toBe(400);
    expect(notEngineer.json().details).toEqual([
      expect.objectContaining({ path: 'userId', message: '所选用户不是在岗工程师' }),
    ]);
    const twice = await admin.post('/api/v1/engineer-profiles', { userId: near.userId });
    expect(twice.statusCode).toBe(409);

    const mine = await ok(near.get('/api/v1/engineer-profiles'));
    expect(mine.items.map((p: { userId: string }) => p.userId)).toEqual([near.userId]);
    expect(mine.items[0].regionCodes).toEqual(['440000']);
    const others = await ok(admin.get(`/api/v1/engineer-profiles?skill=plc`));
    expect(others.total).toBe(1);
    expect((await near.get(`/api/v1/engineer-profiles/${others.items[0].id}`)).statusCode).toBe(404);
    const stale = await admin.patch(`/api/v1/engineer-profiles/${others.items[0].id}`, {
      version: 99,
      capacityJobs: 3,
    });
    expect(stale.statusCode).toBe(409);
  });

  it('finds profiles by the engineer’s display name, any case, wildcards taken literally', async () => {
    const userIds = async (q: string) =>
      (await ok(admin.get(`/api/v1/engineer-profiles?q=${encodeURIComponent(q)}`))).items
        .map((p: { userId: string }) => p.userId)
        .sort();
    expect(await userIds(near.username)).toEqual([near.userId]);
    expect(await userIds('ENGINEER-')).toEqual([near.userId, far.userId, plc.userId].sort());
    expect(await userIds('engineer%')).toEqual([]);
    expect(await userIds('engineer_')).toEqual([]);
    expect(await userIds(agent.username)).toEqual([]);
  });

  it('ranks engineers for a ticket with the parts of each score and the reasons', async () => {
    const ticket = await triagedTicket('电梯困人 — 建议');
    // A compatible part in the far engineer's van.
    const part = await ok(
      admin.post('/api/v1/parts', {
        sku: 'DCB-01',
        nameZh: '门机控制板',
        compatibleModelIds: [model.id],
        unitCostFen: 1,
      }),
      201,
    );
    const van = await ok(
      admin.post('/api/v1/warehouses', { code: 'VAN-FAR', name: '车载库', kind: 'van', ownerUserId: far.userId }),
      201,
    );
    await ok(
      admin.post('/api/v1/stock/movements', { kind: 'receipt', partId: part.id, warehouseId: van.id, quantity: 2 }),
      201,
    );

    const result = await ok(agent.get(`/api/v1/tickets/${ticket.id}/assignment-suggestions`));
    expect(result.requiredSkills).toEqual(['elevator']);
    const [first, second, third] = result.suggestions;
    expect(first.engineerId).toBe(near.userId);
    expect(first.eligible).toBe(true);
    expect(first.distanceKm).toBeLessThan(3);
    const codes = (s: { reasons: { code: string }[] }) => s.reasons.map((r) => r.code);
    expect(codes(first)).toEqual(
      expect.arrayContaining(['has_skills', 'distance_from_home', 'meets_sla', 'no_van_parts']),
    );
    expect(second.engineerId).toBe(far.userId);
    expect(second.parts.parts).toBeGreaterThan(first.parts.parts);
    expect(second.reasons).toContainEqual(
      expect.objectContaining({
        code: 'van_parts',
        effect: 'plus',
        params: expect.objectContaining({ skus: 'DCB-01' }),
      }),
    );
    expect(third.engineerId).toBe(plc.userId);
    expect(third.eligible).toBe(false);
    expect(third.reasons).toContainEqual(
      expect.objectContaining({ code: 'missing_skills', effect: 'block', params: { skills: 'elevator' } }),
    );

    const unknown = await agent.get('/api/v1/tickets/01900000-0000-7000-8000-000000000000/assignment-suggestions');
    expect(unknown.statusCode).toBe(404);
    expect((await near.get(`/api/v1/tickets/${ticket.id}/assignment-suggestions`)).statusCode).toBe(403);
  });

  it('previews a day plan against the baseline and applies it, reporting a stale version per job', async () => {
    const a = await triagedTicket('电梯困人 — 甲');
    const b = await triagedTicket('电梯困人 — 乙');
    const plan = await ok(agent.post('/api/v1/dispatch/optimise', { date: DATE, ticketIds: [a.id, b.id] }));
    expect(plan.assignments.map((x: { ticketId: string }) => x.ticketId).sort()).toEqual([a.id, b.id].sort());
    expect(plan.totals.assigned).toBe(2);
    expect(plan.baseline.assigned).toBe(2);
    // Nobody lacking the skill gets a job, and the plan stays within the 08:00–20:00 window.
    for (const x of plan.assignments) {
      expect(x.engineerId).not.toBe(plc.userId);
      expect(new Date(x.plannedStart).getTime()).toBeGreaterThanOrEqual(Date.parse(`${DATE}T09:00:00+08:00`));
      expect(new Date(x.plannedEnd).getTime()).toBeLessThanOrEqual(Date.parse(`${DATE}T20:00:00+08:00`));
    }

    // Someone comments on ticket b after the preview: its version moves on.
    await ok(
      agent.post(`/api/v1/tickets/${b.id}/transitions`, {
        action: 'comment',
        version: b.version,
        body: '客户来电催促',
      }),
    );
    const applied = await ok(
      agent.request(
        'POST',
        '/api/v1/dispatch/apply',
        // What the console sends back: the plan's decisions, not its figures (unknown fields are a 400).
        {
          assignments: plan.assignments.map(({ ticketId, version, engineerId, plannedStart, plannedEnd }: Json) => ({
            ticketId,
            version,
            engineerId,
            plannedStart,
            plannedEnd,
          })),
        },
        { 'accept-language': 'en-US' },
      ),
    );
    expect(applied.applied).toBe(1);
    expect(applied.failed).toBe(1);
    const failed = applied.results.find((r: { ticketId: string }) => r.ticketId === b.id);
    expect(failed).toMatchObject({ ok: false, version: null, error: { status: 409, code: 'resource.stale_version' } });
    expect(failed.error.message).toMatch(/Someone else changed this record/);
    const ticketA = await ok(agent.get(`/api/v1/tickets/${a.id}`));
    expect(ticketA.state).toBe('dispatched');
    expect(ticketA.visits).toHaveLength(1);
    expect((await ok(agent.get(`/api/v1/tickets/${b.id}`))).state).toBe('triaged');

    const board = await ok(agent.get(`/api/v1/dispatch/board?date=${DATE}`));
    expect(board.visits.map((v: { ticketId: string }) => v.ticketId)).toContain(a.id);
    expect(board.unassigned.map((j: { ticketId: string }) => j.ticketId)).toContain(b.id);
    expect(board.unassigned.map((j: { ticketId: string }) => j.ticketId)).not.toContain(a.id);
    expect(board.engineers).toHaveLength(3);
    expect(board.engineers[0].days[0]).toMatchObject({ date: DATE, start: '08:00', end: '20:00', onLeave: false });
  });

  it('flags a double booking and work outside hours on the board', async () => {
    const a = await triagedTicket('双重预约 — 甲');
    const b = await triagedTicket('双重预约 — 乙');
    const dispatch = (t: { id: string; version: number }, start: string, end: string) =>
      ok(
        agent.post(`/api/v1/tickets/${t.id}/transitions`, {
          action: 'dispatch',
          version: t.version,
          engineerId: plc.userId,
          plannedStart: `${DATE}T${start}:00+08:00`,
          plannedEnd: `${DATE}T${end}:00+08:00`,
        }),
      );
    const first = await dispatch(a, '10:00', '12:00');
    await dispatch(b, '11:00', '13:00');
    // Rescheduling a into the evening supersedes its first visit.
    await dispatch(first as { id: string; version: number }, '19:00', '21:00');
    const board = await ok(agent.get(`/api/v1/dispatch/board?date=${DATE}`));
    const mine = board.visits.filter((v: { engineerId: string }) => v.engineerId === plc.userId);
    expect(mine).toHaveLength(2);
    const flagsOf = (id: string) => mine.find((v: { ticketId: string }) => v.ticketId === id).flags;
    expect(flagsOf(a.id)).toEqual(['overtime']);
    expect(flagsOf(b.id)).toEqual([]);
  });

  it('keeps an uploaded boundary map as a validated file', async () => {
    const bad = await admin.post('/api/v1/geo-maps', {
      name: '广东',
      geojson: {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point' } }],
      },
    });
    expect(bad.statusCode).toBe(400);
    const square = [
      [113, 22],
      [115, 22],
      [115, 24],
      [113, 24],
      [113, 22],
    ];
    const geojson = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '广东省' }, geometry: { type: 'Polygon', coordinates: [square] } },
      ],
    };
    const map = await ok(admin.post('/api/v1/geo-maps', { name: '广东', geojson }), 201);
    expect(map.features).toBe(1);
    expect((await agent.post('/api/v1/geo-maps', { name: 'x', geojson })).statusCode).toBe(403);
    const list = await ok(agent.get('/api/v1/geo-maps'));
    expect(list.map((m: { id: string }) => m.id)).toEqual([map.id]);
    expect(await ok(agent.get(`/api/v1/geo-maps/${map.id}`))).toEqual(geojson);
    expect((await admin.delete(`/api/v1/geo-maps/${map.id}`)).statusCode).toBe(204);
    expect((await agent.get(`/api/v1/geo-maps/${map.id}`)).statusCode).toBe(404);
  });
});
