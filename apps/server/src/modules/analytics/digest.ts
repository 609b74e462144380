import type { Kpis } from '@serviceloop/contracts';
import type { SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { type Locale, registerMessages, translate } from '../../platform/i18n';
// The digest reads facts directly: a weekly job, exact for any scope, where the rollup serves only some.
import { backlog, kpisFromFacts } from './kpis';
import { pareto } from './reports';
import { detectSpikes } from './spikes';

/**
 * The weekly digest's content: last week's KPIs against the week before, the top fault
 * categories, spikes and the backlog — computed within one reader's analytics scope and rendered
 * as an HTML email (with a plain-text twin) in their language. Weeks run Monday 00:00 to Monday
 * 00:00 China time, the way the service organisation counts them.
 */

const WEEK_MS = 7 * 86_400_000;
/** China has one time zone and no daylight saving: Monday 08:00 +08:00 is always Monday 00:00 UTC. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Monday 08:00 Asia/Shanghai at or before `now` (the digest's send slot). */
export function digestSlot(now: Date): Date {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const daysSinceMonday = (local.getUTCDay() + 6) % 7;
  const mondayLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysSinceMonday, 8);
  const slot = mondayLocal - SHANGHAI_OFFSET_MS;
  return new Date(slot <= now.getTime() ? slot : slot - WEEK_MS);
}

export const nextDigestSlot = (now: Date) => new Date(digestSlot(now).getTime() + WEEK_MS);

/** The week a slot reports on: the Monday-to-Monday (00:00 China time) before it. */
export function digestWeek(slot: Date) {
  const end = new Date(slot.getTime() - 8 * 3_600_000);
  return { from: new Date(end.getTime() - WEEK_MS), to: end };
}

export interface DigestNumbers {
  tickets: number;
  closed: number;
  /** Mean resolution time (closed − created) in hours. */
  mttrHours: number | null;
  resolutionSla: number | null;
  firstContactResolution: number | null;
  csat: number | null;
}

export interface WeeklyDigest {
  from: Date;
  to: Date;
  week: DigestNumbers;
  previous: DigestNumbers;
  topCategories: { label: string; count: number; share: number }[];
  spikes: { label: string; count: number; baseline: number }[];
  backlog: { open: number; overdue: number; olderThanWeek: number };
}

const numbers = (k: Kpis): DigestNumbers => ({
  tickets: k.created,
  closed: k.closed,
  mttrHours: k.timeToResolve.mean === null ? null : k.timeToResolve.mean / 60,
  resolutionSla: k.resolutionSla.value,
  firstContactResolution: k.firstContactResolution.value,
  csat: k.csat.mean,
});

export async function weeklyDigest(
  db: Executor,
  slot: Date,
  scope: SQL,
  locale: Locale,
  ratePerHour: number,
): Promise<WeeklyDigest> {
  const { from, to } = digestWeek(slot);
  const before = { from: new Date(from.getTime() - WEEK_MS).toISOString(), to: from.toISOString() };
  const week = { from: from.toISOString(), to: to.toISOString() };
  const [thisWeek, lastWeek, top, spikes, open] = [
    await kpisFromFacts(db, week, scope, ratePerHour),
    await kpisFromFacts(db, before, scope, ratePerHour),
    await pareto(db, 'rootCategory', week, scope, locale, 5),
    await detectSpikes(db, to, scope),
    await backlog(db, {}, scope, slot),
  ];
  return {
    from,
    to,
    week: numbers(thisWeek),
    previous: numbers(lastWeek),
    topCategories: top.bars.map((b) => ({ label: b.label, count: b.count, share: b.share })),
    spikes: spikes.map((s) => ({ label: s.label, count: s.count, baseline: s.baseline })),
    backlog: {
      open: open.open,
      overdue: open.overdue,
      olderThanWeek: open.byAge.find((a) => a.age === 'gt7d')?.count ?? 0,
    },
  };
}

