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
