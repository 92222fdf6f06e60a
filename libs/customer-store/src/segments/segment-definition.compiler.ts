import { createAjv, issuesFromAjv, type AnyAjv } from '@tributary/engine';
import { CustomerStoreError } from '../customer-store.errors.js';

type ValidateFunction = ReturnType<AnyAjv['compile']>;
type AjvErrors = NonNullable<Parameters<typeof issuesFromAjv>[0]>;
import { segmentDefinitionSchema } from './segment-definition.schema.js';
import {
  ATTRIBUTE_OPS,
  NUMBER_OPS,
  SEGMENT_NUMBER_FIELDS,
  SEGMENT_TAG_FIELDS,
  SEGMENT_TEXT_FIELDS,
  SEGMENT_TIME_FIELDS,
  TAG_OPS,
  TEXT_OPS,
  TIME_OPS,
  type EventCondition,
  type FieldCondition,
  type SegmentIssue,
  type SegmentNode,
} from './segment.types.js';

/** Nesting of all / any / not, and conditions in one definition, at most. */
export const MAX_SEGMENT_DEPTH = 10;
export const MAX_SEGMENT_CONDITIONS = 200;
/** JSON nesting checked before the schema runs, so a hostile body cannot exhaust the stack. */
const MAX_JSON_DEPTH = 4 * MAX_SEGMENT_DEPTH + 8;

/** Placeholders for one statement: `add(v)` appends a value and returns its `$n`. */
export class SqlParams {
  constructor(readonly values: unknown[] = []) {}

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface CompiledSegment {
  /** A boolean SQL expression over `c` (a row of customers), never NULL; values only as placeholders. */
  sql: string;
  /** It tests times relative to now: it can change without the customer changing (the periodic full pass). */
  timeRelative: boolean;
}

type Kind = 'number' | 'text' | 'time' | 'tags' | 'attribute';

// The only SQL a field name can become. Anything else is refused before SQL is written.
const COLUMN_SQL: Readonly<Record<string, { sql: string; kind: Kind }>> = Object.freeze({
  ...Object.fromEntries(SEGMENT_NUMBER_FIELDS.map((f) => [f, { sql: `c.${f}`, kind: 'number' as const }])),
  ...Object.fromEntries(SEGMENT_TEXT_FIELDS.map((f) => [f, { sql: `c.${f}`, kind: 'text' as const }])),
  ...Object.fromEntries(SEGMENT_TIME_FIELDS.map((f) => [f, { sql: `c.${f}`, kind: 'time' as const }])),
  ...Object.fromEntries(SEGMENT_TAG_FIELDS.map((f) => [f, { sql: `c.${f}`, kind: 'tags' as const }])),
});
const OPS_BY_KIND: Record<Kind, readonly string[]> = { number: NUMBER_OPS, text: TEXT_OPS, time: TIME_OPS, tags: TAG_OPS, attribute: ATTRIBUTE_OPS };
const NEGATED: Readonly<Record<string, string>> = { neq: 'eq', notIn: 'in', notContains: 'contains', notExists: 'exists' };

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (!validator) {
    const ajv: AnyAjv = createAjv();
    validator = ajv.compile(segmentDefinitionSchema);
  }
  return validator;
}

/**
 * Checks a definition: its shape against segmentDefinitionSchema (ajv), then the limits on
 * nesting and size. Issues name the JSON pointer of each bad node, field, operator or value.
 */
export function validateSegmentDefinition(definition: unknown): { ok: true; definition: SegmentNode } | { ok: false; issues: SegmentIssue[] } {
  const tooDeep = jsonDepthExceeds(definition, MAX_JSON_DEPTH);
  if (tooDeep !== null) return { ok: false, issues: [{ path: tooDeep, message: `nests too deeply (at most ${MAX_SEGMENT_DEPTH} levels of all / any / not)` }] };
  const check = validate();
  if (!check(definition)) return { ok: false, issues: explain(check.errors ?? [], definition) };
  const issues: SegmentIssue[] = [];
  let conditions = 0;
  const walk = (node: SegmentNode, path: string, depth: number): void => {
    if (depth > MAX_SEGMENT_DEPTH) {
      issues.push({ path, message: `nests too deeply (at most ${MAX_SEGMENT_DEPTH} levels of all / any / not)` });
      return;
    }
    if ('all' in node) node.all.forEach((n, i) => walk(n, `${path}/all/${i}`, depth + 1));
    else if ('any' in node) node.any.forEach((n, i) => walk(n, `${path}/any/${i}`, depth + 1));
    else if ('not' in node) walk(node.not, `${path}/not`, depth + 1);
    else if (++conditions === MAX_SEGMENT_CONDITIONS + 1) issues.push({ path, message: `too many conditions (at most ${MAX_SEGMENT_CONDITIONS})` });
  };
  walk(definition as SegmentNode, '', 0);
  return issues.length ? { ok: false, issues } : { ok: true, definition: definition as SegmentNode };
}

