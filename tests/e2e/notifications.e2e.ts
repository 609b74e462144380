import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, DEMO_PASSWORD, type RunningApp, screenshotDir, signIn, startApp } from './harness';

/** The number on the console's bell (0 when antd hides the badge). */
const bellCount = (page: Page) =>
  page.evaluate(() =>
    Number(
      document
        .querySelector('.ant-badge:has([data-testid="notification-bell"]) .ant-badge-count')
        ?.getAttribute('title') ?? 0,
    ),
  );

/** Issue 4's inbox: the bell moves live when someone else's action concerns the reader. */
describe('the notification bell in Chromium', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('rises without a reload when a colleague reports a ticket, shows it in the inbox, and falls once read', async () => {
    const page = await app.page();
    await signIn(page, 'agent', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    const bell = page.getByTestId('notification-bell');
    await bell.waitFor();
    const agent = await apiSession(app.url, 'agent', DEMO_PASSWORD);
    const before = (await agent.get('/notifications/unread-count')).unread as number;
    // The page has settled on the server's count before anything happens.
    await page.waitForFunction(
      (n) =>
        Number(
          document
            .querySelector('.ant-badge:has([data-testid="notification-bell"]) .ant-badge-count')
            ?.getAttribute('title') ?? 0,
        ) === n,
      before,
    );

    // The service manager, in another browser, reports a ticket: every agent hears of it.
    const manager = await apiSession(app.url, 'manager', DEMO_PASSWORD);
    const { ticket } = await manager.post('/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '扶梯急停',
      description: '商场 2 号扶梯运行中急停，显示故障码 E12',
      severity: 'major',
    });
    // Well within the bell's 60-second poll: only the event stream can have moved it.
    await page.waitForFunction(
      (n) =>
        Number(
          document
            .querySelector('.ant-badge:has([data-testid="notification-bell"]) .ant-badge-count')
            ?.getAttribute('title') ?? 0,
        ) === n,
      before + 1,
      { timeout: 10_000 },
    );
    expect(await bellCount(page)).toBe(before + 1);

    await bell.click();
    const item = page
      .getByTestId('inbox-item')
      .filter({ hasText: `${ticket.number}` })
      .first();
    await item.waitFor();
    expect(await item.textContent()).toContain('扶梯急停');
    await page.screenshot({ path: `${screenshotDir}/notification-bell.png` });

    // Opening it marks it read and goes to the ticket; the bell falls back.
    await item.click();
    await page.waitForURL(`**/console/tickets/${ticket.id}`);
    await page.waitForFunction(
      (n) =>
        Number(
          document
            .querySelector('.ant-badge:has([data-testid="notification-bell"]) .ant-badge-count')
            ?.getAttribute('title') ?? 0,
        ) === n,
      before,
      { timeout: 10_000 },
    );
    expect((await agent.get('/notifications/unread-count')).unread).toBe(before);
  });
});
