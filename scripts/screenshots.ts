/**
 * The configuration guide's screenshots (docs/images/*.png), taken from the built app with demo
 * data in Chromium, Chinese UI: `npm run build && npm run screenshots`. Each image is quantised to
 * a 256-colour palette so the repository stays small.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { ADMIN_PASSWORD, apiSession, DEMO_PASSWORD, signIn, startApp } from '../tests/e2e/harness';

const out = path.resolve(import.meta.dirname, '../docs/images');
mkdirSync(out, { recursive: true });

async function shot(page: Page, name: string, options: { fullPage?: boolean; clip?: string } = {}) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  const raw = options.clip
    ? await page.locator(options.clip).first().screenshot()
    : await page.screenshot({ fullPage: options.fullPage ?? false });
  const png = await sharp(raw).png({ palette: true, colours: 256, compressionLevel: 9 }).toBuffer();
  writeFileSync(path.join(out, `${name}.png`), png);
  console.log(`${name}.png ${(png.length / 1024).toFixed(0)} kB`);
}

const app = await startApp();
try {
  const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
  // A form worth showing: the issue's field, a cascade, and the kinds that are more than text.
  for (const field of [
    {
      key: 'affectedLines',
      labelZh: '停机影响产线数',
      labelEn: 'Production lines stopped',
      kind: 'number',
      required: true,
      min: 0,
      helpZh: '因本故障停机的产线条数',
      helpEn: 'Lines stopped by this fault',
    },
    {
      key: 'area',
      labelZh: '现场区域',
      labelEn: 'Site area',
      kind: 'cascade',
      choices: [
        {
          value: '310000',
          labelZh: '上海市',
          labelEn: 'Shanghai',
          children: [{ value: '310115', labelZh: '浦东新区', labelEn: 'Pudong' }],
        },
      ],
    },
    { key: 'siteLocation', labelZh: '现场位置', labelEn: 'Site location', kind: 'location' },
    { key: 'device', labelZh: '故障设备', labelEn: 'Device', kind: 'reference', reference: 'device' },
    { key: 'photos', labelZh: '现场照片', labelEn: 'Photos', kind: 'attachment', max: 3 },
    { key: 'reporterSign', labelZh: '报修人签名', labelEn: 'Reporter signature', kind: 'signature' },
  ].entries())
    await admin.post('/forms/fields', { ...field[1], position: field[0] });
  await admin.post('/notifications/endpoints', {
    kind: 'wecom',
    name: '华东硬件组群',
    url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-demo',
  });

  const page = await app.page({ width: 1360, height: 860 });
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.getByText('欢迎').waitFor();

  await page.goto('/console/forms');
  await page.locator('.ant-table-row').filter({ hasText: 'reporterSign' }).waitFor();
  await shot(page, 'forms-designer', { fullPage: true });
  await page.locator('.ant-table-row').filter({ hasText: 'device' }).getByRole('button').click();
  await page.locator('.ant-modal #reference').waitFor();
  await shot(page, 'forms-field-reference', { clip: '.ant-modal' });
  await page.keyboard.press('Escape');

  await page.goto('/console/tickets/new');
  await page.getByText('现场位置').waitFor();
  await shot(page, 'forms-report', { fullPage: true });

  await page.goto('/console/sla');
  await page.locator('.ant-table-row:visible').first().waitFor();
  await shot(page, 'sla-policies');
  await page.getByRole('tab', { name: '工作日历' }).click();
  await page.locator('.ant-table-row:visible').first().waitFor();
  await shot(page, 'sla-calendars');

  await page.goto('/console/notifications');
  await page.locator('.ant-table-row:visible').first().waitFor();
  await shot(page, 'notifications-subscriptions');
  await page.getByRole('tab', { name: '机器人与 Webhook' }).click();
  await page.locator('.ant-table-row:visible').filter({ hasText: '华东硬件组群' }).waitFor();
  await shot(page, 'notifications-endpoints');
  await page.getByRole('tab', { name: '消息模板' }).click();
  await page.locator('.ant-table-row:visible').first().waitFor();
  await shot(page, 'notifications-templates');

  // Export, then import the same document with a change, as from a test installation.
  await page.goto('/console/config');
  await page.getByTestId('config-upload').waitFor();
  const document = await admin.get('/config/export');
  document.sections['forms.fields'][0].labelZh = '停机影响产线数（条）';
  document.sections['notifications.endpoints'].push({ name: '生产环境告警群', kind: 'dingtalk', enabled: true });
  document.sourceInstallation = 'test.serviceloop.example';
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sl-shots-')), 'serviceloop-config.json');
  writeFileSync(file, JSON.stringify(document, null, 2));
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('config-preview').click();
  await page.getByText('生产环境告警群').first().waitFor();
  await shot(page, 'config-secrets', { fullPage: true });
  await page.getByPlaceholder('地址 https://…').fill('https://oapi.dingtalk.com/robot/send?access_token=demo');
  await page.getByTestId('config-preview').click();
  await page.getByText('预览：来自').waitFor();
  await shot(page, 'config-preview', { fullPage: true });

  // What people look for in their first minutes (issue 13): each role's home, the header's
  // search, a closed ticket's page; then the customer's and the engineer's phones.
  for (const [user, name] of [
    ['manager', 'home-manager'],
    ['agent', 'home-dispatcher'],
  ] as const) {
    const home = await app.page({ width: 1360, height: 860 });
    await signIn(home, user, DEMO_PASSWORD);
    await home.getByText('欢迎').waitFor();
    await shot(home, name);
    await home.context().close();
  }
  await page.goto('/console');
  await page.getByTestId('global-search').waitFor();
  await page.keyboard.press('Control+k');
  await page.getByTestId('global-search-input').fill('szjg');
  await page.getByTestId('search-hit-customers').first().waitFor();
  await shot(page, 'global-search');
  await page.keyboard.press('Escape');
  const [closed] = (await admin.get('/tickets?state=closed&pageSize=1')).items;
  await page.goto(`/console/tickets/${closed.id}`);
  await page.getByText(closed.number).first().waitFor();
  await shot(page, 'ticket-page', { fullPage: true });

  const customer = await app.page({ width: 390, height: 844 });
  await signIn(customer, 'customer', DEMO_PASSWORD);
  await customer.getByTestId('ticket-card').first().waitFor();
  await shot(customer, 'portal-phone');
  await customer.context().close();
  const engineer = await app.page({ width: 390, height: 844 });
  await signIn(engineer, 'engineer', DEMO_PASSWORD);
  await engineer.waitForURL(/\/console/);
  await engineer.goto('/field');
  await engineer.locator('a[href^="/field/jobs/"]').first().waitFor();
  await shot(engineer, 'field-phone');
  await engineer.context().close();
} finally {
  await app.stop();
}
