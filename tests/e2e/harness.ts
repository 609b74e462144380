import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

export const ADMIN_PASSWORD = 'Zq7-Harbour-Lantern-2026';
export const DEMO_PASSWORD = 'ServiceLoop-Demo-2026';
const root = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface RunningApp {
  url: string;
  browser: Browser;
  /** `touch`: a phone's touch screen, so a test can tap (`locator.tap()`) where there is no hover. */
  page(options?: { width?: number; height?: number; locale?: string; touch?: boolean }): Promise<Page>;
  stop(): Promise<void>;
}

/**
 * The built server on a free port with a fresh data directory and demo data, plus a headless Chromium.
 * `listen: '0.0.0.0'` also lets the browser reach it by the machine's intranet address.
 */
export async function startApp({
  listen = '127.0.0.1',
  env = {},
}: {
  listen?: string;
  /** Settings of this run only (e.g. MAP_TILE_URL pointing at a local tile server). */
  env?: Record<string, string>;
} = {}): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sl-e2e-'));
  const server: ChildProcess = spawn(process.execPath, ['apps/server/dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: listen,
      DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      WEB_DIST: path.join(root, 'apps/web/dist'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (d) => (output += d));
  server.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  // A first start initialises PGlite and writes the demo data: 85 s on a busy shared 2-core machine,
  // longer when several test runs share it, so the wait is adjustable (keep it within the hook timeout).
  const deadline = Date.now() + Number(process.env.E2E_START_SECONDS ?? 170) * 1000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      // Not left running behind a failed test.
      server.kill('SIGTERM');
      throw new Error(`server did not become healthy: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    url,
    browser,
    async page({ width = 1280, height = 800, locale = 'zh-CN', touch = false } = {}) {
      const context = await browser.newContext({
        viewport: { width, height },
        hasTouch: touch,
        locale,
        baseURL: url,
        // An engineer checking in on site: Shenzhen.
        permissions: ['geolocation'],
        geolocation: { latitude: 22.54, longitude: 114.06 },
      });
      return context.newPage();
    },
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('button[type=submit]').click();
}

/**
 * A scripted API session (cookie + CSRF token): the set-up a browser journey doesn't cover, and
 * the colleague working "in another browser" meanwhile. Any answer ≥ 300 throws with its body.
 */
export async function apiSession(url: string, username: string, password: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in of ${username}: ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith('sl_session='))!
    .split(';')[0]!;
  const me = (await login.json()) as { id: string; csrfToken: string };
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever fields the answer has
  const call = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': me.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    id: me.id,
    call,
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
  };
}

/**
 * Waits until the field app's service worker controls the page: its install finished precaching
 * the whole app, so from now on it opens without a network. What an engineer needs once, online.
 */
export async function offlineReady(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => !!(await navigator.serviceWorker.ready).active && !!navigator.serviceWorker.controller,
    undefined,
    { timeout: 60_000 },
  );
}

type ApiSession = Awaited<ReturnType<typeof apiSession>>;

/** An on-site repair ticket, triaged and dispatched to the engineer for today from `hour` (China time). */
export async function dispatchedToday(agent: ApiSession, engineerId: string, title: string, hour: number) {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const created = await agent.post('/tickets', {
    channel: 'phone',
    contactName: '周先生',
    contactPhone: '13800138000',
    contactEmail: 'zhou@example.com',
    serviceAddress: '深圳市南山区科技南路 1 号',
    serviceType: 'onsite',
    title,
    description: '3 号梯停在 5 楼与 6 楼之间，显示故障码 E35',
  });
  const triaged = await agent.post(`/tickets/${created.ticket.id}/transitions`, {
    action: 'triage',
    version: created.ticket.version,
    priority: 'P1',
  });
  const pad = (n: number) => String(n).padStart(2, '0');
  return agent.post(`/tickets/${created.ticket.id}/transitions`, {
    action: 'dispatch',
    version: triaged.version,
    engineerId,
    plannedStart: `${today}T${pad(hour)}:00:00+08:00`,
    plannedEnd: `${today}T${pad(hour + 2)}:00:00+08:00`,
  }) as Promise<{ id: string; number: string; version: number }>;
}

/** How far `item`'s vertical centre sits from `bar`'s, in CSS pixels: a header item should sit mid-bar. */
export async function offCentre(bar: Locator, item: Locator): Promise<number> {
  const [outer, inner] = [(await bar.boundingBox())!, (await item.boundingBox())!];
  return Math.abs(inner.y + inner.height / 2 - (outer.y + outer.height / 2));
}

export const screenshotDir = path.join(root, '.test-artifacts');

/**
 * Picks an option in an antd Select (optionally searching first) and checks it took: a remote
 * search re-renders the option list under the pointer, so a click can land on a vanished option.
 */
export async function choose(page: Page, id: string, search: string, option: string | RegExp): Promise<void> {
  // The chosen value shows inside the form item; the open dropdown lives elsewhere in the page.
  const shown = typeof option === 'string' ? option : new RegExp(option.source.replace(/^\^/, ''));
  const item = page.locator('.ant-form-item').filter({ has: page.locator(`#${id}`) });
  for (let attempt = 1; ; attempt++) {
    try {
      // Short timeouts inside, so a dropdown that closed under a re-render is simply reopened.
      await page.locator(`#${id}`).click({ timeout: 5_000 });
      if (search) await page.locator(`#${id}`).fill(search, { timeout: 5_000 });
      await page.getByTitle(option).first().click({ timeout: 5_000 });
      await item.filter({ hasText: shown }).first().waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      // No Escape here: inside a modal it would close the modal, not just the dropdown.
      if (attempt === 4) throw error;
    }
  }
}

/** Adds a required whole-number custom field to repair tickets on the form designer page. */
export async function addRequiredNumberField(admin: Page, field: { key: string; labelZh: string; labelEn: string }) {
  await admin.goto('/console/forms');
  await admin.getByTestId('field-add').click();
  const modal = admin.locator('.ant-modal');
  await modal.locator('#key').waitFor();
  await modal.locator('#key').fill(field.key);
  await modal.locator('#labelZh').fill(field.labelZh);
  await modal.locator('#labelEn').fill(field.labelEn);
  await choose(admin, 'kind', '', '数字');
  await modal.getByText('必填').click();
  await modal.locator('#min').fill('0');
  await admin.getByRole('button', { name: /确\s*定|OK/ }).click();
  await admin.locator('.ant-table-row').filter({ hasText: field.key }).waitFor();
}
