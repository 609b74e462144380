import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type RunningApp, screenshotDir, signIn, startApp } from './harness';

/** 2027 as a holiday feed publishes it: New Year's Day off, a 调休 Saturday worked. */
const ICS_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//ServiceLoop e2e//CN holidays//ZH',
  'BEGIN:VEVENT',
  'UID:2027-new-year',
  'DTSTART;VALUE=DATE:20270101',
  'SUMMARY:元旦',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:2027-workday',
  'DTSTART;VALUE=DATE:20270220',
  'SUMMARY:春节补班',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/**
 * The holiday schedule the release lacks (chinese-days and holidays-cn.json end with 2026): while a
 * year the calendars need is missing an administrator is told across the console and imports it.
 * Runs against the real date: 2027 is missing until it is imported here.
 */
describe('next year’s holiday schedule in Chromium', () => {
  let app: RunningApp;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await app.page();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByText('欢迎，系统管理员').waitFor();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('warns the administrator in a banner, and imports 2027 from an ICS file on the holidays tab', async () => {
    // The shipped data ends with 2026: from November 2026 until 2027 is entered, the banner names it.
    await page.getByTestId('holiday-banner').waitFor();
    await expect(page.getByTestId('holiday-banner').textContent()).resolves.toContain('2027');
    await page.getByTestId('holiday-banner').getByRole('button').click();
    await page.getByTestId('sla-holidays').waitFor();
    expect(page.url()).toMatch(/\/console\/sla\?tab=holidays$/);

    await page.locator('input[type=file]').setInputFiles({
      name: 'china-2027.ics',
      mimeType: 'text/calendar',
      buffer: Buffer.from(ICS_2027),
    });
    const row = page.getByTestId('sla-holidays').getByRole('row', { name: /2027/ });
    await row.getByText('ICS 导入').waitFor();
    await expect(row.textContent()).resolves.toMatch(/2027.*ICS 导入.*1.*1/);
    await page.screenshot({ path: `${screenshotDir}/sla-holidays.png` });

    // Elsewhere in the console the banner no longer names 2027.
    await page.goto('/console/tickets');
    await page.getByRole('menuitem').first().waitFor();
    const banner = page.getByTestId('holiday-banner');
    if ((await banner.count()) > 0) await expect(banner.textContent()).resolves.not.toContain('2027');
  });
});
