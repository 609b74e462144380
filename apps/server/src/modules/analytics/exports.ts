import type { Readable } from 'node:stream';
import type { ReportDefinition } from '@serviceloop/contracts';
import type { SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { type ExportFormat, tableExport } from '../../platform/http/table-export';
import { type Locale, translate } from '../../platform/i18n';
import { runReport } from './builder';
import { columnLabel, RATIO_MEASURES } from './labels';

/**
 * How many result rows an export carries. The screen shows a report's top `limit` rows (≤ 500);
 * the spreadsheet is for the whole picture, so it takes every group up to this bound.
 */
export const EXPORT_ROWS = 100_000;

/**
 * A report-builder result as CSV or xlsx: headings in the reader's language, shares as
 * percentages in Excel (raw 0–1 values in CSV, which other tools read back).
 */
export async function reportExport(
  db: Executor,
  definition: ReportDefinition,
  scope: SQL,
  format: ExportFormat,
  locale: Locale,
): Promise<Readable> {
  const result = await runReport(db, { ...definition, limit: EXPORT_ROWS }, scope, locale);
  const columns = result.columns.map((c) => ({
    header: columnLabel(c, definition.dimensions, locale),
    width: definition.dimensions.includes(c as never) ? 28 : 16,
    numFmt: RATIO_MEASURES.has(c) ? '0.0%' : undefined,
  }));
  return tableExport(
    columns,
    // One grouped query (at most EXPORT_ROWS groups); the file itself is written as a stream.
    (async function* () {
      yield result.rows.map((r) => result.columns.map((c) => r[c]));
    })(),
    format,
    translate('analytics.report_sheet', locale),
  );
}
