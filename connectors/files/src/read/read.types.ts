import type { FileEncoding } from './encoding.util.js';

export const FILE_FORMATS = ['auto', 'csv', 'xlsx'] as const;
export const CSV_DELIMITERS = ['auto', ',', ';', '\t', '|'] as const;

/** How a file is read: the part of the `files.import` config that readRows uses. */
export interface ReadConfig {
  format: (typeof FILE_FORMATS)[number];
  encoding: FileEncoding;
  delimiter: (typeof CSV_DELIMITERS)[number];
  /** xlsx: a sheet name, or its 1-based position among the tabs; default the first tab. */
  sheet?: string | number;
  /** 1-based row of the header (CSV: blank lines not counted); rows above it are skipped. */
  headerRow: number;
  /** File header → item field; `""` drops the column. */
  headerMap?: Record<string, string>;
  /** Map well-known headers (手机, 邮箱, 姓名, mobile, …) to phone, email, name, … */
  defaultHeaderMap: boolean;
  skipEmptyRows: boolean;
}

export const READ_DEFAULTS: ReadConfig = {
  format: 'auto',
  encoding: 'auto',
  delimiter: 'auto',
  headerRow: 1,
  defaultHeaderMap: true,
  skipEmptyRows: true,
};

/**
 * One data row: `line` is where it starts in the file, 1-based (the physical line of a CSV,
 * the row number of a sheet), so people can find it. Values are text, never numbers.
 */
export type RowResult = { line: number; item: Record<string, string>; error?: undefined } | { line: number; error: string; item?: undefined };

/** What was found out about a file while reading it. */
export interface FileInfo {
  format: 'csv' | 'xlsx';
  /** CSV: the encoding used (detected or configured); absent while undecided. */
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  /** The header row as written in the file. */
  headers: string[];
  /** The item field of each header (null: dropped). */
  fields: (string | null)[];
}

export interface ReadOptions {
  /** The uploaded file's name: its extension helps tell CSV from xlsx. */
  filename?: string;
  /** Called when the header is read, and again when more is known (the encoding of a CSV whose header is ASCII). */
  onInfo?(info: FileInfo): void;
}

/** The file as a whole cannot be read (not CSV or xlsx, no such sheet, a quote never closed). */
export class FileFormatError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'FileFormatError';
  }
}
