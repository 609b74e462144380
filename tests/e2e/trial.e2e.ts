import { networkInterfaces } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, DEMO_PASSWORD, dispatchedToday, offlineReady, type RunningApp, signIn, startApp } from './harness';

/** The machine's intranet address: what a colleague's laptop or a phone on the plant's Wi-Fi opens. */
function intranetAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!address) throw new Error('this machine has no non-loopback IPv4 address to test from');
  return address;
}

/** Bytes that crossed the network for this page so far (compressed, as sent), and which encodings. */
async function transferred(page: Page) {
  return page.evaluate(() => {
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ] as PerformanceResourceTiming[];
    const own = entries.filter((e) => new URL(e.name).origin === location.origin && !e.name.includes('/api/'));
    return {
      bytes: own.reduce((sum, e) => sum + e.transferSize, 0),
      encoded: own.reduce((sum, e) => sum + e.encodedBodySize, 0),
      decoded: own.reduce((s, e) => s + e.decodedBodySize, 0),
    };
  });
}

/**
 * A trial as a new user meets it: the app opened by the machine's intranet address over plain
 * http, a customer's first load, an engineer's phone offline on a page never opened online, and
 * a page of an older release after an upgrade.
 */
describe('a trial on a factory network', () => {
  let app: RunningApp;
  let lan: string;
  beforeAll(async () => {
    app = await startApp({ listen: '0.0.0.0' });
    lan = app.url.replace('127.0.0.1', intranetAddress());
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('loads over plain http from another machine, compressed, and the customer signs in (390×844)', async () => {
    const page = await app.page({ width: 390, height: 844 });
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') refused.push(m.text());
    });
    const plain: string[] = [];
    const caching = new Set<string>();
    let compressed = 0;
    page.on('response', async (r) => {
      if (!r.url().includes('/assets/')) return;
      const headers = await r.allHeaders();
      caching.add(headers['cache-control'] ?? '');
      if (headers['content-encoding'] === 'gzip') compressed++;
      // Files under 1 KB are not worth compressing and are left as they are.
      else if (Number(headers['content-length']) >= 1024) plain.push(r.url());
    });
    const login = await page.goto(`${lan}/portal`);
    expect(login!.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(login!.headers()['strict-transport-security']).toBeUndefined();
    await page.locator('#username').fill('customer');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/portal');
    // The customer's own tickets: the API answered over the LAN (phones hide the name in the header).
    await page.getByTestId('ticket-card').first().waitFor();
    expect(refused.filter((m) => /Content Security Policy|Mixed Content|ERR_/i.test(m))).toEqual([]);
    // Every script and style came compressed (gzip: Chromium offers no brotli over plain http).
    expect(plain).toEqual([]);
    expect(compressed).toBeGreaterThan(10);
    expect([...caching]).toEqual(['public, max-age=31536000, immutable']);
    const { bytes, encoded, decoded } = await transferred(page);
    console.log(
      `portal first load over http: ${Math.round(bytes / 1024)} KB sent (${Math.round(encoded / 1024)} KB of bodies), ${Math.round(decoded / 1024)} KB decoded`,
    );
    expect(bytes).toBeLessThan(decoded / 2.5);
    // Issue 13: under 300 KB compressed for a customer on a weak link, as Chromium received it
    // (the bodies; each response's headers add some 300 bytes on top).
    expect(encoded / 1024).toBeLessThan(300);
    await page.context().close();
  });

  it('opens the console from a colleague’s desktop on the same network (1440×900)', async () => {
    const page = await app.page({ width: 1440, height: 900 });
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') refused.push(m.text());
    });
    await page.goto(`${lan}/console`);
    await page.locator('#username').fill('agent');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/console');
    // The dispatcher's queue from the demo data, and the header's search loaded after the frame.
    await page.getByTestId('home-queue').locator('a[href^="/console/tickets/"]').first().waitFor();
    await page.getByTestId('global-search').waitFor();
    expect(refused.filter((m) => /Content Security Policy|Mixed Content|ERR_/i.test(m))).toEqual([]);
    await page.context().close();
  });

  it('opens the field app offline on a job page never opened online (390×844)', async () => {
    const agent = await apiSession(app.url, 'agent', DEMO_PASSWORD);
    const engineer = await apiSession(app.url, 'engineer', DEMO_PASSWORD);
    const ticket = await dispatchedToday(agent, engineer.id, '离线打开：从未看过的工单', 10);
    const page = await app.page({ width: 390, height: 844 });
    await signIn(page, 'engineer', DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname.startsWith('/field') || url.pathname.startsWith('/console'));
    await page.goto('/field');
    const job = page.locator(`[data-testid=field-job][data-ticket="${ticket.number}"]`);
    await job.waitFor();
    // The worker installed means the whole app is precached (install waits for every file).
    await offlineReady(page);
    const cached = await page.evaluate(async () => {
      let n = 0;
      for (const name of await caches.keys()) n += (await (await caches.open(name)).keys()).length;
      return n;
    });
    expect(cached).toBeGreaterThan(50);

    await page.context().setOffline(true);
    await page.getByTestId('field-offline').waitFor();
    // The job page's code was never loaded: it comes from the precache.
    await job.click();
    await page.waitForURL(/\/field\/jobs\//);
    await page.locator('[data-testid=field-job-page], .ant-result').first().waitFor();
    expect(await page.getByTestId('route-error').count()).toBe(0);
    // A reload in the plant room: the page itself comes from the worker too.
    await page.reload();
    await page.getByTestId('field-network').waitFor();
    await page.locator('[data-testid=field-job-page], .ant-result').first().waitFor();
    expect(await page.getByTestId('route-error').count()).toBe(0);
    await page.context().close();
  });

  it('after an upgrade, reloads once for a chunk that is gone, then says so in Chinese (1440×900)', async () => {
    const page = await app.page({ width: 1440, height: 900 });
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname.startsWith('/console'));
    const ticketsItem = page.locator('.ant-menu-item').filter({ hasText: /^工单$/ });
    await ticketsItem.waitFor();
    // The tickets page's chunk of this release is gone, as after a restart with a new build.
    await page.route('**/assets/TicketsPage-*.js', (route) => route.fulfill({ status: 404, body: '' }));
    let loads = 0;
    page.on('load', () => loads++);
    await ticketsItem.click();
    const error = page.getByTestId('route-error');
    await error.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2_000); // no reload loop
    expect(loads).toBe(1);
    await expect.poll(() => error.textContent()).toContain('系统已更新');
    expect(await page.locator('body').textContent()).not.toMatch(/Unexpected Application Error|Hey developer/);
    // The menu stays: the error shows inside the console's layout.
    expect(await ticketsItem.count()).toBe(1);
    await page.context().close();
  });
});
