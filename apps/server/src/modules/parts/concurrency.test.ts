import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../../../test/harness';
import { partsWorld } from '../../../test/parts-world';

/**
 * Stock under real parallel HTTP requests: a listening server, requests sent all at once over
 * separate connections. On PostgreSQL they really run concurrently (a pool of 10 connections,
 * so transactions overlap and queue on the balance row's lock); on PGlite they serialise on its
 * one connection, which the same assertions must also survive.
 */
describe.each(BACKENDS)('stock under concurrent requests on %s', (kind) => {
  let server: TestServer;
  let w: Awaited<ReturnType<typeof partsWorld>>;
  let base: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    server = await createTestServer(kind);
    w = await partsWorld(server);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: w.keeper.username, password: TEST_PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('sl_session='))!
      .split(';')[0]!;
    const me = (await login.json()) as { csrfToken: string };
    headers = { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' };
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (url: string, body: unknown) =>
    fetch(`${base}${url}`, { method: 'POST', headers, body: JSON.stringify(body) }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
    }));

  it('200 simultaneous reservations of 1 against 10 available: exactly 10 succeed, 190 are refused', async () => {
    const part = await w.created(w.keeper, '/api/v1/parts', { sku: 'RACE-1', nameZh: '抢购件', unitCostFen: 100 });
    const place = { partId: part.id, warehouseId: w.shanghai.id };
    await w.move(w.keeper, { kind: 'receipt', ...place, quantity: 10 });

    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => post('/api/v1/stock/reservations', { ...place, quantity: 1 })),
    );
    const elapsed = performance.now() - started;

    // Node 20 has no Object.groupBy.
    const accepted = results.filter((r) => r.status === 201);
    const refusedAll = results.filter((r) => r.status === 409);
    expect(results.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    expect(accepted).toHaveLength(10);
    expect(refusedAll).toHaveLength(190);
    for (const refused of refusedAll) {
      expect(refused.body).toMatchObject({ code: 'stock.insufficient', details: { available: 0, requested: 1 } });
    }
    expect(await w.level(part.id, w.shanghai.id)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    const check = await w.ledgerConsistent();
    expect(check.mismatches).toEqual([]);
    expect(check.consistent).toBe(true);
    const ledger = (
      await w.admin.get(`/api/v1/stock/movements?partId=${part.id}&kind=reservation&pageSize=200`)
    ).json();
    expect(ledger.total).toBe(10);
    console.info(`[${kind}] 200 concurrent reservations in ${Math.round(elapsed)} ms`);
  });

  it('requisitions locking two parts in opposite orders neither deadlock nor oversell', async () => {
    const a = await w.created(w.keeper, '/api/v1/parts', { sku: 'PAIR-A', nameZh: '成对件甲', unitCostFen: 100 });
    const b = await w.created(w.keeper, '/api/v1/parts', { sku: 'PAIR-B', nameZh: '成对件乙', unitCostFen: 100 });
    for (const p of [a, b])
      await w.move(w.keeper, { kind: 'receipt', partId: p.id, warehouseId: w.hq.id, quantity: 10 });
    const ticket = await w.ticket();
    const line = (p: { id: string }) => ({ partId: p.id, warehouseId: w.hq.id, quantity: 1 });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post('/api/v1/requisitions', { ticketId: ticket.id, lines: i % 2 ? [line(a), line(b)] : [line(b), line(a)] }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(50);
    for (const p of [a, b]) expect(await w.level(p.id, w.hq.id)).toMatchObject({ reserved: 10, available: 0 });
    expect((await w.ledgerConsistent()).consistent).toBe(true);
  });
});
