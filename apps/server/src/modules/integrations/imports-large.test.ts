import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { historyFile, multipartFile } from '../../../test/import-files';
import { rows } from '../../platform/db/client';

/** IMPORT_TEST_ROWS shrinks it while iterating; CI runs the full 100,000. */
const ROWS = Number(process.env.IMPORT_TEST_ROWS ?? 100_000);

/** The 100,000-row import (a longer test: about a minute per backend on a 2-core machine). */
describe.each(BACKENDS)('a 100,000-row import on %s', (kind) => {
  let server: TestServer;
  let admin: Agent;
  const dir = mkdtempSync(path.join(tmpdir(), 'sl-import-'));

  beforeAll(async () => {
    server = await createTestServer(kind);
    admin = await server.signIn('admin');
    const customer = (
      await admin.post('/api/v1/customers', { name: '批量客户', regionCode: '320000', industry: 'other' })
    ).json();
    const model = (
      await admin.post('/api/v1/product-models', { code: 'B-1', name: '批量型号', category: 'other' })
    ).json();
    await server.platform.db.execute(sql`
      insert into devices (id, model_id, serial_number, customer_id, created_at)
      select gen_random_uuid(), ${model.id}::uuid, 'SN-' || g, ${customer.id}::uuid, now() from generate_series(0, 199) g`);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every row in one transaction, numbered, with events and analytics facts', {
    timeout: 240_000,
  }, async () => {
    const file = path.join(dir, 'history.xlsx');
    await historyFile(file, ROWS, 200);
    const { payload, headers } = multipartFile('history.xlsx', readFileSync(file), { entity: 'ticket' });
    const up = await admin.request('POST', '/api/v1/imports', payload, headers);
    expect(up.statusCode, up.body).toBe(201);
    const started = Date.now();
    const done = await admin.post(`/api/v1/imports/${up.json().run.id}/commit`, { mapping: up.json().mapping });
    const seconds = (Date.now() - started) / 1000;
    expect(done.statusCode, done.body.slice(0, 500)).toBe(200);
    expect(done.json().imported).toBe(ROWS);
    await server.platform.dispatcher.settle();
    const [counts] = await rows<{ tickets: number; facts: number; events: number; numbers: number }>(
      server.platform.db,
      sql`select (select count(*)::int from tickets) as tickets, (select count(*)::int from ticket_facts) as facts,
            (select count(*)::int from events where type in ('ticket.created', 'ticket.closed') and data ->> 'imported' = 'true') as events,
            (select count(distinct number)::int from tickets where number like 'SV-2024-%') as numbers`,
    );
    expect(counts).toEqual({ tickets: ROWS, facts: ROWS, events: 2 * ROWS, numbers: ROWS });
    const kpis = (await admin.get('/api/v1/analytics/kpis')).json();
    expect(kpis.closed).toBe(ROWS);
    console.log(`${ROWS}-row import on ${kind}: ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds)} rows/s)`);
  });
});
