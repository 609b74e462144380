import { Unzip, UnzipInflate, unzipSync } from 'fflate';

/**
 * The rows of an xlsx's first worksheet, read straight from the zipped SpreadsheetML bytes.
 *
 * exceljs's streaming reader builds a full Row and Cell model (styles, addresses, events) for
 * every cell and decodes all of the XML to text first. The importer only needs each cell's value,
 * so this reader scans the inflated bytes for the few elements that carry one (`<row>`, `<c>`,
 * `<v>`, `<t>`) and decodes only those: on a 100,000-row history (52 MB of sheet XML) 3.4–3.9 s of
 * CPU against exceljs's 5.2 s, both with process start (docs/benchmarks.md). Whole rows are cut
 * from the bytes before decoding, so no character is split across chunks. Dates are told from numbers by
 * the cell's number format, as Excel does; they come back as Dates whose UTC fields are the wall
 * clock the user typed (what exceljs returned, and what `cells.ts` expects).
 */

export type XlsxCell = string | number | boolean | Date | null;
export interface XlsxRow {
  /** 1-based row number as Excel shows it. */
  line: number;
  cells: XlsxCell[];
}

const decoder = new TextDecoder('utf-8');
const CHUNK = 256 * 1024;

/** Excel's day 0 is 1899-12-30 (1904-01-01 in workbooks flagged date1904). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

const ROW_OPEN = Buffer.from('<row');
const ROW_END = Buffer.from('</row>');
const CELL_OPEN = Buffer.from('<c');
const CELL_END = Buffer.from('</c>');
const SI_OPEN = Buffer.from('<si');
const SI_END = Buffer.from('</si>');

export async function* xlsxRows(file: Uint8Array): AsyncGenerator<XlsxRow> {
  const meta = readMetadata(file);
  const rows: XlsxRow[] = [];
  let pending = Buffer.alloc(0);
  let failure: unknown = null;
  let lastLine = 0;
  const parseRows = (data: Uint8Array, final: boolean) => {
    const chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const buffer = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const end = buffer.lastIndexOf(ROW_END);
    if (end < 0) {
      pending = final ? Buffer.alloc(0) : Buffer.from(buffer);
      return;
    }
    const cut = end + ROW_END.length;
    lastLine = scanRows(buffer.subarray(0, cut), meta, rows, lastLine);
    // A copy: fflate may reuse the chunk's memory.
    pending = final ? Buffer.alloc(0) : Buffer.from(buffer.subarray(cut));
  };
  const unzip = new Unzip((entry) => {
    if (entry.name !== meta.sheetPath) return;
    entry.ondata = (error, data, final) => {
      if (error) failure = error;
      else parseRows(data, final);
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  for (let offset = 0; offset < file.length; offset += CHUNK) {
    unzip.push(file.subarray(offset, offset + CHUNK), offset + CHUNK >= file.length);
    if (failure) throw failure;
    // Hand the rows on chunk by chunk: memory stays flat and the event loop keeps serving.
    yield* rows.splice(0);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

interface Metadata {
  sheetPath: string;
  shared: string[];
  /** style index → the cell shows a date */
  dateStyles: boolean[];
  epoch: number;
}

/** Workbook, relationships, shared strings and styles — small parts, inflated at once. */
function readMetadata(file: Uint8Array): Metadata {
  const wanted = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml']);
  const parts = unzipSync(file, {
    filter: (f) => wanted.has(f.name) || /^xl\/sharedStrings\d*\.xml$/i.test(f.name),
  });
  const text = (name: string) => (parts[name] ? decoder.decode(parts[name]) : '');
  const workbook = text('xl/workbook.xml');
  if (!workbook) throw new Error('not a workbook');
  const firstSheet = /<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"/.exec(workbook)?.[1];
  let target: string | undefined;
  for (const m of text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b[^>]*>/g)) {
    if (attr(m[0], 'Id') === firstSheet) target = attr(m[0], 'Target');
  }
  if (!target) throw new Error('no worksheet');
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const sharedName = Object.keys(parts).find((n) => n.toLowerCase().startsWith('xl/sharedstrings'));
  return {
    sheetPath,
    shared: sharedName ? sharedStrings(parts[sharedName]!) : [],
    dateStyles: dateStyles(text('xl/styles.xml')),
    epoch: /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbook) ? EPOCH_1904 : EPOCH_1900,
  };
}

/** Each `<si>`'s text: its `<t>`, or its rich-text runs' `<t>`s joined; phonetic hints left out. */
function sharedStrings(part: Uint8Array): string[] {
  const data = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = findTag(data, SI_OPEN, at);
    if (start < 0) return out;
    const end = data.indexOf(SI_END, start);
    const stop = end < 0 ? data.length : end;
    const body = data.toString('utf8', start, stop).replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
    out.push(textRuns(body));
    at = stop + SI_END.length;
  }
}

