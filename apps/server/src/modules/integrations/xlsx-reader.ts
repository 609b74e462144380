import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import ExcelJS from 'exceljs';

/**
 * exceljs 4.4's streaming reader decodes every chunk of the zipped XML on its own
 * (`TextDecoder.decode(chunk)` without `stream: true`), so a Chinese character whose three UTF-8
 * bytes straddle two chunks turns into U+FFFD — in a 100,000-row export, a few dozen cells. The
 * reader passes strings through untouched, so we hand it text decoded across chunk boundaries:
 * shared strings via the entry's own string decoder, worksheets through a streaming TextDecoder.
 * The import test of 100,000 Chinese rows fails without this.
 */
type Reader = {
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): unknown;
  _parseSharedStrings(entry: NodeJS.ReadableStream): unknown;
};

let patched = false;

async function* utf8(source: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    yield typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

export function workbookReader(
  input: NodeJS.ReadableStream,
  options: ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>[1],
) {
  if (!patched) {
    patched = true;
    const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Reader;
    const parseWorksheet = proto._parseWorksheet;
    const parseSharedStrings = proto._parseSharedStrings;
    proto._parseWorksheet = function (iterator, sheetNo) {
      return parseWorksheet.call(this, utf8(iterator), sheetNo);
    };
    proto._parseSharedStrings = function (entry) {
      entry.setEncoding('utf8');
      return parseSharedStrings.call(this, entry);
    };
  }
  return new ExcelJS.stream.xlsx.WorkbookReader(input as unknown as NodeJS.ReadableStream & Readable, options);
}
