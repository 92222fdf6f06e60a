import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import * as unzipper from 'unzipper';
import { cellText } from './cell-value.util.js';
import { mapHeaders } from './header-map.util.js';
import { RowBuilder } from './row-builder.js';
import { FileFormatError, type FileInfo, type ReadConfig, type RowResult } from './read.types.js';

interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}

/** The parts of exceljs 4.4's WorkbookReader this reader drives (pinned; they are not public API). */
interface WorkbookParts {
  model?: { sheets?: { name: string }[] };
  workbookRels?: unknown;
  sharedStrings?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: SheetReader }>;
}

const SHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * The rows of one sheet of an .xlsx workbook, streamed: rows are parsed as the zip is read,
 * never the whole sheet at once. (The shared-string table is held in memory, as every xlsx
 * reader must.) Cells in columns without a header are ignored.
 */
export async function* readXlsxRows(stream: Readable, cfg: ReadConfig, onInfo?: (info: FileInfo) => void): AsyncGenerator<RowResult> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // number formats tell dates from numbers
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as WorkbookParts;
  const seen: string[] = [];
  let position = 0;
  try {
    for await (const sheet of workbookSheets(reader, stream)) {
      position++;
      const tabs = (reader.model?.sheets ?? []).map((s) => s.name);
      const name = sheet.name ?? `Sheet${position}`;
      const tab = tabs.indexOf(name) >= 0 ? tabs.indexOf(name) + 1 : position;
      seen.push(name);
      if (!sheetMatches(cfg.sheet, name, tab)) continue;
      yield* sheetRows(sheet, name, cfg, onInfo);
      return;
    }
  } catch (err) {
    if (err instanceof FileFormatError) throw err;
    const reason = (err as Error).message === 'FILE_ENDED' ? 'the file ends before the workbook does (cut off in the upload or the export?)' : (err as Error).message;
    throw new FileFormatError('unreadable_xlsx', `not a readable .xlsx workbook: ${reason}`);
  }
  if (cfg.sheet === undefined) throw new FileFormatError('no_sheet', 'the workbook has no worksheet');
  throw new FileFormatError('no_such_sheet', `the workbook has no sheet ${JSON.stringify(cfg.sheet)}; its sheets are ${seen.map((s) => JSON.stringify(s)).join(', ') || 'none'}`);
}

/**
 * The workbook's sheets in the order they can be read. This is exceljs's own WorkbookReader
 * walk over the zip, with two things it gets wrong done right:
 * - A sheet is read straight from the zip only once the workbook (its sheet names), its
 *   relationships, the shared strings and the styles are known. A zip may store them in any
 *   order (Excel stores the sheets before the shared strings and styles; exceljs's writer
 *   stores workbook.xml after the sheets under load), and exceljs read such a sheet without a
 *   name or failed on "reading 'sheets'".
 * - A sheet that comes too early is spooled to a file in a directory of this read's own,
 *   removed when the read ends however it ends. exceljs spooled to `tmp` files that stayed
 *   (with their descriptors) until the process exited when a read stopped early, and unlinked
 *   a skipped sheet's file while its read stream was still opening it (ENOENT).
 */
