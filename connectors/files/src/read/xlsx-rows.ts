import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText } from './cell-value.util.js';
import { mapHeaders } from './header-map.util.js';
import { RowBuilder } from './row-builder.js';
import { FileFormatError, type FileInfo, type ReadConfig, type RowResult } from './read.types.js';

interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}

/**
 * The rows of one sheet of an .xlsx workbook, streamed with exceljs's WorkbookReader: rows
 * are parsed as the zip is read, never the whole sheet at once. (The shared-string table is
 * held in memory, as every xlsx reader must; and a sheet stored before it in the zip is
 * spooled to a temporary file by exceljs.) Cells in columns without a header are ignored.
 */
export async function* readXlsxRows(stream: Readable, cfg: ReadConfig, onInfo?: (info: FileInfo) => void): AsyncGenerator<RowResult> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // number formats tell dates from numbers
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  holdSheetsUntilWorkbook(reader);
  const seen: string[] = [];
  let position = 0;
  try {
    for await (const sheet of reader as unknown as AsyncIterable<SheetReader>) {
      position++;
      const tabs = ((reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets ?? []).map((s) => s.name);
      const name = sheet.name ?? `Sheet${position}`;
      const tab = tabs.indexOf(name) >= 0 ? tabs.indexOf(name) + 1 : position;
      seen.push(name);
      if (!sheetMatches(cfg.sheet, name, tab)) continue;
      yield* sheetRows(sheet, name, cfg, onInfo);
      return;
    }
  } catch (err) {
    if (err instanceof FileFormatError) throw err;
    throw new FileFormatError('unreadable_xlsx', `not a readable .xlsx workbook: ${(err as Error).message}`);
  }
  if (cfg.sheet === undefined) throw new FileFormatError('no_sheet', 'the workbook has no worksheet');
  throw new FileFormatError('no_such_sheet', `the workbook has no sheet ${JSON.stringify(cfg.sheet)}; its sheets are ${seen.map((s) => JSON.stringify(s)).join(', ') || 'none'}`);
}

/**
 * exceljs 4.4's streaming reader parses a sheet as soon as it has the shared strings and the
 * workbook's relationships, and then reads the sheet's name from `xl/workbook.xml`; a zip that
 * stores workbook.xml after the sheets (exceljs's own writer does so depending on timing, and
 * so do other tools) fails with "Cannot read properties of undefined (reading 'sheets')". The
 * relationships are kept from the reader until workbook.xml is parsed, so such sheets take the
 * reader's own other path: spooled to a temporary file and read once the zip is through.
 */
function holdSheetsUntilWorkbook(reader: unknown): void {
  const r = reader as {
    workbookRels?: unknown;
    _parseRels?: (entry: unknown) => Promise<void>;
    _parseWorkbook?: (entry: unknown) => Promise<void>;
  };
  const parseRels = r._parseRels?.bind(r);
  const parseWorkbook = r._parseWorkbook?.bind(r);
  // Another exceljs than the pinned one: its reader decides for itself.
  if (!parseRels || !parseWorkbook) return;
  let workbookParsed = false;
  let rels: unknown;
  r._parseRels = async (entry) => {
    await parseRels(entry);
    if (!workbookParsed) {
      rels = r.workbookRels;
      r.workbookRels = undefined;
    }
  };
  r._parseWorkbook = async (entry) => {
    await parseWorkbook(entry);
    workbookParsed = true;
    if (rels !== undefined) r.workbookRels = rels;
  };
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
