import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  addRequiredNumberField,
  DEMO_PASSWORD,
  type RunningApp,
  screenshotDir,
  signIn,
  startApp,
} from './harness';

/** Issue 4 §1 in the browser: an administrator adds a required field; the report form then asks for it. */
describe('custom fields in Chromium', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('adds a required field with a preview in both languages, and the report form enforces it', async () => {
    const admin = await app.page();
    await signIn(admin, 'admin', ADMIN_PASSWORD);
    await admin.getByText('欢迎').waitFor();
    await addRequiredNumberField(admin, { key: 'runningHours', labelZh: '累计运行小时', labelEn: 'Running hours' });
    // The preview shows the form as Chinese and as English readers will see it.
    await admin.locator('.ant-card').filter({ hasText: 'zh-CN' }).getByText('累计运行小时').waitFor();
    await admin.locator('.ant-card').filter({ hasText: 'en-US' }).getByText('Running hours').waitFor();
    await admin.screenshot({ path: `${screenshotDir}/form-designer.png`, fullPage: true });

    const agent = await app.page();
    await signIn(agent, 'agent', DEMO_PASSWORD);
    await agent.getByText('欢迎').waitFor();
    await agent.goto('/console/tickets/new');
    await agent.locator('#contactName').fill('周先生');
    await agent.locator('#contactPhone').fill('13812345678');
    await agent.locator('#title').fill('主轴报警停机');
    await agent.locator('#description').fill('主轴报警 ALM-401，设备停机，无法复位');
    await agent.getByTestId('ticket-submit').click();
    const item = agent.locator('.ant-form-item').filter({ hasText: '累计运行小时' });
    await item.locator('.ant-form-item-explain-error').filter({ hasText: '必填' }).waitFor();
    await item.locator('input').fill('1200');
    await agent.getByTestId('ticket-submit').click();
    await agent.getByTestId('ticket-detail').waitFor();
    await agent
      .locator('.ant-descriptions-item')
      .filter({ hasText: '累计运行小时' })
      .filter({ hasText: '1200' })
      .waitFor();
    expect(await agent.locator('.ant-descriptions-item').filter({ hasText: '累计运行小时' }).textContent()).toContain(
      '1200',
    );
  });
});
