import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';

/** A multipart body with text fields first, then the file (the order the import route reads). */
export function multipartFile(filename: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----serviceloop${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** An xlsx with the given rows (first sheet), as a manager's export would look. */
export async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导出');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The rows of an xlsx's first sheet as text. */
export async function readXlsx(content: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const out: string[][] = [];
  workbook.worksheets[0]!.eachRow((row) => {
    const values = row.values as unknown[];
    out.push(
      Array.from({ length: values.length - 1 }, (_, i) => values[i + 1]).map((v) => (v == null ? '' : String(v))),
    );
  });
  return out;
}

export const PROBLEMS = [
  '主板坏了',
  '开不了机',
  '传感器故障',
  '死机',
  '同步失败',
  '参数错误',
  '误删',
  '配件质量差',
  '受潮',
];

/** A ticket history export of `n` rows over `devices` devices SN-0…, written with exceljs's streaming writer. */
export async function historyFile(file: string, n: number, devices: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('工单');
  sheet
    .addRow([
      '工单号',
      '客户名称',
      '设备序列号',
      '标题',
      '问题类型',
      '优先级',
      '报修时间',
      '响应时间',
      '解决时间',
      '关闭时间',
      '满意度',
    ])
    .commit();
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const reported = start + i * 300_000;
    const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    sheet
      .addRow([
        `H-${i}`,
        '批量客户',
        `SN-${i % devices}`,
        '历史故障',
        PROBLEMS[i % PROBLEMS.length],
        `P${i % 4}`,
        at(reported),
        at(reported + 1_800_000),
        at(reported + 7_200_000),
        at(reported + 10_800_000),
        1 + (i % 5),
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** A cell of a hand-written workbook: text, a number, empty, or (starting with `=`) a formula. */
type HandCell = string | number | null;
interface HandSheet {
  name: string;
  rows: HandCell[][];
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const sheetPart = (i: number) => `xl/worksheets/sheet${i + 1}.xml`;

/** The parts every producer writes alike: content types and the package's one relationship. */
function packageParts(sheets: HandSheet[], rootRels: string): Record<string, string> {
  const overrides = sheets.map(
    (_, i) => `<Override PartName="/${sheetPart(i)}" ContentType="${CONTENT}.worksheet+xml"/>`,
  );
  return {
    '[Content_Types].xml': [
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
      '<Default Extension="xml" ContentType="application/xml"/>',
      `<Override PartName="/xl/workbook.xml" ContentType="${CONTENT}.sheet.main+xml"/>`,
      ...overrides,
      `<Override PartName="/xl/sharedStrings.xml" ContentType="${CONTENT}.sharedStrings+xml"/></Types>`,
    ].join(''),
    '_rels/.rels': rootRels,
  };
}

/**
 * The cells of each sheet as `cell(ref, value, sharedIndex)` writes them; text goes to the shared
 * strings (returned), formulas (`=…`) are handed over as they are.
 */
function writeSheets(
  sheets: HandSheet[],
  cell: (ref: string, value: string | number, shared: (text: string) => number) => string,
  row: (line: number, cells: string) => string,
) {
  const strings: string[] = [];
  const shared = (text: string) => strings.push(text) - 1;
  const rows = sheets.map((sheet) =>
    sheet.rows
      .map((values, r) =>
        row(
          r + 1,
          values.map((v, c) => (v === null ? '' : cell(`${String.fromCharCode(65 + c)}${r + 1}`, v, shared))).join(''),
        ),
      )
      .join(''),
  );
  return { rows, strings };
}

/**
 * A workbook as openpyxl writes it: shared strings, numbers with `t="n"`, absolute sheet targets,
 * and formulas with no saved result (openpyxl never computes them): `<f>…</f><v></v>`, as its lxml
 * writer does.
 */
export function openpyxlWorkbook(sheets: HandSheet[]): Buffer {
  const { rows, strings } = writeSheets(
    sheets,
    (ref, value, shared) => {
      if (typeof value === 'number') return `<c r="${ref}" t="n"><v>${value}</v></c>`;
      if (value.startsWith('=')) return `<c r="${ref}"><f>${escapeXml(value.slice(1))}</f><v></v></c>`;
      return `<c r="${ref}" t="s"><v>${shared(value)}</v></c>`;
    },
    (line, cells) => `<row r="${line}">${cells}</row>`,
  );
  const rel = (id: number, type: string, target: string) =>
    `<Relationship Type="${REL_NS}/${type}" Target="${target}" Id="rId${id}"/>`;
  const parts: Record<string, string> = {
    ...packageParts(
      sheets,
      `<Relationships xmlns="${PKG_REL_NS}">${rel(1, 'officeDocument', 'xl/workbook.xml')}</Relationships>`,
    ),
    'xl/workbook.xml': [
      `<workbook xmlns="${MAIN_NS}"><workbookPr/><workbookProtection/><bookViews><workbookView activeTab="0"/></bookViews><sheets>`,
      ...sheets.map(
        (s, i) =>
          `<sheet xmlns:r="${REL_NS}" name="${escapeXml(s.name)}" sheetId="${i + 1}" state="visible" r:id="rId${i + 1}"/>`,
      ),
      '</sheets><definedNames/><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>',
    ].join(''),
    'xl/_rels/workbook.xml.rels': [
      `<Relationships xmlns="${PKG_REL_NS}">`,
      ...sheets.map((_, i) => rel(i + 1, 'worksheet', `/${sheetPart(i)}`)),
      rel(sheets.length + 1, 'styles', 'styles.xml'),
      rel(sheets.length + 2, 'sharedStrings', 'sharedStrings.xml'),
      '</Relationships>',
    ].join(''),
    'xl/styles.xml': `<styleSheet xmlns="${MAIN_NS}"><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`,
    'xl/sharedStrings.xml': `<sst xmlns="${MAIN_NS}" uniqueCount="${strings.length}">${strings.map((t) => `<si><t>${escapeXml(t)}</t></si>`).join('')}</sst>`,
  };
  rows.forEach((data, i) => {
    parts[sheetPart(i)] =
      `<worksheet xmlns="${MAIN_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/></sheetPr><sheetData>${data}</sheetData></worksheet>`;
  });
  return zipParts(parts);
}

/**
 * A workbook as .NET's Open XML SDK writes it: every SpreadsheetML element with the `x:` prefix
 * (sheets, workbook, shared strings), the relationships parts prefixed too, relationship ids that
 * are not `rIdN` under a prefix that is not `r:`, and absolute targets.
 */
export function dotNetWorkbook(sheets: HandSheet[]): Buffer {
  const { rows, strings } = writeSheets(
    sheets,
    (ref, value, shared) =>
      typeof value === 'number'
        ? `<x:c r="${ref}"><x:v>${value}</x:v></x:c>`
        : `<x:c r="${ref}" t="s"><x:v>${shared(value)}</x:v></x:c>`,
    (line, cells) => `<x:row r="${line}">${cells}</x:row>`,
  );
  const declaration = '<?xml version="1.0" encoding="utf-8"?>';
  const id = (i: number) => `R${(0x3f2a9c1e + i * 7919).toString(16)}`;
  const rel = (rid: string, type: string, target: string) =>
    `<pr:Relationship Type="${REL_NS}/${type}" Target="${target}" Id="${rid}" />`;
  const rels = (body: string[]) =>
    `${declaration}<pr:Relationships xmlns:pr="${PKG_REL_NS}">${body.join('')}</pr:Relationships>`;
  const parts: Record<string, string> = {
    ...packageParts(sheets, rels([rel('Rb0c1d2e3', 'officeDocument', '/xl/workbook.xml')])),
    'xl/workbook.xml': [
      `${declaration}<x:workbook xmlns:rel="${REL_NS}" xmlns:x="${MAIN_NS}"><x:sheets>`,
      ...sheets.map((s, i) => `<x:sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" rel:id="${id(i)}" />`),
      '</x:sheets></x:workbook>',
    ].join(''),
    'xl/_rels/workbook.xml.rels': rels([
      ...sheets.map((_, i) => rel(id(i), 'worksheet', `/${sheetPart(i)}`)),
      rel('Rs1', 'sharedStrings', '/xl/sharedStrings.xml'),
    ]),
    'xl/sharedStrings.xml': `${declaration}<x:sst xmlns:x="${MAIN_NS}">${strings.map((t) => `<x:si><x:t>${escapeXml(t)}</x:t></x:si>`).join('')}</x:sst>`,
  };
  rows.forEach((data, i) => {
    parts[sheetPart(i)] =
      `${declaration}<x:worksheet xmlns:x="${MAIN_NS}"><x:sheetData>${data}</x:sheetData></x:worksheet>`;
  });
  return zipParts(parts);
}

function zipParts(parts: Record<string, string>): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(parts).map(([name, xml]) => [name, strToU8(xml)]))));
}
