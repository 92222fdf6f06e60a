import { exactNumber } from '@tributary/node-sdk';

// ISO 4217 minor units where they are not 2 (Square amounts are in the smallest unit).
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export const currencyExponent = (currency: string): number => EXPONENTS[currency.toUpperCase()] ?? 2;

/** An integer amount in the currency's smallest unit as a decimal string: (1050, USD) → "10.50", (500, JPY) → "500". */
export function minorUnitsToDecimal(amount: unknown, currency: string): string | undefined {
  const text = typeof amount === 'number' ? (Number.isSafeInteger(amount) ? String(amount) : undefined) : typeof amount === 'string' && /^-?\d+$/.test(amount.trim()) ? amount.trim() : undefined;
  if (text === undefined) return undefined;
  const exp = currencyExponent(currency);
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp).replace(/^0+(?=\d)/, '');
  return `${negative ? '-' : ''}${whole}${exp ? `.${digits.slice(digits.length - exp)}` : ''}`;
}

/** A major-unit amount (number or decimal text) as a decimal string with at least two decimals: 12.5 → "12.50". A number past 2^53 (digits lost) is none. */
export function majorUnitsToDecimal(amount: unknown): string | undefined {
  let text: string | undefined;
  if (typeof amount === 'number' && exactNumber(amount)) text = Number.isInteger(amount) ? String(amount) : String(Math.round(amount * 1e6) / 1e6);
  else if (typeof amount === 'string' && /^-?\d+(\.\d+)?$/.test(amount.trim())) text = amount.trim();
  if (text === undefined) return undefined;
  const [whole, frac = ''] = text.split('.');
  return `${whole}.${frac.padEnd(2, '0')}`;
}

/** A vendor amount in yuan (元) or fen (分) as a decimal CNY string. */
export const cnyAmount = (amount: unknown, unit: 'yuan' | 'fen'): string | undefined => (unit === 'fen' ? minorUnitsToDecimal(amount, 'CNY') : majorUnitsToDecimal(amount));
