import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, reportFault, TEST_PASSWORD, type TestServer } from '../../../test/harness';
import { startMailbox } from '../../../test/notify-world';
import { createServer } from '../../server';
import { nextDigestSlot } from './digest';

const DAY = 86_400_000;

/**
 * What analytics send out of the application: report exports (csv, xlsx) and the Monday-morning
 * digest by email to a real SMTP server, driven by the injected clock, across a restart.
 */
describe.each(BACKENDS)('analytics outputs on %s', (kind) => {
  let server: TestServer;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let admin: Agent;
  let agent: Agent;
  let manager: Agent;
  let deviceId: string;
  // The digest slot under test: the first Monday 08:00 (Shanghai) after the real time the server
  // starts, so the start-up's own scheduling is the one exercised.
  const slot = nextDigestSlot(new Date());
  const at = (ms: number) => server.clock.set(new Date(ms));

  const person = async (username: string, roles: string[], locale: 'zh-CN' | 'en-US', regionCodes: string[] = []) => {
    await server.modules.identity.service.createUser(
      {
        username,
        displayName: username,
        email: `${username}@example.com`,
        mobile: null,
        password: TEST_PASSWORD,
        roles: roles as never,
        teamIds: [],
        regionCodes,
        customerId: null,
        locale,
      } as never,
      { kind: 'system', id: null },
    );
    return server.signIn(username);
  };
  const report = async (problemType: string) => reportFault(agent, { deviceId, problemType });
  const send = async (s: { platform: TestServer['platform']; modules: TestServer['modules'] } = server) => {
    await s.platform.jobs.runDue();
    await s.platform.dispatcher.settle();
    await s.modules.notifications.worker.runDue();
  };

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await createTestServer(kind, {
      SMTP_URL: mailbox.url,
      PUBLIC_URL: 'https://sl.example.com',
      SESSION_IDLE_MINUTES: '100000',
      SESSION_ABSOLUTE_HOURS: '10000',
    });
    at(slot.getTime() - 12 * DAY);
    admin = await server.signIn('admin');
    const customer = (
      await admin.post('/api/v1/customers', { name: '上海申城物业', regionCode: '310000', industry: 'elevator' })
    ).json();
    const model = (
      await admin.post('/api/v1/product-models', { code: 'GL-3000', name: '乘客电梯', category: 'elevator' })
    ).json();
    deviceId = (
      await admin.post('/api/v1/devices', {
        modelId: model.id,
        serialNumber: 'GL3000-0001',
        customerId: customer.id,
        batch: '2024A1',
      })
    ).json().id;
    agent = await server.userWith('agent');
    manager = await person('boss', ['manager'], 'zh-CN');
    await person('boss-en', ['manager'], 'en-US');
    const optedOut = await person('quiet-boss', ['manager'], 'zh-CN');
    const optedIn = await person('analyst', ['quality'], 'zh-CN');
    await person('desk', ['agent'], 'zh-CN');
    expect(
      (await optedOut.put('/api/v1/notifications/preferences', { version: 0, weeklyDigest: false })).statusCode,
    ).toBe(200);
    const prefs = await optedIn.put('/api/v1/notifications/preferences', {
      version: 0,
      weeklyDigest: true,
      locale: 'en-US',
    });
    expect(prefs.json()).toMatchObject({ weeklyDigest: true, locale: 'en-US' });

    // The week before last week: 2 tickets. Last week: 3 hardware faults and 1 software one.
    at(slot.getTime() - 10 * DAY);
    for (const p of ['主板故障', '系统卡死']) await report(p);
    at(slot.getTime() - 5 * DAY);
    for (const p of ['主板故障', '传感器失灵', '主板故障', '系统卡死']) await report(p);
    await server.platform.dispatcher.settle();
    // A cold PGlite start on a loaded machine can outlast the default minute.
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await mailbox?.close();
  });

  it('exports an ad-hoc report result to csv and xlsx, headed in the reader language', async () => {
    const definition = { dimensions: ['rootCategory'], measures: ['tickets', 'firstContactResolution'], limit: 1 };
    const csv = await manager.post('/api/v1/analytics/query/export.csv', { definition, name: '故障类别' });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(String(csv.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('故障类别.csv')}`,
    );
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('故障类别,工单数,一次解决率');
    // Every group, not only the on-screen `limit`: two root categories, six tickets in all.
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).reduce((sum, l) => sum + Number(l.split(',')[1]), 0)).toBe(6);

    const xlsx = await manager.request(
      'POST',
      '/api/v1/analytics/query/export.xlsx',
      { definition },
      { 'accept-language': 'en-US' },
    );
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Fault category', 'Tickets', 'First-contact resolution']);
    expect(sheet.rowCount).toBe(3);
    expect(Number(sheet.getRow(2).getCell(2).value) + Number(sheet.getRow(3).getCell(2).value)).toBe(6);
    expect(sheet.getRow(2).getCell(3).numFmt).toBe('0.0%');

    const bad = await manager.post('/api/v1/analytics/query/export.csv', {
      definition: { dimensions: [], measures: [] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('exports a saved report by id, only to those who may see it', async () => {
    const saved = (
      await manager.post('/api/v1/analytics/reports', {
        name: '型号统计',
        definition: { dimensions: ['productModel'], measures: ['tickets'] },
      })
    ).json();
    const res = await manager.get(`/api/v1/analytics/reports/${saved.id}/export.csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('乘客电梯,6');
    expect((await agent.get(`/api/v1/analytics/reports/${saved.id}/export.xlsx`)).statusCode).toBe(404);
  });

  it('renders a dashboard to PDF server-side, charts and tables with Chinese text and numbers', async () => {
    const save = async (name: string, definition: Record<string, unknown>) =>
      (await manager.post('/api/v1/analytics/reports', { name, definition })).json().id as string;
    const bars = await save('故障类别分布', { dimensions: ['rootCategory'], measures: ['tickets'], chart: 'bar' });
    const table = await save('型号工单表', { dimensions: ['productModel'], measures: ['tickets'], chart: 'table' });
    const board = (
      await manager.post('/api/v1/analytics/dashboards', {
        name: '华东售后周会',
        layout: [
          { reportId: bars, span: 12 },
          { reportId: table, span: 12 },
        ],
      })
    ).json();
    const res = await manager.get(`/api/v1/analytics/dashboards/${board.id}/export.pdf`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sl-pdf-')), 'dashboard.pdf');
    writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const words of ['华东售后周会', '故障类别分布', '型号工单表', '硬件失灵', '软件Bug', '乘客电梯', '工单数'])
      expect(text).toContain(words);
    // The bar labels (4 hardware, 2 software tickets) and the table's count (6) are text too.
    // (4 once on the value axis, once on its bar; 2 likewise.)
    expect(text.match(/\b4\b/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text.match(/\b2\b/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/乘客电梯\s+6\b/);
    // Someone the dashboard is not shared with gets no file.
    expect((await agent.get(`/api/v1/analytics/dashboards/${board.id}/export.pdf`)).statusCode).toBe(404);
  });

  it('emails the weekly digest on Monday 08:00 Shanghai, once per user and week, even after a restart', async () => {
    at(slot.getTime() - 60_000); // Monday 07:59
    await send();
    expect(mailbox.messages).toHaveLength(0);

    at(slot.getTime() + 60_000); // Monday 08:01
    await send();
    const to = (m: (typeof mailbox.messages)[number]) => JSON.stringify(m.to);
    const recipients = mailbox.messages.map(to).sort();
    expect(recipients).toHaveLength(3);
    expect(recipients.join()).toMatch(/analyst@example.com.*boss-en@example.com.*boss@example.com/);

    const zh = mailbox.to('boss@example.com')[0]!;
    expect(zh.subject).toMatch(/^售后服务周报 \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}$/);
    const html = String(zh.html);
    expect(html).toContain('新建工单');
    // Last week 4 tickets against 2 the week before: ▲ 2.
    expect(html).toMatch(/新建工单<\/td><td[^>]*>4<\/td><td[^>]*>2<\/td><td[^>]*>▲ 2<\/td>/);
    expect(html).toContain('硬件');
    expect(html).toContain('https://sl.example.com/console/analytics');
    expect(zh.text).toContain('积压工单: 未关闭 6 单');
    const en = mailbox.to('analyst@example.com')[0]!;
    expect(en.subject).toMatch(/^Service weekly digest/);
    expect(String(en.html)).toContain('New tickets');

    // A restart within the day declares the slot again: nothing is sent twice.
    const restarted = await createServer({
      config: server.platform.config,
      database: server.platform.database,
      clock: server.clock,
    });
    try {
      await send(restarted);
      await send();
      expect(mailbox.messages).toHaveLength(3);
    } finally {
      await restarted.platform.dispatcher.stop();
      await restarted.platform.bus.close();
      await restarted.app.close();
    }

    // Next Monday: the next digest, again once each.
    at(slot.getTime() + 7 * DAY + 60_000);
    await send();
    expect(mailbox.messages).toHaveLength(6);
    expect(mailbox.to('boss@example.com')).toHaveLength(2);
  });
});