/** The text of an inline or shared string: its `<t>`, or its rich-text runs' `<t>`s joined. */
function textRuns(body: string): string {
  const single = /^<is><t(?: xml:space="preserve")?>([^<]*)<\/t><\/is>$/.exec(body);
  if (single) return unescapeXml(single[1]!);
  let text = '';
  for (const m of body.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)) text += unescapeXml(m[1] ?? '');
  return text;
}

/** The built-in number formats that are dates or times (ECMA-376 §18.8.30), plus Chinese ones. */
const DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58,
]);

function dateStyles(styles: string): boolean[] {
  const custom = new Map<number, boolean>();
  for (const m of styles.matchAll(/<numFmt\b[^>]*>/g)) {
    const code = unescapeXml(attr(m[0], 'formatCode') ?? '')
      .replace(/"[^"]*"|\[[^\]]*\]|\\./g, '')
      .toLowerCase();
    custom.set(Number(attr(m[0], 'numFmtId')), /[ymdhs]/.test(code));
  }
  const xfs = /<cellXfs\b[\s\S]*?<\/cellXfs>/.exec(styles)?.[0] ?? '';
  return [...xfs.matchAll(/<xf\b[^>]*>/g)].map((m) => {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    return custom.get(id) ?? DATE_FORMATS.has(id);
  });
}

/** Every `<row>` in `data` (which ends on a row boundary) into `out`; returns the last row's number. */
function scanRows(data: Buffer, meta: Metadata, out: XlsxRow[], lastLine: number): number {
  let at = 0;
  for (;;) {
    const start = findTag(data, ROW_OPEN, at);
    if (start < 0) return lastLine;
    const tagEnd = data.indexOf(0x3e /* > */, start);
    const tag = data.toString('latin1', start, tagEnd);
    const line = Number(attr(tag, 'r') ?? lastLine + 1);
    lastLine = line;
    const cells: XlsxCell[] = [];
    if (data[tagEnd - 1] === 0x2f /* / */) {
      out.push({ line, cells });
      at = tagEnd + 1;
      continue;
    }
    const rowEnd = data.indexOf(ROW_END, tagEnd);
    let c = tagEnd;
    let column = 0;
    for (;;) {
      const cellStart = findTag(data, CELL_OPEN, c);
      if (cellStart < 0 || cellStart > rowEnd) break;
      const cellTagEnd = data.indexOf(0x3e, cellStart);
      const cellTag = data.toString('latin1', cellStart, cellTagEnd);
      const ref = attr(cellTag, 'r');
      if (ref) column = columnOf(ref);
      let body = '';
      if (data[cellTagEnd - 1] === 0x2f) c = cellTagEnd + 1;
      else {
        const cellEnd = data.indexOf(CELL_END, cellTagEnd);
        body = data.toString('utf8', cellTagEnd + 1, cellEnd);
        c = cellEnd + CELL_END.length;
      }
      cells[column] = cellValue(attr(cellTag, 't') ?? 'n', Number(attr(cellTag, 's') ?? 0), body, meta);
      column++;
    }
    for (let i = 0; i < cells.length; i++) cells[i] ??= null;
    out.push({ line, cells });
    at = rowEnd + ROW_END.length;
  }
}

function cellValue(type: string, style: number, body: string, meta: Metadata): XlsxCell {
  if (type === 'inlineStr') return textRuns(body);
  const start = body.indexOf('<v>');
  if (start < 0) return null;
  const v = body.slice(start + 3, body.indexOf('</v>', start));
  switch (type) {
    case 's':
      return meta.shared[Number(v)] ?? null;
    case 'str':
    case 'e':
      return unescapeXml(v);
    case 'b':
      return v === '1';
    case 'd': {
      const date = new Date(v.endsWith('Z') ? v : `${v}Z`);
      return Number.isNaN(date.getTime()) ? unescapeXml(v) : date;
    }
    default: {
      const n = Number(v);
      if (!Number.isFinite(n)) return null;
      // A date cell's serial as the wall clock it shows, to the millisecond Excel rounds to.
      return meta.dateStyles[style] ? new Date(meta.epoch + Math.round(n * 86_400_000)) : n;
    }
  }
}

/** `AB12` → 27 (0-based column). */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

function attr(tag: string, name: string): string | undefined {
  const key = ` ${name}="`;
  let i = tag.indexOf(key);
  // XML also allows a newline or tab before an attribute.
  if (i < 0) i = Math.max(tag.indexOf(`\n${name}="`), tag.indexOf(`\t${name}="`), tag.indexOf(`\r${name}="`));
  if (i < 0) return undefined;
  const start = i + key.length;
  return unescapeXml(tag.slice(start, tag.indexOf('"', start)));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : ENTITIES[e.toLowerCase()]!,
  );
}

/** The next `<name` that is that element (followed by space, `>` or `/`), not a longer name. */
function findTag(data: Buffer, open: Buffer, from: number): number {
  let at = from;
  for (;;) {
    const i = data.indexOf(open, at);
    if (i < 0) return -1;
    const next = data[i + open.length];
    if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) return i;
    at = i + 1;
  }
}
