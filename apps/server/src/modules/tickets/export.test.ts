import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { rows } from '../../platform/db/client';
import { generateHistory } from '../../seed/history';
import { Random } from '../../seed/random';
import { ensureScale } from '../../seed/scale';

describe.each(BACKENDS)('ticket exports on %s', (kind) => {
  let server: TestServer;
  let agent: Agent;
  let engineer: Agent;
  let wechat = 0;
  let phone = 0;
  let newest = '';

  beforeAll(async () => {
    server = await createTestServer(kind);
    agent = await server.userWith('agent');
    engineer = await server.userWith('engineer');
    // 2,405 tickets written in bulk: more than two export pages (1,000 each).
    await server.modules.seedMasterData!(server.platform);
    await ensureScale(server.platform.db, 2_405, new Random(3));
    await generateHistory(server.platform.db, { tickets: 2_405, seed: 3 });
    [{ wechat, phone }] = (await rows<{ wechat: number; phone: number }>(
      server.platform.db,
      sql`select count(*) filter (where channel = 'wechat')::int as wechat,
                 count(*) filter (where channel = 'phone')::int as phone from tickets`,
    )) as [{ wechat: number; phone: number }];
    [{ newest }] = (await rows<{ newest: string }>(
      server.platform.db,
      sql`select number as newest from tickets where channel = 'wechat' order by created_at desc, id desc limit 1`,
    )) as [{ newest: string }];
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('streams every matching ticket as CSV with headers in the reader’s language', async () => {
    const res = await agent.get('/api/v1/tickets/export.csv?channel=wechat');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="tickets-.*\.csv"$/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('工单号');
    expect(wechat).toBeGreaterThan(400);
    expect(lines).toHaveLength(1 + wechat);
    // Newest first, none repeated or skipped across the page boundaries.
    const numbers = lines.slice(1).map((l) => l.split(',')[0]);
    expect(new Set(numbers).size).toBe(wechat);
    expect(numbers[0]).toBe(newest);
    expect(lines.slice(1).every((l) => l.includes('wechat'))).toBe(true);
    const english = await agent.get('/api/v1/tickets/export.csv?channel=wechat', { 'accept-language': 'en-US' });
    expect(english.body.split('\n')[0]).toContain('Number');
  });

  it('writes an xlsx workbook that Excel readers open, and refuses readers without the export right', async () => {
    const res = await agent.get('/api/v1/tickets/export.xlsx?channel=phone');
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('工单');
    expect(sheet.rowCount).toBe(1 + phone);
    expect(sheet.getRow(1).getCell(1).value).toBe('工单号');
    expect(String(sheet.getRow(2).getCell(1).value)).toMatch(/^SV-\d{4}-\d{6}$/);
    expect(sheet.getRow(2).getCell(5).value).toBe('phone');
    // Engineers read their own tickets but may not export lists.
    expect((await engineer.get('/api/v1/tickets/export.xlsx')).statusCode).toBe(403);
    const bad = await agent.get('/api/v1/tickets/export.csv?channel=fax');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.channel');
  });
});
