import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { partsWorld } from '../../../test/parts-world';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely; the assertions pin them down.
type Json = any;
const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const CHECKLIST = { functionalTest: true, stressTest: true, relatedPartsCheck: true };

describe.each(BACKENDS)('engineer app sync on %s', (kind) => {
  let server: TestServer;
  let w: Awaited<ReturnType<typeof partsWorld>>;
  let van: { id: string };
  let helper: Agent;

  const ok = async (res: Promise<{ statusCode: number; body: string; json: () => Json }>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };
  const op = (ticketId: string, baseVersion: number, command: Record<string, unknown>) => ({
    opId: randomUUID(),
    ticketId,
    baseVersion,
    createdAt: server.clock.now().toISOString(),
    command,
  });
  const sync = async (who: Agent, ops: unknown[], headers: Record<string, string> = {}) =>
    (await ok(who.post('/api/v1/field/sync', { ops }, headers))).results as Json[];
  const visitOf = async (ticketId: string) => (await ok(w.agent.get(`/api/v1/tickets/${ticketId}`))).visits.at(-1);

  beforeAll(async () => {
    server = await createTestServer(kind);
    w = await partsWorld(server);
    helper = await server.userWith('engineer', { regionCodes: ['310000'] });
    van = await w.created(w.keeper, '/api/v1/warehouses', {
      code: 'VAN-1',
      name: '工程师车载库',
      kind: 'van',
      ownerUserId: w.engineer.userId,
    });
    await w.move(w.keeper, { kind: 'receipt', partId: w.board.id, warehouseId: van.id, quantity: 3, reason: '领用' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('applies a queued visit once: a replayed queue creates no second check-in, resolution or consumption', async () => {
    const ticket = await w.ticket();
    const visit = await visitOf(ticket.id);
    const jobs = await ok(w.engineer.get('/api/v1/field/jobs?date=2026-12-01'));
    expect(jobs.map((j: Json) => j.visitId)).toContain(visit.id);

    // What the phone queued while offline, all based on the version it last saw.
    const queue = [
      op(ticket.id, ticket.version, { action: 'accept', visitId: visit.id }),
      op(ticket.id, ticket.version, {
        action: 'check_in',
        visitId: visit.id,
        at: '2026-12-01T09:05:00+08:00',
        location: { lat: 31.23, lng: 121.47 },
      }),
      op(ticket.id, ticket.version, {
        action: 'check_out',
        visitId: visit.id,
        at: '2026-12-01T10:40:00+08:00',
        location: { lat: 31.23, lng: 121.47 },
      }),
      op(ticket.id, ticket.version, {
        action: 'resolve',
        diagnosis: '门机控制板输出异常',
        rootCause: '门机控制板烧毁',
        actionsTaken: '更换门机控制板并调试',
        partsUsed: [{ sku: 'DCB-01', name: '门机控制板', quantity: 1 }],
        labourMinutes: 90,
        checklist: CHECKLIST,
      }),
      op(ticket.id, ticket.version, { action: 'confirm', signature: SIGNATURE, csat: 5 }),
    ];
    const first = await sync(w.engineer, queue);
    expect(first.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(first.every((r) => r.replayed === false)).toBe(true);
    expect(first[3].detail).toMatchObject({ consumed: [{ sku: 'DCB-01', quantity: 1 }], shortfall: [] });

    // The response was lost: the phone sends the same queue again, and again concurrently.
    const [again, racing] = await Promise.all([sync(w.engineer, queue), sync(w.engineer, queue)]);
    for (const replay of [again, racing]) {
      expect(replay.map((r) => r.status)).toEqual(first.map((r) => r.status));
      expect(replay.every((r) => r.replayed)).toBe(true);
      expect(replay.map((r) => r.ticketVersion)).toEqual(first.map((r) => r.ticketVersion));
    }

    const after = await ok(w.agent.get(`/api/v1/tickets/${ticket.id}`));
    expect(after.state).toBe('closed');
    expect(after.resolution.diagnosis).toBe('门机控制板输出异常');
    expect(after.visits.at(-1).checkedInAt).toBe('2026-12-01T01:05:00.000Z');
    expect(after.visits.at(-1).acceptedAt).not.toBeNull();
    const timeline = (await ok(w.agent.get(`/api/v1/tickets/${ticket.id}/timeline`))) as Json[];
    const count = (type: string) => timeline.filter((e) => e.type === type).length;
    expect([count('ticket.checked_in'), count('ticket.resolved'), count('ticket.confirmed')]).toEqual([1, 1, 1]);
    expect(count('part.consumed')).toBe(1);
    // Taken from the van once, and on the ticket's cost once.
    expect((await w.level(w.board.id, van.id)).onHand).toBe(2);
    const cost = await ok(w.agent.get(`/api/v1/tickets/${ticket.id}/parts-cost`));
    expect(cost.totalFen).toBe(128_000);
    expect((await w.ledgerConsistent()).consistent).toBe(true);
  });

  it('keeps an op as a conflict when the dispatcher reassigned the ticket meanwhile, and a replay says the same', async () => {
    const ticket = await w.ticket();
    const visit = await visitOf(ticket.id);
    // While the phone is offline the dispatcher sends someone else.
    await ok(
      w.agent.post(`/api/v1/tickets/${ticket.id}/transitions`, {
        action: 'dispatch',
        version: ticket.version,
        engineerId: helper.userId,
        plannedStart: '2026-12-01T13:00:00+08:00',
        plannedEnd: '2026-12-01T15:00:00+08:00',
      }),
    );
    const checkIn = op(ticket.id, ticket.version, { action: 'check_in', visitId: visit.id });
    const [result] = await sync(w.engineer, [checkIn], { 'accept-language': 'en-US' });
    expect(result).toMatchObject({ status: 'conflict', code: 'sync.ticket_moved', replayed: false });
    expect(result.message).toMatch(/changed while you were offline/);
    expect(result.happened).toEqual([
      expect.objectContaining({
        type: 'ticket.dispatched',
        changes: expect.objectContaining({ assigneeId: expect.anything() }),
      }),
    ]);
    const [replayed] = await sync(w.engineer, [checkIn]);
    expect(replayed).toMatchObject({ status: 'conflict', code: 'sync.ticket_moved', replayed: true });
    const after = await ok(w.agent.get(`/api/v1/tickets/${ticket.id}`));
    expect(after.visits.every((v: Json) => v.checkedInAt === null)).toBe(true);
    expect(after.state).toBe('dispatched');
  });

  it('reports a cancelled ticket and a lifecycle refusal as conflicts, and someone else’s op id is not theirs to read', async () => {
    const ticket = await w.ticket();
    const visit = await visitOf(ticket.id);
    await ok(
      w.agent.post(`/api/v1/tickets/${ticket.id}/transitions`, {
        action: 'cancel',
        version: ticket.version,
        reason: '客户自行修复',
      }),
    );
    const checkIn = op(ticket.id, ticket.version, { action: 'check_in', visitId: visit.id });
    const [cancelled] = await sync(w.engineer, [checkIn]);
    expect(cancelled).toMatchObject({ status: 'conflict', code: 'sync.ticket_moved' });
    expect(cancelled.happened[0].type).toBe('ticket.cancelled');

    const other = await w.ticket();
    const [refused] = await sync(w.engineer, [
      op(other.id, other.version, { action: 'check_out', visitId: (await visitOf(other.id)).id }),
    ]);
    expect(refused).toMatchObject({ status: 'conflict', code: 'ticket.invalid_transition' });

    const [foreign] = await sync(helper, [{ ...checkIn, ticketId: other.id }]);
    expect(foreign).toMatchObject({ status: 'conflict', code: 'sync.op_id_taken', happened: [] });
  });

  it('declining sends the ticket back to the dispatcher and off the board', async () => {
    const ticket = await w.ticket();
    const visit = await visitOf(ticket.id);
    const [declined] = await sync(w.engineer, [
      op(ticket.id, ticket.version, { action: 'decline', visitId: visit.id, reason: '车辆故障，无法前往' }),
    ]);
    expect(declined.status, declined.message).toBe('applied');
    const after = await ok(w.agent.get(`/api/v1/tickets/${ticket.id}`));
    expect(after).toMatchObject({ state: 'triaged', assigneeId: null });
    const board = await ok(w.agent.get('/api/v1/dispatch/board?date=2026-12-01'));
    expect(board.visits.map((v: Json) => v.visitId)).not.toContain(visit.id);
    expect(board.unassigned.map((j: Json) => j.ticketId)).toContain(ticket.id);
    const jobs = await ok(w.engineer.get('/api/v1/field/jobs?date=2026-12-01'));
    expect(jobs.map((j: Json) => j.visitId)).not.toContain(visit.id);
  });

  it('a helper sees the job, checks in once, and the board shows the helper on the visit', async () => {
    const ticket = await w.ticket();
    const visit = await visitOf(ticket.id);
    const bad = await w.agent.put(`/api/v1/field/visits/${visit.id}/assistants`, {
      engineerIds: [w.engineer.userId],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ path: 'engineerIds' });
    expect(
      await ok(w.agent.put(`/api/v1/field/visits/${visit.id}/assistants`, { engineerIds: [helper.userId] })),
    ).toEqual([helper.userId]);

    const jobs = await ok(helper.get('/api/v1/field/jobs?date=2026-12-01'));
    const job = jobs.find((j: Json) => j.visitId === visit.id);
    expect(job).toMatchObject({ role: 'assistant', checkedInAt: null });
    const lead = (await ok(w.engineer.get(`/api/v1/field/jobs/${visit.id}`))).job;
    expect(lead.assistants.map((a: Json) => a.engineerId)).toEqual([helper.userId]);

    const checkIn = op(ticket.id, ticket.version, { action: 'assist_check_in', visitId: visit.id });
    const [first] = await sync(helper, [checkIn]);
    expect(first.status, first.message).toBe('applied');
    const [replay] = await sync(helper, [checkIn]);
    expect(replay).toMatchObject({ status: 'applied', replayed: true });
    const [twice] = await sync(helper, [
      op(ticket.id, ticket.version, { action: 'assist_check_in', visitId: visit.id }),
    ]);
    expect(twice).toMatchObject({ status: 'conflict', code: 'ticket.visit_not_pending' });
    // A helper is not the lead: the visit's own check-in stays the lead's.
    const [notLead] = await sync(helper, [op(ticket.id, ticket.version, { action: 'check_in', visitId: visit.id })]);
    expect(notLead.status).toBe('conflict');

    const timeline = (await ok(w.agent.get(`/api/v1/tickets/${ticket.id}/timeline`))) as Json[];
    expect(timeline.filter((e) => e.type === 'ticket.assistant_checked_in')).toHaveLength(1);
    const board = await ok(w.agent.get('/api/v1/dispatch/board?date=2026-12-01'));
    expect(board.visits.find((v: Json) => v.visitId === visit.id).assistantIds).toEqual([helper.userId]);
  });

  it('parts the van lacks are a shortfall, and requested parts become a requisition once', async () => {
    const ticket = await w.ticket();
    const visit = await visitOf(ticket.id);
    const detail = await ok(w.engineer.get(`/api/v1/field/jobs/${visit.id}`));
    expect(detail.van.warehouseId).toBe(van.id);
    expect(detail.van.parts).toEqual([expect.objectContaining({ sku: 'DCB-01', available: 2 })]);
    const request = op(ticket.id, ticket.version, {
      action: 'request_parts',
      lines: [{ partId: w.board.id, warehouseId: w.hq.id, quantity: 1 }],
    });
    await w.move(w.keeper, { kind: 'receipt', partId: w.board.id, warehouseId: w.hq.id, quantity: 5, reason: 'PO' });
    const [requested] = await sync(w.engineer, [request]);
    expect(requested.status, requested.message).toBe('applied');
    await sync(w.engineer, [request]);
    const list = await ok(w.engineer.get(`/api/v1/requisitions?ticketId=${ticket.id}`));
    expect(list.items).toHaveLength(1);

    const queue = [
      op(ticket.id, ticket.version, { action: 'check_in', visitId: visit.id }),
      op(ticket.id, ticket.version, { action: 'check_out', visitId: visit.id }),
      op(ticket.id, ticket.version, {
        action: 'resolve',
        rootCause: '门机控制板烧毁',
        actionsTaken: '更换两块门机控制板',
        partsUsed: [{ sku: 'DCB-01', name: '门机控制板', quantity: 3 }],
        labourMinutes: 60,
        checklist: CHECKLIST,
      }),
    ];
    const results = await sync(w.engineer, queue);
    expect(results[2].detail).toMatchObject({
      consumed: [{ sku: 'DCB-01', quantity: 2 }],
      shortfall: [{ sku: 'DCB-01', quantity: 1 }],
    });
    expect((await w.level(w.board.id, van.id)).onHand).toBe(0);
    // The ledger's two and the one beyond it from the resolution, each counted once.
    const cost = await ok(w.agent.get(`/api/v1/tickets/${ticket.id}/parts-cost`));
    expect(cost.lines.reduce((n: number, l: Json) => n + l.quantity, 0)).toBe(3);
  });

  it('refuses to dispatch while a quote waits for the customer, and dispatches once it is withdrawn', async () => {
    const created = await ok(
      w.agent.post('/api/v1/tickets', {
        channel: 'phone',
        contactName: '周先生',
        title: '电梯异响',
        description: '运行时曳引机有异响，需要更换轴承',
      }),
      201,
    );
    let t = await ok(
      w.agent.post(`/api/v1/tickets/${created.ticket.id}/transitions`, {
        action: 'triage',
        version: created.ticket.version,
        priority: 'P2',
      }),
    );
    const quote = await ok(
      w.agent.post(`/api/v1/tickets/${t.id}/quotes`, {
        lines: [{ kind: 'part', description: '曳引机轴承', quantity: 1, unitPriceFen: 50_000 }],
      }),
      201,
    );
    const dispatch = {
      action: 'dispatch',
      version: t.version,
      engineerId: w.engineer.userId,
      plannedStart: '2026-12-02T09:00:00+08:00',
      plannedEnd: '2026-12-02T11:00:00+08:00',
    };
    const refused = await w.agent.post(`/api/v1/tickets/${t.id}/transitions`, dispatch, { 'accept-language': 'en-US' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'ticket.quote_pending' });
    expect(refused.json().message).toMatch(/awaits the customer/);
    t = await ok(w.agent.get(`/api/v1/tickets/${t.id}`));
    expect(t.state).toBe('triaged');

    await ok(w.agent.post(`/api/v1/quotes/${quote.id}/withdraw`, { version: quote.version }));
    const sent = await ok(w.agent.post(`/api/v1/tickets/${t.id}/transitions`, { ...dispatch, version: t.version }));
    expect(sent.state).toBe('dispatched');
  });
});
