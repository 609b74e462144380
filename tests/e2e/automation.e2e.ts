import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../apps/server/test/notify-world';
import {
  ADMIN_PASSWORD,
  addRequiredNumberField,
  apiSession,
  choose,
  DEMO_PASSWORD,
  type RunningApp,
  screenshotDir,
  signIn,
  startApp,
} from './harness';

/**
 * Picks an option of an antd Select that has no form-item id (the rule editor's rows). Long lists
 * are virtual: `search` types first so the option is rendered.
 */
async function pick(page: Page, select: Locator, option: string, search?: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await select.click({ timeout: 5_000 });
      if (search) await page.keyboard.type(search);
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .getByTitle(option, { exact: true })
        .first()
        .click({ timeout: 5_000 });
      await select.filter({ hasText: option }).waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Issue 4's browser journey: an administrator adds a required custom field to repair tickets and a
 * rule "category 硬件失灵 in 华东 → assign to team 华东硬件组 and notify by WeCom robot"; an agent
 * reports such a fault; the field is enforced, the ticket is assigned, the robot message reaches a
 * local receiver, and the SLA clocks show on the ticket once it is triaged.
 */
describe('automation rules in Chromium', () => {
  let app: RunningApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  it('a rule written in the editor dispatches a 华东 hardware fault to its team and tells the WeCom robot', async () => {
    // What the demo data lacks, set up as an administrator would: the team, and the robot — an
    // internal address, so it is allow-listed first.
    const api = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    const teams = (await api.get('/teams')) as { id: string; name: string }[];
    const team =
      teams.find((t) => t.name === '华东硬件组') ??
      (await api.post('/teams', { name: '华东硬件组', regionCodes: ['310000', '320000', '330000'] }));
    // 204 without a body, which the scripted session cannot read as JSON: the write is what counts.
    await api.call('POST', '/notifications/allowed-hosts', { host: '127.0.0.1' }).catch(() => undefined);
    await api.post('/notifications/endpoints', {
      kind: 'wecom',
      name: '华东硬件群',
      url: `${receiver.base}/wecom/send?key=E2E`,
    });

    const admin = await app.page();
    await signIn(admin, 'admin', ADMIN_PASSWORD);
    await admin.getByText('欢迎').waitFor();

    // The required custom field.
    await addRequiredNumberField(admin, {
      key: 'linesDown',
      labelZh: '停机影响产线数',
      labelEn: 'Production lines down',
    });

    // The rule, in the editor: trigger "ticket created", two conditions, two actions.
    await admin.goto('/console/automation');
    await admin.getByTestId('rule-new').click();
    const editor = admin.getByTestId('rule-editor');
    await editor.getByTestId('rule-name').fill('华东硬件故障自动派单');
    await editor.getByTestId('add-condition').click();
    await editor.getByTestId('add-condition').click();
    const leaves = editor.getByTestId('condition-leaf');
    await pick(admin, leaves.nth(0).getByTestId('condition-field'), '故障类别（含上级类别名称）', '故障类别');
    await leaves.nth(0).locator('input[data-testid="condition-value"]').fill('硬件失灵');
    await pick(admin, leaves.nth(1).getByTestId('condition-field'), '大区', '大区');
    await pick(admin, leaves.nth(1).getByTestId('condition-value'), '华东');
    await pick(admin, editor.getByTestId('action-team'), '华东硬件组');
    await editor.getByTestId('add-action').click();
    const notify = editor.getByTestId('action').nth(1);
    await notify.locator('.ant-select-selection-item-remove').first().click(); // not the assignee
    await pick(admin, notify.getByTestId('action-recipients'), 'wecom: 华东硬件群');
    await notify.getByTestId('action-title').fill('新硬件故障 {{ticketNumber}}');
    await notify.getByTestId('action-body').fill('{{title}}（{{customer}}）已派给华东硬件组');
    await admin.screenshot({ path: `${screenshotDir}/automation-rule-editor.png`, fullPage: true });
    await editor.getByTestId('rule-save').click();
    await admin.getByTestId('rules').locator('.ant-table-row').filter({ hasText: '华东硬件故障自动派单' }).waitFor();

    // The agent reports a hardware fault for a demo customer in Jiangsu (华东).
    const agent = await app.page();
    await signIn(agent, 'agent', DEMO_PASSWORD);
    await agent.getByText('欢迎').waitFor();
    await agent.goto('/console/tickets/new');
    await choose(agent, 'customerId', '汇川', '苏州汇川机器人科技有限公司');
    await agent.locator('#contactName').fill('周先生');
    await agent.locator('#contactPhone').fill('13812345678');
    await agent.locator('#title').fill('贴片机主板故障停机');
    await agent.locator('#description').fill('2 号贴片机主板坏了，上电无反应，两条产线停机');
    await agent.locator('#problemType').fill('主板坏了');
    await agent.getByTestId('ticket-submit').click();
    // Refused without the required field, field by field.
    const item = agent.locator('.ant-form-item').filter({ hasText: '停机影响产线数' });
    await item.locator('.ant-form-item-explain-error').filter({ hasText: '必填' }).waitFor();
    await item.locator('input').fill('2');
    await agent.getByTestId('ticket-submit').click();
    await agent.getByTestId('ticket-detail').waitFor();
    const ticketId = new URL(agent.url()).pathname.split('/').pop()!;

    // The rule assigned it to the team and the robot got the message.
    const ticket = await until('the team assignment', async () => {
      const t = await api.get(`/tickets/${ticketId}`);
      return t.teamId === team.id ? t : null;
    });
    expect(ticket.fields.linesDown).toBe(2);
    const message = await until('the robot message', async () =>
      receiver.at('/wecom').find((r) => r.body.includes(ticket.number)),
    );
    expect(message.query.get('key')).toBe('E2E');
    expect(message.body).toContain('苏州汇川机器人科技有限公司');

    // Triage starts the SLA clocks, which the ticket page shows.
    await agent.reload();
    await agent.getByTestId('ticket-detail').waitFor();
    await agent.getByTestId('action-triage').click();
    await choose(agent, 'priority', '', /^P1/);
    await agent.getByTestId('action-ok').click();
    await agent.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
    await agent.locator('[data-testid="sla-clock-resolution"][data-state="running"]').waitFor();
    await agent.screenshot({ path: `${screenshotDir}/automation-ticket.png`, fullPage: true });

    // The run log shows the match.
    await admin.reload();
    await admin
      .getByTestId('rules')
      .locator('.ant-table-row')
      .filter({ hasText: '华东硬件故障自动派单' })
      .getByRole('button', { name: '运行日志' })
      .click();
    await admin.getByTestId('rule-runs').locator('.ant-table-row').filter({ hasText: '是' }).first().waitFor();
    await admin.screenshot({ path: `${screenshotDir}/automation-run-log.png`, fullPage: true });
  }, 300_000);
});
