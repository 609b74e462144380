import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiSession, DEMO_PASSWORD, type RunningApp, signIn, startApp } from './harness';

/**
 * The field kinds that need more than a text box, in Chromium: a location from the browser's
 * geolocation, a customer picked by search, a signature drawn with the pointer, a photo uploaded
 * before the ticket exists. Then the configuration page exports and previews a document.
 */
describe('custom field kinds and configuration in Chromium', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('reports with a location, a customer, a photo and a signature, shown on the ticket', async () => {
    const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    for (const [position, field] of [
      { key: 'siteLocation', labelZh: '现场位置', labelEn: 'Site', kind: 'location', required: true },
      { key: 'owner', labelZh: '设备所属客户', labelEn: 'Owner', kind: 'reference', reference: 'customer' },
      { key: 'photos', labelZh: '现场照片', labelEn: 'Photos', kind: 'attachment', max: 2 },
      { key: 'reporterSign', labelZh: '报修人签名', labelEn: 'Signature', kind: 'signature', required: true },
    ].entries())
      await admin.post('/forms/fields', { ...field, position });

    const agent = await app.page();
    await signIn(agent, 'agent', DEMO_PASSWORD);
    await agent.getByText('欢迎').waitFor();
    await agent.goto('/console/tickets/new');
    await agent.locator('#contactName').fill('周先生');
    await agent.locator('#contactPhone').fill('13812345678');
    await agent.locator('#title').fill('主轴报警停机');
    await agent.locator('#description').fill('主轴报警 ALM-401，设备停机，无法复位');
    await agent.getByTestId('ticket-submit').click();
    const item = (label: string) => agent.locator('.ant-form-item').filter({ hasText: label });
    // Both required kinds refuse an empty value in the browser, as the server would.
    await item('现场位置').locator('.ant-form-item-explain-error').waitFor();
    await item('报修人签名').locator('.ant-form-item-explain-error').waitFor();

    // The browser says where it is (the harness puts it in Shenzhen).
    await item('现场位置').getByTitle('使用当前位置').click();
    await expect.poll(() => item('现场位置').locator('input').first().inputValue()).toBe('22.54');
    await item('现场位置').getByPlaceholder('地址（可选）').fill('深圳市南山区科技园');
    await item('设备所属客户').locator('.ant-select').click();
    await agent.keyboard.type('深圳精工');
    await agent.getByTitle('深圳精工数控设备有限公司').click();
    await item('现场照片')
      .locator('input[type=file]')
      .setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: PNG });
    await item('现场照片').locator('.ant-upload-list-item-done, .ant-upload-list-item').first().waitFor();
    await expect.poll(() => item('现场照片').locator('.ant-upload-list-item-error').count()).toBe(0);
    const pad = agent.getByTestId('signature-pad');
    const box = (await pad.boundingBox())!;
    await agent.mouse.move(box.x + 20, box.y + 40);
    await agent.mouse.down();
    await agent.mouse.move(box.x + 120, box.y + 90, { steps: 8 });
    await agent.mouse.move(box.x + 220, box.y + 50, { steps: 8 });
    await agent.mouse.up();
    await agent.getByTestId('ticket-submit').click();
    await agent.getByTestId('ticket-detail').waitFor();

    const shown = (label: string) => agent.locator('.ant-descriptions-item').filter({ hasText: label });
    await shown('现场位置').filter({ hasText: '深圳市南山区科技园 · 22.54000, 114.06000' }).waitFor();
    await shown('设备所属客户').filter({ hasText: '深圳精工数控设备有限公司' }).waitFor();
    await shown('报修人签名').locator('img').waitFor();
    const link = shown('现场照片').getByRole('link');
    expect(await link.count()).toBe(1);
    // The upload now belongs to the ticket: it is listed with the ticket's attachments.
    const ticketId = new URL(agent.url()).pathname.split('/').at(-1)!;
    const files = await (await apiSession(app.url, 'agent', DEMO_PASSWORD)).get(`/tickets/${ticketId}/attachments`);
    expect(files).toHaveLength(1);
    expect(await link.getAttribute('href')).toBe(`/api/v1/attachments/${files[0].id}/content`);

    // The list filters by the customer the field refers to.
    await agent.goto('/console/tickets');
    await agent.getByTestId('ticket-quick-view').getByText('全部工单').click();
    await agent.locator('.ant-select').filter({ hasText: '按自定义字段' }).click();
    await agent.getByTitle('设备所属客户').click();
    await agent.locator('.ant-space-compact').filter({ hasText: '设备所属客户' }).locator('.ant-select').nth(1).click();
    await agent.keyboard.type('深圳精工');
    await agent.getByTitle('深圳精工数控设备有限公司').last().click();
    await expect.poll(() => agent.locator('.ant-table-row').count()).toBe(1);
  });

  it('exports configuration and previews importing it back: every item unchanged', async () => {
    const page = await app.page();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto('/console/config');
    await page.getByText('自定义字段').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 JSON' }).click();
    const file = await (await download).path();
    const document = JSON.parse(readFileSync(file, 'utf8'));
    expect(document.sections['forms.fields'].map((f: { key: string }) => f.key)).toContain('reporterSign');

    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('config-preview').click();
    await page.getByText('预览：来自').waitFor();
    const row = page.locator('.ant-table-row').filter({ hasText: '自定义字段' });
    await row.waitFor();
    // Four fields, none new or changed.
    expect((await row.locator('td').allTextContents()).slice(1)).toEqual(['—', '—', '4']);
    await page.getByTestId('config-apply').click();
    await page.getByText('配置已导入').waitFor();
    await page.locator('.ant-card').filter({ hasText: '导入记录' }).locator('.ant-table-row').first().waitFor();
  });
});

/** An 8×8 blue PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEElEQVQImWNg6PiPHQ0tCQDyM2HBREWI7wAAAABJRU5ErkJggg==',
  'base64',
);
