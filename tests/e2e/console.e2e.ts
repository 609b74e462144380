import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, choose, type RunningApp, screenshotDir, signIn, startApp } from './harness';

describe('console in Chromium', () => {
  let app: RunningApp;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await app.page();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('refuses a wrong password with a Chinese message, then signs the administrator in', async () => {
    await signIn(page, 'admin', 'not-the-password');
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('用户名或密码错误');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByText('欢迎，系统管理员').waitFor();
    expect(page.url()).toMatch(/\/console$/);
  });

  it('switches to English, keeps it after a reload, and back to Chinese', async () => {
    // The browser's own select (the phone's native picker).
    await page.getByTestId('language-switch').selectOption({ label: 'English' });
    await page.getByText('Welcome, 系统管理员').waitFor();
    await page.reload();
    await page.getByText('Welcome, 系统管理员').waitFor();
    await expect(page.getByRole('menuitem', { name: 'Customers' }).count()).resolves.toBe(1);
    await page.screenshot({ path: `${screenshotDir}/console-en.png` });
    await page.getByTestId('language-switch').selectOption({ label: '简体中文' });
    await page.getByText('欢迎，系统管理员').waitFor();
  });

  it('creates a customer and a device, and finds both on the customer’s 360° page', async () => {
    await page.goto('/console/customers');
    await page
      .getByRole('button', { name: '新 建' })
      .or(page.getByRole('button', { name: '新建' }))
      .click();
    await page.locator('#name').fill('杭州滨江智能制造有限公司');
    await choose(page, 'regionCode', '浙江', '浙江省');
    await choose(page, 'industry', '', '机床/机器人');
    await page.getByTestId('save').click();
    await page.getByRole('link', { name: '杭州滨江智能制造有限公司' }).waitFor();

    await page.goto('/console/devices');
    await page
      .getByRole('button', { name: '新 建' })
      .or(page.getByRole('button', { name: '新建' }))
      .click();
    await choose(page, 'modelId', 'VMC', /^VMC-850/);
    await page.locator('#serialNumber').fill('E2E-VMC-0001');
    await choose(page, 'customerId', '滨江', '杭州滨江智能制造有限公司');
    await page.locator('#batch').fill('2026A1');
    await page.locator('#warrantyEndsOn').fill('2028-06-30');
    await page.getByTestId('save').click();
    await page.getByRole('link', { name: 'E2E-VMC-0001' }).waitFor();

    await page.getByRole('link', { name: '杭州滨江智能制造有限公司' }).first().click();
    await page.getByTestId('customer-overview').waitFor();
    await page.getByText('客户 360° · 杭州滨江智能制造有限公司').waitFor();
    await page.getByRole('link', { name: 'E2E-VMC-0001' }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/customer-360.png`, fullPage: true });
    await page.getByRole('link', { name: 'E2E-VMC-0001' }).click();
    await page.getByTestId('device-overview').waitFor();
    await expect(page.getByText('在保').count()).resolves.toBeGreaterThan(0);
  });

  it('warns of a duplicate report and adds it to the open ticket instead of creating another', async () => {
    const report = async () => {
      await page.goto('/console/tickets/new');
      await page.locator('#deviceId').click();
      await page.locator('#deviceId').fill('ZC-002-1');
      await page
        .getByTitle(/苏州汇川机器人科技有限公司/)
        .first()
        .click();
      await page.locator('#contactName').fill('陈工');
      await page.locator('#title').fill('机器人第三轴报警');
      await page.locator('#description').fill('第三轴伺服报警 AL.20，机器人停止，复位后再次报警');
      await page.getByTestId('ticket-submit').click();
    };
    await report();
    await page.getByTestId('ticket-detail').waitFor();
    const first = new URL(page.url()).pathname;
    await report();
    await page.getByText('可能重复的报修').waitFor();
    await page.getByTestId('link-instead').first().click();
    await page.waitForURL((url) => url.pathname === first);
    await page.locator('[data-testid="timeline-entry"][data-type="ticket.commented"]').waitFor();
    await expect(page.getByText('第三轴伺服报警 AL.20').count()).resolves.toBeGreaterThan(0);
  });

  it('lists the default SLA policies, their calendars and the holiday notices behind them', async () => {
    await page.goto('/console/sla');
    const policies = page.locator('[data-testid="sla-policies"] .ant-table-tbody tr.ant-table-row');
    await policies.first().waitFor();
    await expect(policies.count()).resolves.toBe(4);
    await page.getByRole('tab', { name: '工作日历' }).click();
    await page.getByText('cn-workdays').waitFor();
    await page.getByRole('tab', { name: '法定节假日数据' }).click();
    await page.getByText('国务院办公厅关于2026年部分节假日安排的通知').waitFor();
    await page.screenshot({ path: `${screenshotDir}/sla-admin.png`, fullPage: true });
  });

  it('shows a customer contact only its own organisation and sends it to the portal', async () => {
    const contact = await app.page({ width: 390, height: 844 });
    await signIn(contact, 'customer', 'ServiceLoop-Demo-2026');
    await contact.getByText('客户服务门户').waitFor();
    await contact.getByTestId('ticket-card').first().waitFor(); // the demo history of its organisation
    await contact.goto('/console/customers');
    await contact.getByTestId('customers-page').waitFor();
    const rows = contact.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(1);
    await contact.screenshot({ path: `${screenshotDir}/customer-phone.png` });
  });
});
