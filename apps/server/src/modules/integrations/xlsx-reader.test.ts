import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { dotNetWorkbook, openpyxlWorkbook } from '../../../test/import-files';
import { UncachedFormula } from './cells';
import { readWorkbook, worksheetRows } from './xlsx-reader';

async function rowsOf(file: Buffer, sheet?: string) {
  const book = readWorkbook(file);
  const out = [];
  for await (const row of worksheetRows(
    book,
    book.sheets.find((s) => s.name === sheet),
  ))
    out.push(row);
  return out;
}

async function read(build: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void) {
  const workbook = new ExcelJS.Workbook();
  // A second sheet first in the zip must not be mistaken for the first one of the workbook.
  build(workbook.addWorksheet('工单'), workbook);
  workbook.addWorksheet('其他').addRow(['not me']);
  return rowsOf(Buffer.from(await workbook.xlsx.writeBuffer()));
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
    await expect(rowsOf(Buffer.from('PK\u0003\u0004 not really'))).rejects.toThrow();
  });

  it('hands on a formula openpyxl saved without a result as that formula at its cell, never as empty or 0', async () => {
    const file = openpyxlWorkbook([
      {
        name: 'Sheet',
        rows: [
          ['数量', '金额', '备注'],
          [3, '=A2*2', '=IF(A2>2,"多","少")'],
        ],
      },
    ]);
    const rows = await rowsOf(file);
    expect(rows[1]!.cells).toEqual([
      3,
      new UncachedFormula('B2', 'A2*2'),
      new UncachedFormula('C2', 'IF(A2>2,"多","少")'),
    ]);
    expect(String(rows[1]!.cells[1])).toBe('=A2*2');
  });

  it('reads cached formula results, an empty string result, and formulas written with no <v> or an empty <v/>', async () => {
    const sheet = (cells: string) =>
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${cells}</row></sheetData></worksheet>`;
    const file = withSheet(
      openpyxlWorkbook([{ name: 'S', rows: [[1]] }]),
      sheet(
        '<c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>""</f><v></v></c><c r="C1"><f>A1*2</f></c><c r="D1"><f>A1*3</f><v/></c><c r="E1"><v></v></c><c r="F1" t="b"><f>TRUE()</f><v></v></c>',
      ),
    );
    expect((await rowsOf(file))[0]!.cells).toEqual([
      2,
      '',
      new UncachedFormula('C1', 'A1*2'),
      new UncachedFormula('D1', 'A1*3'),
      null,
      new UncachedFormula('F1', 'TRUE()'),
    ]);
  });

  it('reads a .NET workbook whose every element carries the x: prefix, found through its relationships', async () => {
    const file = dotNetWorkbook([
      { name: '说明', rows: [['请在“工单”表中填写'], ['客户名称须已存在']] },
      {
        name: '工单',
        rows: [
          ['客户名称', '数量'],
          ['华东精机 & Co', 12.5],
        ],
      },
    ]);
    const book = readWorkbook(file);
    expect(book.sheets.map((s) => s.name)).toEqual(['说明', '工单']);
    expect(await rowsOf(file, '工单')).toEqual([
      { line: 1, cells: ['客户名称', '数量'] },
      { line: 2, cells: ['华东精机 & Co', 12.5] },
    ]);
    expect((await rowsOf(file))[0]!.cells).toEqual(['请在“工单”表中填写']);
  });

  it('lists worksheets in tab order with their visibility, whatever order the zip holds them in', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('封面').addRow(['x']);
    workbook.addWorksheet('下拉选项', { state: 'hidden' }).addRow(['y']);
    workbook.addWorksheet('数据').addRow(['z']);
    const book = readWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(book.sheets.map((s) => [s.name, s.hidden])).toEqual([
      ['封面', false],
      ['下拉选项', true],
      ['数据', false],
    ]);
  });
});

/** The workbook with its first sheet's XML replaced: a cell written exactly as a producer writes it. */
function withSheet(file: Buffer, xml: string): Buffer {
  const parts = unzipSync(file);
  parts['xl/worksheets/sheet1.xml'] = strToU8(xml);
  return Buffer.from(zipSync(parts));
}
