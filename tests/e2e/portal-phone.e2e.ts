import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  apiSession,
  DEMO_PASSWORD,
  offCentre,
  type RunningApp,
  screenshotDir,
  signIn,
  startApp,
} from './harness';

/** Issue 13 item 4: the portal header on a phone, and five stars in the engineer's signature card. */
describe('portal header and signature rating in Chromium', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`keeps the portal title on one line, fully on screen, at ${width}×${height}`, async () => {
      const page = await app.page({ width, height });
      await signIn(page, 'customer', DEMO_PASSWORD);
      await page.waitForURL(/\/portal/);
      const title = page.getByTestId('portal-title');
      await title.waitFor();
      const box = (await title.boundingBox())!;
      const lineHeight = await title.evaluate((el) => Number.parseFloat(getComputedStyle(el).lineHeight) || 22);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.height).toBeLessThanOrEqual(lineHeight * 1.5);
      expect(box.width).toBeGreaterThan(40);
      const header = page.locator('header').first();
      expect(await offCentre(header, title)).toBeLessThanOrEqual(2);
      expect(await offCentre(header, page.getByTestId('language-switch'))).toBeLessThanOrEqual(2);
      await page.screenshot({ path: `${screenshotDir}/portal-header-${width}.png` });
      await page.context().close();
    });
  }

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`keeps five stars when the fifth is clicked again, keeps the signature when the card comes back, and sends 5, at ${width}×${height}`, async () => {
      const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
      const engineer = await apiSession(app.url, 'engineer', DEMO_PASSWORD);
      const customer = await apiSession(app.url, 'customer', DEMO_PASSWORD);
      const { customerId } = await customer.get('/auth/me');
      let { ticket } = await admin.post('/tickets', {
        channel: 'phone',
        customerId,
        contactName: '孙经理',
        contactPhone: '13800138000',
        title: '冷却泵不出水',
        description: '冷却泵运转但不出水，管路无泄漏，报警 COOL-02',
        severity: 'minor',
        serviceType: 'onsite',
      });
      const step = async (who: typeof admin, body: Record<string, unknown>) => {
        ticket = await who.post(`/tickets/${ticket.id}/transitions`, { version: ticket.version, ...body });
      };
      await step(admin, { action: 'triage', priority: 'P3' });
      await step(admin, {
        action: 'dispatch',
        engineerId: engineer.id,
        plannedStart: new Date().toISOString(),
        plannedEnd: new Date(Date.now() + 3_600_000).toISOString(),
      });
      const visitId = ticket.visits[0].id;
      await step(engineer, { action: 'accept', visitId });
      await step(engineer, { action: 'check_in', visitId });
      await step(engineer, { action: 'check_out', visitId });
      await step(engineer, {
        action: 'resolve',
        rootCause: '叶轮堵塞',
        actionsTaken: '清理叶轮并试运行',
        labourMinutes: 30,
        checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
      });

      const page = await app.page({ width, height });
      await signIn(page, 'engineer', DEMO_PASSWORD);
      await page.waitForURL(/\/(field|console)/);
      await page.goto(`/field/jobs/${visitId}`);
      const stars = page.getByTestId('sign-csat');
      await stars.waitFor();

      // The field header after the language switch became a native select: the title mid-bar, and
      // the select part of the blue bar (white text on it), not a white box.
      const bar = page.locator('.ant-layout-header');
      const language = page.getByTestId('language-switch');
      expect(await offCentre(bar, page.getByTestId('field-title'))).toBeLessThanOrEqual(2);
      expect(await offCentre(bar, language)).toBeLessThanOrEqual(2);
      const look = await language.evaluate((el) => {
        const style = getComputedStyle(el);
        return { background: style.backgroundColor, colour: style.color };
      });
      expect(look.background).toBe('rgba(0, 0, 0, 0)');
      expect(look.colour).toBe('rgb(255, 255, 255)');
      await page.screenshot({
        path: `${screenshotDir}/field-header-${width}.png`,
        clip: { x: 0, y: 0, width, height: 60 },
      });
      await expect(stars.locator('.ant-rate-star-full').count()).resolves.toBe(5);
      await stars.locator('.ant-rate-star').nth(4).click();
      await expect(stars.locator('.ant-rate-star-full').count()).resolves.toBe(5);

      const pad = page.getByTestId('signature-pad');
      await pad.scrollIntoViewIfNeeded();
      const box = (await pad.boundingBox())!;
      await page.mouse.move(box.x + 20, box.y + 60);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + 60 + (i % 2 ? 30 : -20));
      await page.mouse.up();
      // The card goes away and comes back (here: leaving the job and returning): the signature stays.
      await page.goto('/field');
      await page.goto(`/field/jobs/${visitId}`);
      await page.getByTestId('sign-submit').waitFor();
      await expect(page.getByTestId('sign-submit').isEnabled()).resolves.toBe(true);
      await page.getByTestId('sign-submit').click();
      await page.getByTestId('field-report').waitFor();
      await expect.poll(async () => (await admin.get(`/tickets/${ticket.id}`)).csat, { timeout: 30_000 }).toBe(5);
      await page.screenshot({ path: `${screenshotDir}/field-signed-5-stars-${width}.png`, fullPage: true });
      await page.context().close();
    });
  }
});
