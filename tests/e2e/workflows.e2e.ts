import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiSession, choose, type RunningApp, screenshotDir, signIn, startApp } from './harness';

/**
 * Issue 4 §2 in the browser: an administrator changes the installation workflow in the designer;
 * a dead end is refused at activation, the fixed version activates, and from then on new
 * installation tickets run on it while one created before keeps version 1.
 */
describe('workflow designer in Chromium', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('refuses a dead end, activates the fixed draft, and keeps running tickets on their version', async () => {
    const api = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    const report = (title: string) =>
      api.post('/tickets', {
        type: 'installation',
        channel: 'phone',
        contactName: '吴工',
        contactPhone: '13812345678',
        title,
        description: '二号车间新到三台数控机床，需要安装调试',
      });
    const before = (await report('安装一号线')).ticket;

    const admin = await app.page();
    await signIn(admin, 'admin', ADMIN_PASSWORD);
    await admin.getByText('欢迎').waitFor();
    await admin.goto('/console/workflows');
    await admin.getByTestId('type-installation').click();
    await admin.getByTestId('new-draft').click();
    await admin.getByTestId('version-status').filter({ hasText: '草稿' }).waitFor();

    // A stage for missing parts, reached from installing, that nothing leaves yet.
    await admin.getByRole('button', { name: '添加状态' }).click();
    await admin.locator('#state-key').fill('waiting_parts');
    await admin.locator('#state-name-zh').fill('等待备件');
    await admin.locator('#state-name-en').fill('Waiting for parts');
    await choose(admin, 'state-phase', '', '等待');
    await choose(admin, 'state-lifecycle', '', '现场处理');
    await admin.locator('.react-flow__node[data-id="installing"]').click();
    await admin.getByTestId('add-transition').click();
    await admin.locator('#transition-key').fill('parts_missing');
    await admin.locator('#transition-name-zh').fill('缺件');
    await admin.locator('#transition-name-en').fill('Parts missing');
    await choose(admin, 'transition-to', '', '等待备件 · waiting_parts');
    // The live check already says it; the server refuses activation with the same words.
    await admin.locator('[data-testid=workflow-problem][data-code="workflow.dead_end"]').waitFor();
    await admin.getByTestId('activate').click();
    const refusal = admin.getByTestId('activation-refused');
    await refusal.filter({ hasText: '死胡同' }).waitFor();
    expect(await refusal.textContent()).toContain('不能启用');
    await admin.screenshot({ path: `${screenshotDir}/workflow-dead-end.png`, fullPage: true });

    // Fixed: when the parts arrive, installation goes on.
    await admin.locator('.react-flow__node[data-id="waiting_parts"]').click();
    await admin.getByTestId('add-transition').click();
    await admin.locator('#transition-key').fill('parts_arrived');
    await admin.locator('#transition-name-zh').fill('备件到货');
    await admin.locator('#transition-name-en').fill('Parts arrived');
    await choose(admin, 'transition-to', '', '安装中 · installing');
    await admin.getByTestId('workflow-problems').getByText('没有问题').waitFor();
    await admin.getByTestId('activate').click();
    await admin.getByTestId('version-status').filter({ hasText: '启用中' }).waitFor();
    await admin.getByTestId('status-retired').waitFor();
    await admin.screenshot({ path: `${screenshotDir}/workflow-designer.png`, fullPage: true });

    const after = (await report('安装二号线')).ticket;
    expect(after.workflowVersionId).not.toBe(before.workflowVersionId);
    await admin.goto(`/console/tickets/${after.id}`);
    await admin.getByTestId('workflow-version').filter({ hasText: 'v2' }).waitFor();
    await admin.getByTestId('ticket-stage').filter({ hasText: '安装 · 待受理' }).waitFor();
    await admin.goto(`/console/tickets/${before.id}`);
    await admin.getByTestId('workflow-version').filter({ hasText: 'v1' }).waitFor();
    // The old ticket moves on through version 1: the workflow names the lifecycle's triage "受理".
    await admin
      .getByTestId('action-triage')
      .filter({ hasText: /受\s*理/ })
      .click(); // antd spaces two-character labels
    await choose(admin, 'priority', '', /^P2/);
    await admin.getByTestId('action-ok').click();
    await admin.getByTestId('ticket-stage').filter({ hasText: '待排期' }).waitFor();
    expect((await api.get(`/tickets/${before.id}`)).workflowVersionId).toBe(before.workflowVersionId);
  });
});
