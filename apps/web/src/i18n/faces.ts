/**
 * The message sections the customer portal reads (its pages, sign-in, error pages, and the ticket
 * states and attachments it shows). Its first load carries only these, split out of the zh-CN/
 * files at build time; the console and the field app load the rest with their layouts. A portal
 * page that reads another section would show a raw key: tests/e2e/zh-ui.e2e.ts walks the portal.
 */
export const PORTAL_SECTIONS = ['app', 'common', 'errorPage', 'auth', 'portal', 'tickets'];
