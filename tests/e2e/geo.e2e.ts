import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiSession, DEMO_PASSWORD, type RunningApp, screenshotDir, signIn, startApp } from './harness';

const ENGINEER = '沈一舟（园区工程师）';
// A 1×1 grey PNG: the map draws it stretched over each tile, enough to tell tiles arrived.
const TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN4+vTpfwAIWAN4kcXnfgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Issue 13 item 13: a dispatcher sets an engineer's home base by typing an address, on a desktop
 * with a map (tiles from a local server standing in for the public one) and on a phone whose
 * network has no tiles at all; the board and the suggestions measure from the base saved.
 */
describe('home base picked by address or on a map', () => {
  let app: RunningApp;
  let tiles: Server;
  let tileRequests = 0;
  let manager: Awaited<ReturnType<typeof apiSession>>;
  let agent: Awaited<ReturnType<typeof apiSession>>;
  let engineerId: string;
  let ticket: { id: string; number: string };
  let customerId: string;
  let unplacedSiteId: string;
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

  const profile = async () =>
    (await manager.get('/engineer-profiles?pageSize=200')).items.find(
      (p: { userId: string }) => p.userId === engineerId,
    ) as { homeLat: number; homeLng: number };
  const boardBase = async () =>
    (await agent.get(`/dispatch/board?date=${today}`)).engineers.find(
      (e: { engineerId: string }) => e.engineerId === engineerId,
    ) as { lat: number; lng: number };

  /** Opens the engineer's profile for editing and finds a place by typing it. */
  const pickBase = async (page: Page, typed: string, option: string) => {
    await page.goto('/console/engineers');
    await page
      .getByTestId('engineers-page')
      .locator('tr')
      .filter({ hasText: ENGINEER })
      .getByRole('button', { name: /编\s*辑/ })
      .click();
    const picker = page.getByTestId('home-base');
    await picker.waitFor();
    await picker.getByTestId('place-search').fill(typed);
    await page.getByTestId('place-option').filter({ hasText: option }).first().click();
    return picker;
  };

  beforeAll(async () => {
    tiles = createServer((_req, res) => {
      tileRequests++;
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      res.end(TILE);
    });
    await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
    const { port } = tiles.address() as AddressInfo;
    app = await startApp({
      env: { MAP_TILE_URL: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`, MAP_TILE_ATTRIBUTION: 'test tiles' },
    });
    const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    manager = await apiSession(app.url, 'manager', DEMO_PASSWORD);
    agent = await apiSession(app.url, 'agent', DEMO_PASSWORD);
    engineerId = (
      await admin.post('/users', {
        username: 'e2e-geo',
        displayName: ENGINEER,
        password: DEMO_PASSWORD,
        roles: ['engineer'],
        regionCodes: ['320000'],
      })
    ).id;
    // Typed as numbers once, far away (Beijing): the picker is what moves it.
    await manager.post('/engineer-profiles', {
      userId: engineerId,
      homeLat: 39.9,
      homeLng: 116.4,
      workingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
    });
    // A waiting job at a factory in 苏州工业园区, for the suggestions.
    const customer = await admin.post('/customers', {
      name: '园区精工',
      regionCode: '320000',
      industry: 'machine_tools',
    });
    const site = await admin.post('/sites', {
      customerId: customer.id,
      name: '一号厂房',
      provinceCode: '320000',
      cityCode: '320500',
      districtCode: '320571',
      address: '苏州工业园区星湖街 328 号',
      lat: 31.305,
      lng: 120.731,
    });
    customerId = customer.id;
    // A site entered with its address only, never placed: the site form gets the same picker.
    unplacedSiteId = (
      await admin.post('/sites', {
        customerId: customer.id,
        name: '二号仓库',
        provinceCode: '320000',
        cityCode: '320500',
        address: '苏州市吴中区木渎镇金枫路 1 号',
      })
    ).id;
    const created = await agent.post('/tickets', {
      channel: 'phone',
      contactName: '钱工',
      customerId: customer.id,
      siteId: site.id,
      serviceType: 'onsite',
      title: '常驻地测试：加工中心主轴异响',
      description: '主轴高速运转时有异响，需上门检查',
    });
    await agent.post(`/tickets/${created.ticket.id}/transitions`, {
      action: 'triage',
      version: created.ticket.version,
      priority: 'P2',
    });
    ticket = { id: created.ticket.id, number: created.ticket.number };
  });
  afterAll(async () => {
    await app?.stop();
    tiles?.close();
  });

  it('on a desktop: types an address, picks it, drags the pin on the map, saves, and dispatch measures from there', async () => {
    const page = await app.page({ width: 1440, height: 900 });
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    const picker = await pickBase(page, '苏州市工业园区', '江苏省 苏州市 工业园区');
    await picker.getByText('纬度 31.31700，经度 120.72400').waitFor();
    await picker
      .getByTestId('place-precision')
      .getByText(/区县政府所在地/)
      .waitFor();

    // Tiles reachable: the map shows the pin at the district's seat; dragging it refines the point.
    const map = picker.getByTestId('pin-map');
    await map.waitFor();
    await expect.poll(() => tileRequests).toBeGreaterThan(0);
    expect(await picker.getByTestId('map-offline').count()).toBe(0);
    const pin = map.locator('.sl-pin');
    await pin.waitFor();
    const box = (await pin.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 8 });
    await page.mouse.up();
    await picker.getByTestId('place-precision').getByText('已按拖动的位置设置').waitFor();
    await page.screenshot({ path: `${screenshotDir}/geo-home-base-desktop.png` });
    await page.getByTestId('save').click();
    await page.getByText('已保存').first().waitFor();

    const saved = await profile();
    // Dragged right and down: east and south of the seat, still within a few kilometres of it.
    expect(saved.homeLng).toBeGreaterThan(120.724);
    expect(saved.homeLat).toBeLessThan(31.317);
    expect(Math.abs(saved.homeLat - 31.317) + Math.abs(saved.homeLng - 120.724)).toBeLessThan(0.2);
    // The list shows the base saved.
    await page
      .getByTestId('engineers-page')
      .locator('tr')
      .filter({ hasText: ENGINEER })
      .getByText(`${saved.homeLat.toFixed(4)}, ${saved.homeLng.toFixed(4)}`)
      .waitFor();

    // The board places the engineer there, and the suggestions measure the job's distance from it.
    expect(await boardBase()).toMatchObject({ lat: saved.homeLat, lng: saved.homeLng });
    const ranked = await agent.get(`/tickets/${ticket.id}/assignment-suggestions`);
    const ours = ranked.suggestions.find((s: { engineerId: string }) => s.engineerId === engineerId);
    expect(ours.distanceKm).toBeLessThan(15);

    const board = await app.page({ width: 1440, height: 900 });
    await signIn(board, 'agent', DEMO_PASSWORD);
    await board.getByText('欢迎').waitFor();
    await board.goto('/console/dispatch');
    await board.getByTestId(`suggest-${ticket.number}`).click();
    await board
      .getByTestId('suggestions')
      .locator('.ant-list-item')
      .filter({ hasText: ENGINEER })
      .getByText(/距常驻地 [\d.]+ 公里/)
      .waitFor();
    await board.screenshot({ path: `${screenshotDir}/geo-suggestions.png` });
  });

  it('on a phone without map tiles: the address search and the numbers, never a broken map', async () => {
    // The tile server goes away: the intranet without internet.
    await new Promise<void>((resolve) => {
      tiles.close(() => resolve());
      tiles.closeAllConnections();
    });
    const page = await app.page({ width: 390, height: 844 });
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    const picker = await pickBase(page, '杭州 滨江', '浙江省 杭州市 滨江区');
    await picker.getByText('纬度 30.20800，经度 120.21200').waitFor();
    await picker.getByTestId('map-offline').waitFor();
    expect(await picker.getByTestId('pin-map').count()).toBe(0);
    // The numbers stay editable under "advanced".
    await picker.getByText('高级：直接输入坐标').click();
    await expect.poll(async () => Number(await picker.getByLabel('纬度').inputValue())).toBe(30.208);
    await page.screenshot({ path: `${screenshotDir}/geo-home-base-phone.png` });
    await page.getByTestId('save').click();
    await page.getByText('已保存').first().waitFor();

    expect(await profile()).toMatchObject({ homeLat: 30.208, homeLng: 120.212 });
    expect(await boardBase()).toMatchObject({ lat: 30.208, lng: 120.212 });
    // From 杭州 the 苏州 job is now over 100 km away.
    const ranked = await agent.get(`/tickets/${ticket.id}/assignment-suggestions`);
    const ours = ranked.suggestions.find((s: { engineerId: string }) => s.engineerId === engineerId);
    expect(ours.distanceKm).toBeGreaterThan(100);
  });

  it('places a customer site the same way', async () => {
    const page = await app.page({ width: 1440, height: 900 });
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto(`/console/customers/${customerId}`);
    await page.getByRole('tab', { name: /服务地点/ }).click();
    await page
      .locator('tr')
      .filter({ hasText: '二号仓库' })
      .getByRole('button', { name: /编\s*辑/ })
      .click();
    const picker = page.getByTestId('site-location');
    await picker.getByText('尚未设置位置').waitFor();
    await picker.getByTestId('place-search').fill('苏州吴中');
    await page.getByTestId('place-option').filter({ hasText: '江苏省 苏州市 吴中区' }).first().click();
    await picker.getByText('纬度 31.26200，经度 120.63200').waitFor();
    await page.getByTestId('save').click();
    await page.getByText('已保存').first().waitFor();
    const site = await manager.get(`/sites/${unplacedSiteId}`);
    expect(site).toMatchObject({ lat: 31.262, lng: 120.632, address: '苏州市吴中区木渎镇金枫路 1 号' });
  });
});
