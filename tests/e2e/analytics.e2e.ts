import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, DEMO_PASSWORD, type RunningApp, screenshotDir, signIn, startApp } from './harness';

const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Issue 6's walk: the manager's dashboard moves live as a ticket closes, and a Pareto bar drills down to tickets. */
describe('the service analytics dashboard in Chromium', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('shows a ticket closing elsewhere without a reload, and drills from the top model to its tickets and exports them', async () => {
    const page = await app.page();
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto('/console/analytics');
    const closed = page.getByTestId('kpi-closed').locator('.ant-statistic-content-value');
    await closed.waitFor();
    // The demo history: 1,200 closed tickets.
    const before = Number((await closed.textContent())!.replace(/\D/g, ''));
    expect(before).toBeGreaterThanOrEqual(1_200);
    await page.getByText('实时').waitFor();

    // An agent and the customer close a ticket through the API, as other browsers would.
    const agent = await apiSession(app.url, 'agent', DEMO_PASSWORD);
    const customer = await apiSession(app.url, 'customer', DEMO_PASSWORD);
    // A device of the demo customer's own organisation, which is all its contact can see.
    const [device] = (await customer.call('GET', '/devices')).items;
    let { ticket } = await agent.call('POST', '/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '主轴异响',
      description: '主轴运转时有异响，已停机检查，请远程指导',
      severity: 'minor',
      deviceId: device.id,
    });
    for (const step of [
      { action: 'triage', priority: 'P2' },
      { action: 'start_remote' },
      {
        action: 'resolve',
        rootCause: '润滑不足',
        actionsTaken: '远程指导加注润滑脂',
        labourMinutes: 20,
        checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
      },
      { action: 'request_confirmation' },
    ]) {
      ticket = await agent.call('POST', `/tickets/${ticket.id}/transitions`, { version: ticket.version, ...step });
    }
    await customer.call('POST', `/tickets/${ticket.id}/transitions`, {
      version: ticket.version,
      action: 'confirm',
      signature: SIGNATURE,
      csat: 5,
    });
    await page.waitForFunction(
      ([selector, count]) => Number(document.querySelector(selector)?.textContent?.replace(/\D/g, '')) === count,
      ['[data-testid="kpi-closed"] .ant-statistic-content-value', before + 1] as const,
      { timeout: 5_000 },
    );

    // Pareto by product model → the top model's regions → its batches → the tickets themselves.
    const rows = page.locator('.ant-card').filter({ hasText: '帕累托分析' }).locator('tbody tr.ant-table-row');
    const crumbs = page.locator('.ant-breadcrumb li');
    for (const level of ['产品型号', '区域', '批次']) {
      await rows.first().waitFor();
      const label = (await rows.first().locator('td').first().textContent())!;
      await rows.first().click();
      await crumbs.filter({ hasText: `${level}: ${label}` }).waitFor();
    }
    await page.screenshot({ path: `${screenshotDir}/analytics-drill.png`, fullPage: true });
    await page.getByTestId('drill-tickets').click();
    await page.getByTestId('linked-filters').waitFor();
    expect(await page.getByTestId('linked-filters').textContent()).toContain('batch');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    const listed = await page.locator('.ant-table-tbody tr.ant-table-row').count();
    expect(listed).toBeGreaterThan(0);

    // …and exports exactly those tickets to xlsx.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^tickets-.*\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('工单号');
    const { total } = await (await page.request.get(`/api/v1/tickets${new URL(page.url()).search}`)).json();
    expect(total).toBeGreaterThanOrEqual(listed);
    expect(sheet.rowCount - 1).toBe(total);
  });

  it('builds and saves reports, arranges them on a dashboard by dragging, and keeps the order', async () => {
    const page = await app.page();
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto('/console/reports');
    await page.getByTestId('report-builder').waitFor();
    for (const [name, chart] of [
      ['各型号工单', '帕累托图'],
      ['各型号工单表', '表格'],
    ]) {
      await page.getByTestId('builder-chart').click();
      await page.getByTitle(chart!, { exact: true }).click();
      await page.locator('.ant-form-item').filter({ hasText: '报表名称' }).locator('input').fill(name!);
      await page.getByTestId('report-save').click();
      await page.locator('.ant-list-item').filter({ hasText: name! }).waitFor();
    }
    await page.goto('/console/dashboards');
    await page.getByTestId('dashboards-page').waitFor();
    await page.getByPlaceholder('新仪表盘名称').fill('周会看板');
    await page
      .getByRole('button', { name: '新 建' })
      .or(page.getByRole('button', { name: '新建' }))
      .click();
    for (const name of ['各型号工单', '各型号工单表']) {
      await page.getByTestId('add-report').click();
      await page.getByTitle(name, { exact: true }).click();
      await page.getByTestId('dashboard-card').filter({ hasText: name }).waitFor();
    }
    const titles = () => page.getByTestId('dashboard-card').locator('.ant-card-head-title').allTextContents();
    expect(await titles()).toEqual(['各型号工单', '各型号工单表']);
    await page.getByTestId('dashboard-card').nth(1).dragTo(page.getByTestId('dashboard-card').nth(0));
    await expect.poll(titles, { timeout: 5_000 }).toEqual(['各型号工单表', '各型号工单']);
    await page.reload();
    await page.getByTestId('dashboard-card').first().waitFor();
    expect(await titles()).toEqual(['各型号工单表', '各型号工单']);
    await page.screenshot({ path: `${screenshotDir}/dashboard.png`, fullPage: true });
  });
});
