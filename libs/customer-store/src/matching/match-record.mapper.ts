import { isRejectedIdentity, normalizeIdentity, splitIdentityList } from '../normalization/identity.normalizer.js';
import type { MatchConfig, MatchRecord } from './match.types.js';

/**
 * A CSV row (or any flat object) as a MatchRecord: columns named like an identifier type in
 * the config become identities (normalized; junk dropped, e-mails by their match key), every
 * other non-empty column a profile field. A column that is both an identifier type and a
 * fuzzy field (phone) is both: the raw value also reaches the fuzzy comparator, which reads
 * what the identity cannot (a masked 138****5678, a mistyped digit).
 */
export function recordFromRow(row: Record<string, string | undefined>, config: MatchConfig, idColumn = 'record_id'): MatchRecord {
  const identities: { type: string; value: string }[] = [];
  const fields: Record<string, string | undefined> = {};
  const types = identifierTypes(config);
  for (const key in row) {
    if (key === idColumn) continue;
    const raw = row[key];
    if (raw === undefined || raw === '') continue;
    if (types.has(key)) {
      // A cell listing two numbers or addresses gives both.
      for (const part of splitIdentityList(key, raw)) {
        const value = identityValue(key, part);
        if (value !== undefined) identities.push({ type: key, value });
      }
      if (identityFuzzyFields(config).has(key)) fields[key] = raw;
    } else {
      fields[key] = raw;
    }
  }
  return { id: row[idColumn] ?? '', identities, fields };
}

function identityValue(type: string, raw: unknown): string | undefined {
  const n = normalizeIdentity(type, raw);
  return isRejectedIdentity(n) ? undefined : (n.matchKey ?? n.value);
}

const typeSets = new WeakMap<MatchConfig, Set<string>>();
function identifierTypes(config: MatchConfig): Set<string> {
  let s = typeSets.get(config);
  if (!s) typeSets.set(config, (s = new Set(config.identifiers.map((r) => r.type))));
  return s;
}

const identityFuzzy = new WeakMap<MatchConfig, Set<string>>();
/** Identity types the config also compares as fuzzy fields (phone, with `phone_near`). */
export function identityFuzzyFields(config: MatchConfig): Set<string> {
  let s = identityFuzzy.get(config);
  if (!s) {
    const ids = identifierTypes(config);
    identityFuzzy.set(config, (s = new Set(config.fuzzy.fields.map((f) => f.field).filter((f) => ids.has(f)))));
  }
  return s;
}
