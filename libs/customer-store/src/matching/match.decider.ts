import { oneEditApart } from '../util/one-edit.util.js';
import { preparedKey } from './field.comparator.js';
import type { MatchConfig, MatchDecision, MatchReason, MatchRecord } from './match.types.js';
import {
  compileConfig,
  explainPrepared,
  fieldSimilarity,
  prepareRecord,
  scorePrepared,
  type CompiledConfig,
  type PreparedRecord,
} from './pair.scorer.js';

export interface DecideContext {
  /** How many customers already hold an identity value (for maxCustomersPerValue); defaults to the candidates holding it. */
  customersPerValue?: (type: string, value: string) => number;
  /** How many records (or customers) hold a prepared field value, for fields with a `rare` bonus or a `common` penalty; without it neither applies. */
  valueCount?: (field: string, key: string) => number;
  /** How many records (or customers) valueCount counts among: the base of `rare.maxShare` and `common.minShare`; without it neither share applies. */
  population?: number;
}

/**
 * The term-frequency adjustment of a pair (Splink-style), with its reasons: where a field
 * agrees on a value few hold (`rare`), its bonus; on a value many hold (`common`), its penalty.
 * The shares need the context's population; without it, `rare.maxShare` and `common` do not apply.
 */
export function rareBonus(a: PreparedRecord, b: PreparedRecord, cc: CompiledConfig, context: DecideContext): { bonus: number; reasons: MatchReason[] } {
  let bonus = 0;
  const reasons: MatchReason[] = [];
  if (!context.valueCount) return { bonus, reasons };
  const population = context.population;
  cc.fields.forEach((f, i) => {
    const v = a.values[i];
    if ((!f.rare && !f.common) || v === undefined || fieldSimilarity(a, b, i, cc) < f.agree) return;
    const key = preparedKey(v);
    const count = context.valueCount!(f.field, key);
    const rare = f.rare && count <= f.rare.maxRecords && (f.rare.maxShare === undefined || (population !== undefined && count <= f.rare.maxShare * population));
    if (rare) {
      bonus += f.rare!.bonus;
      reasons.push({ rule: 'fuzzy:rare', field: f.field, weight: f.rare!.bonus, detail: `${f.field} ${key} is rare (${count} holders, +${f.rare!.bonus})` });
      return;
    }
    if (f.common && population !== undefined && count >= f.common.minRecords && count >= Math.min(f.common.minShare * population, f.common.manyRecords)) {
      bonus -= f.common.penalty;
      reasons.push({ rule: 'fuzzy:common', field: f.field, weight: -f.common.penalty, detail: `${f.field} ${key} is common (${count} holders of ${population}, −${f.common.penalty})` });
    }
  });
  return { bonus, reasons };
}

/**
 * A conflicting identifier: both sides hold values of a type limited to maxPerCustomer, the
 * limit would be exceeded by merging (two different WeChat unionids), so no automatic merge.
 */
/** The configured penalty for identifier types both sides hold without sharing a value. */
export function identifierDisagreement(
  a: { type: string; value: string }[],
  b: { type: string; value: string }[],
  cc: CompiledConfig,
): { weight: number; reasons: MatchReason[] } {
  const weights = cc.config.fuzzy.identifierDisagreeWeight;
  if (!weights) return { weight: 0, reasons: [] };
  let weight = 0;
  const reasons: MatchReason[] = [];
  for (const [type, w] of Object.entries(weights)) {
    const mine = a.filter((x) => x.type === type);
    if (mine.length === 0) continue;
    const theirs = b.filter((x) => x.type === type);
    // A mistyped digit is not another phone.
    if (theirs.length === 0 || mine.some((x) => theirs.some((y) => nearlyEqual(x.value, y.value)))) continue;
    weight += w;
    reasons.push({ rule: 'fuzzy', field: type, weight: w, detail: `${type} differs (${w >= 0 ? '+' : ''}${w})` });
  }
  return { weight, reasons };
}

export function identifierConflict(
  a: { type: string; value: string }[],
  b: { type: string; value: string }[],
  cc: CompiledConfig,
): MatchReason | undefined {
  for (const rule of cc.config.identifiers) {
    const max = rule.maxPerCustomer;
    if (max === undefined) continue;
    const values = new Set<string>();
    let inA = false;
    let inB = false;
    for (const x of a) if (x.type === rule.type) (values.add(x.value), (inA = true));
    for (const x of b) if (x.type === rule.type) (values.add(x.value), (inB = true));
    if (inA && inB && values.size > max) {
      return { rule: `conflict:${rule.type}`, field: rule.type, detail: `${rule.type} differs and a customer holds at most ${max}` };
    }
  }
  return undefined;
}

