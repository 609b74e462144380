import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiSession, DEMO_PASSWORD, type RunningApp, screenshotDir, signIn, startApp } from './harness';

const ENGINEER = '吴凡（值班工程师）';

/** A dispatcher's morning: a waiting job dragged onto an engineer's timeline becomes a visit. */
describe('dispatch board in Chromium', () => {
  let app: RunningApp;
  let ticket: { id: string; number: string; version: number };
  let engineerId: string;
  let agent: Awaited<ReturnType<typeof apiSession>>;
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    app = await startApp();
    // The demo's dispatcher (agent) and an engineer of this test's own, working all day, every day:
    // the demo's engineers already have their day planned.
    agent = await apiSession(app.url, 'agent', DEMO_PASSWORD);
    const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    const manager = await apiSession(app.url, 'manager', DEMO_PASSWORD);
    engineerId = (
      await admin.call('POST', '/users', {
        username: 'e2e-dispatch',
        displayName: ENGINEER,
        password: DEMO_PASSWORD,
        roles: ['engineer'],
        regionCodes: ['440000'],
      })
    ).id;
    await manager.call('POST', '/engineer-profiles', {
      userId: engineerId,
      skills: ['elevator'],
      homeLat: 22.54,
      homeLng: 114.06,
      workingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '07:00', end: '21:00' })),
    });
    const created = await agent.call('POST', '/tickets', {
      channel: 'phone',
      contactName: '周先生',
      serviceType: 'onsite',
      title: '拖拽派工测试：电梯困人',
      description: '3 号梯停在 5 楼与 6 楼之间，显示故障码 E35',
    });
    ticket = await agent.call('POST', `/tickets/${created.ticket.id}/transitions`, {
      action: 'triage',
      version: created.ticket.version,
      priority: 'P1',
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('drags a waiting job onto the engineer at 10:00 and the ticket is dispatched', async () => {
    const page = await app.page({ width: 1600, height: 900 });
    await signIn(page, 'agent', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto('/console/dispatch');
    const job = page.getByTestId(`job-${ticket.number}`);
    await job.waitFor();
    const row = page.getByTestId(`board-row-${ENGINEER}`);
    await row.waitFor();
    // The row starts at 06:00 with one pixel a minute: 10:00 is 240 px in.
    await job.dragTo(row, { targetPosition: { x: 240, y: 20 } });
    const visit = row.getByTestId(`visit-${ticket.number}`);
    await visit.waitFor();
    await expect.poll(() => job.count()).toBe(0);
    await page.screenshot({ path: `${screenshotDir}/dispatch-board.png`, fullPage: true });

    const after = await agent.call('GET', `/tickets/${ticket.id}`);
    expect(after.state).toBe('dispatched');
    expect(after.assigneeId).toBe(engineerId);
    expect(after.visits).toHaveLength(1);
    expect(Date.parse(after.visits[0].plannedStart)).toBe(Date.parse(`${today}T10:00:00+08:00`));

    // "Suggest" ranks the engineer for another waiting job, with reasons in words.
    const other = await agent.call('POST', '/tickets', {
      channel: 'phone',
      contactName: '王女士',
      title: '推荐测试：扶梯异响',
      description: '扶梯运行时有明显异响，已停用',
    });
    await agent.call('POST', `/tickets/${other.ticket.id}/transitions`, {
      action: 'triage',
      version: other.ticket.version,
      priority: 'P2',
    });
    await page.reload();
    await page.getByTestId(`suggest-${other.ticket.number}`).click();
    const suggestions = page.getByTestId('suggestions');
    await suggestions.getByText(ENGINEER).waitFor();
    // Its load counts the job just dragged onto it (other engineers have their own days).
    await suggestions
      .locator('.ant-list-item')
      .filter({ hasText: ENGINEER })
      .getByText(/今日已排 1\/5 单/)
      .waitFor();
  });
});
