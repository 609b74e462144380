import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';

type Result = { id: string; ok: boolean; version?: number; status?: number; error?: { code: string; message: string } };

describe.each(BACKENDS)('bulk actions on the ticket list on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  let agent: Agent;
  let engineer: Agent;

  const open = async () => {
    const res = await admin.post('/api/v1/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '电梯困人',
      description: '3 号梯停在 5 楼与 6 楼之间，轿厢内有人，显示故障码 E35',
      severity: 'critical',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().ticket as { id: string; version: number };
  };
  const bulk = async (who: Agent, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await who.request('POST', '/api/v1/tickets/bulk', body, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Result[];
  };
  const read = async (id: string) => (await admin.get(`/api/v1/tickets/${id}`)).json();

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    agent = await server.userWith('agent');
    engineer = await server.userWith('engineer');
  });
  afterAll(() => server?.close());

  it('sets the priority ticket by ticket; a stale version fails that ticket alone', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const results = await bulk(
      agent,
      {
        tickets: [a, { id: b.id, version: b.version + 1 }, c].map(({ id, version }) => ({ id, version })),
        command: { action: 'priority', priority: 'P1' },
      },
      { 'accept-language': 'en-US' },
    );
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      [a.id, true],
      [b.id, false],
      [c.id, true],
    ]);
    expect(results[1]).toMatchObject({ status: 409, error: { code: 'resource.stale_version' } });
    expect(results[1]!.error!.message).toMatch(/[a-z]/i);
    expect((await read(a.id)).priority).toBe('P1');
    expect((await read(a.id)).version).toBe(results[0]!.version);
    expect((await read(b.id)).priority).toBeNull();
    // The change is on the record, before → after.
    const timeline = (await admin.get(`/api/v1/tickets/${a.id}/timeline`)).json() as { type: string }[];
    expect(timeline.map((e) => e.type)).toContain('ticket.updated');
  });

  it('transfers and closes with a reason through the normal commands, each refusal reported', async () => {
    const [a, b] = [await open(), await open()];
    const engineerId = engineer.userId;
    const moved = await bulk(agent, {
      tickets: [a, b].map(({ id, version }) => ({ id, version })),
      command: { action: 'transfer', toUserId: engineerId, reason: '区域调整' },
    });
    expect(moved.every((r) => r.ok)).toBe(true);
    expect((await read(a.id)).assigneeId).toBe(engineerId);

    // Never worked to a resolution: closing from the list cancels them, with the reason.
    const cancelled = await bulk(agent, {
      tickets: moved.map((r) => ({ id: r.id, version: r.version })),
      command: { action: 'close', reason: '客户撤回报修' },
    });
    expect(cancelled.every((r) => r.ok)).toBe(true);
    expect((await read(b.id)).state).toBe('cancelled');
    // A finished ticket keeps its priority.
    const late = await bulk(admin, {
      tickets: [{ id: b.id, version: cancelled[1]!.version }],
      command: { action: 'priority', priority: 'P0' },
    });
    expect(late[0]).toMatchObject({ ok: false, status: 409, error: { code: 'ticket.invalid_transition' } });
  });

  it('closes a resolved ticket with the reason as the manager’s override; an agent is refused per ticket', async () => {
    let ticket = await open();
    const step = async (who: Agent, body: Record<string, unknown>) => {
      const res = await who.post(`/api/v1/tickets/${ticket.id}/transitions`, { version: ticket.version, ...body });
      expect(res.statusCode, res.body).toBe(200);
      ticket = res.json();
    };
    await step(agent, { action: 'triage', priority: 'P2' });
    await step(agent, {
      action: 'dispatch',
      engineerId: engineer.userId,
      plannedStart: '2026-12-01T09:00:00+08:00',
      plannedEnd: '2026-12-01T11:00:00+08:00',
    });
    const visitId = (ticket as unknown as { visits: { id: string }[] }).visits[0]!.id;
    await step(engineer, { action: 'check_in', visitId });
    await step(engineer, { action: 'check_out', visitId });
    await step(engineer, {
      action: 'resolve',
      rootCause: '门机控制板电容击穿',
      actionsTaken: '更换门机控制板并试运行',
      labourMinutes: 60,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    });
    const tickets = [{ id: ticket.id, version: ticket.version }];
    const refused = await bulk(agent, { tickets, command: { action: 'close', reason: '客户电话确认已恢复' } });
    expect(refused[0]).toMatchObject({ ok: false, status: 409, error: { code: 'ticket.close_needs_override' } });
    expect(refused[0]!.error!.message).toContain('主管');
    const closed = await bulk(admin, { tickets, command: { action: 'close', reason: '客户电话确认已恢复' } });
    expect(closed[0]!.ok).toBe(true);
    const after = await read(ticket.id);
    expect(after.state).toBe('closed');
    const timeline = (await admin.get(`/api/v1/tickets/${ticket.id}/timeline`)).json() as {
      type: string;
      data: Record<string, unknown>;
    }[];
    expect(timeline.find((e) => e.type === 'ticket.closed')?.data).toMatchObject({
      overrideReason: '客户电话确认已恢复',
    });
  });

  it('keeps to the caller’s scope and refuses bad input with field details', async () => {
    const mine = await open();
    const other = await open();
    await bulk(admin, {
      tickets: [{ id: mine.id, version: mine.version }],
      command: { action: 'transfer', toUserId: engineer.userId, reason: '就近处理' },
    });
    // An engineer updates only tickets assigned to them; another one is not found for them.
    const results = await bulk(engineer, {
      tickets: [
        { id: mine.id, version: mine.version + 1 },
        { id: other.id, version: other.version },
      ],
      command: { action: 'priority', priority: 'P2' },
    });
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1]!.status).toBe(404);

    const bad = await agent.post('/api/v1/tickets/bulk', {
      tickets: [],
      command: { action: 'close', reason: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['command.reason', 'tickets']);
    const contact = await server.userWith('quality');
    expect(
      (await contact.post('/api/v1/tickets/bulk', { tickets: [mine], command: { action: 'priority', priority: 'P1' } }))
        .statusCode,
    ).toBe(403);
  });
});
