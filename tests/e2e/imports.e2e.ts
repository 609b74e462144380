import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiSession, type RunningApp, screenshotDir, signIn, startApp } from './harness';

/** A manager's export: a title line, then a header with one column the importer cannot guess (故障大类). */
async function history(customer: string, serial: string, reportedOfRow3: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('维修记录');
  sheet.addRow(['2025 年维修记录导出']);
  sheet.addRow(['原工单号', '客户名称', '设备序列号', '故障标题', '故障大类', '报修时间', '解决时间', '关闭时间']);
  const row = (n: number, reported: string) => [
    `E2E-${n}`,
    customer,
    serial,
    `导入测试-${n} 主轴异响`,
    '主板坏了',
    reported,
    '2025-03-05 12:00',
    '2025-03-05 18:00',
  ];
  sheet.addRow(row(1, '2025-03-04 09:00'));
  sheet.addRow(row(2, '2025-03-04 10:30'));
  sheet.addRow(row(3, reportedOfRow3));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(page: Page, content: Buffer) {
  await page.locator('input[type=file]').setInputFiles({
    name: 'history.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: content,
  });
  await page.getByTestId('import-mapping').waitFor();
}

/** Issue 6 part 6 in the browser: a bad row refuses the file and is explained; fixed, it imports; the mapping is remembered. */
describe('historical import in Chromium', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('explains a bad row and writes nothing, imports the fixed file, and reuses the saved mapping', async () => {
    const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    const device = (await admin.get('/devices?pageSize=1')).items[0];
    const customer = await admin.get(`/customers/${device.customerId}`);
    const matching = async () => (await admin.get(`/tickets?q=${encodeURIComponent('导入测试')}`)).total;

    const page = await app.page();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto('/console/imports');
    await upload(page, await history(customer.name, device.serialNumber, '2025-02-30 09:00'));

    // The header under the title line is found; 故障大类 is mapped by hand and the mapping saved.
    await page.getByText('表头在第 2 行').waitFor();
    await page.getByTestId('map-故障大类').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('问题类型 *').click();
    await page.getByTestId('import-analyse').click();
    const summary = page.getByTestId('import-report-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('发现 1 处问题');
    const errors = page.getByTestId('import-errors');
    const bad = errors.locator('.ant-table-row').filter({ hasText: '报修时间' });
    await bad.waitFor();
    // Line 5 of the sheet: the title line, the header, then the third data row.
    expect(await bad.locator('td').first().textContent()).toBe('5');
    expect(await bad.textContent()).toContain('2025-02-30 09:00');
    expect(await bad.textContent()).toContain('报修时间：不是有效的日期时间');
    await page.screenshot({ path: `${screenshotDir}/import-report.png`, fullPage: true });

    // Importing anyway is refused as a whole: nothing written, the row explained, an error file offered.
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-result').getByText('文件未导入').waitFor();
    await page.getByTestId('import-error-file').waitFor();
    expect(await matching()).toBe(0);

    // The fixed file: the saved mapping is applied to 故障大类 without touching it.
    await page.getByRole('button', { name: '导入另一个文件' }).click();
    await upload(page, await history(customer.name, device.serialNumber, '2025-03-04 11:00'));
    expect(await page.getByTestId('map-故障大类').textContent()).toContain('问题类型');
    await page.getByTestId('import-analyse').click();
    await page.getByText('全部 3 行校验通过').waitFor();
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-result').getByText('已导入 3 条记录').waitFor();
    expect(await matching()).toBe(3);

    // The history shows both files; the tickets are in the ticket list like any other.
    await page.getByRole('tab', { name: '导入记录' }).click();
    const runs = page.getByTestId('import-history').locator('.ant-table-row');
    await runs.filter({ hasText: '已导入' }).waitFor();
    await runs.filter({ hasText: '未通过' }).waitFor();
    await page.goto('/console/tickets');
    await page.getByTestId('ticket-quick-view').getByText('全部工单').click();
    await page.getByPlaceholder('工单号 / 标题 / 序列号 / 联系人').fill('导入测试');
    await page.keyboard.press('Enter');
    await page.locator('.ant-table-row').filter({ hasText: '导入测试-3 主轴异响' }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/import-done.png`, fullPage: true });
  });

  it('reads the sheet with the header after an instructions sheet, and reads another sheet when the user picks it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('填写说明').addRows([['历史工单导入说明'], ['每个年度一张表', '时间按北京时间填写']]);
    for (const year of ['2024年', '2025年']) {
      workbook.addWorksheet(year).addRows([
        ['原工单号', '客户名称', '故障标题', '问题类型', '报修时间', '关闭时间'],
        [`SHEET-${year}`, '某客户', '主轴异响', '主板坏了', '2025-03-04 09:00', '2025-03-05 18:00'],
      ]);
    }
    const page = await app.page();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto('/console/imports');
    await upload(page, Buffer.from(await workbook.xlsx.writeBuffer()));

    const mapping = page.getByTestId('import-mapping');
    const sheet = page.getByTestId('import-sheet');
    expect(await sheet.textContent()).toBe('2024年');
    await mapping.getByText('SHEET-2024年').waitFor();
    await sheet.click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    // allTextContents() does not wait: the dropdown opens on the next frame.
    await options.last().waitFor();
    expect(await options.allTextContents()).toEqual(['填写说明', '2024年', '2025年']);
    await options.filter({ hasText: '2025年' }).click();
    await mapping.getByText('SHEET-2025年').waitFor();
    expect(await sheet.textContent()).toBe('2025年');
    expect(await mapping.textContent()).not.toContain('SHEET-2024年');
    await page.screenshot({ path: `${screenshotDir}/import-sheet.png`, fullPage: true });
  });

  it('shows the data dictionary generated from the contracts, in English too', async () => {
    const page = await app.page({ locale: 'en-US' });
    await signIn(page, 'manager', 'ServiceLoop-Demo-2026');
    await page.getByTestId('user-menu').waitFor();
    await page.goto('/console/data-dictionary');
    await page.getByText('数据字典').or(page.getByText('Data dictionary')).first().waitFor();
    const tickets = page.getByTestId('dictionary-ticket');
    await tickets.locator('.ant-table-row').filter({ hasText: 'priority' }).waitFor();
    expect(await tickets.locator('.ant-table-row').filter({ hasText: 'priority' }).textContent()).toMatch(
      /P0.*P1.*P2.*P3/,
    );
  });
});
