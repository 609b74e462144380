import type { Locator, Page } from 'playwright-core';
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

/** What people look for in their first minutes: each role's home, the header's search, bulk actions. */
describe('first minutes in Chromium: home per role, global search, bulk actions', () => {
  let app: RunningApp;
  let admin: Awaited<ReturnType<typeof apiSession>>;
  const numbers: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    const customer = await admin.post('/customers', {
      name: '苏州澄湖精密机械',
      regionCode: '320000',
      industry: 'machine_tools',
    });
    for (const title of ['主轴异响（批量一）', '主轴异响（批量二）']) {
      const { ticket } = await admin.post('/tickets', {
        channel: 'phone',
        customerId: customer.id,
        contactName: '钱工',
        contactPhone: '13962001234',
        title,
        description: '加工中心主轴高速运转时异响，伴随振动报警 ALM-21',
        severity: 'major',
      });
      numbers.push(ticket.number);
    }
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('opens each role on its day: figures and queue for the manager, today’s visits for the engineer', async () => {
    const engineer = await apiSession(app.url, 'engineer', DEMO_PASSWORD);
    const { ticket } = await admin.post('/tickets', {
      channel: 'phone',
      contactName: '钱工',
      contactPhone: '13962001234',
      title: '今日上门：换主轴轴承',
      description: '加工中心主轴轴承磨损，需要上门更换并试切',
      severity: 'major',
      serviceAddress: '苏州工业园区星湖街 328 号',
    });
    const triaged = await admin.post(`/tickets/${ticket.id}/transitions`, {
      action: 'triage',
      version: ticket.version,
      priority: 'P2',
    });
    const start = new Date(Date.now() + 30 * 60_000);
    await admin.post(`/tickets/${ticket.id}/transitions`, {
      action: 'dispatch',
      version: triaged.version,
      engineerId: engineer.id,
      plannedStart: start.toISOString(),
      plannedEnd: new Date(start.getTime() + 60 * 60_000).toISOString(),
    });

    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ] as const) {
      const manager = await app.page({ width, height });
      await signIn(manager, 'manager', DEMO_PASSWORD);
      await manager.getByTestId('home-figures').getByText('今日实时指标').waitFor();
      await manager.getByTestId('home-queue').getByText('主轴异响（批量一）').waitFor();
      await manager.screenshot({ path: `${screenshotDir}/home-manager-${width}.png` });
      await manager.context().close();

      const field = await app.page({ width, height });
      await signIn(field, 'engineer', DEMO_PASSWORD);
      await field.waitForURL(/\/(console|field)/);
      await field.goto('/console');
      await field.getByTestId('home-visits').getByText('今日上门：换主轴轴承').waitFor();
      await expect(field.getByTestId('home-figures').count()).resolves.toBe(0);
      await field.screenshot({ path: `${screenshotDir}/home-engineer-${width}.png` });
      await field.context().close();
    }
  });

  const openSearch = async (page: Page, q: string) => {
    await page.keyboard.press('Control+k');
    await page.getByTestId('global-search-input').fill(q);
  };

  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    it(`Ctrl+K finds a customer by pinyin initials and a ticket by number at ${width}×${height}`, async () => {
      const page = await app.page({ width, height });
      await signIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByTestId('global-search').waitFor();
      // The header's language select sits mid-bar, beside the search, at both sizes.
      const bar = page.locator('.ant-layout-header');
      expect(await offCentre(bar, page.getByTestId('language-switch'))).toBeLessThanOrEqual(2);
      expect(await offCentre(bar, page.getByTestId('global-search'))).toBeLessThanOrEqual(2);
      await openSearch(page, 'szch');
      const hit = page.getByTestId('search-hit-customers').filter({ hasText: '苏州澄湖精密机械' });
      await hit.waitFor();
      await expect(hit.textContent()).resolves.toContain('首字母');
      await page.screenshot({ path: `${screenshotDir}/global-search-${width}.png` });
      await hit.click();
      await page.waitForURL(/\/console\/customers\/[0-9a-f-]+$/);

      await openSearch(page, numbers[0]!);
      await page.getByTestId('search-hit-tickets').filter({ hasText: numbers[0]! }).click();
      await page.waitForURL(/\/console\/tickets\/[0-9a-f-]+$/);
      await page.getByText('主轴异响（批量一）').first().waitFor();
      await page.context().close();
    });
  }

  // On a phone the list's checkboxes and the bulk actions are tapped, not clicked; each size sets its own priority.
  for (const [width, height, priority] of [
    [1440, 900, 'P1'],
    [390, 844, 'P2'],
  ] as const) {
    it(`sets the priority of two chosen tickets and shows each one’s outcome at ${width}×${height}`, async () => {
      const phone = width < 600;
      const page = await app.page({ width, height, touch: phone });
      const press = (target: Locator) => (phone ? target.tap() : target.click());
      await signIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByTestId('global-search').waitFor();
      await page.goto('/console/tickets');
      // The list opens on "mine and open"; these tickets are nobody's yet.
      await page.getByTestId('ticket-quick-view').getByText('我的未结').waitFor();
      await press(page.getByTestId('ticket-quick-view').getByText('全部工单'));
      await page.getByPlaceholder('工单号 / 标题 / 序列号 / 联系人').fill('批量');
      await page.keyboard.press('Enter');
      for (const number of numbers) {
        const box = page.getByRole('row').filter({ hasText: number }).getByRole('checkbox');
        await press(box);
        await expect(box.isChecked()).resolves.toBe(true);
      }
      const bulk = page.getByTestId('bulk-actions');
      await expect(bulk.textContent()).resolves.toContain('(2)');
      await bulk.scrollIntoViewIfNeeded();
      // Fully on screen: not pushed past the edge by the filters beside it.
      const button = (await bulk.boundingBox())!;
      expect(button.x).toBeGreaterThanOrEqual(0);
      expect(button.x + button.width).toBeLessThanOrEqual(width);
      await press(bulk);
      await press(page.getByText('修改优先级'));
      await press(page.getByTestId('bulk-priority-value'));
      await press(page.getByTitle(priority, { exact: true }));
      const submit = page.getByTestId('bulk-submit');
      const dialog = (await page.getByRole('dialog').filter({ has: submit }).boundingBox())!;
      expect(dialog.x).toBeGreaterThanOrEqual(0);
      expect(dialog.x + dialog.width).toBeLessThanOrEqual(width);
      await press(submit);
      const results = page.getByTestId('bulk-results');
      await page.getByText('批量操作结果：成功 2，失败 0').waitFor();
      await expect(results.getByText('已完成').count()).resolves.toBe(2);
      // Each outcome under the ticket's number, as the list showed it (not its internal id).
      for (const number of numbers) await results.getByText(number, { exact: true }).waitFor({ timeout: 2_000 });
      await page.screenshot({ path: `${screenshotDir}/bulk-priority-${width}.png` });
      for (const number of numbers) {
        const { items } = await admin.get(`/tickets?q=${number}`);
        expect(items[0].priority).toBe(priority);
      }
      await page.context().close();
    });
  }

  it('shows a closed ticket’s address, type, engineer, signature, CSAT, diagnosis and checklist, its timeline in words', async () => {
    const customer = await apiSession(app.url, 'customer', DEMO_PASSWORD);
    const engineer = await apiSession(app.url, 'engineer', DEMO_PASSWORD);
    const { customerId } = await customer.get('/auth/me');
    const SIGNATURE =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    let { ticket } = await admin.post('/tickets', {
      channel: 'phone',
      customerId,
      contactName: '孙经理',
      contactPhone: '13800138000',
      title: '刀库换刀卡滞',
      description: '换刀时刀库卡在 12 号刀位，报警 ATC-03，已断电重启无效',
      severity: 'major',
      serviceType: 'onsite',
      serviceAddress: '深圳市宝安区福永街道凤凰工业区 8 栋',
    });
    const step = async (who: typeof admin, body: Record<string, unknown>) => {
      ticket = await who.post(`/tickets/${ticket.id}/transitions`, { version: ticket.version, ...body });
    };
    await step(admin, { action: 'triage', priority: 'P2' });
    await step(admin, {
      action: 'dispatch',
      engineerId: engineer.id,
      plannedStart: new Date().toISOString(),
      plannedEnd: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const visitId = ticket.visits[0].id;
    await step(engineer, { action: 'check_in', visitId });
    await step(engineer, { action: 'check_out', visitId });
    await step(engineer, {
      action: 'resolve',
      diagnosis: '刀库定位销磨损导致换刀卡滞',
      rootCause: '定位销磨损',
      actionsTaken: '更换定位销并校准刀库原点',
      labourMinutes: 80,
      checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
    });
    await step(engineer, { action: 'request_confirmation' });
    await step(customer, { action: 'confirm', signature: SIGNATURE, csat: 5 });
    expect(ticket.state).toBe('closed');

    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ] as const) {
      const page = await app.page({ width, height });
      await signIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByTestId('global-search').waitFor();
      await page.goto(`/console/tickets/${ticket.id}`);
      await expect(page.getByTestId('ticket-address').textContent()).resolves.toBe(
        '深圳市宝安区福永街道凤凰工业区 8 栋',
      );
      await expect(page.getByTestId('ticket-engineer').textContent()).resolves.not.toBe('—');
      await page.getByText('上门维修').first().waitFor();
      const record = page.getByTestId('ticket-closed-record');
      await record.getByTestId('ticket-signature').first().waitFor();
      await expect(record.locator('.ant-rate-star-full').count()).resolves.toBe(5);
      await page.getByText('刀库定位销磨损导致换刀卡滞').waitFor();
      await expect(page.getByTestId('ticket-checklist').textContent()).resolves.toContain('压力测试');
      const timeline = (await page.getByTestId('ticket-timeline').textContent()) ?? '';
      expect(timeline).toContain('客户已确认');
      expect(timeline).not.toMatch(/\b(ticket|sla|visit|survey)\.[a-z_]+/);
      await page.screenshot({ path: `${screenshotDir}/ticket-closed-${width}.png`, fullPage: true });
      await page.context().close();
    }
  });
});
