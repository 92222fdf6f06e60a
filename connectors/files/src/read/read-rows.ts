import { Readable } from 'node:stream';
import { readCsvRows } from './csv-rows.js';
import { bomEncoding, utf16WithoutBom } from './encoding.util.js';
import { readXlsxRows } from './xlsx-rows.js';
import { FileFormatError, READ_DEFAULTS, type ReadConfig, type ReadOptions, type RowResult } from './read.types.js';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * The rows of a CSV or .xlsx file, streamed from `source` in file order: `{ line, item }`
 * for a row, `{ line, error }` for a row that cannot be read (the import goes on). Throws
 * FileFormatError when the file as a whole cannot be read.
 */
export async function* readRows(
  source: Readable | AsyncIterable<Buffer | Uint8Array>,
  config: Partial<ReadConfig> = {},
  opts: ReadOptions = {},
): AsyncGenerator<RowResult> {
  const cfg: ReadConfig = { ...READ_DEFAULTS, ...stripUndefined(config) };
  const it = (source as AsyncIterable<Buffer | Uint8Array>)[Symbol.asyncIterator]();
  // The first bytes say which format this is; they are replayed to the reader.
  const first: Buffer[] = [];
  let firstBytes = 0;
  let done = false;
  while (firstBytes < 16) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const b = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    first.push(b);
    firstBytes += b.length;
  }
  const head = Buffer.concat(first);
  const replay = async function* (): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  };
  const format = sniffFormat(head, cfg.format, opts.filename);
  try {
    if (format === 'xlsx') yield* readXlsxRows(Readable.from(replay(), { objectMode: false }), cfg, opts.onInfo);
    else yield* readCsvRows(replay(), cfg, opts.onInfo);
  } finally {
    await it.return?.();
  }
}

/** CSV or xlsx from the first bytes (and the configured format); a clear error for what is neither. */
export function sniffFormat(head: Buffer, configured: ReadConfig['format'] = 'auto', filename = ''): 'csv' | 'xlsx' {
  const zip = head.subarray(0, 4).equals(ZIP);
  if (head.subarray(0, 8).equals(OLE)) {
    throw new FileFormatError('xls_unsupported', 'this is an Excel 97–2003 .xls workbook, which is not supported: save it as .xlsx or CSV (UTF-8) and import that');
  }
  if (configured === 'xlsx' && !zip) throw new FileFormatError('not_xlsx', 'the file is not an .xlsx workbook (an .xlsx file is a zip archive)');
  if (configured === 'csv' && zip) throw new FileFormatError('not_csv', 'the file is an .xlsx workbook, not CSV: set format to auto or xlsx');
  if (zip) return 'xlsx';
  const binary = binaryKind(head);
  if (binary) throw new FileFormatError('binary', `the file is ${binary}, not CSV or .xlsx: export the customers as CSV (UTF-8) or .xlsx and import that`);
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const start = head.subarray(bom).toString('latin1').replace(/^\s+/, '').toLowerCase();
  if (start.startsWith('<html') || start.startsWith('<!doctype') || start.startsWith('<table') || start.startsWith('<?xml')) {
    const named = /\.xlsx?$/i.test(filename) ? ` although it is named ${filename}` : '';
    throw new FileFormatError('html_table', `the file is an HTML or XML page${named} (some systems export "Excel" files that way): open it in Excel or WPS and save it as .xlsx or CSV`);
  }
  return 'csv';
}

// Files people upload by mistake, by their first bytes.
const SIGNATURES: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
];

/**
 * What binary file this is, or undefined for text. Text of any encoding this reader takes has
 * next to no control characters below 0x20 other than tab, line feed, carriage return and form
 * feed, except UTF-16 (its BOM, or ASCII with a NUL in every other byte); random bytes have one
 * in ten. A stray NUL in a CSV cell (some exports leave one) is text still.
 */
function binaryKind(head: Buffer): string | undefined {
  for (const [magic, kind] of SIGNATURES) if (magic.every((b, i) => head[i] === b)) return kind;
  const sample = head.subarray(0, 4096);
  if (bomEncoding(sample) || utf16WithoutBom(sample)) return undefined;
  let controls = 0;
  for (const b of sample) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  return sample.length >= 64 && controls > sample.length * 0.05 ? 'a binary file' : undefined;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
