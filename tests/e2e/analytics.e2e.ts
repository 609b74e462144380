import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, DEMO_PASSWORD, type RunningApp, screenshotDir, signIn, startApp } from './harness';

const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Issue 6's walk: the manager's dashboard moves live as a ticket closes, and a Pareto bar drills down to tickets. */
describe('the service analytics dashboard in Chromium', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('shows a ticket closing elsewhere without a reload, and drills from the top model to its tickets and exports them', async () => {
    const page = await app.page();
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto('/console/analytics');
    const closed = page.getByTestId('kpi-closed').locator('.ant-statistic-content-value');
    await closed.waitFor();
    // The demo history: 1,200 closed tickets.
    const before = Number((await closed.textContent())!.replace(/\D/g, ''));
    expect(before).toBeGreaterThanOrEqual(1_200);
    await page.getByText('实时').waitFor();

    // An agent and the customer close a ticket through the API, as other browsers would.
    const agent = await apiSession(app.url, 'agent', DEMO_PASSWORD);
    const customer = await apiSession(app.url, 'customer', DEMO_PASSWORD);
    // A device of the demo customer's own organisation, which is all its contact can see.
    const [device] = (await customer.call('GET', '/devices')).items;
    let { ticket } = await agent.call('POST', '/tickets', {
      channel: 'phone',
      contactName: '周先生',
      contactPhone: '13812345678',
      title: '主轴异响',
      description: '主轴运转时有异响，已停机检查，请远程指导',
      severity: 'minor',
      deviceId: device.id,
    });
    for (const step of [
      { action: 'triage', priority: 'P2' },
      { action: 'start_remote' },
      {
        action: 'resolve',
        rootCause: '润滑不足',
        actionsTaken: '远程指导加注润滑脂',
        labourMinutes: 20,
        checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
      },
      { action: 'request_confirmation' },
    ]) {
      ticket = await agent.call('POST', `/tickets/${ticket.id}/transitions`, { version: ticket.version, ...step });
    }
    await customer.call('POST', `/tickets/${ticket.id}/transitions`, {
      version: ticket.version,
      action: 'confirm',
      signature: SIGNATURE,
      csat: 5,
    });
    await page.waitForFunction(
      ([selector, count]) => Number(document.querySelector(selector)?.textContent?.replace(/\D/g, '')) === count,
      ['[data-testid="kpi-closed"] .ant-statistic-content-value', before + 1] as const,
      { timeout: 5_000 },
    );

    // Pareto by product model → the top model's regions → its batches → the tickets themselves.
    const rows = page.locator('.ant-card').filter({ hasText: '帕累托分析' }).locator('tbody tr.ant-table-row');
    const crumbs = page.locator('.ant-breadcrumb li');
    let previous = '';
    for (const level of ['产品型号', '区域', '批次']) {
      await rows.first().waitFor();
      // The next level's bars, not the last level's still shown while they load.
      await expect.poll(() => rows.first().locator('td').first().textContent()).not.toBe(previous);
      const label = (await rows.first().locator('td').first().textContent())!;
      previous = label;
      await rows.first().click();
      await crumbs.filter({ hasText: `${level}: ${label}` }).waitFor();
    }
    await page.screenshot({ path: `${screenshotDir}/analytics-drill.png`, fullPage: true });
    await page.getByTestId('drill-tickets').click();
    await page.getByTestId('linked-filters').waitFor();
    expect(await page.getByTestId('linked-filters').textContent()).toContain('batch');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    const listed = await page.locator('.ant-table-tbody tr.ant-table-row').count();
    expect(listed).toBeGreaterThan(0);

    // …and exports exactly those tickets to xlsx.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^tickets-.*\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('工单号');
    const { total } = await (await page.request.get(`/api/v1/tickets${new URL(page.url()).search}`)).json();
    expect(total).toBeGreaterThanOrEqual(listed);
    expect(sheet.rowCount - 1).toBe(total);
  });

  it('builds and saves reports, arranges them on a dashboard by dragging, and keeps the order', async () => {
    const page = await app.page();
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.getByText('欢迎').waitFor();
    await page.goto('/console/reports');
    await page.getByTestId('report-builder').waitFor();
    for (const [name, chart] of [
      ['各型号工单', '帕累托图'],
      ['各型号工单表', '表格'],
    ]) {
      await page.getByTestId('builder-chart').click();
      await page.getByTitle(chart!, { exact: true }).click();
      await page.locator('.ant-form-item').filter({ hasText: '报表名称' }).locator('input').fill(name!);
      await page.getByTestId('report-save').click();
      await page.locator('.ant-list-item').filter({ hasText: name! }).waitFor();
    }
    await page.goto('/console/dashboards');
    await page.getByTestId('dashboards-page').waitFor();
    await page.getByPlaceholder('新仪表盘名称').fill('周会看板');
    await page
      .getByRole('button', { name: '新 建' })
      .or(page.getByRole('button', { name: '新建' }))
      .click();
    for (const name of ['各型号工单', '各型号工单表']) {
      await page.getByTestId('add-report').click();
      await page.getByTitle(name, { exact: true }).click();
      await page.getByTestId('dashboard-card').filter({ hasText: name }).waitFor();
    }
    const titles = () => page.getByTestId('dashboard-card').locator('.ant-card-head-title').allTextContents();
    expect(await titles()).toEqual(['各型号工单', '各型号工单表']);
    await page.getByTestId('dashboard-card').nth(1).dragTo(page.getByTestId('dashboard-card').nth(0));
    await expect.poll(titles, { timeout: 5_000 }).toEqual(['各型号工单表', '各型号工单']);
    await page.reload();
    await page.getByTestId('dashboard-card').first().waitFor();
    expect(await titles()).toEqual(['各型号工单表', '各型号工单']);
    await page.screenshot({ path: `${screenshotDir}/dashboard.png`, fullPage: true });
  });

  // Issue 13 item 11 at both sizes: a manager glancing at the dashboard on a phone as on a desk.
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    it(`draws the Pareto and the trend whole, with legends and labels that do not collide, and NPS with n, at ${width}×${height}`, async () => {
      const page = await app.page({ width, height });
      await signIn(page, 'manager', DEMO_PASSWORD);
      await page.getByText('欢迎').waitFor();
      await page.goto('/console/analytics');
      const note = page.getByTestId('kpi-nps-note');
      await note.waitFor();
      // The score comes with its sample size, or no score at all below the minimum.
      const nps = (await page.getByTestId('kpi-nps').locator('.ant-statistic-content-value').textContent())!;
      const sample = (await note.textContent())!;
      if (sample.startsWith('样本不足')) expect(nps).toBe('—');
      else expect(sample).toMatch(/^样本 \d+ 份$/);
      expect(Number(sample.match(/\d+/)?.[0])).toBeGreaterThan(0);

      const pareto = page.getByTestId('pareto-chart');
      const bars = page.locator('.ant-card').filter({ hasText: '帕累托分析' }).locator('tbody tr.ant-table-row');
      await bars.first().waitFor();
      const labels = await bars.locator('td:first-child').allTextContents();
      for (const [chart, legend] of [
        [pareto, ['关键少数', '其他', '累计占比']],
        [page.getByTestId('trend-chart'), ['本期', '上期']],
      ] as const) {
        await chart.scrollIntoViewIfNeeded();
        await chart.locator('svg text').first().waitFor();
        const drawn = await chart.locator('svg').evaluate((svg) => {
          const area = svg.getBoundingClientRect();
          // Each label as the rotated rectangle it covers on screen, to test overlaps exactly.
          const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent?.trim());
          return {
            area: { left: area.left, right: area.right, top: area.top, bottom: area.bottom },
            texts: texts.map((t) => {
              const box = t.getBBox();
              const m = t.getScreenCTM()!;
              const corner = (x: number, y: number) => ({ x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f });
              return {
                text: t.textContent!.trim(),
                fontSize: Number.parseFloat(getComputedStyle(t).fontSize),
                corners: [
                  corner(box.x, box.y),
                  corner(box.x + box.width, box.y),
                  corner(box.x + box.width, box.y + box.height),
                  corner(box.x, box.y + box.height),
                ],
              };
            }),
          };
        });
        // Whole on screen, not squeezed: the chart spans the card, inside the viewport.
        expect(drawn.area.left).toBeGreaterThanOrEqual(0);
        expect(drawn.area.right).toBeLessThanOrEqual(width);
        expect(drawn.area.right - drawn.area.left).toBeGreaterThan(Math.min(width * 0.7, 400));
        const words = drawn.texts.map((t) => t.text);
        for (const name of legend) expect(words).toContain(name);
        for (const t of drawn.texts) {
          expect(t.fontSize, t.text).toBeGreaterThanOrEqual(11);
          for (const c of t.corners) {
            expect(c.x, `${t.text} cut off`).toBeGreaterThanOrEqual(drawn.area.left - 1);
            expect(c.x, `${t.text} cut off`).toBeLessThanOrEqual(drawn.area.right + 1);
            expect(c.y, `${t.text} cut off`).toBeGreaterThanOrEqual(drawn.area.top - 1);
            expect(c.y, `${t.text} cut off`).toBeLessThanOrEqual(drawn.area.bottom + 1);
          }
        }
        const collisions = [];
        for (const [i, a] of drawn.texts.entries())
          for (const b of drawn.texts.slice(i + 1))
            if (overlap(a.corners, b.corners)) collisions.push(`${a.text} × ${b.text}`);
        expect(collisions).toEqual([]);
        await chart.screenshot({ path: `${screenshotDir}/analytics-chart-${legend.length}-${width}.png` });
        // Every bar keeps its label, none skipped to make room; a long one may end in an ellipsis on a phone.
        if (chart === pareto)
          for (const label of labels)
            expect(words.some((w) => w === label || (w.endsWith('...') && label.startsWith(w.slice(0, -3))))).toBe(
              true,
            );
      }
      await page.screenshot({ path: `${screenshotDir}/analytics-${width}.png`, fullPage: true });
      await page.context().close();
    });
  }
});

type Point = { x: number; y: number };

/** Whether two convex quadrilaterals (rotated label boxes) overlap by more than a pixel: separating axes. */
function overlap(a: Point[], b: Point[]): boolean {
  for (const shape of [a, b]) {
    for (const [i, p] of shape.entries()) {
      const q = shape[(i + 1) % shape.length]!;
      const axis = { x: q.y - p.y, y: p.x - q.x };
      const length = Math.hypot(axis.x, axis.y) || 1;
      const project = (s: Point[]) => s.map((r) => (r.x * axis.x + r.y * axis.y) / length);
      const [pa, pb] = [project(a), project(b)];
      if (Math.max(...pa) - 1 <= Math.min(...pb) || Math.max(...pb) - 1 <= Math.min(...pa)) return false;
    }
  }
  return true;
}
