import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { multipartFile } from '../../../test/import-files';
import { rows } from '../../platform/db/client';

/** IMPORT_TEST_ROWS shrinks it while iterating; CI runs the full 100,000. */
const ROWS = Number(process.env.IMPORT_TEST_ROWS ?? 100_000);

export const PROBLEMS = [
  '主板坏了',
  '开不了机',
  '传感器故障',
  '死机',
  '同步失败',
  '参数错误',
  '误删',
  '配件质量差',
  '受潮',
];

/** A ticket history export of `n` rows over `devices` devices SN-0…, written with exceljs's streaming writer. */
export async function historyFile(file: string, n: number, devices: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('工单');
  sheet
    .addRow([
      '工单号',
      '客户名称',
      '设备序列号',
      '标题',
      '问题类型',
      '优先级',
      '报修时间',
      '响应时间',
      '解决时间',
      '关闭时间',
      '满意度',
    ])
    .commit();
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const reported = start + i * 300_000;
    const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    sheet
      .addRow([
        `H-${i}`,
        '批量客户',
        `SN-${i % devices}`,
        '历史故障',
        PROBLEMS[i % PROBLEMS.length],
        `P${i % 4}`,
        at(reported),
        at(reported + 1_800_000),
        at(reported + 7_200_000),
        at(reported + 10_800_000),
        1 + (i % 5),
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

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
