import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvCell } from './crud';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportColumn {
  /** Heading in the reader's language. */
  header: string;
  width?: number;
  /** Excel number format for the column (e.g. `0.0%`); CSV carries the raw value. */
  numFmt?: string;
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Streams a table as CSV (with a BOM, so Excel reads Chinese) or as an xlsx workbook written row
 * by row with exceljs' streaming writer: rows arrive in pages and leave as they come, so memory
 * stays flat however many rows there are. Ticket lists and report results both leave this way.
 */
export function tableExport(
  columns: ExportColumn[],
  pages: AsyncIterable<unknown[][]>,
  format: ExportFormat,
  sheetName: string,
): Readable {
  if (format === 'csv') {
    return Readable.from(
      (async function* () {
        yield `\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\n`;
        for await (const page of pages) for (const row of page) yield `${row.map(csvCell).join(',')}\n`;
      })(),
    );
  }
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? 18,
    style: c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  void (async () => {
    try {
      for await (const page of pages) for (const row of page) sheet.addRow(row.map((v) => v ?? null)).commit();
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}

/** `attachment; filename=…` that keeps a Chinese name readable (RFC 6266 `filename*`) with an ASCII fallback. */
export function attachment(name: string, format: string): string {
  const ascii = name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'export';
  return `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`;
}