/** The definition, checked; throws CustomerStoreError invalid_input whose details are the issues. */
export function parseSegmentDefinition(definition: unknown): SegmentNode {
  const result = validateSegmentDefinition(definition);
  if (!result.ok) {
    const first = result.issues[0]!;
    throw new CustomerStoreError('invalid_input', `segment definition is invalid: ${first.path || '(root)'} ${first.message}${result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : ''}`, result.issues);
  }
  return result.definition;
}

/**
 * Compiles a checked definition to one SQL predicate over `c` (a row of customers). Field
 * names map through a fixed table and operators through a switch; every value, attribute name
 * and event type is a placeholder in `params`. `now` is the time relative conditions count
 * from (a placeholder too, added once when used).
 */
export function compileSegmentDefinition(definition: SegmentNode, params: SqlParams, now: Date): CompiledSegment {
  let nowRef: string | undefined;
  let timeRelative = false;
  const at = () => {
    timeRelative = true;
    return (nowRef ??= `${params.add(now.toISOString())}::timestamptz`);
  };
  const ago = (days: number) => `(${at()} - ${params.add(days)}::float8 * interval '1 day')`;
  const ahead = (days: number) => `(${at()} + ${params.add(days)}::float8 * interval '1 day')`;

  const node = (n: SegmentNode): string => {
    if (typeof n !== 'object' || n === null) throw new CustomerStoreError('invalid_input', 'segment definition is invalid: a node must be an object');
    if ('all' in n) return n.all.length === 0 ? 'TRUE' : `(${n.all.map(node).join(' AND ')})`;
    if ('any' in n) return n.any.length === 0 ? 'FALSE' : `(${n.any.map(node).join(' OR ')})`;
    if ('not' in n) return `(NOT ${node(n.not)})`;
    if ('event' in n) return event(n);
    if ('field' in n) return field(n);
    throw new CustomerStoreError('invalid_input', 'segment definition is invalid: unknown node');
  };

  const event = ({ event: e }: EventCondition): string => {
    const types = params.add(e.types.map(String));
    const within = e.withinDays !== undefined ? ` AND e.occurred_at >= ${ago(num(e.withinDays))}` : '';
    const from = `FROM customer_events e WHERE e.customer_id = c.id AND e.type = ANY(${types}::text[])${within}`;
    const min = e.minCount ?? 1;
    if (min <= 1) return `EXISTS (SELECT 1 ${from})`;
    const n = `${params.add(Math.trunc(num(min)))}::int`;
    return `((SELECT count(*) FROM (SELECT 1 ${from} LIMIT ${n}) AS x) >= ${n})`;
  };

  const field = (cond: FieldCondition): string => {
    const negatedOf = NEGATED[cond.op];
    const op = negatedOf ?? cond.op;
    const positive = cond.field.startsWith('attributes.') ? attribute(cond.field.slice('attributes.'.length), op, cond.value) : column(cond.field, op, cond.value);
    return negatedOf ? `(NOT ${positive})` : positive;
  };

  const column = (name: string, op: string, value: unknown): string => {
    const col = Object.hasOwn(COLUMN_SQL, name) ? COLUMN_SQL[name] : undefined;
    if (!col || (!OPS_BY_KIND[col.kind].includes(op) && !OPS_BY_KIND[col.kind].includes(negation(op)))) {
      throw new CustomerStoreError('invalid_input', `segment definition is invalid: ${JSON.stringify(name)} does not take ${JSON.stringify(op)}`);
    }
    const c = col.sql;
    const guard = (test: string) => `(${c} IS NOT NULL AND ${test})`;
    switch (col.kind) {
      case 'number':
        switch (op) {
          case 'eq': return guard(`${c} = ${params.add(num(value))}::numeric`);
          case 'gt': return guard(`${c} > ${params.add(num(value))}::numeric`);
          case 'gte': return guard(`${c} >= ${params.add(num(value))}::numeric`);
          case 'lt': return guard(`${c} < ${params.add(num(value))}::numeric`);
          case 'lte': return guard(`${c} <= ${params.add(num(value))}::numeric`);
          case 'between': return guard(`${c} BETWEEN ${params.add(num(pair(value)[0]))}::numeric AND ${params.add(num(pair(value)[1]))}::numeric`);
          case 'in': return guard(`${c} = ANY(${params.add(arr(value).map(num))}::numeric[])`);
        }
        break;
      case 'text':
        switch (op) {
          case 'eq': return guard(`${c} = ${params.add(str(value))}::text`);
          case 'in': return guard(`${c} = ANY(${params.add(arr(value).map(str))}::text[])`);
          case 'exists': return guard(`${c} <> ''`);
        }
        break;
      case 'time':
        switch (op) {
          case 'before': return guard(`${c} < ${params.add(time(value))}::timestamptz`);
          case 'after': return guard(`${c} > ${params.add(time(value))}::timestamptz`);
          case 'withinLastDays': return guard(`${c} >= ${ago(num(value))}`);
          case 'olderThanDays': return guard(`${c} < ${ago(num(value))}`);
          case 'withinNextDays': return guard(`${c} >= ${at()} AND ${c} <= ${ahead(num(value))}`);
          case 'exists': return `(${c} IS NOT NULL)`;
        }
        break;
      case 'tags':
        switch (op) {
          case 'contains': return `(${c} @> ${params.add([str(value)])}::text[])`;
          case 'containsAll': return `(${c} @> ${params.add(arr(value).map(str))}::text[])`;
          case 'containsAny': return `(${c} && ${params.add(arr(value).map(str))}::text[])`;
          case 'exists': return `(cardinality(${c}) > 0)`;
        }
        break;
    }
    throw new CustomerStoreError('invalid_input', `segment definition is invalid: ${JSON.stringify(name)} does not take ${JSON.stringify(op)}`);
  };

  const attribute = (name: string, op: string, value: unknown): string => {
    const v = `(c.attributes -> ${params.add(name)}::text -> 'value')`;
    const asText = `(${v} #>> '{}')`;
    const asNumber = `tributary_jsonb_numeric(${v})`;
    const asTime = `tributary_jsonb_timestamptz(${v})`;
    const isTrue = (test: string) => `((${test}) IS TRUE)`;
    switch (op) {
      case 'eq':
        return typeof value === 'number' ? isTrue(`${asNumber} = ${params.add(value)}::numeric`) : isTrue(`${asText} = ${params.add(scalarText(value))}::text`);
      case 'in': {
        const list = arr(value);
        return list.every((x) => typeof x === 'number')
          ? isTrue(`${asNumber} = ANY(${params.add(list)}::numeric[])`)
          : isTrue(`${asText} = ANY(${params.add(list.map(scalarText))}::text[])`);
      }
      case 'contains': {
        const needle = scalarText(value);
        const element = params.add(JSON.stringify([value]));
        return isTrue(`(jsonb_typeof(${v}) = 'array' AND ${v} @> ${element}::jsonb) OR (jsonb_typeof(${v}) = 'string' AND strpos(lower(${asText}), lower(${params.add(needle)}::text)) > 0)`);
      }
      case 'exists':
        return `(${v} IS NOT NULL AND jsonb_typeof(${v}) <> 'null' AND ${v} <> '""'::jsonb AND ${v} <> '[]'::jsonb AND ${v} <> '{}'::jsonb)`;
      case 'gt': return isTrue(`${asNumber} > ${params.add(num(value))}::numeric`);
      case 'gte': return isTrue(`${asNumber} >= ${params.add(num(value))}::numeric`);
      case 'lt': return isTrue(`${asNumber} < ${params.add(num(value))}::numeric`);
      case 'lte': return isTrue(`${asNumber} <= ${params.add(num(value))}::numeric`);
      // Ranges rather than BETWEEN, which would convert the value twice.
      case 'between': return isTrue(`numrange(${params.add(num(pair(value)[0]))}::numeric, ${params.add(num(pair(value)[1]))}::numeric, '[]') @> ${asNumber}`);
      case 'before': return isTrue(`${asTime} < ${params.add(time(value))}::timestamptz`);
      case 'after': return isTrue(`${asTime} > ${params.add(time(value))}::timestamptz`);
      case 'withinLastDays': return isTrue(`${asTime} >= ${ago(num(value))}`);
      case 'olderThanDays': return isTrue(`${asTime} < ${ago(num(value))}`);
      case 'withinNextDays': return isTrue(`tstzrange(${at()}, ${ahead(num(value))}, '[]') @> ${asTime}`);
    }
    throw new CustomerStoreError('invalid_input', `segment definition is invalid: attributes do not take ${JSON.stringify(op)}`);
  };

  const sql = node(definition);
  return { sql, timeRelative };
}

