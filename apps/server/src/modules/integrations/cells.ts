/**
 * Cell values as spreadsheets deliver them — strings, numbers, Dates, formula results, rich
 * text — turned into the typed values of the importable fields. Pure, so every spelling people
 * use in their exports is tested without a file.
 */

/**
 * A formula cell saved without its result (openpyxl and other generators write only the formula;
 * Excel and WPS compute and store the value when the file is opened and saved). The importer
 * cannot know the value, so it refuses the cell by its address rather than read it as empty.
 */
export class UncachedFormula {
  constructor(
    /** The cell's address, e.g. `B2`. */
    readonly ref: string,
    /** The formula without its `=`; empty for a cell that shares another cell's formula. */
    readonly formula: string,
  ) {}

  toString(): string {
    return `=${this.formula}`;
  }
}

export type Cell = string | number | boolean | Date | UncachedFormula | null;

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** How a cell reads to a person: dates as China wall-clock time, numbers without float noise. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return '';
    const iso = cell.toISOString();
    // A spreadsheet date carries the wall clock in its UTC fields (no zone): show it as written.
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (typeof cell === 'number') return String(Math.round(cell * 1e9) / 1e9);
  return String(cell).trim();
}

/** Excel's day 0 is 1899-12-30; serials in this range are plausible dates (1954–2119). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const isSerial = (n: number) => n > 20_000 && n < 80_000;

const WALL_CLOCK =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?)?\s*秒?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

function wallClock(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  // 2025-02-30 is no date, not 2 March.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return check;
}

/**
 * The instant a cell means. Spreadsheet dates and zone-less text are China time (the wall clock
 * of whoever typed them); ISO text with a zone or offset is taken as written.
 */
export function parseDateTime(cell: Cell): Date | null {
  if (cell === null || cell === '') return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : new Date(cell.getTime() - CHINA_OFFSET_MS);
  if (typeof cell === 'number') {
    return isSerial(cell) ? new Date(EXCEL_EPOCH + Math.round(cell * 86_400_000) - CHINA_OFFSET_MS) : null;
  }
  const text = String(cell).trim();
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : new Date(t);
  }
  const m = WALL_CLOCK.exec(text) ?? COMPACT.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const local = wallClock(y!, mo!, d!, h, mi, s);
  return local ? new Date(local.getTime() - CHINA_OFFSET_MS) : null;
}

/** A calendar date (YYYY-MM-DD) from a date cell or text; a time part is not allowed to shift it. */
export function parseDate(cell: Cell): string | null {
  if (cell === null || cell === '') return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') {
    return isSerial(cell) ? new Date(EXCEL_EPOCH + Math.floor(cell) * 86_400_000).toISOString().slice(0, 10) : null;
  }
  const text = String(cell).trim();
  const m = WALL_CLOCK.exec(text) ?? COMPACT.exec(text);
  if (!m || m[4] !== undefined) return null;
  const local = wallClock(Number(m[1]), Number(m[2]), Number(m[3]));
  return local ? local.toISOString().slice(0, 10) : null;
}

/** A number from a cell: thousands separators, a currency sign and full-width digits allowed. */
export function parseNumber(cell: Cell): number | null {
  if (cell === null || cell === '') return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell !== 'string') return null;
  const text = cell
    .normalize('NFKC')
    .trim()
    .replace(/^[¥￥$]/, '')
    .replace(/,/g, '')
    .replace(/元$/, '')
    .trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '有', '对', '√', '✓']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '无', '不', '×', '✗']);

export function parseBoolean(cell: Cell): boolean | null {
  if (typeof cell === 'boolean') return cell;
  const text = cellText(cell).toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return null;
}

/** The comparison key for enum labels and header names (shared with the browser's mapping step). */
export { looseKey } from '@serviceloop/contracts';
