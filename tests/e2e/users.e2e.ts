import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DEMO_PASSWORD, type RunningApp, screenshotDir, signIn, startApp } from './harness';

/** An administrator lifts the sign-in limit of a user someone has been guessing at, from the Users page. */
describe('users page in Chromium', () => {
  let app: RunningApp;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await app.page();
  });
  afterAll(async () => {
    await app?.stop();
  });

  const login = (password: string) =>
    fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'warehouse', password }),
    });

  it('lifts the sign-in limit of a user from the Users page', async () => {
    for (let i = 0; i < 5; i++) expect((await login(`Wrong-Guess-${i}`)).status).toBe(401);
    expect((await login(DEMO_PASSWORD)).status).toBe(429);

    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByText('欢迎，系统管理员').waitFor();
    await page.goto('/console/users');
    const row = page.locator('tr').filter({ hasText: '陈静（库管）' });
    await row.getByRole('button', { name: '解除登录限制' }).click();
    await page.getByText('清除该用户在所有地址上的登录失败记录').waitFor();
    await page.screenshot({ path: `${screenshotDir}/users-unlock.png` });
    await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await page.getByText('已解除登录限制').waitFor();

    expect((await login(DEMO_PASSWORD)).status).toBe(200);
  });
});
