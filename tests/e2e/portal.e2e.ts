import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiSession, DEMO_PASSWORD, type RunningApp, screenshotDir, startApp } from './harness';

/** The customer's journey on a phone: invitation → scan a QR label → report → track → approve a quote → sign → rate. */
describe('the customer portal on a phone in Chromium', () => {
  let app: RunningApp;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await app.page({ width: 390, height: 844 });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('from an invitation link to a reported fault on a scanned device, to a signed completion and a survey', async () => {
    const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    const agent = await apiSession(app.url, 'agent', DEMO_PASSWORD);
    const customer = (await agent.get(`/customers?q=${encodeURIComponent('深圳精工')}`)).items[0];
    // The demo's own signed and rated ticket is already in the figures.
    const before = await admin.get('/surveys/summary');
    await admin.post('/faqs', {
      question: '主轴报警 ALM-401 停机怎么办？',
      answer: '先断电 5 分钟再上电复位；仍报警请报修。',
      keywords: '主轴 报警 停机 复位',
    });

    // The account manager invites the contact; without SMTP the link is handed over directly.
    const invitation = await agent.post('/portal/invitations', {
      customerId: customer.id,
      name: '孙主任',
      mobile: '13687654321',
    });
    expect(invitation.emailed).toBe(false);
    await page.goto(new URL(invitation.link).pathname);
    await page.getByText('孙主任，您好').waitFor();
    await page.locator('#password').fill('Sun-Portal-Pass-2026');
    await page.locator('#repeat').fill('Sun-Portal-Pass-2026');
    await page.getByRole('button', { name: '开通并登录' }).click();
    await page.getByText('我的服务请求').waitFor();

    // Scanning the QR label on machine ZC-001-1 opens the report form for that device.
    await page.goto('/portal/r/ZC-001-1');
    await page.getByTestId('scanned-device').waitFor();
    await expect(page.getByTestId('scanned-device').textContent()).resolves.toContain('型号');
    await page.locator('#title').fill('主轴报警停机');
    await page.locator('#description').fill('主轴报警 ALM-401，设备停机，断电重启后仍无法复位');
    // Self-service first: the matching FAQ answer is offered while typing.
    await page.getByTestId('faq-suggestions').getByText('主轴报警 ALM-401 停机怎么办？').waitFor();
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#a88' } })
      .jpeg()
      .toBuffer();
    await page
      .getByTestId('report-photos')
      .setInputFiles({ name: '报警画面.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.screenshot({ path: `${screenshotDir}/portal-report.png`, fullPage: true });
    await page.getByTestId('report-submit').click();
    await page.getByTestId('portal-track').waitFor();
    const ticketId = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.getByTestId('portal-state').textContent()).toBe('新建');
    await page.locator('img[alt="报警画面.jpg"]').waitFor();

    // The service desk triages and prices a part; no engineer goes before the customer approves.
    let ticket = await agent.post(`/tickets/${ticketId}/transitions`, { action: 'triage', version: 1, priority: 'P2' });
    await agent.post(`/tickets/${ticketId}/quotes`, {
      lines: [
        { kind: 'part', description: '主轴编码器', sku: 'ENC-01', quantity: 1, unitPriceFen: 128_000 },
        { kind: 'labour', description: '上门工时', quantity: 2, unitPriceFen: 15_000 },
      ],
      note: '保外部件',
    });
    const engineer = (await admin.get('/users?role=engineer')).items.find(
      (u: { username: string }) => u.username === 'engineer',
    );
    const dispatch = {
      action: 'dispatch',
      engineerId: engineer.id,
      plannedStart: '2030-06-03T09:00:00+08:00',
      plannedEnd: '2030-06-03T12:00:00+08:00',
    };
    await expect(
      agent.post(`/tickets/${ticketId}/transitions`, { ...dispatch, version: ticket.version }),
    ).rejects.toThrow(/409 .*ticket\.quote_pending/);

    // The price to approve, on the phone.
    await page.reload();
    await expect(page.getByTestId('quote-pending').textContent()).resolves.toContain('¥1580.00');
    await page.getByTestId('quote-approve').click();
    await page.getByTestId('quote-approved').waitFor();

    // Tracked like a parcel: who comes, and when.
    ticket = await agent.post(`/tickets/${ticketId}/transitions`, { ...dispatch, version: ticket.version });
    await page.reload();
    await page.getByTestId('portal-engineer').getByText('张伟（华南工程师）').waitFor();
    await expect(page.getByTestId('portal-arrival').textContent()).resolves.toMatch(/2030/);

    const visitId = ticket.visits[0].id;
    ticket = await agent.post(`/tickets/${ticketId}/transitions`, {
      action: 'check_in',
      version: ticket.version,
      visitId,
    });
    ticket = await agent.post(`/tickets/${ticketId}/transitions`, {
      action: 'check_out',
      version: ticket.version,
      visitId,
    });
    await agent.post(`/tickets/${ticketId}/transitions`, {
      action: 'resolve',
      version: ticket.version,
      rootCause: '主轴编码器损坏',
      actionsTaken: '更换主轴编码器并校准，试车 30 分钟无报警',
      labourMinutes: 120,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    });

    // Sign with a finger on the phone and rate 5 stars: the ticket completes.
    await page.reload();
    await page.getByTestId('portal-confirm').waitFor();
    const pad = page.getByTestId('signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 80);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + 80 - Math.sin(i) * 40);
    await page.mouse.up();
    await page.getByTestId('confirm-csat').getByRole('radio').nth(4).click({ force: true });
    await page.screenshot({ path: `${screenshotDir}/portal-sign.png`, fullPage: true });
    await page.getByTestId('confirm-submit').click();
    await page.getByTestId('portal-state').getByText('已关闭').waitFor();

    // The survey arrives after the close; the CSAT was given while signing, so only NPS is asked.
    await page.getByTestId('survey').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('survey-csat').count()).toBe(0);
    await page.getByTestId('nps-9').click();
    await page.getByTestId('survey-submit').click();
    await page.getByTestId('survey-done').waitFor();
    await page.getByTestId('portal-timeline').getByText('已评价').waitFor();
    const timeline = await page.getByTestId('portal-timeline').textContent();
    for (const step of [
      '已提交报修',
      '收到报价单',
      '已同意报价',
      '已安排工程师上门',
      '故障已修复',
      '已确认完工',
      '已评价',
    ])
      expect(timeline).toContain(step);
    await page.screenshot({ path: `${screenshotDir}/portal-done.png`, fullPage: true });

    const summary = await admin.get('/surveys/summary');
    expect(summary).toMatchObject({ answered: before.answered + 1, promoters: before.promoters + 1, nps: 100 });
  });
});
