import { isRejectedIdentity, normalizeIdentity, splitIdentityList, type CountryCode, type IdentityRejection, type PhoneKind } from '@tributary/customer-store';
import type { IdentityInput, Item } from '@tributary/node-sdk';
import { fieldsFor, identityKinds, readFields, valuesOf } from './customer-fields.util.js';

export interface RejectedValue {
  type: string;
  field: string;
  value: unknown;
  reason: IdentityRejection;
}

export interface ExtractedIdentities {
  /** Normalized, deduplicated, mobiles before other phones; the store's key order follows. */
  identities: IdentityInput[];
  phoneKinds: Map<string, PhoneKind>;
  /** Values that were present but junk or invalid, and why. */
  rejected: RejectedValue[];
}

/**
 * Reads every identity an item carries (configured fields, else the default aliases),
 * normalized exactly as the store keys them, so a node can tell before writing whether an
 * item identifies anyone at all.
 */
export function extractIdentities(item: Item, configured: Record<string, string[] | undefined> | undefined, defaultCountry: string): ExtractedIdentities {
  const identities: IdentityInput[] = [];
  const phoneKinds = new Map<string, PhoneKind>();
  const rejected: RejectedValue[] = [];
  const seen = new Set<string>();
  // Identities handed over by customer.normalize upstream.
  const upstream = Array.isArray(item.identities) ? (item.identities as unknown[]) : [];
  const candidates: { type: string; field: string; value: unknown }[] = upstream
    .filter((x): x is { type: string; value: unknown } => !!x && typeof x === 'object' && typeof (x as { type?: unknown }).type === 'string')
    .map((x) => ({ type: x.type, field: 'identities', value: x.value }));
  for (const type of identityKinds(configured)) {
    for (const f of readFields(item, fieldsFor(type, configured))) {
      for (const value of valuesOf(f.value)) candidates.push({ type, field: f.field, value });
    }
  }
  // A field listing two numbers or addresses ("139… / 138…") gives two identities.
  const listed = candidates.flatMap((c) => splitIdentityList(c.type, c.value, defaultCountry as CountryCode).map((value) => ({ ...c, value })));
  for (const c of listed) {
    const r = normalizeIdentity(c.type, c.value, defaultCountry as CountryCode);
    if (isRejectedIdentity(r)) {
      if (r.reason !== 'empty') rejected.push({ type: c.type, field: c.field, value: c.value, reason: r.reason });
      continue;
    }
    const key = `${r.type}\u0000${r.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    identities.push({ type: r.type, value: r.value });
    if (r.phoneKind) phoneKinds.set(r.value, r.phoneKind);
  }
  // A mobile says more about one person than a landline, which may be a shared switchboard.
  const rank = (i: IdentityInput) => (i.type !== 'phone' ? 1 : phoneKinds.get(i.value) === 'mobile' ? 0 : 0.5);
  identities.sort((a, b) => rank(a) - rank(b));
  return { identities, phoneKinds, rejected };
}

/**
 * The identities to hand the store: the usable ones, then the phones it cannot key but its fuzzy
 * comparator still reads (a masked 138****5678, a number one slip from valid), which it records
 * as ignored identities and compares with each candidate's phone beside the name.
 */
export function storeIdentities({ identities, rejected }: Pick<ExtractedIdentities, 'identities' | 'rejected'>): { type: string; value: string }[] {
  const readable = rejected.filter((r) => r.type === 'phone' && (r.reason === 'masked' || r.reason === 'invalid_number') && (typeof r.value === 'string' || typeof r.value === 'number'));
  return [...identities, ...readable.map((r) => ({ type: r.type, value: String(r.value) }))];
}

/** "phone 13800138000 is junk; email n/a is junk": why an item identifies nobody. */
export function describeRejections(rejected: RejectedValue[]): string {
  if (rejected.length === 0) return 'no phone, e-mail or other identity field found';
  return rejected.map((r) => `${r.type} ${JSON.stringify(r.value)} (field ${r.field}) is ${r.reason.replace(/_/g, ' ')}`).join('; ');
}
