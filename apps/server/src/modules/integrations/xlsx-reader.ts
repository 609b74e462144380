import path from 'node:path';
import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { type Cell, UncachedFormula } from './cells';

/**
 * The rows of an xlsx's worksheets, read straight from the zipped SpreadsheetML bytes.
 *
 * exceljs's streaming reader builds a full Row and Cell model (styles, addresses, events) for
 * every cell and decodes all of the XML to text first. The importer only needs each cell's value,
 * so this reader scans the inflated bytes for the few elements that carry one (`<row>`, `<c>`,
 * `<v>`, `<t>`) and decodes only those: on a 100,000-row history (52 MB of sheet XML) 3.4–3.9 s of
 * CPU against exceljs's 5.2 s, both with process start (docs/benchmarks.md). Whole rows are cut
 * from the bytes before decoding, so no character is split across chunks. Dates are told from numbers by
 * the cell's number format, as Excel does; they come back as Dates whose UTC fields are the wall
 * clock the user typed (what exceljs returned, and what `cells.ts` expects).
 *
 * Parts are found as the package says (`_rels/.rels` → workbook → its relationships), not by
 * conventional names, and elements may carry a namespace prefix (`<x:c>`), as .NET's Open XML
 * SDK writes them.
 */

export type XlsxCell = Cell;
export interface XlsxRow {
  /** 1-based row number as Excel shows it. */
  line: number;
  cells: XlsxCell[];
}

/** A worksheet, in the order of the workbook's tabs. */
export interface Worksheet {
  name: string;
  hidden: boolean;
  /** Its part in the zip, lower case (part names are case-insensitive). */
  part: string;
}

export interface Workbook {
  file: Uint8Array;
  /** Worksheets only: chart sheets have no rows. */
  sheets: Worksheet[];
  shared: string[];
  /** style index → the cell shows a date */
  dateStyles: boolean[];
  epoch: number;
}

const decoder = new TextDecoder('utf-8');
const CHUNK = 256 * 1024;

/** Excel's day 0 is 1899-12-30 (1904-01-01 in workbooks flagged date1904). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** The element tags the row scanner looks for, with the namespace prefix the sheet uses. */
interface Markup {
  rowOpen: Buffer;
  rowEnd: Buffer;
  cellOpen: Buffer;
  cellEnd: Buffer;
  /** A cell's XML without the prefix (identity when there is none). */
  plain: (xml: string) => string;
}

function markupOf(prefix: string): Markup {
  const p = prefix ? `${prefix}:` : '';
  return {
    rowOpen: Buffer.from(`<${p}row`),
    rowEnd: Buffer.from(`</${p}row>`),
    cellOpen: Buffer.from(`<${p}c`),
    cellEnd: Buffer.from(`</${p}c>`),
    plain: prefix ? (xml) => withoutPrefix(xml, prefix) : (xml) => xml,
  };
}

/** The workbook's parts but its worksheets: relationships, sheet list, shared strings, styles. */
export function readWorkbook(file: Uint8Array): Workbook {
  const rels = readParts(file, (name) => name.endsWith('.rels'));
  const document = relationships(rels, '_rels/.rels');
  const workbookPart =
    [...document.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const related = [...relationships(rels, relsOf(workbookPart)).entries()];
  const partOf = (type: string, fallback: string) =>
    related.find(([, r]) => r.type.endsWith(`/${type}`))?.[1].target ?? fallback;
  const sharedPart = partOf('sharedStrings', 'xl/sharedstrings.xml');
  const stylesPart = partOf('styles', 'xl/styles.xml');
  const parts = readParts(file, (name) => name === workbookPart || name === sharedPart || name === stylesPart);
  const workbook = parts.get(workbookPart);
  if (!workbook) throw new Error('not a workbook');
  // The prefix bound to the relationships namespace: `r:id` by convention, but not by rule.
  const idAttr = `${/xmlns:([\w.-]+)="[^"]*\/relationships"/.exec(workbook)?.[1] ?? 'r'}:id`;
  const byId = new Map(related);
  const sheets: Worksheet[] = [];
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const rel = byId.get(attr(m[0], idAttr) ?? '');
    if (!rel?.type.endsWith('/worksheet')) continue;
    const state = attr(m[0], 'state');
    sheets.push({
      name: attr(m[0], 'name') ?? '',
      hidden: state === 'hidden' || state === 'veryHidden',
      part: rel.target,
    });
  }
  if (sheets.length === 0) throw new Error('no worksheet');
  return {
    file,
    sheets,
    shared: sharedStrings(parts.get(sharedPart) ?? ''),
    dateStyles: dateStyles(parts.get(stylesPart) ?? ''),
    epoch: /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbook) ? EPOCH_1904 : EPOCH_1900,
  };
}

