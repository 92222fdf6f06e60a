import { findNonJson, isPlainObject, PayloadError, type TriggerEvent } from '@tributary/engine';
import type { WebhookTriggerResult } from './harness.js';
import { quoteUnsafeIntegers } from './payload.util.js';

// Type-confusion fuzzing for webhook triggers: a valid delivery with one value at a time replaced
// by a value of another type (null, a number past 2^53, an array where an object was, …). A signed
// delivery of an unexpected shape must map or be refused with a PayloadError (400); anything else
// is a 500 and the vendor retries the delivery forever.

/** A JSON number written as is (`12345678901234567890`, `12345678901234567890.0`), as a vendor's id past 2^53 comes on the wire. */
export class JsonNumberLiteral {
  constructor(readonly text: string) {}
}

/** The removal of the value (the key of an object, the entry of an array). */
const REMOVED = Symbol('removed');

/** The replacements tried at every path. */
export const TYPE_CONFUSION_REPLACEMENTS: readonly { label: string; value: unknown }[] = [
  { label: 'null', value: null },
  { label: 'removed', value: REMOVED },
  { label: '0', value: 0 },
  { label: '-1', value: -1 },
  { label: '1e21', value: 1e21 },
  { label: '12345678901234567890', value: new JsonNumberLiteral('12345678901234567890') },
  // The same id as a decimal: the lossless scanner leaves it to JSON.parse, which rounds it.
  { label: '12345678901234567890.0', value: new JsonNumberLiteral('12345678901234567890.0') },
  { label: "''", value: '' },
  { label: "'x'", value: 'x' },
  { label: 'true', value: true },
  { label: '[]', value: [] },
  { label: '{}', value: {} },
  { label: '[null]', value: [null] },
  { label: '{"a":{}}', value: { a: {} } },
];

/** What replaces the whole body. */
export const TYPE_CONFUSION_BODIES: readonly { label: string; value: unknown }[] = [
  { label: '{}', value: {} },
  { label: '[]', value: [] },
  { label: "'a string'", value: 'a string' },
  { label: '42', value: 42 },
];

/** 12345678901234567890 once a double has rounded it: text holding one of these lost digits. */
const ROUNDED_BIG_INTEGER = ['12345678901234567000', '12345678901234567168', '1.2345678901234567e+19', '1.2345678901234568e+19'];

export interface TypeConfusionCase {
  /** Where the value was replaced: `$` (the whole body), `$.a.b[0]`, `$["预算"]`. */
  path: string;
  /** The replacement, as written in TYPE_CONFUSION_REPLACEMENTS. */
  replacement: string;
  /** The delivery with the replacement; a JsonNumberLiteral stands for a number written as is (see fuzzJson). */
  doc: unknown;
}

export interface TypeConfusionOptions {
  /** At most this many paths, shallowest first (breadth first). Default 300. */
  maxPaths?: number;
  /** The entries of an array walked into (the first ones). Default 5. */
  maxArrayItems?: number;
  /** Paths left alone (e.g. a field verify checks, or a nested document fuzzed on its own). */
  skip?: (path: string) => boolean;
  /** Replace the whole body too (`$`). Default true. */
  wholeBody?: boolean;
}

type Key = string | number;

const showPath = (keys: Key[]) => `$${keys.map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)).join('')}`;

/** Every path of a JSON document, breadth first, arrays entered up to `maxArrayItems` entries. */
export function jsonPaths(doc: unknown, maxArrayItems = 5): Key[][] {
  const out: Key[][] = [];
  let level: { keys: Key[]; value: unknown }[] = [{ keys: [], value: doc }];
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { keys, value } of level) {
      const children: [Key, unknown][] = Array.isArray(value)
        ? value.slice(0, maxArrayItems).map((v, i) => [i, v])
        : isPlainObject(value)
          ? Object.entries(value)
          : [];
      for (const [k, v] of children) {
        out.push([...keys, k]);
        next.push({ keys: [...keys, k], value: v });
      }
    }
    level = next;
  }
  return out;
}

