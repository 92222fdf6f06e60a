import type { Options } from 'csv-parse';

/**
 * csv-parse options for match input: a header row, values trimmed (FEBRL separates with ", "),
 * any line ending, even mixed in one file (two exports concatenated).
 */
export const MATCH_CSV_OPTIONS: Options = {
  columns: true,
  trim: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: true,
  relax_column_count: true,
  bom: true,
};

/** The id column: `record_id` (CONTRACT §5), else the first column (FEBRL's `rec_id`). */
export function idColumnOf(row: Record<string, string>): string {
  return 'record_id' in row ? 'record_id' : Object.keys(row)[0]!;
}