/** A conflict field that disagrees, which stops an automatic link through identifier `type`. */
export function conflictFieldVeto(a: PreparedRecord, b: PreparedRecord, type: string, cc: CompiledConfig): MatchReason | undefined {
  for (const i of cc.conflictIndexes.get(type) ?? []) {
    const s = fieldSimilarity(a, b, i, cc);
    if (s < 0) continue;
    const f = cc.fields[i]!;
    if (s < (f.partial ?? f.agree)) {
      return {
        rule: `conflict:${type}`,
        field: f.field,
        comparator: f.comparator,
        similarity: Math.round(s * 1000) / 1000,
        detail: `${type} shared but ${f.field} disagrees`,
      };
    }
  }
  return undefined;
}

/**
 * Equal, or one slip apart (one digit changed, two adjacent digits swapped): a mistyped phone
 * is not evidence of another person.
 */
export function nearlyEqual(a: string, b: string): boolean {
  return a === b || (a.length === b.length && oneEditApart(a, b));
}

/** Both sides hold values of one of the rule's conflict identifier types and share none (nor a near miss). */
export function conflictIdentifierVeto(
  a: { type: string; value: string }[],
  b: { type: string; value: string }[],
  type: string,
  cc: CompiledConfig,
): MatchReason | undefined {
  for (const t of cc.identifiers.get(type)?.conflictIdentifiers ?? []) {
    const va = a.filter((x) => x.type === t);
    const vb = b.filter((x) => x.type === t);
    if (va.length && vb.length && !va.some((x) => vb.some((y) => nearlyEqual(y.value, x.value)))) {
      return { rule: `conflict:${type}`, field: t, detail: `${type} shared but ${t} differs` };
    }
  }
  return undefined;
}

/**
 * Why a record linked to customer `target` may not bring in `other`, the one customer holding
 * another of its identifiers (of type `type`), or undefined when merging them is safe: the record
 * must be linkable to `other` through that identifier (no limited identifier overflows, no
 * conflict field disagrees, no conflict identifier differs), the two customers must not
 * contradict each other in the same ways, and where the identifier's rule names conflict fields
 * (a phone or e-mail, which families and desks share), one of them must agree outright: silence
 * is not enough to join two customers.
 */
export function bridgeVeto(record: MatchRecord, target: MatchRecord, other: MatchRecord, type: string, config: MatchConfig): MatchReason | undefined {
  const cc = compileConfig(config);
  const r = prepareRecord(record, cc);
  const t = prepareRecord(target, cc);
  const o = prepareRecord(other, cc);
  const veto =
    identifierConflict(r.identities, o.identities, cc) ??
    conflictFieldVeto(r, o, type, cc) ??
    conflictIdentifierVeto(r.identities, o.identities, type, cc) ??
    identifierConflict(t.identities, o.identities, cc) ??
    conflictFieldVeto(t, o, type, cc) ??
    conflictIdentifierVeto(t.identities, o.identities, type, cc);
  if (veto) return veto;
  const idx = cc.conflictIndexes.get(type) ?? [];
  const agrees = (a: PreparedRecord) => idx.some((i) => fieldSimilarity(a, o, i, cc) >= cc.fields[i]!.agree);
  if (idx.length > 0 && !agrees(r) && !agrees(t)) {
    return { rule: `conflict:${type}`, field: type, detail: `${type} shared, but no ${idx.map((i) => cc.fields[i]!.field).join(' or ')} agrees` };
  }
  return undefined;
}

/**
 * Resolves one record against candidates (customers or records found by its identities and
 * blocking keys). Identifiers first, in priority order, within their limits; then the fuzzy
 * score: ≥ autoMergeThreshold matched, ≥ reviewThreshold review, else new. Every outcome
 * carries its reasons.
 */