// --- values: checked again here, so the compiler never trusts a caller that skipped validation.

function num(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CustomerStoreError('invalid_input', `segment definition is invalid: ${JSON.stringify(v)} is not a number`);
  return v;
}

function str(v: unknown): string {
  if (typeof v !== 'string') throw new CustomerStoreError('invalid_input', `segment definition is invalid: ${JSON.stringify(v)} is not text`);
  return v;
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new CustomerStoreError('invalid_input', `segment definition is invalid: ${JSON.stringify(v)} is not text, a number or true/false`);
}

function arr(v: unknown): unknown[] {
  if (!Array.isArray(v) || v.length === 0) throw new CustomerStoreError('invalid_input', 'segment definition is invalid: a non-empty list is expected');
  return v;
}

function pair(v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new CustomerStoreError('invalid_input', 'segment definition is invalid: between takes [low, high]');
  return [num(v[0]), num(v[1])];
}

function time(v: unknown): string {
  const d = typeof v === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new CustomerStoreError('invalid_input', `segment definition is invalid: ${JSON.stringify(v)} is not an ISO 8601 time`);
  return d.toISOString();
}

function negation(op: string): string {
  return Object.entries(NEGATED).find(([, positive]) => positive === op)?.[0] ?? op;
}

// --- errors -----------------------------------------------------------------------------

