import type { AttributeMap } from './customer-store.types.js';
import { blockingKeys, compareField, compileConfig, identityFuzzyFields, prepareField, prepareRecord, type MatchConfig, type MatchRecord } from './matching/index.js';
import { preparePersonName } from './matching/person-name.comparator.js';

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

/** The blocking keys of a record's fields under the config: fuzzy candidates are the customers sharing one. */
export function blockingKeysOf(fields: Record<string, string | undefined>, config: MatchConfig): string[] {
  if (config.fuzzy.blocking.length === 0) return [];
  const cc = compileConfig(config);
  const record: MatchRecord = { id: '', identities: [], fields };
  const keys = blockingKeys(record, prepareRecord(record, cc), cc).filter(storable);
  return [...new Set(keys)].sort();
}

/** The first character of a rarity key; a blocking key starts with its rule's name, never with it. */
export const RARITY_KEY_PREFIX = '\u0002';

/**
 * The rarity keys of a record's fields: one per field with a `rare` bonus or a `common` penalty,
 * under which the store counts the customers holding the value (the term frequency both need). A name
 * counts under its pinyin when it has one, so that 张伟 counts every customer read zhang wei
 * (章伟, Zhang Wei): a name is only as rare as its most common reading. They are stored among
 * a customer's keys but are never blocking keys: no candidate is looked up, and no lock taken, by them.
 */
export function rarityKeysOf(fields: Record<string, string | undefined>, config: MatchConfig): string[] {
  const counted = config.fuzzy.fields.filter((f) => f.rare || f.common);
  if (counted.length === 0) return [];
  const keys: string[] = [];
  for (const f of counted) {
    const raw = fields[f.field];
    if (raw === undefined) continue;
    const v = prepareField(f.comparator, raw);
    if (v === undefined) continue;
    const value = typeof v === 'string' ? v : v.pinyin ? `\u0001${v.pinyin}` : v.key;
    const key = `${RARITY_KEY_PREFIX}${f.field}\u0001${value}`;
    if (value && storable(key)) keys.push(key);
  }
  return keys.sort();
}

/** The field a rarity key counts (rarityKeysOf). */
export function rarityKeyField(key: string): string {
  return key.slice(RARITY_KEY_PREFIX.length, key.indexOf('\u0001'));
}

/** The keys a customer is stored under (customer_match_keys): its blocking keys and its rarity keys. */
export function matchKeysOf(fields: Record<string, string | undefined>, config: MatchConfig): string[] {
  return [...blockingKeysOf(fields, config), ...rarityKeysOf(fields, config)].sort();
}

const storable = (k: string): boolean => k.length <= MAX_KEY_LENGTH && !k.includes('\u0000');

/**
 * Identity types the config also compares as fuzzy fields (phone, with `phone_near`): the raw
 * value of an input's identity of such a type, masked or mistyped ones included, so that the
 * comparator reads what the identity could not (139****5670, a swapped digit).
 */
export function withInputIdentityFields(
  fields: Record<string, string | undefined>,
  identities: readonly { type?: unknown; value?: unknown }[],
  config: MatchConfig,
): Record<string, string | undefined> {
  const types = identityFuzzyFields(config);
  if (types.size === 0) return fields;
  const out = { ...fields };
  for (const id of identities) {
    const type = String(id?.type ?? '');
    if (!types.has(type) || out[type] !== undefined) continue;
    if (typeof id.value === 'string' && id.value.trim()) out[type] = id.value.trim();
    else if (typeof id.value === 'number' || typeof id.value === 'bigint') out[type] = String(id.value);
  }
  return out;
}

/**
 * A stored customer's fields for comparison with a record: its attributes, plus, for identity
 * types compared as fuzzy fields, the one of its values that is closest to the record's (a
 * customer may hold several phones; the comparator takes one).
 */
export function candidateFields(
  attributes: AttributeMap,
  identities: readonly { type: string; value: string }[],
  record: MatchRecord,
  config: MatchConfig,
): Record<string, string | undefined> {
  const fields = customerFields(attributes);
  const types = identityFuzzyFields(config);
  if (types.size === 0) return fields;
  const cc = compileConfig(config);
  for (const type of types) {
    const mine = record.fields[type];
    if (mine === undefined || fields[type] !== undefined) continue;
    const comparator = cc.fields[cc.fieldIndex.get(type)!]!.comparator;
    const a = prepareField(comparator, mine);
    let best: string | undefined;
    let bestScore = -1;
    for (const id of identities) {
      if (id.type !== type) continue;
      const b = prepareField(comparator, id.value);
      const score = a !== undefined && b !== undefined ? compareField(comparator, a, b) : 0;
      if (score > bestScore) (best = id.value), (bestScore = score);
    }
    if (best !== undefined) fields[type] = best;
  }
  return fields;
}

/**
 * Whether an input without a usable identity can still be recognised by its profile, and by
 * what beside the name: a real person's name (not a nickname or a salutation) and at least one
 * blocking key (name + city, name + company), which finds the candidates and makes deliveries of
 * one person wait for each other. The evidence named is a phone only the `phone_near` comparator
 * reads when there is one (a masked 138****5678 from a shop or an ad platform, a number one slip
 * from valid), else the city or company of the key. Undefined when the name or the key is
 * missing: such an input identifies nobody (no_usable_identity).
 */
export function profileEvidence(
  attributes: Record<string, unknown> | undefined,
  identities: readonly { type?: unknown; value?: unknown }[],
  config: MatchConfig,
): { field: string; value: string } | undefined {
  const cc = compileConfig(config);
  const own = inputFields(attributes);
  const fields = withInputIdentityFields(own, identities, config);
  const name = cc.fields.find((f) => f.comparator === 'person_name');
  if (!name || preparePersonName(fields[name.field]) === undefined) return undefined;
  const phone = cc.fields.find((f) => f.comparator === 'phone_near' && fields[f.field] !== undefined && prepareField('phone_near', fields[f.field]) !== undefined);
  if (blockingKeysOf(own, config).length === 0) return undefined;
  if (phone) return { field: phone.field, value: fields[phone.field]! };
  // No phone at all: the field beside the name that makes a blocking key (the city, the company).
  for (const rule of cc.config.fuzzy.blocking) {
    const other = rule.fields.map((f) => f.field).find((f) => f !== name.field && own[f] !== undefined);
    if (other && rule.fields.every((f) => own[f.field] !== undefined)) return { field: other, value: own[other]! };
  }
  return undefined;
}
