import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import type { TestServer } from '../../../test/harness';
import { createTestServer } from '../../../test/harness';
import { partsWorld } from '../../../test/parts-world';

type World = Awaited<ReturnType<typeof partsWorld>>;

describe.each(BACKENDS)('spare parts on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await createTestServer(kind);
    w = await partsWorld(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses bad catalogue and warehouse input field by field, in the reader’s language', async () => {
    const part = await w.keeper.post(
      '/api/v1/parts',
      { sku: 'bad sku!', nameZh: '', unitCostFen: 12.5, compatibleModelIds: ['nope'] },
      { 'accept-language': 'en-US' },
    );
    expect(part.statusCode).toBe(400);
    const paths = part.json().details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['sku', 'nameZh', 'unitCostFen', 'compatibleModelIds.0']));
    expect(part.json().details.find((d: { path: string }) => d.path === 'sku').message).toMatch(/letters, digits/);

    const duplicate = await w.keeper.post('/api/v1/parts', { sku: 'DCB-01', nameZh: '重复', unitCostFen: 1 });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().details).toEqual([{ path: 'sku' }]);

    const unknownModel = await w.keeper.post('/api/v1/parts', {
      sku: 'X-1',
      nameZh: '未知型号件',
      unitCostFen: 1,
      compatibleModelIds: ['01900000-0000-7000-8000-000000000000'],
    });
    expect(unknownModel.statusCode).toBe(400);
    expect(unknownModel.json().details[0].path).toBe('compatibleModelIds');

    const vanWithoutOwner = await w.keeper.post('/api/v1/warehouses', { code: 'VAN-X', name: '无主车', kind: 'van' });
    expect(vanWithoutOwner.statusCode).toBe(400);
    expect(vanWithoutOwner.json().details[0]).toMatchObject({
      path: 'ownerUserId',
      message: '车载库须指定一名在岗工程师',
    });
    const vanOfAKeeper = await w.keeper.post('/api/v1/warehouses', {
      code: 'VAN-K',
      name: '库管的车',
      kind: 'van',
      ownerUserId: w.keeper.userId,
    });
    expect(vanOfAKeeper.statusCode).toBe(400);

    // The catalogue finds parts by the model they fit; engineers read it, but don't change it.
    const fits = (await w.engineer.get(`/api/v1/parts?modelId=${w.model.id}`)).json();
    expect(fits.items.map((p: { sku: string }) => p.sku)).toEqual(['DCB-01']);
    expect(
      (await w.engineer.post('/api/v1/parts', { sku: 'E-1', nameZh: '工程师件', unitCostFen: 1 })).statusCode,
    ).toBe(403);
  });

  it('posts receipts, adjustments and transfers to the ledger, and refuses what is not there with 409 and the available quantity', async () => {
    const part = await w.created(w.keeper, '/api/v1/parts', {
      sku: 'ROPE-8',
      nameZh: '钢丝绳',
      unitCostFen: 5_000,
      unit: '米',
    });
    await w.move(w.keeper, { kind: 'receipt', partId: part.id, warehouseId: w.hq.id, quantity: 50, reason: 'PO-1' });
    const adjustment = await w.keeper.post('/api/v1/stock/movements', {
      kind: 'adjustment',
      partId: part.id,
      warehouseId: w.hq.id,
      quantity: -2,
    });
    expect(adjustment.statusCode).toBe(400);
    expect(adjustment.json().details[0].path).toBe('reason');
    await w.move(w.keeper, {
      kind: 'adjustment',
      partId: part.id,
      warehouseId: w.hq.id,
      quantity: -2,
      reason: '盘点短少',
    });
    const transfer = await w.move(w.keeper, {
      kind: 'transfer',
      partId: part.id,
      fromWarehouseId: w.hq.id,
      toWarehouseId: w.shanghai.id,
      quantity: 18,
    });
    expect(transfer.movements.map((m: { kind: string }) => m.kind)).toEqual(['transfer_out', 'transfer_in']);
    expect(transfer.movements[0].transferId).toBe(transfer.movements[1].transferId);
    expect(await w.level(part.id, w.hq.id)).toMatchObject({ onHand: 30, reserved: 0, available: 30 });
    expect(await w.level(part.id, w.shanghai.id)).toMatchObject({ onHand: 18, available: 18 });

    const tooMuch = await w.keeper.post('/api/v1/stock/movements', {
      kind: 'transfer',
      partId: part.id,
      fromWarehouseId: w.shanghai.id,
      toWarehouseId: w.hq.id,
      quantity: 19,
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'stock.insufficient', details: { available: 18, requested: 19 } });
    expect(tooMuch.json().message).toBe('可用库存不足：需要 19，可用 18');

    const reserved = await w.keeper.post('/api/v1/stock/reservations', {
      partId: part.id,
      warehouseId: w.shanghai.id,
      quantity: 15,
    });
    expect(reserved.statusCode, reserved.body).toBe(201);
    // Reserved units are promised: issuing more than the 3 still available is refused.
    const issue = await w.keeper.post('/api/v1/stock/movements', {
      kind: 'issue',
      partId: part.id,
      warehouseId: w.shanghai.id,
      quantity: 4,
    });
    expect(issue.statusCode).toBe(409);
    expect(issue.json().details.available).toBe(3);
    const released = await w.keeper.post(`/api/v1/stock/reservations/${reserved.json().id}/release`, { quantity: 5 });
    expect(released.json()).toMatchObject({ quantity: 15, outstanding: 10 });
    const again = await w.keeper.post(`/api/v1/stock/reservations/${reserved.json().id}/release`, { quantity: 11 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('stock.reservation_exceeded');
    expect(await w.level(part.id, w.shanghai.id)).toMatchObject({ onHand: 18, reserved: 10, available: 8 });
    expect((await w.ledgerConsistent()).consistent).toBe(true);
  });

  it('keeps movements append-only in the database itself', async () => {
    const [row] = (
      (await server.platform.db.execute(sql`select id from stock_movements limit 1`)) as unknown as {
        rows: { id: string }[];
      }
    ).rows;
    await expect(
      server.platform.db.execute(sql`update stock_movements set quantity = 999 where id = ${row!.id}`),
    ).rejects.toThrow();
    await expect(server.platform.db.execute(sql`delete from stock_movements where id = ${row!.id}`)).rejects.toThrow();
    // Nor can a row claim an effect its kind does not have.
    await expect(
      server.platform.db.execute(sql`insert into stock_movements (id, occurred_at, kind, part_id, warehouse_id, quantity,
        on_hand_delta, reserved_delta, defective_delta, unit_cost_fen)
        values (gen_random_uuid(), now(), 'receipt', ${w.board.id}, ${w.hq.id}, 5, -5, 0, 0, 1)`),
    ).rejects.toThrow();
  });

  it('keeps balance = ledger sum and available ≥ 0 through random sequences of movements', async () => {
    const part = await w.created(w.keeper, '/api/v1/parts', { sku: 'PROP-1', nameZh: '随机件', unitCostFen: 100 });
    const places = [w.hq.id, w.shanghai.id];
    const reservations: string[] = [];
    const step = fc.record({
      kind: fc.constantFrom('receipt', 'issue', 'adjustment', 'transfer', 'reserve', 'release'),
      place: fc.integer({ min: 0, max: 1 }),
      quantity: fc.integer({ min: 1, max: 12 }),
      negative: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 15 }), async (steps) => {
        for (const s of steps) {
          const warehouseId = places[s.place]!;
          let res: { statusCode: number; body: string; json: () => { id: string } };
          if (s.kind === 'reserve') {
            res = await w.keeper.post('/api/v1/stock/reservations', {
              partId: part.id,
              warehouseId,
              quantity: s.quantity,
            });
            if (res.statusCode === 201) reservations.push(res.json().id);
          } else if (s.kind === 'release') {
            const id = reservations[s.quantity % Math.max(1, reservations.length)];
            if (!id) continue;
            res = await w.keeper.post(`/api/v1/stock/reservations/${id}/release`, {});
          } else if (s.kind === 'transfer') {
            res = await w.keeper.post('/api/v1/stock/movements', {
              kind: 'transfer',
              partId: part.id,
              fromWarehouseId: warehouseId,
              toWarehouseId: places[1 - s.place],
              quantity: s.quantity,
            });
          } else {
            res = await w.keeper.post('/api/v1/stock/movements', {
              kind: s.kind,
              partId: part.id,
              warehouseId,
              quantity: s.kind === 'adjustment' && s.negative ? -s.quantity : s.quantity,
              ...(s.kind === 'adjustment' ? { reason: '随机盘点' } : {}),
            });
          }
          expect([200, 201, 409], res.body).toContain(res.statusCode);
          for (const place of places) {
            const level = await w.level(part.id, place);
            if (level) expect(level.available).toBeGreaterThanOrEqual(0);
          }
        }
        const check = await w.ledgerConsistent();
        expect(check.mismatches).toEqual([]);
        expect(check.consistent).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('raises a reorder reminder once when available falls below the point, and clears it when stock is back', async () => {
    const part = await w.created(w.keeper, '/api/v1/parts', {
      sku: 'BRAKE-2',
      nameZh: '制动器闸瓦',
      unitCostFen: 30_000,
    });
    const place = { partId: part.id, warehouseId: w.shanghai.id };
    await w.move(w.keeper, { kind: 'receipt', ...place, quantity: 25 });
    const set = await w.keeper.put('/api/v1/stock/reorder-points', { ...place, reorderPoint: 20 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ reorderPoint: 20, belowReorder: false });
    const reminders = async () =>
      (
        (await server.platform.db.execute(
          sql`select type from events where entity_id = ${part.id} and type in ('parts.reorder_needed', 'parts.reorder_cleared') order by seq`,
        )) as unknown as { rows: { type: string }[] }
      ).rows.map((r) => r.type);

    await w.move(w.keeper, { kind: 'issue', ...place, quantity: 6 }); // 19 < 20
    await w.move(w.keeper, { kind: 'issue', ...place, quantity: 2 }); // still below: no second reminder
    await w.keeper.post('/api/v1/stock/reservations', { ...place, quantity: 3 }); // reserving lowers available too
    expect(await reminders()).toEqual(['parts.reorder_needed']);
    const alerts = (await w.engineer.get('/api/v1/parts/reorder-alerts')).json();
    expect(alerts).toEqual([expect.objectContaining({ sku: 'BRAKE-2', available: 14, reorderPoint: 20 })]);
    expect((await w.admin.get(`/api/v1/stock?belowReorder=true&partId=${part.id}`)).json().total).toBe(1);

    await w.move(w.keeper, { kind: 'receipt', ...place, quantity: 10 }); // 24 ≥ 20
    expect(await reminders()).toEqual(['parts.reorder_needed', 'parts.reorder_cleared']);
    expect((await w.admin.get('/api/v1/parts/reorder-alerts')).json()).toEqual([]);
    await w.move(w.keeper, { kind: 'issue', ...place, quantity: 10 }); // a new dip, a new reminder
    expect(await reminders()).toEqual(['parts.reorder_needed', 'parts.reorder_cleared', 'parts.reorder_needed']);
  });

  it('runs a requisition through keeper approval, issue to the van and consumption on the ticket', async () => {
    const ticket = await w.ticket();
    const van = await w.created(w.keeper, '/api/v1/warehouses', {
      code: 'VAN-ENG',
      name: '工程师车载库',
      kind: 'van',
      ownerUserId: w.engineer.userId,
    });
    await w.move(w.keeper, { kind: 'receipt', partId: w.board.id, warehouseId: w.shanghai.id, quantity: 3 });

    const tooMany = await w.engineer.post('/api/v1/requisitions', {
      ticketId: ticket.id,
      lines: [{ partId: w.board.id, warehouseId: w.shanghai.id, quantity: 4 }],
    });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().details).toMatchObject({ path: 'lines.0.quantity', available: 3, requested: 4 });

    const res = await w.engineer.post('/api/v1/requisitions', {
      ticketId: ticket.id,
      note: '门机控制板疑似损坏',
      lines: [{ partId: w.board.id, warehouseId: w.shanghai.id, quantity: 2 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    let req = res.json();
    expect(req).toMatchObject({ state: 'pending', approvalMode: 'keeper', allowedActions: ['cancel'] });
    expect(await w.level(w.board.id, w.shanghai.id)).toMatchObject({ onHand: 3, reserved: 2, available: 1 });

    // The engineer cannot approve their own request; a manager is not the approver in keeper mode.
    const own = await w.engineer.post(`/api/v1/requisitions/${req.id}/approve`, { version: req.version });
    expect(own.statusCode).toBe(403);
    const byManager = await w.manager.post(`/api/v1/requisitions/${req.id}/approve`, { version: req.version });
    expect(byManager.json().code).toBe('requisition.not_approver');
    const early = await w.keeper.post(`/api/v1/requisitions/${req.id}/issue`, { version: req.version });
    expect(early.statusCode).toBe(409);

    req = (await w.keeper.post(`/api/v1/requisitions/${req.id}/approve`, { version: req.version })).json();
    expect(req.state).toBe('approved');
    const stale = await w.keeper.post(`/api/v1/requisitions/${req.id}/issue`, { version: req.version - 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('resource.stale_version');
    req = (await w.keeper.post(`/api/v1/requisitions/${req.id}/issue`, { version: req.version })).json();
    expect(req.state).toBe('issued');
    expect(req.lines[0]).toMatchObject({ issuedQuantity: 2, issuedToWarehouseId: van.id });
    expect(await w.level(w.board.id, w.shanghai.id)).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
    expect(await w.level(w.board.id, van.id)).toMatchObject({ onHand: 2, available: 2 });

    const over = await w.engineer.post(`/api/v1/requisitions/${req.id}/consume`, {
      version: req.version,
      lines: [{ lineId: req.lines[0].id, quantity: 3 }],
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().details[0].path).toBe('lines.0.quantity');
    req = (
      await w.engineer.post(`/api/v1/requisitions/${req.id}/consume`, {
        version: req.version,
        lines: [{ lineId: req.lines[0].id, quantity: 1 }],
      })
    ).json();
    expect(req.state).toBe('consumed');
    // One used on the ticket, the spare stays in the van.
    expect(await w.level(w.board.id, van.id)).toMatchObject({ onHand: 1 });

    const timeline = (await w.agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json();
    const steps = timeline.filter((e: { type: string }) => e.type.startsWith('requisition.'));
    expect(steps.map((e: { type: string }) => e.type)).toEqual([
      'requisition.requested',
      'requisition.approved',
      'requisition.issued',
      'requisition.consumed',
    ]);
    expect(steps.every((e: { visibility: string }) => e.visibility === 'internal')).toBe(true);

    // The engineer returns the broken board (旧件返还); it is counted apart from good stock.
    await w.move(
      w.engineer,
      { kind: 'return_defective', partId: w.board.id, warehouseId: w.hq.id, quantity: 1, ticketId: ticket.id },
      403,
    );
    await w.move(w.keeper, {
      kind: 'return_defective',
      partId: w.board.id,
      warehouseId: w.hq.id,
      quantity: 1,
      ticketId: ticket.id,
    });
    expect(await w.level(w.board.id, w.hq.id)).toMatchObject({ defective: 1, available: 0 });

    // Parts cost: the ledger's consumption at the cost of the day, even after the price changes.
    const board = (await w.admin.get(`/api/v1/parts/${w.board.id}`)).json();
    await w.keeper.patch(`/api/v1/parts/${w.board.id}`, { version: board.version, unitCostFen: 200_000 });
    const cost = await w.agent.get(`/api/v1/tickets/${ticket.id}/parts-cost`);
    expect(cost.statusCode, cost.body).toBe(200);
    expect(cost.json()).toMatchObject({ totalFen: 128_000, lines: [{ source: 'ledger', sku: 'DCB-01', quantity: 1 }] });
    expect((await w.ledgerConsistent()).consistent).toBe(true);
  });

  it('follows the configured approvers: manager only, then both (two people), with reject and cancel releasing stock', async () => {
    const settings = (await w.admin.get('/api/v1/parts/settings')).json();
    expect(
      (await w.keeper.put('/api/v1/parts/settings', { requisitionApproval: 'manager', version: settings.version }))
        .statusCode,
    ).toBe(403);
    const bad = await w.admin.put('/api/v1/parts/settings', {
      requisitionApproval: 'anyone',
      version: settings.version,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('requisitionApproval');
    const saved = await w.admin.put('/api/v1/parts/settings', {
      requisitionApproval: 'manager',
      version: settings.version,
    });
    expect(saved.json()).toMatchObject({ requisitionApproval: 'manager' });
    const staleSave = await w.admin.put('/api/v1/parts/settings', {
      requisitionApproval: 'both',
      version: settings.version,
    });
    expect(staleSave.statusCode).toBe(409);

    const part = await w.created(w.keeper, '/api/v1/parts', {
      sku: 'SENSOR-1',
      nameZh: '光幕传感器',
      unitCostFen: 9_900,
    });
    await w.move(w.keeper, { kind: 'receipt', partId: part.id, warehouseId: w.hq.id, quantity: 10 });
    // An engineer without a van.
    const engineer = await server.userWith('engineer');
    const ticket = await w.ticket(engineer);
    const request = async () => {
      const res = await engineer.post('/api/v1/requisitions', {
        ticketId: ticket.id,
        lines: [{ partId: part.id, warehouseId: w.hq.id, quantity: 4 }],
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };

    // Manager mode: the keeper may not approve; the manager may; the keeper then issues.
    let req = await request();
    expect(req.approvalMode).toBe('manager');
    expect((await w.keeper.post(`/api/v1/requisitions/${req.id}/approve`, { version: req.version })).statusCode).toBe(
      403,
    );
    req = (await w.manager.post(`/api/v1/requisitions/${req.id}/approve`, { version: req.version })).json();
    expect(req.state).toBe('approved');
    // Without a van, issue takes the parts out of stock for the ticket.
    expect((await w.engineer.get(`/api/v1/requisitions/${req.id}`)).statusCode).toBe(404);
    req = (await w.keeper.post(`/api/v1/requisitions/${req.id}/issue`, { version: req.version })).json();
    expect(req.lines[0]).toMatchObject({ issuedQuantity: 4, issuedToWarehouseId: null });
    expect(await w.level(part.id, w.hq.id)).toMatchObject({ onHand: 6, reserved: 0 });

    // Reject with a reason gives the reservation back.
    req = await request();
    const noReason = await w.manager.post(`/api/v1/requisitions/${req.id}/reject`, { version: req.version });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details[0].path).toBe('reason');
    req = (
      await w.manager.post(`/api/v1/requisitions/${req.id}/reject`, {
        version: req.version,
        reason: '库存留给 P0 工单',
      })
    ).json();
    expect(req).toMatchObject({ state: 'rejected', closingReason: '库存留给 P0 工单' });
    expect(await w.level(part.id, w.hq.id)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });

    // Both: a keeper and a manager, two different people; a person with both roles approves once.
    const settingsNow = (await w.admin.get('/api/v1/parts/settings')).json();
    await w.admin.put('/api/v1/parts/settings', { requisitionApproval: 'both', version: settingsNow.version });
    const keeperManager = await server.userWith(['warehouse', 'manager']);
    req = await request();
    expect(req.approvalMode).toBe('both');
    req = (await w.manager.post(`/api/v1/requisitions/${req.id}/approve`, { version: req.version })).json();
    expect(req).toMatchObject({ state: 'pending', approvals: [expect.objectContaining({ capacity: 'manager' })] });
    const twice = await w.manager.post(`/api/v1/requisitions/${req.id}/approve`, { version: req.version });
    expect(twice.json().code).toBe('requisition.already_approved');
    req = (await keeperManager.post(`/api/v1/requisitions/${req.id}/approve`, { version: req.version })).json();
    expect(req.state).toBe('approved');
    expect(req.approvals.map((a: { capacity: string }) => a.capacity)).toEqual(['manager', 'keeper']);
    req = (
      await engineer.post(`/api/v1/requisitions/${req.id}/cancel`, { version: req.version, reason: '现场已修复' })
    ).json();
    expect(req.state).toBe('cancelled');
    expect(await w.level(part.id, w.hq.id)).toMatchObject({ reserved: 0, available: 6 });
    expect((await engineer.post(`/api/v1/requisitions/${req.id}/cancel`, { version: req.version })).statusCode).toBe(
      409,
    );

    const listed = (await w.keeper.get(`/api/v1/requisitions?ticketId=${ticket.id}`)).json();
    expect(listed.items.map((r: { state: string }) => r.state).sort()).toEqual(['cancelled', 'issued', 'rejected']);
    expect((await w.ledgerConsistent()).consistent).toBe(true);
    await w.admin.put('/api/v1/parts/settings', {
      requisitionApproval: 'keeper',
      version: (await w.admin.get('/api/v1/parts/settings')).json().version,
    });
  });

  it('reports slow-moving stock with its value, stock by warehouse, and parts listed only in a resolution', async () => {
    const part = await w.created(w.keeper, '/api/v1/parts', { sku: 'OLD-1', nameZh: '呆滞件', unitCostFen: 1_000 });
    const DAY = 86_400_000;
    // Received 181 days ago (time moves back rather than forward, so sessions stay valid).
    server.clock.advance(-181 * DAY);
    await w.move(w.keeper, { kind: 'receipt', partId: part.id, warehouseId: w.hq.id, quantity: 7 });
    server.clock.advance(181 * DAY);
    const recent = (await w.admin.get('/api/v1/stock/reports/slow-moving?days=200')).json();
    expect(recent.items.find((i: { sku: string }) => i.sku === 'OLD-1')).toBeUndefined();
    const res = await w.admin.get('/api/v1/stock/reports/slow-moving?days=180');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    const old = report.items.find((i: { sku: string }) => i.sku === 'OLD-1');
    expect(old).toMatchObject({ onHand: 7, unitCostFen: 1_000, valueFen: 7_000 });
    expect(report.totalValueFen).toBeGreaterThanOrEqual(7_000);
    expect((await w.admin.get('/api/v1/stock/reports/slow-moving?days=0')).statusCode).toBe(400);

    const byWarehouse = (await w.admin.get('/api/v1/stock/reports/by-warehouse')).json();
    const hq = byWarehouse.find((r: { code: string }) => r.code === 'HQ');
    expect(hq.onHand).toBeGreaterThanOrEqual(7);
    expect(hq.valueFen).toBeGreaterThan(0);

    // A resolution that lists a part nobody booked out still costs it, at today's price.
    let ticket = await w.ticket();
    expect((await w.agent.get(`/api/v1/tickets/${ticket.id}/parts-cost`)).json()).toMatchObject({
      totalFen: 0,
      lines: [],
    });
    const step = async (body: Record<string, unknown>) => {
      const res = await w.engineer.post(`/api/v1/tickets/${ticket.id}/transitions`, {
        version: ticket.version,
        ...body,
      });
      expect(res.statusCode, res.body).toBe(200);
      ticket = res.json();
      return res.json();
    };
    const visitId = (await step({ action: 'comment', body: '出发' })).visits[0].id;
    await step({ action: 'check_in', visitId });
    await step({ action: 'check_out', visitId });
    await step({
      action: 'resolve',
      rootCause: '闸瓦磨损',
      actionsTaken: '更换闸瓦并调整间隙',
      partsUsed: [
        { sku: 'OLD-1', name: '呆滞件', quantity: 2 },
        { sku: 'NOT-IN-CATALOGUE', name: '杂件', quantity: 1 },
      ],
      labourMinutes: 60,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    });
    const cost = (await w.agent.get(`/api/v1/tickets/${ticket.id}/parts-cost`)).json();
    expect(cost).toMatchObject({
      totalFen: 2_000,
      unpricedLines: 1,
      lines: [
        { source: 'resolution', sku: 'OLD-1', quantity: 2, unitCostFen: 1_000, costFen: 2_000 },
        { source: 'resolution', sku: 'NOT-IN-CATALOGUE', partId: null, costFen: null },
      ],
    });
    const customer = await server.userWith('customer', { customerId: '01900000-0000-7000-8000-000000000000' });
    expect((await customer.get(`/api/v1/tickets/${ticket.id}/parts-cost`)).statusCode).toBe(404);
  });
});
