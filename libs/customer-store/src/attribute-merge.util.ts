import type { Provenance } from '@tributary/engine';
import type { AttributeEntry, AttributeMap } from './customer-store.types.js';

export interface AttributeMergeResult {
  attributes: AttributeMap;
  /** Fields whose value changed. */
  changed: string[];
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Merges incoming attribute values into a customer's, field by field, latest observation
 * wins (the default survivorship rule; source priority and pinned fields come with the
 * resolution work). Empty values (null, undefined, '', blank) never overwrite: a form that
 * leaves a field blank says nothing about it. An older observation arriving late never
 * overwrites a newer one.
 */
export function mergeAttributes(
  current: AttributeMap,
  incoming: Record<string, unknown>,
  provenance: Provenance,
  observedAt: string,
): AttributeMergeResult {
  const attributes: AttributeMap = { ...current };
  const changed: string[] = [];
  const observed = Date.parse(observedAt);
  for (const [field, raw] of Object.entries(incoming)) {
    if (FORBIDDEN_KEYS.has(field) || !field.trim()) continue;
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (isEmpty(value)) continue;
    const previous = current[field];
    if (previous) {
      if (sameValue(previous.value, value)) continue;
      if (Date.parse(previous.updatedAt) > observed) continue;
    }
    const entry: AttributeEntry = {
      value,
      source: provenance.source,
      flowId: provenance.flowId,
      flowVersion: provenance.flowVersion,
      runId: provenance.runId,
      nodeId: provenance.nodeId,
      updatedAt: observedAt,
    };
    if (previous) {
      entry.previous = { value: previous.value, source: previous.source, runId: previous.runId, updatedAt: previous.updatedAt };
    }
    attributes[field] = entry;
    changed.push(field);
  }
  return { attributes, changed };
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
