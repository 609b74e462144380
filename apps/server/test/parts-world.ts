import { expect } from 'vitest';
import type { Agent, TestServer } from './harness';

/** Shared set-up for the parts tests: a catalogue, warehouses and tickets to hang requisitions on. */
export async function partsWorld(server: TestServer) {
  const admin = await server.signIn('admin');
  const keeper = await server.userWith('warehouse');
  const manager = await server.userWith('manager');
  const engineer = await server.userWith('engineer', { regionCodes: ['310000'] });
  const agent = await server.userWith('agent');

  const created = async (who: Agent, url: string, body: unknown) => {
    const res = await who.post(url, body);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
    return res.json();
  };
  const model = await created(admin, '/api/v1/product-models', {
    code: 'GL-3000',
    name: '乘客电梯',
    category: 'elevator',
  });
  const board = await created(keeper, '/api/v1/parts', {
    sku: 'DCB-01',
    nameZh: '门机控制板',
    nameEn: 'Door controller board',
    compatibleModelIds: [model.id],
    unitCostFen: 128_000,
    unit: '块',
  });
  const hq = await created(keeper, '/api/v1/warehouses', { code: 'HQ', name: '总仓', kind: 'headquarters' });
  const shanghai = await created(keeper, '/api/v1/warehouses', {
    code: 'SH',
    name: '上海仓',
    kind: 'regional',
    regionCode: '310000',
  });

  /** A ticket assigned to the engineer, so the engineer may request parts for it. */
  const ticket = async (assignee: Agent = engineer) => {
    const res = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      contactName: '周先生',
      title: '电梯困人',
      description: '3 号梯停在 5 楼与 6 楼之间，显示故障码 E35',
    });
    expect(res.statusCode, res.body).toBe(201);
    let t = res.json().ticket;
    t = (
      await agent.post(`/api/v1/tickets/${t.id}/transitions`, { action: 'triage', version: t.version, priority: 'P1' })
    ).json();
    const dispatched = await agent.post(`/api/v1/tickets/${t.id}/transitions`, {
      action: 'dispatch',
      version: t.version,
      engineerId: assignee.userId,
      plannedStart: '2026-12-01T09:00:00+08:00',
      plannedEnd: '2026-12-01T11:00:00+08:00',
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    return dispatched.json() as { id: string; version: number };
  };

  const move = async (who: Agent, body: Record<string, unknown>, status = 201) => {
    const res = await who.post('/api/v1/stock/movements', body);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const level = async (partId: string, warehouseId: string) => {
    const res = await admin.get(`/api/v1/stock?partId=${partId}&warehouseId=${warehouseId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items[0] as {
      onHand: number;
      reserved: number;
      available: number;
      defective: number;
      belowReorder: boolean;
    };
  };
  const ledgerConsistent = async () => {
    const res = await admin.get('/api/v1/stock/check');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { consistent: boolean; mismatches: unknown[]; movements: number };
  };

  return {
    admin,
    keeper,
    manager,
    engineer,
    agent,
    model,
    board,
    hq,
    shanghai,
    created,
    ticket,
    move,
    level,
    ledgerConsistent,
  };
}
