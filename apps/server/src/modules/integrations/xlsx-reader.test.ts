import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { xlsxRows } from './xlsx-reader';

async function read(build: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void) {
  const workbook = new ExcelJS.Workbook();
  // A second sheet first in the zip must not be mistaken for the first one of the workbook.
  build(workbook.addWorksheet('工单'), workbook);
  workbook.addWorksheet('其他').addRow(['not me']);
  const file = Buffer.from(await workbook.xlsx.writeBuffer());
  const out = [];
  for await (const row of xlsxRows(file)) out.push(row);
  return out;
}

describe('the xlsx reader', () => {
  it('reads shared and rich strings, numbers, booleans, formula results, errors and sparse cells', async () => {
    const rows = await read((sheet) => {
      sheet.addRow(['工单号', 'a & b <c>', "“引号” 'x'"]);
      sheet.getCell('A2').value = { richText: [{ text: '主板' }, { text: '坏了', font: { bold: true } }] };
      sheet.getCell('B2').value = 12.5;
      sheet.getCell('C2').value = true;
      sheet.getCell('E2').value = { formula: 'B2*2', result: 25 };
      sheet.getCell('F2').value = { formula: 'A1&"!"', result: '工单号!' };
      sheet.getCell('G2').value = { error: '#N/A' };
      sheet.getCell('B4').value = '  空格保留  ';
    });
    expect(rows).toEqual([
      { line: 1, cells: ['工单号', 'a & b <c>', "“引号” 'x'"] },
      { line: 2, cells: ['主板坏了', 12.5, true, null, 25, '工单号!', '#N/A'] },
      { line: 4, cells: [null, '  空格保留  '] },
    ]);
  });

  it('tells date cells from numbers by their format and returns the wall clock as written', async () => {
    const rows = await read((sheet) => {
      sheet.getCell('A1').value = new Date(Date.UTC(2025, 2, 4, 10, 20));
      sheet.getCell('A1').numFmt = 'yyyy-mm-dd hh:mm';
      sheet.getCell('B1').value = new Date(Date.UTC(2025, 2, 4));
      sheet.getCell('B1').numFmt = 'yyyy"年"m"月"d"日"';
      sheet.getCell('C1').value = 45720;
      sheet.getCell('C1').numFmt = '0.00';
      sheet.getCell('D1').value = 45720;
    });
    expect(rows[0]!.cells).toEqual([
      new Date(Date.UTC(2025, 2, 4, 10, 20)),
      new Date(Date.UTC(2025, 2, 4)),
      45720,
      45720,
    ]);
  });

  it('counts days from 1904 in workbooks that say so', async () => {
    const rows = await read((sheet, workbook) => {
      workbook.properties.date1904 = true;
      sheet.getCell('A1').value = new Date(Date.UTC(2025, 2, 4));
    });
    expect(rows[0]!.cells).toEqual([new Date(Date.UTC(2025, 2, 4))]);
  });

  it('refuses what is not a workbook', async () => {
    const rows = async () => {
      for await (const _ of xlsxRows(Buffer.from('PK\u0003\u0004 not really'))) void _;
    };
    await expect(rows()).rejects.toThrow();
  });
});
