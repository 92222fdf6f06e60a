import type { Options } from 'csv-parse';

/**
 * csv-parse options for match input: a header row, values trimmed (FEBRL separates with ", "),
 * any line ending, even mixed in one file (two exports concatenated), a quote inside a field
 * taken as text, and a record that cannot be read skipped (reported by its line, see RowGate)
 * instead of ending the run. `info` gives each record its line.
 */
export const MATCH_CSV_OPTIONS: Options = {
  columns: true,
  trim: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_records_with_error: true,
  info: true,
  bom: true,
};

/** A parsed row with its place in the file (MATCH_CSV_OPTIONS has `info`). */
export interface CsvRow {
  record: Record<string, string>;
  info: { lines: number };
}

/** Skipped lines listed at most; all are counted. */
const MAX_LISTED = 20;

export interface SkipReport {
  count: number;
  /** The first ones, in file order. */
  listed: { line: number; reason: string }[];
}

/**
 * Which rows become records. The output has one row per record, keyed by its id, and a
 * cluster is named by one of its records' ids: a row without an id, or with the id of an
 * earlier row, would make the output say something it does not mean (two people with id 1
 * would look like one cluster), so it is skipped with its line and reason, as a row the CSV
 * parser cannot read is.
 */
export class RowGate {
  private idColumn: string | undefined;
  private readonly ids = new Set<string>();
  private readonly report: SkipReport = { count: 0, listed: [] };

  /** The id column when the row is a record; undefined when it is skipped (and reported). */
  accept(row: CsvRow): string | undefined {
    this.idColumn ??= idColumnOf(row.record);
    const id = row.record[this.idColumn];
    if (!id) return this.skip(row.info.lines, `${this.idColumn} is empty`);
    if (this.ids.has(id)) return this.skip(row.info.lines, `${this.idColumn} ${id} is an earlier record's too`);
    this.ids.add(id);
    return this.idColumn;
  }

  /** A line not read as a record (also what the CSV parser skips). */
  skip(line: number, reason: string): undefined {
    this.report.count++;
    if (this.report.listed.length < MAX_LISTED) this.report.listed.push({ line, reason });
    return undefined;
  }

  /** A record the CSV parser could not read (its `skip` event: the error carries the line). */
  unreadable = (err: Error & { lines?: number }): void => {
    this.skip(err.lines ?? 0, err.message);
  };

  skipped(): SkipReport {
    return this.report;
  }
}

/** The id column: `record_id` (CONTRACT §5), else the first column (FEBRL's `rec_id`). */
export function idColumnOf(row: Record<string, string>): string {
  return 'record_id' in row ? 'record_id' : Object.keys(row)[0]!;
}
