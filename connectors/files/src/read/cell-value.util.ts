/**
 * The text of a cell as an item carries it: trimmed, `undefined` when blank. Excel's
 * `="0138"` (how exports keep leading zeros and long ids from becoming numbers) is unwrapped.
 */
export function cleanText(raw: string): string | undefined {
  let v = raw.trim();
  if (v.length > 3 && v.startsWith('="') && v.endsWith('"')) v = v.slice(2, -1).replace(/""/g, '"').trim();
  return v === '' ? undefined : v;
}

/**
 * An exceljs cell value as text. Numbers never stay numbers (a phone or an id must not lose
 * digits or turn into `1.38E+10`): integers are written out in full, fractions to Excel's 15
 * significant digits. Dates (cells with a date format) become UTC ISO strings: Excel stores
 * no time zone, and exceljs reads the serial as UTC.
 */
export function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: string }[]; result?: unknown; formula?: string; sharedFormula?: string; text?: unknown; error?: string };
    if (Array.isArray(v.richText)) return cleanText(v.richText.map((r) => r.text ?? '').join(''));
    if ('formula' in v || 'sharedFormula' in v || 'result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text); // hyperlink
    if ('error' in v) return undefined; // #N/A, #DIV/0!: no value
  }
  return cleanText(String(value));
}

export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  return String(Number(n.toPrecision(15)));
}