registerMessages({
  'digest.subject': { 'zh-CN': '售后服务周报 {from} – {to}', 'en-US': 'Service weekly digest {from} – {to}' },
  'digest.intro': {
    'zh-CN': '上周（{from} 至 {to}）的服务指标，括号内为前一周。',
    'en-US': 'Last week ({from} to {to}); the week before in brackets.',
  },
  'digest.kpis': { 'zh-CN': '关键指标', 'en-US': 'Key figures' },
  'digest.metric': { 'zh-CN': '指标', 'en-US': 'Measure' },
  'digest.lastWeek': { 'zh-CN': '上周', 'en-US': 'Last week' },
  'digest.weekBefore': { 'zh-CN': '前一周', 'en-US': 'Week before' },
  'digest.change': { 'zh-CN': '变化', 'en-US': 'Change' },
  'digest.tickets': { 'zh-CN': '新建工单', 'en-US': 'New tickets' },
  'digest.closed': { 'zh-CN': '关闭工单', 'en-US': 'Closed tickets' },
  'digest.mttr': { 'zh-CN': '平均解决时长（小时）', 'en-US': 'Mean time to resolve (hours)' },
  'digest.sla': { 'zh-CN': '解决时效达成率', 'en-US': 'Resolution SLA compliance' },
  'digest.fcr': { 'zh-CN': '一次解决率', 'en-US': 'First-contact resolution' },
  'digest.csat': { 'zh-CN': '客户满意度（1–5）', 'en-US': 'CSAT (1–5)' },
  'digest.topCategories': { 'zh-CN': '主要故障类别', 'en-US': 'Top fault categories' },
  'digest.category': { 'zh-CN': '故障类别', 'en-US': 'Fault category' },
  'digest.count': { 'zh-CN': '工单数', 'en-US': 'Tickets' },
  'digest.share': { 'zh-CN': '占比', 'en-US': 'Share' },
  'digest.spikes': { 'zh-CN': '异常上升', 'en-US': 'Spikes' },
  'digest.spike': {
    'zh-CN': '{label}：近 7 天 {count} 单（基线 {baseline}）',
    'en-US': '{label}: {count} tickets in 7 days (baseline {baseline})',
  },
  'digest.noSpikes': { 'zh-CN': '无显著异常', 'en-US': 'No significant spikes' },
  'digest.backlog': { 'zh-CN': '积压工单', 'en-US': 'Backlog' },
  'digest.backlogLine': {
    'zh-CN': '未关闭 {open} 单，其中超期 {overdue} 单，超过 7 天 {old} 单',
    'en-US': '{open} open, {overdue} overdue, {old} older than 7 days',
  },
  'digest.open': { 'zh-CN': '打开仪表盘', 'en-US': 'Open the dashboard' },
  'digest.why': {
    'zh-CN': '您收到此邮件是因为订阅了每周摘要；可在通知偏好中退订。',
    'en-US':
      'You receive this because you subscribe to the weekly digest; unsubscribe in your notification preferences.',
  },
});

const chinaDate = (d: Date) => new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Row = { key: string; value: number | null; previous: number | null; format: (n: number) => string };

