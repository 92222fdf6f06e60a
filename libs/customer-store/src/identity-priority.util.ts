import type { NormalizedIdentity } from './normalization/identity.normalizer.js';

/**
 * Priority of identity types when picking the key identity: phone, then e-mail, then any
 * other in the order given. The full tiered rules (member ids before e-mail, value limits,
 * hub caps) come with the resolution work.
 */
const TYPE_PRIORITY: Record<string, number> = { phone: 0, email: 1 };

/** Identities deduplicated and ordered by priority; the first is the key identity. */
export function orderIdentities(identities: NormalizedIdentity[]): NormalizedIdentity[] {
  const seen = new Set<string>();
  const unique: NormalizedIdentity[] = [];
  for (const id of identities) {
    const key = identityKey(id.type, id.value);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(id);
  }
  return unique
    .map((id, i) => ({ id, i, p: TYPE_PRIORITY[id.type] ?? 2 }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((x) => x.id);
}

export function identityKey(type: string, value: string): string {
  return `${type}\u0000${value}`;
}