/** A deep copy of a JSON document that keeps its JsonNumberLiteral values. */
function cloneDoc(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneDoc);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: cloneDoc(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/**
 * A delivery's JSON text as a document to mutate: integers past 2^53 become JsonNumberLiteral, so
 * fuzzJson writes them back as the bare digits the vendor sent.
 */
export function parseFuzzJson(text: string): unknown {
  const mark = (exact: unknown, plain: unknown): unknown => {
    if (typeof exact === 'string' && typeof plain === 'number') return new JsonNumberLiteral(exact);
    if (Array.isArray(exact)) return exact.map((v, i) => mark(v, (plain as unknown[])[i]));
    if (isPlainObject(exact)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(exact)) Object.defineProperty(out, k, { value: mark(v, (plain as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return exact;
  };
  return mark(JSON.parse(quoteUnsafeIntegers(text)), JSON.parse(text));
}

function replaceAt(doc: unknown, keys: Key[], value: unknown): unknown {
  const copy = cloneDoc(doc);
  let parent = copy as Record<Key, unknown>;
  for (const k of keys.slice(0, -1)) parent = parent[k] as Record<Key, unknown>;
  const last = keys.at(-1)!;
  if (value !== REMOVED) parent[last] = cloneDoc(value);
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/**
 * The mutated deliveries of `doc`: each path (see TypeConfusionOptions) with each replacement of
 * TYPE_CONFUSION_REPLACEMENTS, then the whole body replaced by each of TYPE_CONFUSION_BODIES.
 */
export function typeConfusionCases(doc: unknown, opts: TypeConfusionOptions = {}): TypeConfusionCase[] {
  const paths = jsonPaths(doc, opts.maxArrayItems ?? 5)
    .filter((keys) => !opts.skip?.(showPath(keys)))
    .slice(0, opts.maxPaths ?? 300);
  const cases: TypeConfusionCase[] = [];
  for (const keys of paths) {
    for (const r of TYPE_CONFUSION_REPLACEMENTS) cases.push({ path: showPath(keys), replacement: r.label, doc: replaceAt(doc, keys, r.value) });
  }
  if (opts.wholeBody ?? true) for (const r of TYPE_CONFUSION_BODIES) cases.push({ path: '$', replacement: r.label, doc: cloneDoc(r.value) });
  return cases;
}

/** The document as JSON text, a JsonNumberLiteral written bare, as is (what the vendor sends). */
export function fuzzJson(doc: unknown, space?: number): string {
  const tag = `json-number-literal-${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(doc, (_k, v: unknown) => (v instanceof JsonNumberLiteral ? `${tag}${v.text}` : v), space) ?? 'null';
  return text.replace(new RegExp(`"${tag}(-?[0-9.eE+-]+)"`, 'g'), '$1');
}

/** The document as a JSON.parse of fuzzJson would give it: a big number rounded to a double. */
export const fuzzValue = (doc: unknown): unknown => JSON.parse(fuzzJson(doc));

export interface TypeConfusionReport {
  /** Deliveries tried. */
  runs: number;
  /** One line per delivery that threw something else than a refusal, or emitted what it must not. */
  failures: string[];
  /** How the deliveries ended: `events` (at least one run), `none` (acknowledged, no run), `refused` (PayloadError), `rejected` (verify or handshake answered). */
  outcomes: Record<'events' | 'none' | 'refused' | 'rejected', number>;
}

export interface FuzzTriggerOptions {
  /** Errors that are a correct refusal; default a PayloadError (the 400 the API answers). */
  accept?: (err: unknown) => boolean;
}

/** The file and line that threw, relative to the working directory. */
function where(err: unknown): string {
  const frames = err instanceof Error ? (err.stack?.split('\n') ?? []) : [];
  const file = frames
    .filter((l) => /^\s+at /.test(l) && !l.includes('node_modules') && !l.includes('node:'))
    .map((l) => /\(?([^()\s]+:\d+:\d+)\)?$/.exec(l.trim())?.[1])
    .find((f) => f !== undefined);
  return file ? ` at ${file.replace(`${process.cwd()}/`, '')}` : '';
}

/** Strings of an item outside its `raw` copy of the delivery. */
function* itemStrings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* itemStrings(v, `${path}/${i}`);
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) if (!(path === '' && k === 'raw')) yield* itemStrings(v, `${path}/${k}`);
}

/** What is wrong with a trigger's answer to a delivery, if anything. */
export function eventProblems(events: unknown): string[] {
  if (!Array.isArray(events)) return [`map returned ${events === null ? 'null' : typeof events}, not an array of events`];
  const problems: string[] = [];
  events.forEach((e, i) => {
    if (!isPlainObject(e) || !Array.isArray(e.items)) return void problems.push(`event ${i} is not { items: [...] }`);
    if (e.dedupeKey !== undefined && typeof e.dedupeKey !== 'string') problems.push(`event ${i}: dedupeKey is ${typeof e.dedupeKey}, not a string`);
    if (typeof e.dedupeKey === 'string' && ROUNDED_BIG_INTEGER.some((r) => (e.dedupeKey as string).includes(r))) problems.push(`event ${i}: dedupeKey "${e.dedupeKey}" holds 12345678901234567890 rounded`);
    e.items.forEach((item: unknown, j: number) => {
      const bad = isPlainObject(item) ? findNonJson(item) : { path: '', reason: 'not a plain object' };
      if (bad) return void problems.push(`event ${i} item ${j} is not a JSON object at ${bad.path || '/'}: ${bad.reason}`);
      for (const [path, s] of itemStrings(item, '')) {
        if (ROUNDED_BIG_INTEGER.some((r) => s.includes(r))) problems.push(`event ${i} item ${j} ${path} = "${s}": 12345678901234567890 rounded`);
        else if (s.includes('[object Object]') || s === 'NaN' || s === 'Invalid Date') problems.push(`event ${i} item ${j} ${path} = "${s}": a value that is not text turned into text`);
      }
    });
  });
  return problems;
}

/**
 * Feeds every case to `deliver` (which builds the request, re-signing or re-encrypting it, and
 * runs the trigger: runWebhookTrigger, or decode and map) and reports each delivery that threw
 * anything but a PayloadError, or whose events are not plain JSON or hold a big id rounded.
 */
export async function fuzzTrigger(
  label: string,
  cases: readonly TypeConfusionCase[],
  deliver: (c: TypeConfusionCase) => Promise<WebhookTriggerResult | TriggerEvent[]> | WebhookTriggerResult | TriggerEvent[],
  opts: FuzzTriggerOptions = {},
): Promise<TypeConfusionReport> {
  const accept = opts.accept ?? ((err: unknown) => err instanceof PayloadError);
  const report: TypeConfusionReport = { runs: 0, failures: [], outcomes: { events: 0, none: 0, refused: 0, rejected: 0 } };
  for (const c of cases) {
    report.runs++;
    const at = `${label}: ${c.path} ← ${c.replacement}`;
    let result: WebhookTriggerResult | TriggerEvent[];
    try {
      result = await deliver(c);
    } catch (err) {
      if (accept(err)) report.outcomes.refused++;
      else report.failures.push(`${at}: ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}${where(err)}`);
      continue;
    }
    const events = Array.isArray(result) ? result : result.events;
    if (!Array.isArray(result) && (result.handshake || !result.verify.ok)) {
      report.outcomes.rejected++;
      continue;
    }
    const problems = eventProblems(events);
    if (problems.length > 0) report.failures.push(...problems.map((p) => `${at}: ${p}`));
    else if ((events as TriggerEvent[]).length > 0) report.outcomes.events++;
    else report.outcomes.none++;
  }
  return report;
}