/** The digest as an email: subject, plain text and HTML, in one language. */
export function renderDigest(digest: WeeklyDigest, locale: Locale, dashboardUrl: string | null) {
  const t = (key: string, params?: Record<string, unknown>) => translate(`digest.${key}`, locale, params);
  const range = { from: chinaDate(digest.from), to: chinaDate(new Date(digest.to.getTime() - 1)) };
  const count = (n: number) => n.toLocaleString(locale);
  const percent = (n: number) => `${(n * 100).toFixed(1)}%`;
  const fixed = (n: number) => n.toFixed(1);
  const rows: Row[] = [
    { key: 'tickets', value: digest.week.tickets, previous: digest.previous.tickets, format: count },
    { key: 'closed', value: digest.week.closed, previous: digest.previous.closed, format: count },
    { key: 'mttr', value: digest.week.mttrHours, previous: digest.previous.mttrHours, format: fixed },
    { key: 'sla', value: digest.week.resolutionSla, previous: digest.previous.resolutionSla, format: percent },
    {
      key: 'fcr',
      value: digest.week.firstContactResolution,
      previous: digest.previous.firstContactResolution,
      format: percent,
    },
    { key: 'csat', value: digest.week.csat, previous: digest.previous.csat, format: (n) => n.toFixed(2) },
  ];
  const shown = (n: number | null, format: Row['format']) => (n === null ? '—' : format(n));
  const change = (r: Row) => {
    if (r.value === null || r.previous === null) return '—';
    const delta = r.value - r.previous;
    const arrow = delta > 0 ? '▲' : delta < 0 ? '▼' : '=';
    const size = r.format === percent ? `${(Math.abs(delta) * 100).toFixed(1)} pt` : r.format(Math.abs(delta));
    return delta === 0 ? arrow : `${arrow} ${size}`;
  };
  const backlogLine = t('backlogLine', {
    open: digest.backlog.open,
    overdue: digest.backlog.overdue,
    old: digest.backlog.olderThanWeek,
  });
  const spikeLines = digest.spikes.map((s) =>
    t('spike', { label: s.label, count: s.count, baseline: s.baseline.toFixed(1) }),
  );

  const text = [
    t('intro', range),
    '',
    `${t('kpis')}:`,
    ...rows.map((r) => `- ${t(r.key)}: ${shown(r.value, r.format)} (${shown(r.previous, r.format)}) ${change(r)}`),
    '',
    `${t('topCategories')}:`,
    ...digest.topCategories.map((c) => `- ${c.label}: ${count(c.count)} (${c.share.toFixed(1)}%)`),
    '',
    `${t('spikes')}:`,
    ...(spikeLines.length ? spikeLines.map((l) => `- ${l}`) : [`- ${t('noSpikes')}`]),
    '',
    `${t('backlog')}: ${backlogLine}`,
    ...(dashboardUrl ? ['', `${t('open')}: ${dashboardUrl}`] : []),
    '',
    t('why'),
  ].join('\n');

  const cell = 'style="padding:4px 10px;border-bottom:1px solid #eee"';
  const num = 'style="padding:4px 10px;border-bottom:1px solid #eee;text-align:right"';
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(t('subject', range))}</title></head>
<body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#222">
<p>${escapeHtml(t('intro', range))}</p>
<h3>${escapeHtml(t('kpis'))}</h3>
<table style="border-collapse:collapse">
<tr><th ${cell}>${escapeHtml(t('metric'))}</th><th ${num}>${escapeHtml(t('lastWeek'))}</th><th ${num}>${escapeHtml(t('weekBefore'))}</th><th ${num}>${escapeHtml(t('change'))}</th></tr>
${rows
  .map(
    (r) =>
      `<tr><td ${cell}>${escapeHtml(t(r.key))}</td><td ${num}>${shown(r.value, r.format)}</td><td ${num}>${shown(r.previous, r.format)}</td><td ${num}>${change(r)}</td></tr>`,
  )
  .join('\n')}
</table>
<h3>${escapeHtml(t('topCategories'))}</h3>
<table style="border-collapse:collapse">
<tr><th ${cell}>${escapeHtml(t('category'))}</th><th ${num}>${escapeHtml(t('count'))}</th><th ${num}>${escapeHtml(t('share'))}</th></tr>
${digest.topCategories
  .map(
    (c) =>
      `<tr><td ${cell}>${escapeHtml(c.label)}</td><td ${num}>${count(c.count)}</td><td ${num}>${c.share.toFixed(1)}%</td></tr>`,
  )
  .join('\n')}
</table>
<h3>${escapeHtml(t('spikes'))}</h3>
<ul>${(spikeLines.length ? spikeLines : [t('noSpikes')]).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<h3>${escapeHtml(t('backlog'))}</h3>
<p>${escapeHtml(backlogLine)}</p>
${dashboardUrl ? `<p><a href="${escapeHtml(dashboardUrl)}">${escapeHtml(t('open'))}</a></p>` : ''}
<p style="color:#888;font-size:12px">${escapeHtml(t('why'))}</p>
</body></html>`;
  return { subject: t('subject', range), text, html };
}
