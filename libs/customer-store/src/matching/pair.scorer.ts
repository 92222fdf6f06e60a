import { compareField, prepareField, type PreparedValue } from './field.comparator.js';
import type { FuzzyField, IdentifierRule, MatchConfig, MatchReason, MatchRecord } from './match.types.js';

/** A fuzzy field with its defaults resolved and its swap partner as an index. */
export interface CompiledField extends FuzzyField {
  agree: number;
  swapIndex: number;
}

/** A config checked and indexed once, shared by every comparison. */
export interface CompiledConfig {
  config: MatchConfig;
  fields: CompiledField[];
  fieldIndex: Map<string, number>;
  /** Identifier rules by type, and the types in priority order. */
  identifiers: Map<string, IdentifierRule>;
  identifierOrder: string[];
  /** For each identifier type, the indexes of its conflict fields. */
  conflictIndexes: Map<string, number[]>;
}

/** A record with its identities filtered to the config's types and its fields prepared. */
export interface PreparedRecord {
  id: string;
  identities: { type: string; value: string }[];
  values: (PreparedValue | undefined)[];
}

const compiled = new WeakMap<MatchConfig, CompiledConfig>();

/** Compiles a config (cached per config object); throws on a rule that cannot work. */
export function compileConfig(config: MatchConfig): CompiledConfig {
  const hit = compiled.get(config);
  if (hit) return hit;
  const fieldIndex = new Map<string, number>();
  config.fuzzy.fields.forEach((f, i) => fieldIndex.set(f.field, i));
  const fields = config.fuzzy.fields.map((f): CompiledField => {
    const swapIndex = f.swapWith === undefined ? -1 : (fieldIndex.get(f.swapWith) ?? -2);
    if (swapIndex === -2) throw new Error(`fuzzy field ${f.field}: swapWith ${f.swapWith} is not a fuzzy field`);
    const exactLike = f.comparator === 'exact' || f.comparator === 'city' || f.comparator === 'phone_near' || f.comparator === 'email_near';
    return { ...f, agree: f.agree ?? (exactLike ? 1 : 0.92), swapIndex };
  });
  const identifiers = new Map(config.identifiers.map((r) => [r.type, r]));
  const identifierOrder = [...config.identifiers].sort((a, b) => a.priority - b.priority).map((r) => r.type);
  const conflictIndexes = new Map<string, number[]>();
  for (const r of config.identifiers) {
    const idx = (r.conflictFields ?? []).map((f) => {
      const i = fieldIndex.get(f);
      if (i === undefined) throw new Error(`identifier ${r.type}: conflict field ${f} is not a fuzzy field`);
      return i;
    });
    conflictIndexes.set(r.type, idx);
  }
  const result: CompiledConfig = { config, fields, fieldIndex, identifiers, identifierOrder, conflictIndexes };
  compiled.set(config, result);
  return result;
}

/** Prepares a record once so that it can be compared with many others cheaply. */
export function prepareRecord(record: MatchRecord, cc: CompiledConfig): PreparedRecord {
  const identities = record.identities.filter((i) => cc.identifiers.has(i.type) && i.value);
  const values = cc.fields.map((f) => prepareField(f.comparator, record.fields[f.field]));
  return { id: record.id, identities, values };
}

/** Similarity of field i between two prepared records, or −1 when one side is missing. */
export function fieldSimilarity(a: PreparedRecord, b: PreparedRecord, i: number, cc: CompiledConfig): number {
  const f = cc.fields[i]!;
  const va = a.values[i];
  const vb = b.values[i];
  let s = va !== undefined && vb !== undefined ? compareField(f.comparator, va, vb) : -1;
  if (f.swapIndex >= 0 && s < f.agree && va !== undefined) {
    const vs = b.values[f.swapIndex];
    if (vs !== undefined) s = Math.max(s, compareField(f.comparator, va, vs));
  }
  return s;
}

function weightFor(f: CompiledField, s: number): number {
  if (s >= f.agree) return f.agreeWeight;
  if (f.partial !== undefined && s >= f.partial) return f.partialWeight ?? 0;
  return f.disagreeWeight;
}

/** The fuzzy score alone, without reasons: the hot path of the batch matcher. */
export function scorePrepared(a: PreparedRecord, b: PreparedRecord, cc: CompiledConfig): number {
  let score = 0;
  for (let i = 0; i < cc.fields.length; i++) {
    const s = fieldSimilarity(a, b, i, cc);
    if (s >= 0) score += weightFor(cc.fields[i]!, s);
  }
  return score;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The fuzzy score with one reason per compared field (missing fields score 0 and are left out). */
export function explainPrepared(a: PreparedRecord, b: PreparedRecord, cc: CompiledConfig): { score: number; reasons: MatchReason[] } {
  let score = 0;
  const reasons: MatchReason[] = [];
  for (let i = 0; i < cc.fields.length; i++) {
    const s = fieldSimilarity(a, b, i, cc);
    if (s < 0) continue;
    const f = cc.fields[i]!;
    const weight = weightFor(f, s);
    score += weight;
    const level = s >= f.agree ? 'agrees' : f.partial !== undefined && s >= f.partial ? 'is close' : 'disagrees';
    reasons.push({
      rule: 'fuzzy',
      field: f.field,
      comparator: f.comparator,
      similarity: round(s),
      weight,
      detail: `${f.field} ${level} (${f.comparator} ${round(s)}, ${weight >= 0 ? '+' : ''}${weight})`,
    });
  }
  return { score: round(score), reasons };
}

/** Identity values the two records share, in the config's priority order. */
export function sharedIdentities(a: PreparedRecord, b: PreparedRecord, cc: CompiledConfig): { type: string; value: string }[] {
  const shared: { type: string; value: string }[] = [];
  for (const type of cc.identifierOrder) {
    for (const x of a.identities) {
      if (x.type !== type) continue;
      if (b.identities.some((y) => y.type === type && y.value === x.value)) shared.push(x);
    }
  }
  return shared;
}

/**
 * Fellegi-Sunter style score of a pair: the sum of each fuzzy field's agreement, partial or
 * disagreement weight. Shared identifiers are listed first in the reasons (weight 0: they
 * link deterministically in `decide`, they do not add to the score).
 */
export function scorePair(a: MatchRecord, b: MatchRecord, config: MatchConfig): { score: number; reasons: MatchReason[] } {
  const cc = compileConfig(config);
  const pa = prepareRecord(a, cc);
  const pb = prepareRecord(b, cc);
  const { score, reasons } = explainPrepared(pa, pb, cc);
  const ids: MatchReason[] = sharedIdentities(pa, pb, cc).map((i) => ({
    rule: `identifier:${i.type}`,
    field: i.type,
    weight: 0,
    detail: `${i.type} ${i.value} equal`,
  }));
  return { score, reasons: [...ids, ...reasons] };
}