export function decide(record: MatchRecord, candidates: MatchRecord[], config: MatchConfig, context: DecideContext = {}): MatchDecision {
  const cc = compileConfig(config);
  const r = prepareRecord(record, cc);
  const cs = candidates.map((c) => prepareRecord(c, cc));
  const review: { id: string; score: number; reasons: MatchReason[] }[] = [];
  const seen = new Set<string>();

  for (const type of cc.identifierOrder) {
    const rule = cc.identifiers.get(type)!;
    for (const ident of r.identities) {
      if (ident.type !== type) continue;
      const holders = cs.filter((c) => c.identities.some((x) => x.type === type && x.value === ident.value));
      if (holders.length === 0) continue;
      const count = context.customersPerValue?.(type, ident.value) ?? holders.length;
      const idReason: MatchReason = { rule: `identifier:${type}`, field: type, detail: `${type} ${ident.value} equal` };
      if (rule.maxCustomersPerValue !== undefined && count >= rule.maxCustomersPerValue) {
        // The value is shared by too many customers to tell anyone apart: it stops linking.
        for (const h of holders) {
          if (seen.has(h.id)) continue;
          const ex = explainPrepared(r, h, cc);
          review.push({ id: h.id, score: ex.score, reasons: [{ ...idReason, detail: `${type} ${ident.value} held by ${count} customers (limit ${rule.maxCustomersPerValue})` }, ...ex.reasons] });
          seen.add(h.id);
        }
        continue;
      }
      // Several holders under the limit: the best fuzzy agreement wins.
      const ranked = holders.map((h) => ({ h, s: scorePrepared(r, h, cc) })).sort((x, y) => y.s - x.s);
      const conflictIdx = cc.conflictIndexes.get(type) ?? [];
      for (const { h } of ranked) {
        if (seen.has(h.id)) continue;
        seen.add(h.id);
        const ex = explainPrepared(r, h, cc);
        // A value several customers share (a family phone) links only where the name agrees.
        const ambiguous =
          count > 1 && conflictIdx.length > 0 && !conflictIdx.some((i) => fieldSimilarity(r, h, i, cc) >= cc.fields[i]!.agree);
        if (ambiguous) {
          review.push({ id: h.id, score: ex.score, reasons: [{ ...idReason, detail: `${type} ${ident.value} is shared by ${count} customers and the names do not tell which` }, ...ex.reasons] });
          continue;
        }
        // An e-mail several customers hold, told apart by their phones (namesakes typing one
        // made-up mailbox): a record without a phone cannot say whose it is.
        const tellers = rule.conflictIdentifiers ?? [];
        const blind = count > 1 && tellers.length > 0 && !tellers.some((t) => r.identities.some((x) => x.type === t));
        if (blind) {
          review.push({ id: h.id, score: ex.score, reasons: [{ ...idReason, detail: `${type} ${ident.value} is held by ${count} customers and the record has no ${tellers.join(' or ')} to tell which` }, ...ex.reasons] });
          continue;
        }
        const veto =
          identifierConflict(r.identities, h.identities, cc) ?? conflictFieldVeto(r, h, type, cc) ?? conflictIdentifierVeto(r.identities, h.identities, type, cc);
        if (veto) {
          review.push({ id: h.id, score: ex.score, reasons: [idReason, veto, ...ex.reasons] });
          continue;
        }
        return { kind: 'matched', targetId: h.id, score: ex.score, reasons: [idReason, ...ex.reasons], candidates: review.length ? review : undefined };
      }
    }
  }

  const { autoMergeThreshold, reviewThreshold, maxCandidates } = cc.config.fuzzy;
  const fuzzy = cs
    .slice(0, maxCandidates ?? cs.length)
    .filter((c) => !seen.has(c.id))
    .map((c) => ({ c, s: scorePrepared(r, c, cc) + rareBonus(r, c, cc, context).bonus + identifierDisagreement(r.identities, c.identities, cc).weight }))
    .filter((x) => x.s >= reviewThreshold)
    .sort((x, y) => y.s - x.s);
  for (const { c, s } of fuzzy) {
    const base = explainPrepared(r, c, cc);
    const rare = rareBonus(r, c, cc, context);
    const differ = identifierDisagreement(r.identities, c.identities, cc);
    const ex = { score: base.score + rare.bonus + differ.weight, reasons: [...base.reasons, ...rare.reasons, ...differ.reasons] };
    const conflict = pairConflict(r, c, cc);
    // Another candidate at the merge score that cannot be one person with this one (two 张伟 at one
    // company, each with their own phone): the record fits both and says nothing to choose.
    const rival = s >= autoMergeThreshold ? fuzzy.find((x) => x.c !== c && x.s >= autoMergeThreshold && pairConflict(c, x.c, cc) !== undefined) : undefined;
    if (s >= autoMergeThreshold && !conflict && !rival && review.length === 0) {
      const others = fuzzy.filter((x) => x.c !== c).map((x) => ({ id: x.c.id, score: x.s, reasons: explainPrepared(r, x.c, cc).reasons }));
      return { kind: 'matched', targetId: c.id, score: ex.score, reasons: [{ rule: 'fuzzy', detail: `score ${ex.score} ≥ ${autoMergeThreshold}` }, ...ex.reasons], candidates: others.length ? others : undefined };
    }
    const ambiguity: MatchReason | undefined = rival
      ? { rule: 'ambiguous', detail: `customer ${rival.c.id} fits as well (score ${rival.s}) and cannot be the same person as this one` }
      : undefined;
    review.push({ id: c.id, score: ex.score, reasons: [...(conflict ? [conflict] : []), ...(ambiguity ? [ambiguity] : []), ...ex.reasons] });
  }
  if (review.length > 0) {
    const best = review[0]!;
    return { kind: 'review', targetId: best.id, score: best.score, reasons: best.reasons, candidates: review };
  }
  return { kind: 'new', score: 0, reasons: [{ rule: 'new', detail: 'no identifier shared and no candidate above the review threshold' }] };
}

/**
 * Why two records (a record and a candidate, or two candidates) cannot be one person, if they
 * cannot: an identifier beyond its per-customer limit, or a conflict identifier that differs.
 */
function pairConflict(a: PreparedRecord, b: PreparedRecord, cc: CompiledConfig): MatchReason | undefined {
  return (
    identifierConflict(a.identities, b.identities, cc) ??
    cc.config.identifiers.map((rule) => conflictIdentifierVeto(a.identities, b.identities, rule.type, cc)).find((x) => x !== undefined)
  );
}
