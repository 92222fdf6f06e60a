import type { Provenance } from '@tributary/engine';
import type { AttributeEntry, AttributeMap, SurvivorshipPolicy } from './customer-store.types.js';

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
const POLICIES = new Set(['latest', 'first', 'source_priority', 'manual', 'longest']);

/**
 * Merges incoming attribute values into a customer's, field by field, under each field's
 * survivorship policy (latest wins by default). Empty values (null, undefined, '', blank)
 * never overwrite: a form that leaves a field blank says nothing about it. Under latest,
 * an older observation arriving late never overwrites a newer one.
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
  for (const [field, raw] of Object.entries(incoming)) {
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
      if (!options.manual && !survives(entry, previous, policy)) continue;
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
export function survives(challenger: AttributeEntry, holder: AttributeEntry, policy: SurvivorshipPolicy | undefined = holder.policy): boolean {
  if (challenger.manual && !holder.manual) return true;
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
