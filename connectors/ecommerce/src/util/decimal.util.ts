import { exactNumber } from '@tributary/node-sdk';

/**
 * Money as decimal strings, never floats: `"19.90"` stays `"19.90"` and sums are exact
 * (0.1 + 0.2 is not 0.30000000000000004 in a customer's order total).
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A vendor amount (string or number) as a decimal string; undefined when it is not one (or a number past 2^53, its digits lost). */
export function decimalText(value: unknown): string | undefined {
  const t = typeof value === 'number' && exactNumber(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  return t !== undefined && DECIMAL.test(t) ? t : undefined;
}

/** The exact sum of decimal strings, with as many decimals as the most precise one. */
export function sumDecimals(values: string[]): string | undefined {
  if (values.length === 0) return undefined;
  const scale = Math.max(...values.map((v) => v.split('.')[1]?.length ?? 0));
  let total = 0n;
  for (const v of values) {
    const negative = v.startsWith('-');
    const [int, frac = ''] = v.replace('-', '').split('.');
    const units = BigInt(int! + frac.padEnd(scale, '0'));
    total += negative ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${body}` : body;
}
