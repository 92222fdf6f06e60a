// Phone numbers as items carry them ("138 0013 8000", "+86-138-0013-8000", "008613800138000",
// 13800138000 as a number) to E.164 ("+8613800138000"). A bare number is read as a mainland
// China mobile; anything else needs its "+" country code.

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export type PhoneResult = { e164: string; mainland: boolean } | { problem: string };

export function normalizePhone(value: unknown, opts: { allowInternational: boolean }): PhoneResult {
  if (typeof value === 'number' && Number.isSafeInteger(value)) value = String(value);
  if (typeof value !== 'string' || value.trim() === '') return { problem: 'no phone number' };
  let s = value.trim().replace(/[\s\-().\u00a0]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!/^\+?\d+$/.test(s)) return { problem: `"${value.slice(0, 40)}" is not a phone number` };
  let national: string | undefined;
  if (s.startsWith('+86')) national = s.slice(3);
  else if (!s.startsWith('+') && s.startsWith('86') && s.length === 13) national = s.slice(2);
  else if (!s.startsWith('+')) national = s;
  if (national !== undefined) {
    if (!MAINLAND_MOBILE.test(national)) return { problem: `"${value.slice(0, 40)}" is not a mainland China mobile number (11 digits starting with 13–19); give other numbers with their + country code` };
    return { e164: `+86${national}`, mainland: true };
  }
  if (!/^\+[1-9]\d{6,14}$/.test(s)) return { problem: `"${value.slice(0, 40)}" is not an E.164 phone number` };
  if (!opts.allowInternational) return { problem: `${s} is outside mainland China; enable international numbers (they need the provider’s international SMS service and templates)` };
  return { e164: s, mainland: false };
}