/** The pointer of the first value nested deeper than `max`, or null. */
function jsonDepthExceeds(value: unknown, max: number): string | null {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return path;
    for (const [k, child] of Object.entries(v)) stack.push({ v: child, depth: depth + 1, path: `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return null;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

const NODE_SHAPES = '{"all": [...]}, {"any": [...]}, {"not": {...}}, {"field", "op", "value"} or {"event": {"types": [...]}}';
const COLUMNS = [...SEGMENT_NUMBER_FIELDS, ...SEGMENT_TEXT_FIELDS, ...SEGMENT_TIME_FIELDS, ...SEGMENT_TAG_FIELDS];

function kindOf(field: unknown): Kind | undefined {
  if (typeof field !== 'string') return undefined;
  if (field.startsWith('attributes.') && field.length > 'attributes.'.length) return 'attribute';
  return Object.hasOwn(COLUMN_SQL, field) ? COLUMN_SQL[field]!.kind : undefined;
}

/** What a value must be, in words, for a field kind and operator. */
function expectedValue(kind: Kind | undefined, op: string): string {
  switch (op) {
    case 'exists':
    case 'notExists':
      return 'absent (this operator takes no value)';
    case 'gt': case 'gte': case 'lt': case 'lte':
      return 'a number';
    case 'between':
      return '[low, high], two numbers';
    case 'withinLastDays': case 'olderThanDays': case 'withinNextDays':
      return 'a number of days greater than 0 (at most 36500)';
    case 'before': case 'after':
      return 'an ISO 8601 time or date, e.g. "2026-01-31T00:00:00Z"';
    case 'containsAny': case 'containsAll':
      return 'a non-empty list of texts';
    case 'eq': case 'neq':
      return kind === 'number' ? 'a number' : kind === 'attribute' ? 'a text, a number or true/false' : 'a non-empty text';
    case 'in': case 'notIn':
      return kind === 'number' ? 'a non-empty list of numbers' : kind === 'attribute' ? 'a non-empty list of texts or of numbers' : 'a non-empty list of texts';
    case 'contains': case 'notContains':
      return kind === 'attribute' ? 'a non-empty text or a number' : 'a non-empty text';
    default:
      return 'a value this operator takes';
  }
}

/**
 * ajv's errors, one issue per wrong place: a bad field, operator or value of a condition is one
 * message that says what is expected there, not every alternative the schema tried.
 */
function explain(errors: AjvErrors, root: unknown): SegmentIssue[] {
  const out = new Map<string, string>();
  const put = (path: string, message: string) => {
    if (!out.has(path)) out.set(path, message);
  };
  for (const issue of issuesFromAjv(errors)) {
    const m = /^(.*)\/(field|op|value)(\/.*)?$/.exec(issue.path);
    const owner = m ? valueAt(root, m[1]!) : undefined;
    if (m && typeof owner === 'object' && owner !== null && 'field' in owner) {
      const cond = owner as Record<string, unknown>;
      const kind = kindOf(cond.field);
      const base = `${m[1]}/${m[2]}`;
      if (m[2] === 'field') put(base, `must be a customer column (${COLUMNS.join(', ')}) or attributes.<name>`);
      else if (m[2] === 'op') {
        const ops = kind ? OPS_BY_KIND[kind] : [...new Set([...ATTRIBUTE_OPS, ...TAG_OPS])];
        put(base, `must be one of ${ops.join(', ')}${kind ? ` for ${String(cond.field)}` : ''}`);
      } else if (m[2] === 'value' && typeof cond.op === 'string') put(base, `must be ${expectedValue(kind, cond.op)} for "${cond.op}"`);
      else put(issue.path, issue.message);
      continue;
    }
    if (issue.message === 'boolean schema is false') {
      put(issue.path, `must be one of ${NODE_SHAPES}`);
      continue;
    }
    put(issue.path, issue.message);
  }
  // A node that is wrong as a whole is reported once, not once per alternative below it.
  const paths = [...out.keys()];
  return paths
    .filter((p) => out.get(p)!.startsWith('must be one of {') || !paths.some((q) => q !== p && p.startsWith(`${q}/`) && out.get(q)!.startsWith('must be one of {')))
    .map((path) => ({ path, message: out.get(path)! }));
}
