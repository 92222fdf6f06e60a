import type { Provenance } from '@tributary/engine';
import type { AttributeEntry, AttributeMap, SurvivorshipPolicy } from './customer-store.types.js';
import { preparePersonName } from './matching/person-name.comparator.js';

export interface AttributeMergeResult {
  attributes: AttributeMap;
  /** Fields whose value changed. */
  changed: string[];
}

export interface AttributeMergeOptions {
  /** Per-field policies; a field left out uses the policy recorded on its value, else latest. */
  survivorship?: Record<string, SurvivorshipPolicy>;
  /** The values come from a manual edit: they always win, and are marked so the `manual` policy keeps them. */
  manual?: boolean;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Attribute fields that hold a person's name (`nickname` is meant for the other kind). */
const PERSON_NAME_FIELDS = new Set(['name', 'fullName', 'displayName']);
const NICKNAME_FIELD = 'nickname';
/** Where a customer's display name comes from, first found wins. */
const DISPLAY_NAME_FIELDS = ['name', 'displayName', 'fullName', NICKNAME_FIELD];
const POLICIES = new Set(['latest', 'first', 'source_priority', 'manual', 'longest']);

/** The customer's display name: its first non-blank name field, at most 200 characters. */
/** A customer's attributes as plain values (`{ name: '张伟' }`, provenance left out): what rules, scoring and inputs read. */
export function attributeValues(attributes: AttributeMap | Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) out[k] = v && typeof v === 'object' && 'value' in v ? v.value : v;
  return out;
}

export function displayNameOf(attributes: AttributeMap): string | null {
  for (const field of DISPLAY_NAME_FIELDS) {
    const v = attributes[field]?.value;
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 200);
  }
  return null;
}

/**
 * Merges incoming attribute values into a customer's, field by field, under each field's
 * survivorship policy (latest wins by default). Empty values (null, undefined, '', blank)
 * never overwrite: a form that leaves a field blank says nothing about it. Under latest,
 * an older observation arriving late never overwrites a newer one, and a nickname, salutation
 * or placeholder (小王, 🌸静待花开🌸, 王先生, 未知) never replaces a person's real name: it is kept
 * as `nickname` instead, unless the input brings one.
 */
export function mergeAttributes(
  current: AttributeMap,
  incoming: Record<string, unknown>,
  provenance: Provenance,
  observedAt: string,
  options: AttributeMergeOptions = {},
): AttributeMergeResult {
  const attributes: AttributeMap = { ...current };
  const changed: string[] = [];
  const fields = Object.entries(incoming);
  for (let k = 0; k < fields.length; k++) {
    const [field, raw] = fields[k]!;
    if (FORBIDDEN_KEYS.has(field) || !field.trim()) continue;
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (isEmpty(value)) continue;
    const previous = current[field];
    const configured = options.survivorship?.[field];
    const policy = configured && POLICIES.has(configured.policy) ? configured : previous?.policy;
    const entry: AttributeEntry = {
      value,
      source: provenance.source,
      flowId: provenance.flowId,
      flowVersion: provenance.flowVersion,
      runId: provenance.runId,
      nodeId: provenance.nodeId,
      updatedAt: observedAt,
    };
    if (policy && policy.policy !== 'latest') entry.policy = policy.sources ? { policy: policy.policy, sources: [...policy.sources] } : { policy: policy.policy };
    if (options.manual) entry.manual = true;
    if (previous) {
      if (sameValue(previous.value, value) && !options.manual) continue;
      if (!options.manual && !survives(entry, previous, policy, field)) {
        // A nickname that lost to the real name is still what the channel calls the person.
        if (PERSON_NAME_FIELDS.has(field) && !(NICKNAME_FIELD in incoming) && isNameOnly(entry, previous, policy)) fields.push([NICKNAME_FIELD, value]);
        continue;
      }
      entry.previous = { value: previous.value, source: previous.source, runId: previous.runId, updatedAt: previous.updatedAt };
    }
    attributes[field] = entry;
    changed.push(field);
  }
  return { attributes, changed };
}

/**
 * Whether `challenger` replaces `holder` under the policy (the holder's recorded policy
 * when none is given). Also used by merges, which fold every customer's values through it.
 */
export function survives(
  challenger: AttributeEntry,
  holder: AttributeEntry,
  policy: SurvivorshipPolicy | undefined = holder.policy,
  field?: string,
): boolean {
  if (challenger.manual && !holder.manual) return true;
  // Under the default policy a real name beats a nickname, whichever was seen last.
  if (field !== undefined && PERSON_NAME_FIELDS.has(field) && isNameOnly(challenger, holder, policy)) {
    return isRealName(challenger.value);
  }
  const newer = Date.parse(challenger.updatedAt) >= Date.parse(holder.updatedAt);
  switch (policy?.policy) {
    case 'first':
      return Date.parse(challenger.updatedAt) < Date.parse(holder.updatedAt);
    case 'source_priority': {
      const sources = policy.sources ?? [];
      const rank = (s: string) => {
        const i = sources.indexOf(s);
        return i < 0 ? sources.length : i;
      };
      const a = rank(challenger.source);
      const b = rank(holder.source);
      return a < b || (a === b && newer);
    }
    case 'manual':
      if (holder.manual && !challenger.manual) return false;
      return newer;
    case 'longest': {
      const a = lengthOf(challenger.value);
      const b = lengthOf(holder.value);
      return a > b || (a === b && newer);
    }
    default:
      if (holder.manual && !challenger.manual && holder.policy?.policy === 'manual') return false;
      return newer;
  }
}

/**
 * Whether a name field's contest is decided by the names alone: the default policy, no manual
 * value, and one side a real name while the other is a nickname, salutation or placeholder.
 */
function isNameOnly(challenger: AttributeEntry, holder: AttributeEntry, policy: SurvivorshipPolicy | undefined): boolean {
  if (policy && policy.policy !== 'latest') return false;
  if (challenger.manual || holder.manual) return false;
  return isRealName(challenger.value) !== isRealName(holder.value);
}

/** A real name is one the matcher reads as name evidence (not a nickname, salutation or placeholder). */
function isRealName(value: unknown): boolean {
  return typeof value === 'string' && preparePersonName(value) !== undefined;
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string') return [...value].length;
  return JSON.stringify(value)?.length ?? 0;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.length === 0;
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
