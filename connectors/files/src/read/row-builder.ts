import { cleanText } from './cell-value.util.js';

/** Builds items from cell texts once the header's fields are known. */
export class RowBuilder {
  constructor(
    readonly fields: (string | null)[],
    private readonly skipEmptyRows: boolean,
  ) {}

  /**
   * The item of one row's cells (already text; undefined = blank), or null for a row with
   * nothing in it when empty rows are skipped. Blank cells are left out of the item, so they
   * never overwrite what a customer already has.
   */
  build(cells: (string | undefined)[]): Record<string, string> | null {
    const item: Record<string, string> = {};
    let filled = false;
    const n = Math.min(cells.length, this.fields.length);
    for (let i = 0; i < n; i++) {
      const field = this.fields[i];
      const value = cells[i];
      if (value === undefined) continue;
      filled = true;
      if (field) item[field] = value;
    }
    if (!filled && this.skipEmptyRows) return null;
    return item;
  }

  /** CSV cells: trimmed, Excel's `="…"` unwrapped, blanks undefined. */
  static clean(record: string[]): (string | undefined)[] {
    const out = new Array<string | undefined>(record.length);
    for (let i = 0; i < record.length; i++) out[i] = cleanText(record[i]!);
    return out;
  }
}
