import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FileStorage } from '../../platform/files/index';
import { newId } from '../../platform/ids';
import { type Cell, cellText, UncachedFormula } from './cells';
import type { Sheet } from './sheet';

/**
 * The file a refused import hands back: the original header and rows, plus one column saying
 * what is wrong with each row — so the user fixes the cells in Excel and uploads it again
 * (the error column is simply left unmapped).
 */
export async function writeErrorFile(
  storage: FileStorage,
  tmpDir: string,
  sheet: Sheet,
  errorsByLine: Map<number, string[]>,
  errorHeader: string,
): Promise<string> {
  await mkdir(tmpDir, { recursive: true });
  const temp = path.join(tmpDir, `${newId()}.xlsx`);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: temp,
      useStyles: true,
      useSharedStrings: false,
    });
    const worksheet = workbook.addWorksheet('errors');
    const header = worksheet.addRow([errorHeader, ...sheet.headers]);
    header.font = { bold: true };
    header.commit();
    for (const row of sheet.rows) {
      const errors = errorsByLine.get(row.line);
      const out = worksheet.addRow([errors ? errors.join('；') : '', ...row.cells.map(asWritten)]);
      if (errors) out.getCell(1).font = { color: { argb: 'FFC00000' } };
      out.commit();
    }
    worksheet.commit();
    await workbook.commit();
    const key = `imports/${newId()}-errors.xlsx`;
    await storage.putFile(key, temp, {
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      sizeBytes: (await stat(temp)).size,
    });
    return key;
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Cells go back as the user wrote them: dates as text in the wall clock they were typed in, a
 * formula without a result as its text (as a formula it would point one column off, behind the
 * error column, and again have no result).
 */
const asWritten = (cell: Cell) => (cell instanceof Date || cell instanceof UncachedFormula ? cellText(cell) : cell);