/** A worksheet's rows (the first sheet by default), streamed: the sheet is inflated chunk by chunk. */
export async function* worksheetRows(book: Workbook, sheet = book.sheets[0]!): AsyncGenerator<XlsxRow> {
  const { file } = book;
  const rows: XlsxRow[] = [];
  let markup: Markup | null = null;
  let pending = Buffer.alloc(0);
  let failure: unknown = null;
  let lastLine = 0;
  const parseRows = (data: Uint8Array, final: boolean) => {
    const chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const buffer = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    if (!markup) {
      // The root element says which prefix the sheet's elements carry; wait for it.
      const root = ROOT.exec(buffer.toString('latin1', 0, Math.min(buffer.length, 4096)));
      if (!root && !final) {
        pending = Buffer.from(buffer);
        return;
      }
      markup = markupOf(root?.[1] ?? '');
    }
    const end = buffer.lastIndexOf(markup.rowEnd);
    if (end < 0) {
      pending = final ? Buffer.alloc(0) : Buffer.from(buffer);
      return;
    }
    const cut = end + markup.rowEnd.length;
    lastLine = scanRows(buffer.subarray(0, cut), book, markup, rows, lastLine);
    // A copy: fflate may reuse the chunk's memory.
    pending = final ? Buffer.alloc(0) : Buffer.from(buffer.subarray(cut));
  };
  const unzip = new Unzip((entry) => {
    if (entry.name.toLowerCase() !== sheet.part) return;
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

/** The first element's tag (not a declaration or comment) and its prefix. */
const ROOT = /<(?:([A-Za-z_][\w.-]*):)?[A-Za-z_][\w.-]*[\s/>]/;

/** `<x:a>…</x:a>` → `<a>…</a>` for the document's own prefix; other namespaces' elements are left alone. */
function withoutPrefix(xml: string, prefix: string): string {
  return xml.replaceAll(`<${prefix}:`, '<').replaceAll(`</${prefix}:`, '</');
}

/** The parts whose (lower-case) names `wanted` accepts, decoded, with their root's prefix removed. */
function readParts(file: Uint8Array, wanted: (name: string) => boolean): Map<string, string> {
  const parts = new Map<string, string>();
  for (const [name, data] of Object.entries(unzipSync(file, { filter: (f) => wanted(f.name.toLowerCase()) }))) {
    const xml = decoder.decode(data);
    const prefix = ROOT.exec(xml)?.[1];
    parts.set(name.toLowerCase(), prefix ? withoutPrefix(xml, prefix) : xml);
  }
  return parts;
}

/** `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
function relsOf(part: string): string {
  const dir = path.posix.dirname(part);
  return `${dir === '.' ? '' : `${dir}/`}_rels/${path.posix.basename(part)}.rels`;
}

/** A relationships part: id → type and target part (resolved against the source part's folder). */
function relationships(rels: Map<string, string>, relsPart: string): Map<string, { type: string; target: string }> {
  const base = path.posix.dirname(path.posix.dirname(relsPart));
  const out = new Map<string, { type: string; target: string }>();
  for (const m of (rels.get(relsPart) ?? '').matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (!id || !target || attr(m[0], 'TargetMode') === 'External') continue;
    const resolved = target.startsWith('/') ? target.slice(1) : path.posix.join(base === '.' ? '' : base, target);
    out.set(id, { type: attr(m[0], 'Type') ?? '', target: resolved.toLowerCase() });
  }
  return out;
}

/** Each `<si>`'s text: its `<t>`, or its rich-text runs' `<t>`s joined; phonetic hints left out. */
function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(/<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g))
    out.push(textRuns((m[1] ?? '').replace(/<rPh\b[\s\S]*?<\/rPh>/g, '')));
  return out;
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
function scanRows(data: Buffer, book: Workbook, markup: Markup, out: XlsxRow[], lastLine: number): number {
  let at = 0;
  for (;;) {
    const start = findTag(data, markup.rowOpen, at);
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
    const rowEnd = data.indexOf(markup.rowEnd, tagEnd);
    let c = tagEnd;
    let column = 0;
    for (;;) {
      const cellStart = findTag(data, markup.cellOpen, c);
      if (cellStart < 0 || cellStart > rowEnd) break;
      const cellTagEnd = data.indexOf(0x3e, cellStart);
      const cellTag = data.toString('latin1', cellStart, cellTagEnd);
      const ref = attr(cellTag, 'r');
      if (ref) column = columnOf(ref);
      let body = '';
      if (data[cellTagEnd - 1] === 0x2f) c = cellTagEnd + 1;
      else {
        const cellEnd = data.indexOf(markup.cellEnd, cellTagEnd);
        body = markup.plain(data.toString('utf8', cellTagEnd + 1, cellEnd));
        c = cellEnd + markup.cellEnd.length;
      }
      const type = attr(cellTag, 't') ?? 'n';
      cells[column] = body.includes('<f')
        ? formulaValue(ref ?? `${columnName(column)}${line}`, type, body, Number(attr(cellTag, 's') ?? 0), book)
        : cellValue(type, Number(attr(cellTag, 's') ?? 0), body, book);
      column++;
    }
    for (let i = 0; i < cells.length; i++) cells[i] ??= null;
    out.push({ line, cells });
    at = rowEnd + markup.rowEnd.length;
  }
}

/**
 * A formula cell's saved result — or, when it has none (no `<v>`, or an empty one that is not a
 * string result), the formula itself, so the importer can refuse the cell instead of reading it as
 * empty or 0.
 */
function formulaValue(ref: string, type: string, body: string, style: number, book: Workbook): XlsxCell {
  const saved = savedValue(body);
  if (saved === undefined || (saved === '' && type !== 'str')) {
    const formula = /<f\b[^>]*?(?:\/>|>([\s\S]*?)<\/f>)/.exec(body)?.[1] ?? '';
    return new UncachedFormula(ref, unescapeXml(formula));
  }
  return cellValue(type, style, body, book);
}

/** The text of a cell's `<v>`; undefined when it has none. */
function savedValue(body: string): string | undefined {
  const start = body.indexOf('<v>');
  return start < 0 ? undefined : body.slice(start + 3, body.indexOf('</v>', start));
}

function cellValue(type: string, style: number, body: string, book: Workbook): XlsxCell {
  if (type === 'inlineStr') return textRuns(body);
  const v = savedValue(body);
  if (v === undefined) return null;
  switch (type) {
    case 's':
      return book.shared[Number(v)] ?? null;
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
      // An empty `<v></v>` is no value, not 0.
      const n = v.trim() === '' ? Number.NaN : Number(v);
      if (!Number.isFinite(n)) return null;
      // A date cell's serial as the wall clock it shows, to the millisecond Excel rounds to.
      return book.dateStyles[style] ? new Date(book.epoch + Math.round(n * 86_400_000)) : n;
    }
  }
}

/** 27 → `AB` (0-based column). */
function columnName(column: number): string {
  let name = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
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
