import type { ParetoDimension, ReportMeasure } from '@serviceloop/contracts';
import { type Locale, registerMessages, translate } from '../../platform/i18n';

/**
 * Server-side names of report dimensions and measures, for what leaves the server already
 * rendered (spreadsheet headings, the dashboard PDF, the weekly digest). Same wording as the
 * web app's `analytics.dimensions.*` / `analytics.reportMeasures.*`.
 */
registerMessages({
  'analytics.dimension.productModel': { 'zh-CN': '产品型号', 'en-US': 'Product model' },
  'analytics.dimension.region': { 'zh-CN': '区域', 'en-US': 'Region' },
  'analytics.dimension.batch': { 'zh-CN': '批次', 'en-US': 'Batch' },
  'analytics.dimension.category': { 'zh-CN': '故障子类', 'en-US': 'Fault sub-type' },
  'analytics.dimension.rootCategory': { 'zh-CN': '故障类别', 'en-US': 'Fault category' },
  'analytics.dimension.customer': { 'zh-CN': '客户', 'en-US': 'Customer' },
  'analytics.dimension.industry': { 'zh-CN': '行业', 'en-US': 'Industry' },
  'analytics.dimension.channel': { 'zh-CN': '渠道', 'en-US': 'Channel' },
  'analytics.dimension.engineer': { 'zh-CN': '工程师', 'en-US': 'Engineer' },
  'analytics.measure.tickets': { 'zh-CN': '工单数', 'en-US': 'Tickets' },
  'analytics.measure.closed': { 'zh-CN': '已关闭', 'en-US': 'Closed' },
  'analytics.measure.firstContactResolution': { 'zh-CN': '一次解决率', 'en-US': 'First-contact resolution' },
  'analytics.measure.firstTimeFix': { 'zh-CN': '首次修复率', 'en-US': 'First-time fix' },
  'analytics.measure.csat': { 'zh-CN': '满意度', 'en-US': 'CSAT' },
  'analytics.measure.medianTimeToResolve': {
    'zh-CN': '解决时长中位数（分钟）',
    'en-US': 'Median time to resolve (min)',
  },
  'analytics.measure.resolutionSla': { 'zh-CN': '解决时效达成率', 'en-US': 'Resolution SLA met' },
  'analytics.measure.repeatRepair': { 'zh-CN': '返修率', 'en-US': 'Repeat repairs' },
  'analytics.cumulative': { 'zh-CN': '累计占比', 'en-US': 'Cumulative share' },
  'analytics.report_sheet': { 'zh-CN': '报表', 'en-US': 'Report' },
  'analytics.pdf_taken': { 'zh-CN': '生成时间：{at}（北京时间）', 'en-US': 'Taken at {at} (China time)' },
  'analytics.pdf_unavailable': {
    'zh-CN': '该报表已删除或未共享给您',
    'en-US': 'This report was deleted or is not shared with you',
  },
  'analytics.pdf_empty': { 'zh-CN': '暂无数据', 'en-US': 'No data' },
  'analytics.pdf_more': {
    'zh-CN': '另有 {n} 行未显示，请导出 Excel 查看',
    'en-US': '{n} more rows: export to Excel for all',
  },
});

/** Measures that are shares (0–1): shown as percentages. */
export const RATIO_MEASURES = new Set<string>([
  'firstContactResolution',
  'firstTimeFix',
  'resolutionSla',
  'repeatRepair',
]);

export const columnLabel = (column: string, dimensions: readonly string[], locale: Locale) =>
  translate(`analytics.${dimensions.includes(column) ? 'dimension' : 'measure'}.${column}`, locale);

export const dimensionLabel = (d: ParetoDimension, locale: Locale) => translate(`analytics.dimension.${d}`, locale);
export const measureLabel = (m: ReportMeasure, locale: Locale) => translate(`analytics.measure.${m}`, locale);

/** A measure value as a reader sees it: shares in %, counts with separators, the rest to two places. */
export function formatMeasure(measure: string, value: unknown, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  if (RATIO_MEASURES.has(measure)) return `${(n * 100).toFixed(1)}%`;
  return Number.isInteger(n) ? n.toLocaleString(locale) : n.toFixed(2);
}
