import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiSession, DEMO_PASSWORD, type RunningApp, signIn, startApp } from './harness';

/** Every console page a menu reaches (detail pages are reached from their lists). */
const PAGES = [
  '/console',
  '/console/tickets',
  '/console/tickets/new',
  '/console/dispatch',
  '/console/engineers',
  '/console/customers',
  '/console/devices',
  '/console/product-models',
  '/console/contracts',
  '/console/parts',
  '/console/analytics',
  '/console/reports',
  '/console/dashboards',
  '/console/forms',
  '/console/workflows',
  '/console/config',
  '/console/portal',
  '/console/taxonomy',
  '/console/sla',
  '/console/automation',
  '/console/notifications',
  '/console/imports',
  '/console/data-dictionary',
  '/console/users',
  '/console/roles',
  '/console/tokens',
  '/console/security',
  '/console/audit',
];

/** An i18n key shown as it is: `analytics.nps`, `tickets.states.on_site`. */
const RAW_KEY = /^[a-z][a-zA-Z]*(\.[a-zA-Z0-9_]+)+$/;

/**
 * Latin text a Chinese reader is meant to see: codes (ticket numbers, SKUs, serials, asset codes,
 * models — anything with a digit), the trade's abbreviations, units, addresses on the internet.
 */
const ALLOWED = [
  /\d/,
  /^(NPS|SLA|CSAT|KPI|API|PDF|CSV|ICS|QR|FAQ|ERP|CRM|MQTT|URL|SMTP|JSON|ID|IP|S\/N|SN|SKU|OpenAPI|Excel|xlsx|csv|ServiceLoop|WeCom|DingTalk|Feishu|Webhook|webhook|English|HTTP|HTTPS|TOTP|SSO|CNY|VIP|P[0-3])$/,
  /^(kg|mm|cm|km|h|min|s|MB|KB|GB|pcs)$/,
  // Keyboard keys, as printed on the keys: the search shortcut Ctrl K.
  /^(Ctrl|Shift|Alt|Enter|Esc|Tab|[A-Z])$/,
  /^[\w.+-]+@[\w.-]+$/,
  /^https?:\/\//,
];

/** Visible text runs of the page, each as the element shows it. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      // `translate="no"` marks codes on purpose (sign-in names, category codes, event codes).
      if (!text || !parent || parent.closest('script,style,noscript,code,pre,[translate=no]')) continue;
      if (!parent.checkVisibility?.()) continue;
      texts.push(text);
    }
    // What a reader sees on fields and on hover (icons' aria-labels are antd's own names, left out).
    for (const el of document.querySelectorAll<HTMLElement>('[placeholder],[title]'))
      for (const attr of ['placeholder', 'title'])
        if (el.getAttribute(attr) && el.checkVisibility?.() && !el.closest('[translate=no]'))
          texts.push(el.getAttribute(attr)!.trim());
    return texts;
  });
}

/** Credits that stay as their owners spell them. */
const CREDITS = new Set(['React Flow']);

/** Why a text does not belong in the Chinese UI, or null. */
function untranslated(text: string): string | null {
  if (RAW_KEY.test(text)) return 'raw i18n key';
  if (CREDITS.has(text)) return null;
  if (!/[A-Za-z]{2,}/.test(text) || /[^ -~]/.test(text)) return null;
  const words = text.split(/[\s,;:()·|–]+/).filter((w) => /[A-Za-z]/.test(w));
  return words.every((w) => ALLOWED.some((a) => a.test(w))) ? null : 'English';
}

/** The desktop and the phone: the pages people open on both are walked at both sizes. */
const SIZES = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

/** Opens each path at each size and lists what is untranslated there. */
async function walk(page: Page, paths: string[], sizes = SIZES): Promise<string[]> {
  const found: string[] = [];
  for (const size of sizes) {
    await page.setViewportSize(size);
    for (const path of paths) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      // A page that failed shows the error page: in Chinese, but not what was to be walked.
      expect(await page.getByTestId('route-error').count(), `${path} at ${size.width}`).toBe(0);
      for (const text of new Set(await visibleTexts(page))) {
        const why = untranslated(text);
        if (why) found.push(`${path} @${size.width}: ${why}: ${JSON.stringify(text)}`);
      }
    }
  }
  return [...new Set(found)];
}

describe('the Chinese UI has nothing English or raw in it', () => {
  let app: RunningApp;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await app.page({ width: 1440, height: 900 });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByText('欢迎，系统管理员').waitFor();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('walks every console page in zh-CN and finds no untranslated key or English label', async () => {
    expect(await walk(page, PAGES, [SIZES[0]!])).toEqual([]);
  });

  it("walks a closed ticket's page and a customer's 360° page on the desktop and the phone", async () => {
    const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    const [closed] = (await admin.get('/tickets?state=closed&pageSize=1')).items;
    const [customer] = (await admin.get('/customers?pageSize=1')).items;
    const found = await walk(page, [`/console/tickets/${closed.id}`, `/console/customers/${customer.id}`]);
    await page.setViewportSize(SIZES[0]!);
    expect(found).toEqual([]);
  });

  it("walks the customer's portal: the requests, a ticket's tracking page and the report form", async () => {
    const phone = await app.page(SIZES[1]);
    await signIn(phone, 'customer', DEMO_PASSWORD);
    await phone.waitForURL(/\/portal$/);
    const ticket = await phone.locator('a[href^="/portal/tickets/"]').first().getAttribute('href');
    expect(await walk(phone, ['/portal', ticket!, '/portal/report'])).toEqual([]);
    await phone.context().close();
  });

  it("walks the engineer's field app: today's jobs and a job's page", async () => {
    const phone = await app.page(SIZES[1]);
    await signIn(phone, 'engineer', DEMO_PASSWORD);
    await phone.waitForURL(/\/console$/);
    await phone.goto('/field');
    const job = await phone.locator('a[href^="/field/jobs/"]').first().getAttribute('href');
    expect(await walk(phone, ['/field', job!])).toEqual([]);
    await phone.context().close();
  });

  it("edits a business calendar's extra holidays as dates picked on a calendar, not typed text", async () => {
    await page.goto('/console/sla');
    await page.getByRole('tab', { name: '工作日历' }).click();
    const calendars = page.getByTestId('sla-calendars');
    await calendars
      .getByRole('button', { name: /编\s?辑/ })
      .first()
      .click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.waitFor();
    await drawer.locator('.ant-form-item').filter({ hasText: '额外休息日' }).locator('.ant-picker').click();
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    await page.locator(`td[title="${month}-24"]`).first().click();
    await page.keyboard.press('Escape');
    await page.getByTestId('save').click();
    const admin = await apiSession(app.url, 'admin', ADMIN_PASSWORD);
    await expect
      .poll(async () =>
        ((await admin.get('/sla/calendars')).items as { extraHolidays: string[] }[]).some((c) =>
          c.extraHolidays.includes(`${month}-24`),
        ),
      )
      .toBe(true);
  });
});
