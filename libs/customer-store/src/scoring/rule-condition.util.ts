import { expressionTruthy, type Item } from '@tributary/engine';
import type { AttributeCondition, ExpressionFn, RuleCondition } from './scoring.types.js';

/** The customer as conditions and JSONata see it: attribute values without their provenance. */
export interface ScoringCustomer {
  id: string;
  score: number;
  stage: string;
  priority: string | null;
  tags: string[];
  ownerId: string | null;
  firstChannel: string | null;
  createdAt: string;
  lastInteractionAt: string | null;
  attributes: Record<string, unknown>;
}

export interface ConditionInput {
  item?: Item;
  eventType?: string;
  customer: ScoringCustomer;
  evaluate?: ExpressionFn;
}

/** Whether the condition holds, and a short reason naming each part that held. */
export interface ConditionResult {
  matched: boolean;
  reason: string;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Evaluates a rule condition: every part given must hold. Throws what the JSONata
 * evaluator throws (the caller fails that item, not the batch).
 */
export async function matchCondition(when: RuleCondition, input: ConditionInput): Promise<ConditionResult> {
  const reasons: string[] = [];
  if (when.eventTypes?.length) {
    if (!input.eventType || !when.eventTypes.includes(input.eventType)) return no();
    reasons.push(`event ${input.eventType}`);
  }
  if (when.stages?.length) {
    if (!when.stages.some((s) => s.toLowerCase() === input.customer.stage.toLowerCase())) return no();
    reasons.push(`stage ${input.customer.stage}`);
  }
  for (const tag of when.tags ?? []) {
    if (!input.customer.tags.includes(tag)) return no();
    reasons.push(`tag ${tag}`);
  }
  for (const tag of when.notTags ?? []) {
    if (input.customer.tags.includes(tag)) return no();
    reasons.push(`no tag ${tag}`);
  }
  for (const a of when.attributes ?? []) {
    const r = matchAttribute(a, input);
    if (r === undefined) return no();
    reasons.push(r);
  }
  if (when.expression) {
    if (!input.evaluate) throw new Error('expression conditions need an expression evaluator');
    const value = await input.evaluate(when.expression, {
      item: input.item ?? {},
      customer: input.customer,
      event: { type: input.eventType ?? null },
    });
    if (!expressionTruthy(value)) return no();
    reasons.push(`expression ${abbreviate(when.expression)}`);
  }
  return { matched: true, reason: reasons.length ? reasons.join('; ') : 'always' };
}

/** The reason text when the attribute condition holds, else undefined. */
export function matchAttribute(a: AttributeCondition, input: Pick<ConditionInput, 'item' | 'customer'>): string | undefined {
  const of = a.of ?? 'any';
  let value: unknown;
  if (of !== 'customer' && input.item) value = readPath(input.item, a.field);
  if (of === 'customer' || (of === 'any' && isEmpty(value))) value = customerValue(input.customer, a.field);
  const parts: string[] = [];
  if (a.exists !== undefined) {
    if (a.exists === isEmpty(value)) return undefined;
    parts.push(a.exists ? 'exists' : 'is empty');
  }
  if (a.equals !== undefined) {
    if (!same(value, a.equals)) return undefined;
    parts.push(`= ${JSON.stringify(a.equals)}`);
  }
  if (a.notEquals !== undefined) {
    if (same(value, a.notEquals)) return undefined;
    parts.push(`≠ ${JSON.stringify(a.notEquals)}`);
  }
  if (a.oneOf !== undefined) {
    if (!a.oneOf.some((v) => same(value, v))) return undefined;
    parts.push(`is ${JSON.stringify(display(value))}`);
  }
  if (a.contains !== undefined) {
    const needle = fold(a.contains);
    const hit = Array.isArray(value) ? value.some((v) => same(v, a.contains!)) : typeof value === 'string' && fold(value).includes(needle);
    if (!hit) return undefined;
    parts.push(`contains ${JSON.stringify(a.contains)}`);
  }
  if (a.gte !== undefined || a.lte !== undefined) {
    const n = numberOf(value);
    if (n === undefined || (a.gte !== undefined && n < a.gte) || (a.lte !== undefined && n > a.lte)) return undefined;
    if (a.gte !== undefined) parts.push(`>= ${a.gte}`);
    if (a.lte !== undefined) parts.push(`<= ${a.lte}`);
  }
  return `${a.field} ${parts.join(' and ') || 'matched'}`;
}

/** A dotted path into an object; the whole field name is tried first (`a.b` may be one key). */
export function readPath(obj: unknown, path: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const rec = obj as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(rec, path)) return rec[path];
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!cur || typeof cur !== 'object' || FORBIDDEN.has(key) || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function customerValue(c: ScoringCustomer, field: string): unknown {
  const attr = readPath(c.attributes, field);
  if (attr !== undefined) return attr;
  // A few columns read like attributes: score, stage, priority, tags, firstChannel, ownerId.
  return ['score', 'stage', 'priority', 'tags', 'firstChannel', 'ownerId'].includes(field) ? (c as unknown as Record<string, unknown>)[field] : undefined;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

/** Text folded for comparison: trimmed, full-width forms as ASCII, lower case. */
function fold(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase();
}

function same(value: unknown, expected: string | number | boolean): boolean {
  if (value === undefined || value === null || typeof value === 'object') return false;
  if (typeof expected === 'number') return numberOf(value) === expected;
  return fold(String(value)) === fold(String(expected));
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function display(v: unknown): unknown {
  return typeof v === 'string' && v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

function abbreviate(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 60)}…` : one;
}

function no(): ConditionResult {
  return { matched: false, reason: '' };
}
