import type { Readable } from 'node:stream';
import type { Ticket } from '@serviceloop/contracts';
import { type ExportFormat, tableExport } from '../../platform/http/table-export';
import { type Locale, translate } from '../../platform/i18n';

/** The columns of a ticket export, headed in the reader's language (messages `export.ticket.*`). */
const COLUMNS: { key: string; value: (t: Ticket, category: (id: string | null) => string) => unknown }[] = [
  { key: 'number', value: (t) => t.number },
  { key: 'title', value: (t) => t.title },
  { key: 'state', value: (t) => t.state },
  { key: 'priority', value: (t) => t.priority },
  { key: 'channel', value: (t) => t.channel },
  { key: 'customer', value: (t) => t.customerName },
  { key: 'serialNumber', value: (t) => t.serialNumber },
  { key: 'region', value: (t) => t.regionCode },
  { key: 'category', value: (t, category) => category(t.categoryId) },
  { key: 'reportedAt', value: (t) => t.reportedAt },
  { key: 'closedAt', value: (t) => t.closedAt },
  { key: 'csat', value: (t) => t.csat },
  { key: 'repeat', value: (t) => (t.isRepeat ? 'Y' : '') },
];

export const EXPORT_MESSAGES = {
  'export.ticket.number': { 'zh-CN': '工单号', 'en-US': 'Number' },
  'export.ticket.title': { 'zh-CN': '故障标题', 'en-US': 'Title' },
  'export.ticket.state': { 'zh-CN': '状态', 'en-US': 'State' },
  'export.ticket.priority': { 'zh-CN': '优先级', 'en-US': 'Priority' },
  'export.ticket.channel': { 'zh-CN': '渠道', 'en-US': 'Channel' },
  'export.ticket.customer': { 'zh-CN': '客户', 'en-US': 'Customer' },
  'export.ticket.serialNumber': { 'zh-CN': '设备序列号', 'en-US': 'Serial number' },
  'export.ticket.region': { 'zh-CN': '区域代码', 'en-US': 'Region code' },
  'export.ticket.category': { 'zh-CN': '故障分类', 'en-US': 'Fault category' },
  'export.ticket.reportedAt': { 'zh-CN': '报修时间', 'en-US': 'Reported at' },
  'export.ticket.closedAt': { 'zh-CN': '关闭时间', 'en-US': 'Closed at' },
  'export.ticket.csat': { 'zh-CN': '满意度', 'en-US': 'CSAT' },
  'export.ticket.repeat': { 'zh-CN': '重复维修', 'en-US': 'Repeat repair' },
  'export.ticket.sheet': { 'zh-CN': '工单', 'en-US': 'Tickets' },
};

export type { ExportFormat } from '../../platform/http/table-export';

/**
 * Streams pages of tickets as CSV or xlsx through the shared table writer: memory stays flat
 * however many tickets match.
 */
export function ticketExport(
  pages: AsyncGenerator<Ticket[]>,
  format: ExportFormat,
  locale: Locale,
  category: (id: string | null) => string,
): Readable {
  return tableExport(
    COLUMNS.map((c) => ({ header: translate(`export.ticket.${c.key}`, locale), width: c.key === 'title' ? 40 : 18 })),
    (async function* () {
      for await (const page of pages) yield page.map((t) => COLUMNS.map((c) => c.value(t, category)));
    })(),
    format,
    translate('export.ticket.sheet', locale),
  );
}
