import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  DEMO_PASSWORD,
  dispatchedToday,
  offlineReady,
  type RunningApp,
  screenshotDir,
  signIn,
  startApp,
} from './harness';

/**
 * The engineer's day on a phone, with the network coming and going: open today's job, go offline,
 * check in, record the fix with a part from the van, take a photo, have the customer sign, come back
 * online — and the server holds exactly one of each. And a job reassigned while the phone was
 * offline comes back as a conflict the engineer sees.
 */
describe('the engineer app on a phone in Chromium, offline and back', () => {
  let app: RunningApp;
  let page: Page;
  let agent: Awaited<ReturnType<typeof apiSession>>;
  let engineerId: string;
  let otherEngineerId: string;
  let partId: string;
  let vanId: string;
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

  const openJob = async (number: string) => {
    await page.goto('/field');
    const job = page.locator(`[data-testid=field-job][data-ticket="${number}"]`);
    await job.waitFor();
    await job.click();
    await page.getByTestId('field-job-page').waitFor();
  };

  beforeAll(async () => {
    app = await startApp();
    agent = await apiSession(app.url, 'agent', DEMO_PASSWORD);
    const keeper = await apiSession(app.url, 'warehouse', DEMO_PASSWORD);
    const engineer = await apiSession(app.url, 'engineer', DEMO_PASSWORD);
    engineerId = engineer.id;
    otherEngineerId = (await apiSession(app.url, 'engineer2', DEMO_PASSWORD)).id;
    partId = (await keeper.post('/parts', { sku: 'E2E-DCB', nameZh: '门机控制板', unitCostFen: 128_000, unit: '块' }))
      .id;
    // The demo gave the engineer a van already.
    vanId = (await keeper.get(`/warehouses?kind=van&ownerUserId=${engineerId}`)).items[0].id;
    await keeper.post('/stock/movements', { kind: 'receipt', partId, warehouseId: vanId, quantity: 2, reason: '领用' });
    page = await app.page({ width: 390, height: 844 });
    await signIn(page, 'engineer', DEMO_PASSWORD);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    // Online once until the worker has precached the app: the plant room comes after.
    await page.goto('/field');
    await offlineReady(page);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('records a whole visit offline and the server gets exactly one of each when the network returns', async () => {
    const ticket = await dispatchedToday(agent, engineerId, '离线测试：电梯困人', 9);
    await openJob(ticket.number);
    await page.getByTestId('call-contact').waitFor();
    expect(await page.getByTestId('call-contact').getAttribute('href')).toBe('tel:13800138000');
    // Navigation by the site's address in the engineer's map app.
    const amap = new URL((await page.getByTestId('map-amap').getAttribute('href'))!);
    expect(amap.hostname).toBe('uri.amap.com');
    expect(amap.searchParams.get('keyword')).toBe('深圳市南山区科技南路 1 号');
    expect(await page.getByTestId('map-baidu').getAttribute('href')).toMatch(
      /^https:\/\/api\.map\.baidu\.com\/geocoder\?address=/,
    );
    await page.getByTestId('job-accept').click();
    await expect.poll(async () => (await agent.get(`/tickets/${ticket.id}`)).visits[0].acceptedAt).not.toBeNull();

    // In the plant room: no network.
    await page.context().setOffline(true);
    await page.getByTestId('field-offline').waitFor();
    await page.getByTestId('job-check-in').click();
    await page.getByTestId('checked-in-at').waitFor();

    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#8a9' } })
      .jpeg()
      .toBuffer();
    await page.getByTestId('photo-input').setInputFiles({ name: '更换前.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('photos-waiting').waitFor();

    await page.getByTestId('res-diagnosis').fill('门机控制板无输出');
    await page.getByTestId('res-root-cause').fill('门机控制板烧毁');
    await page.getByTestId('res-actions').fill('更换门机控制板，调试开关门');
    await page.getByTestId('res-add-part').click();
    await page.getByTestId('field-resolution').locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'E2E-DCB' }).click();
    for (const check of ['功能测试', '压力测试', '相关部件检查']) await page.getByLabel(check).check();
    await page.getByTestId('res-submit').click();
    // What was sent stays on the job page, marked as waiting for the network.
    const record = page.getByTestId('field-submitted-record');
    await record.getByText('门机控制板烧毁').waitFor();
    await record.getByText('门机控制板（E2E-DCB）× 1').waitFor();

    // The customer signs on the phone, still offline.
    const pad = page.getByTestId('signature-pad');
    await pad.waitFor();
    // The pointer draws in viewport coordinates: bring the pad on screen first.
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 60);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + 60 + (i % 2 ? 30 : -20));
    await page.mouse.up();
    await page.getByTestId('sign-submit').click();
    await page.getByTestId('field-report').waitFor();
    await page.screenshot({ path: `${screenshotDir}/field-offline.png`, fullPage: true });

    // Nothing reached the server yet.
    const meanwhile = await agent.get(`/tickets/${ticket.id}`);
    expect(meanwhile.state).toBe('dispatched');
    expect(meanwhile.visits[0].checkedInAt).toBeNull();

    await page.context().setOffline(false);
    await page.getByTestId('report-open').waitFor({ timeout: 30_000 });
    const after = await agent.get(`/tickets/${ticket.id}`);
    expect(after.state).toBe('closed');
    expect(after.resolution).toMatchObject({ diagnosis: '门机控制板无输出', rootCause: '门机控制板烧毁' });
    expect(after.resolution.partsUsed).toEqual([{ sku: 'E2E-DCB', name: '门机控制板', quantity: 1 }]);
    expect(after.visits[0].checkedInAt).not.toBeNull();
    await expect.poll(async () => (await agent.get(`/tickets/${ticket.id}/attachments`)).length).toBe(1);

    // A second sync (the phone reloaded, the network flapped) changes nothing.
    await page.reload();
    await page.getByTestId('report-open').waitFor();
    // After the sync the record and the uploaded photo are still there to see.
    await page.getByTestId('field-submitted-record').getByText('更换门机控制板，调试开关门').waitFor();
    await expect.poll(() => page.getByTestId('photos-uploaded').locator('img').count()).toBe(1);
    const timeline = (await agent.get(`/tickets/${ticket.id}/timeline`)) as { type: string }[];
    const count = (type: string) => timeline.filter((e) => e.type === type).length;
    expect([count('ticket.checked_in'), count('ticket.checked_out'), count('ticket.resolved')]).toEqual([1, 1, 1]);
    expect([count('ticket.confirmed'), count('part.consumed'), count('ticket.attachment_added')]).toEqual([1, 1, 1]);
    const stock = await agent.get(`/stock?partId=${partId}&warehouseId=${vanId}`);
    expect(stock.items[0].onHand).toBe(1);
    const cost = await agent.get(`/tickets/${ticket.id}/parts-cost`);
    expect(cost.totalFen).toBe(128_000);

    // The service report (服务报告单) with the signature is there for the phone to open.
    const pdf = await page.request.get(`/api/v1/tickets/${ticket.id}/service-report.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
  });

  it('shows a conflict when the dispatcher reassigned the job while the phone was offline', async () => {
    const ticket = await dispatchedToday(agent, engineerId, '离线冲突测试：扶梯异响', 14);
    await openJob(ticket.number);
    await page.context().setOffline(true);
    await page.getByTestId('field-offline').waitFor();
    // The app shell and the job come back without a network.
    await page.reload();
    await page.getByTestId('field-job-page').waitFor();

    // Meanwhile, at the office, the job goes to another engineer.
    await agent.post(`/tickets/${ticket.id}/transitions`, {
      action: 'dispatch',
      version: ticket.version,
      engineerId: otherEngineerId,
      plannedStart: `${today}T15:00:00+08:00`,
      plannedEnd: `${today}T17:00:00+08:00`,
    });
    await page.getByTestId('job-check-in').click();
    await page.getByTestId('checked-in-at').waitFor();

    await page.context().setOffline(false);
    const conflict = page.getByTestId('field-conflict');
    await conflict.waitFor({ timeout: 30_000 });
    await expect(conflict.textContent()).resolves.toContain('离线期间工单已被他人变更');
    await expect(conflict.textContent()).resolves.toContain('已派工程师');
    await page.screenshot({ path: `${screenshotDir}/field-conflict.png`, fullPage: true });
    const after = await agent.get(`/tickets/${ticket.id}`);
    expect(after.assigneeId).toBe(otherEngineerId);
    expect(after.visits.every((v: { checkedInAt: string | null }) => v.checkedInAt === null)).toBe(true);

    // Kept until the engineer decides; discarded, it is gone.
    await page.reload();
    await conflict.waitFor();
    await conflict.getByTestId('conflict-discard').click();
    await expect.poll(() => page.getByTestId('field-conflict').count()).toBe(0);
  });
});