async function* workbookSheets(reader: WorkbookParts, stream: Readable): AsyncGenerator<SheetReader> {
  let spool: string | undefined;
  const spooled: { sheetNo: string; path: string }[] = [];
  let workbook = false;
  let styles = false;
  const zip = unzipper.Parse({ forceStream: true });
  // The zip's own errors (a file cut off: FILE_ENDED) reach the part being read, which would
  // otherwise wait for the rest of itself forever, and are remembered: unzipper still hands out
  // a part after FILE_ENDED, one that never ends.
  let current: Readable | undefined;
  let zipError: Error | undefined;
  const failCurrent = (err: Error) => {
    zipError ??= err;
    if (!current || current.destroyed) return;
    // Whoever waits on the part listens to it; when nobody does, the loop meets zipError next.
    current.on('error', () => undefined);
    current.destroy(err);
  };
  zip.on('error', failCurrent);
  stream.on('error', failCurrent);
  stream.pipe(zip);
  try {
    for await (const entry of zip) {
      if (zipError) throw zipError;
      current = entry;
      const sheet = SHEET_PART.exec(entry.path);
      if (entry.path === 'xl/_rels/workbook.xml.rels') await reader._parseRels(textStream(entry));
      else if (entry.path === 'xl/workbook.xml') {
        await reader._parseWorkbook(textStream(entry));
        workbook = true;
      } else if (entry.path === 'xl/sharedStrings.xml') {
        for await (const _ of reader._parseSharedStrings(textStream(entry))); // cached on the reader
      } else if (entry.path === 'xl/styles.xml') {
        await reader._parseStyles(textStream(entry));
        styles = true;
      } else if (sheet) {
        if (workbook && styles && reader.workbookRels && reader.sharedStrings) {
          yield* worksheet(reader, utf8(entry.iterator({ destroyOnReturn: false })), sheet[1]!);
        } else {
          spool ??= await mkdtemp(join(tmpdir(), 'tributary-xlsx-'));
          const path = join(spool, `sheet${sheet[1]}.xml`);
          await pipeline(entry, createWriteStream(path));
          spooled.push({ sheetNo: sheet[1]!, path });
          continue;
        }
      }
      // Whatever of the part was not read (another part, a sheet the caller skipped).
      entry.resume();
      await finished(entry);
    }
    // Spooled sheets of a zip that ended too soon may be cut off themselves.
    if (zipError) throw zipError;
    // A workbook without shared strings (all inline) or styles has none to wait for.
    reader.sharedStrings ??= [];
    for (const { sheetNo, path } of spooled) yield* worksheet(reader, utf8(fileChunks(path)), sheetNo);
  } finally {
    // The read is over (done, stopped early, or failed): what the zip or its source say now (a
    // FILE_ENDED after the sheet wanted was read) concerns nobody, and must not go unhandled.
    const ignore = () => undefined;
    zip.on('error', ignore);
    stream.on('error', ignore);
    stream.unpipe(zip);
    zip.destroy();
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}

function* worksheet(reader: WorkbookParts, chunks: AsyncIterable<string>, sheetNo: string): Generator<SheetReader> {
  for (const { eventType, value } of reader._parseWorksheet(chunks, sheetNo)) if (eventType === 'worksheet') yield value;
}

/**
 * The part's text, decoded across chunk boundaries. exceljs decodes each chunk on its own, so
 * a character cut between two chunks (any of them: a zip's inflated chunks fall anywhere) came
 * out as U+FFFD: a 张三 in a large shared-string table read as "张\uFFFD\uFFFD".
 */
async function* utf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** A part as a stream of its decoded text, for exceljs's part parsers (which take a stream). */
function textStream(entry: Readable): Readable {
  return Readable.from(utf8(entry.iterator({ destroyOnReturn: false })));
}

/** A spooled sheet's chunks; the file is opened only when the sheet is read. */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const file = createReadStream(path);
  try {
    for await (const chunk of file) yield chunk as Buffer;
  } finally {
    file.destroy();
  }
}

async function* sheetRows(sheet: SheetReader, name: string, cfg: ReadConfig, onInfo?: (info: FileInfo) => void): AsyncGenerator<RowResult> {
  let builder: RowBuilder | undefined;
  for await (const row of sheet) {
    if (row.number < cfg.headerRow) continue;
    const cells = rowCells(row);
    if (row.number === cfg.headerRow) {
      const headers = Array.from(cells, (c) => c ?? '');
      builder = new RowBuilder(mapHeaders(headers, cfg), cfg.skipEmptyRows);
      onInfo?.({ format: 'xlsx', sheet: name, headers, fields: builder.fields });
      continue;
    }
    if (!builder) throw new FileFormatError('no_header', `row ${cfg.headerRow} of sheet ${JSON.stringify(name)}, the header row, is empty`, cfg.headerRow);
    const item = builder.build(cells);
    if (item) yield { line: row.number, item };
  }
}

/** The row's cell texts by column, 0-based. */
function rowCells(row: ExcelJS.Row): (string | undefined)[] {
  const values = row.values as unknown[]; // 1-based and sparse
  const cells = new Array<string | undefined>(Math.max(0, values.length - 1));
  for (let c = 1; c < values.length; c++) cells[c - 1] = cellText(values[c]);
  return cells;
}

function sheetMatches(wanted: string | number | undefined, name: string, tab: number): boolean {
  if (wanted === undefined || wanted === '') return tab === 1;
  if (typeof wanted === 'number') return tab === wanted;
  if (wanted === name || wanted.trim().toLowerCase() === name.trim().toLowerCase()) return true;
  return /^\d+$/.test(wanted.trim()) && Number(wanted) === tab;
}
