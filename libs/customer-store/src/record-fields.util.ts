import type { AttributeMap } from './customer-store.types.js';
import { blockingKeys, compileConfig, prepareRecord, type MatchConfig, type MatchRecord } from './matching/index.js';

// Blocking keys are short; a pasted essay in a name field must not become an index entry.
const MAX_KEY_LENGTH = 300;

/** Profile fields of an input's attributes as the matcher reads them (text and numbers). */
export function inputFields(attributes: Record<string, unknown> | undefined): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) {
    if (typeof v === 'string' && v.trim()) fields[k] = v.trim();
    else if (typeof v === 'number' && Number.isFinite(v)) fields[k] = String(v);
  }
  return fields;
}

/** Profile fields of a stored customer. */
export function customerFields(attributes: AttributeMap): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const [k, e] of Object.entries(attributes ?? {})) {
    const v = e?.value;
    if (typeof v === 'string' && v.trim()) fields[k] = v.trim();
    else if (typeof v === 'number' && Number.isFinite(v)) fields[k] = String(v);
  }
  return fields;
}

/** The blocking keys (customer_match_keys) of a record's fields under the config. */
export function matchKeysOf(fields: Record<string, string | undefined>, config: MatchConfig): string[] {
  if (config.fuzzy.blocking.length === 0) return [];
  const cc = compileConfig(config);
  const record: MatchRecord = { id: '', identities: [], fields };
  const keys = blockingKeys(record, prepareRecord(record, cc), cc).filter((k) => k.length <= MAX_KEY_LENGTH && !k.includes('\u0000'));
  return [...new Set(keys)].sort();
}
