import { type Readable, Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { ImportEntity } from '@serviceloop/contracts';
import { parse as parseCsv } from 'csv-parse';
import { AppError } from '../../platform/http/errors';
import { type Cell, cellText } from './cells';
import { headerScore } from './mapping';
import { readWorkbook, type Workbook, type Worksheet, worksheetRows } from './xlsx-reader';

export type FileFormat = 'xlsx' | 'csv';

/** One data row: its line number in the sheet (as Excel shows it) and its cells by column. */
export interface SheetRow {
  line: number;
  cells: Cell[];
}

export interface Sheet {
  /** The worksheet read (xlsx); null for a CSV. */
  sheet: string | null;
  /** The workbook's worksheets in tab order; empty for a CSV. */
  sheets: string[];
  /** 1-based line of the header row. */
  headerRow: number;
  headers: string[];
  rows: SheetRow[];
}

/** A file may hold at most this many data rows: enough for years of history, bounded memory. */
export const MAX_ROWS = 200_000;
/** The header is looked for among the first lines (exports often open with a title and a blank line). */
const HEADER_SEARCH = 20;

export interface ReadOptions {
  /** The worksheet to read (xlsx); without it, the one whose first lines hold the header. */
  sheet?: string;
  /** The header's line, known once the upload found it; the first sheet when `sheet` is not given. */
  headerRow?: number;
  limit?: number;
}

interface Source {
  lines: AsyncGenerator<SheetRow>;
  sheet: string | null;
  sheets: string[];
}

/** The rows of the chosen worksheet (xlsx) or of the file (csv), streamed. */
async function openSource(
  input: Readable,
  format: FileFormat,
  entity: ImportEntity,
  options: ReadOptions,
): Promise<Source> {
  if (format === 'csv') {
    if (options.sheet !== undefined)
      throw new AppError(400, 'import.csv_no_sheets', {}, [{ path: 'sheet', code: 'import.csv_no_sheets' }]);
    return { lines: csvLines(input), sheet: null, sheets: [] };
  }
  // The whole zip in memory (uploads are capped by IMPORT_MAX_BYTES): its central directory
  // finds the shared strings wherever Excel put them, the sheet itself is inflated as a stream.
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  const book = readWorkbook(Buffer.concat(chunks));
  const sheets = book.sheets.map((s) => s.name);
  let sheet = book.sheets[0]!;
  if (options.sheet !== undefined) {
    const named = book.sheets.find((s) => s.name === options.sheet);
    if (!named) {
      const params = { sheet: options.sheet, sheets: sheets.join(' / ') };
      throw new AppError(400, 'import.unknown_sheet', params, [
        { path: 'sheet', code: 'import.unknown_sheet', ...params },
      ]);
    }
    sheet = named;
  } else if (options.headerRow === undefined) sheet = await sheetWithHeader(book, entity);
  return { lines: worksheetRows(book, sheet), sheet: sheet.name, sheets };
}

async function* csvLines(input: Readable): AsyncGenerator<SheetRow> {
  let line = 0;
  const parser = input
    .pipe(decodeText())
    .pipe(parseCsv({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }));
  for await (const record of parser as AsyncIterable<string[]>) {
    line++;
    yield { line, cells: record.map((v) => (v === '' ? null : v)) };
  }
}

/**
 * The visible worksheet whose first lines name the most fields of the entity (the first one when
 * none does): a workbook that opens with an instructions or cover sheet is read from its data.
 */
async function sheetWithHeader(book: Workbook, entity: ImportEntity): Promise<Worksheet> {
  const visible = book.sheets.filter((s) => !s.hidden);
  let best = visible[0] ?? book.sheets[0]!;
  let bestScore = 0;
  for (const sheet of visible) {
    let score = 0;
    let seen = 0;
    for await (const row of worksheetRows(book, sheet)) {
      score = Math.max(score, headerScore(entity, row.cells.map(cellText)));
      if (++seen >= HEADER_SEARCH) break;
    }
    if (score > bestScore) [best, bestScore] = [sheet, score];
  }
  return best;
}

const isBlank = (cells: Cell[]) => cells.every((c) => c === null || cellText(c) === '');

/** Header names made unique and never empty, so a mapping can name every column. */
function headerNames(cells: Cell[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const base = cellText(cell) || `#${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * Reads a sheet. Without `headerRow`, the header is the one among the first lines that names
 * the most fields of the entity (or the first non-blank line with two or more texts when none
 * does); `limit` stops after that many data rows (the upload's sample).
 */
export async function readSheet(
  input: Readable,
  format: FileFormat,
  entity: ImportEntity,
  options: ReadOptions = {},
): Promise<Sheet> {
  const head: SheetRow[] = [];
  const rows: SheetRow[] = [];
  let header: SheetRow | undefined;
  const limit = options.limit ?? MAX_ROWS;
  const {
    lines: source,
    sheet,
    sheets,
  } = await openSource(input, format, entity, options).catch((error) => {
    input.destroy();
    throw error;
  });
  try {
    for await (const row of source) {
      if (!header) {
        if (options.headerRow !== undefined) {
          if (row.line === options.headerRow) header = row;
          continue;
        }
        head.push(row);
        if (head.length < HEADER_SEARCH) continue;
        header = pickHeader(head, entity, rows);
        if (!header) throw new AppError(422, 'import.no_header');
        continue;
      }
      if (isBlank(row.cells)) continue;
      if (rows.length >= limit) {
        if (options.limit !== undefined) break;
        throw new AppError(422, 'import.too_many_rows', { max: MAX_ROWS });
      }
      rows.push(row);
    }
  } finally {
    await source.return(undefined);
    input.destroy();
  }
  if (!header && head.length > 0) header = pickHeader(head, entity, rows);
  if (!header) throw new AppError(422, 'import.no_header');
  const headers = headerNames(header.cells);
  return { sheet, sheets, headerRow: header.line, headers, rows: rows.slice(0, limit) };
}

/** Chooses the header among the first lines; the lines after it become data rows. */
function pickHeader(head: SheetRow[], entity: ImportEntity, rows: SheetRow[]): SheetRow | undefined {
  let best: SheetRow | undefined;
  let bestScore = 0;
  for (const row of head) {
    const score = headerScore(entity, row.cells.map(cellText));
    if (score > bestScore) [best, bestScore] = [row, score];
  }
  best ??= head.find((r) => r.cells.filter((c) => typeof c === 'string' && c.trim()).length >= 2);
  if (!best) return undefined;
  rows.push(...head.filter((r) => r.line > best!.line && !isBlank(r.cells)));
  return best;
}

/**
 * Text of a CSV in UTF-8 (with or without BOM) or, as Excel on Chinese Windows saves it, GB18030:
 * the first 64 kB decide.
 */
function decodeText(): Transform {
  let decoder: TextDecoder | null = null;
  let pending: Buffer[] = [];
  let size = 0;
  const decide = () => {
    const head = Buffer.concat(pending);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
      decoder = new TextDecoder('utf-8');
    } catch {
      decoder = new TextDecoder('gb18030');
    }
    pending = [];
    return decoder.decode(head, { stream: true });
  };
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      if (decoder) return done(null, decoder.decode(chunk, { stream: true }));
      pending.push(chunk);
      size += chunk.length;
      if (size < 64 * 1024) return done();
      done(null, decide());
    },
    flush(done) {
      const text = (decoder ? '' : decide()) + decoder!.decode();
      done(null, text);
    },
  });
}
