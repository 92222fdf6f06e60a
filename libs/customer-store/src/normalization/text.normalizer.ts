// Shared text clean-up for identity values typed by people on Chinese and Western keyboards.

/**
 * NFKC folds full-width digits, Latin letters, `＋`, `（）`, `＠`, `．` and the ideographic
 * space to their ASCII forms. Dash look-alikes and the ideographic full stop survive
 * NFKC, so they are mapped by hand.
 */
export function toHalfWidth(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212\u30fc\ufe58\ufe63]/g, '-')
    .replace(/[\u3002\uff61]/g, '.')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '');
}

/** A string, a finite number (spreadsheets turn phone numbers into numbers) or nothing. */
export function asText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return Number.isInteger(raw) ? raw.toFixed(0) : String(raw);
  if (typeof raw === 'bigint') return raw.toString();
  return undefined;
}

/** Half-width, trimmed, inner whitespace runs collapsed to one space. */
export function cleanText(raw: string): string {
  return toHalfWidth(raw).replace(/\s+/g, ' ').trim();
}
