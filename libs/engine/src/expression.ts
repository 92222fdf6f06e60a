import jsonata from 'jsonata';
import { ExpressionError } from './errors.js';
import { LruCache } from './lru-cache.js';
import type { ExpressionEvaluator, ExpressionLimits } from './node.types.js';

export const DEFAULT_EXPRESSION_LIMITS: Readonly<Required<ExpressionLimits>> = Object.freeze({
  timeoutMs: 1000,
  maxResultBytes: 1024 * 1024,
  maxDepth: 500,
  maxSequenceLength: 1_000_000,
});

// Compiled expressions carry their limits (jsonata bakes the options in at compile time),
// so the cache key includes them. Shared by every evaluator in the process.
const compiled = new LruCache<string, jsonata.Expression>(1000);

const LIMIT_CODES = new Set(['D1011', 'D1012', 'D2014', 'D2015', 'TRIB_STRING_TOO_LONG']);

interface JsonataErrorLike {
  code?: unknown;
  position?: unknown;
  token?: unknown;
  message?: unknown;
}

/**
 * Parses (or takes from the cache) a JSONata expression compiled with `limits`.
 * jsonata checks the limits on every evaluation step (its own guardrails, the
 * `timeboxExpression` pattern built in): a runaway loop or recursion stops at the
 * next step, and every evaluation has its own clock and depth counter.
 */
export function compileExpression(source: string, limits: Partial<ExpressionLimits> = {}): jsonata.Expression {
  const l = { ...DEFAULT_EXPRESSION_LIMITS, ...stripUndefined(limits) };
  const key = `${l.timeoutMs}|${l.maxDepth}|${l.maxSequenceLength}|${source}`;
  return compiled.getOrCreate(key, () => {
    let expression: jsonata.Expression;
    try {
      expression = jsonata(source, { timeout: l.timeoutMs, stack: l.maxDepth, sequence: l.maxSequenceLength });
    } catch (err) {
      throw toExpressionError(err, l);
    }
    guardMemory(expression, l.maxResultBytes);
    return expression;
  });
}

const STRING_TOO_LONG = 'TRIB_STRING_TOO_LONG';
const builtinPad = jsonata('$pad($str, $width, $char)');

/**
 * Time and depth do not bound memory: one step can build a huge string (`$pad("", 1e9)`,
 * `$s & $s` doubling). Every intermediate string is checked as it is produced (a stateless
 * exit hook, safe to share between evaluations), and `$pad` refuses widths past the limit
 * before allocating.
 */
function guardMemory(expression: jsonata.Expression, maxChars: number): void {
  const exitHook = (_expr: unknown, _input: unknown, _env: unknown, result: unknown) => {
    if (typeof result === 'string' && result.length > maxChars) throw { code: STRING_TOO_LONG, value: result.length };
  };
  expression.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, exitHook);
  expression.registerFunction(
    'pad',
    (str: string | undefined, width: number, char?: string) => {
      if (str === undefined) return undefined;
      const charLength = char ? [...char].length : 1;
      if (Math.abs(Math.trunc(width)) * Math.max(1, charLength) > maxChars) throw { code: STRING_TOO_LONG, value: Math.abs(width) * charLength };
      return builtinPad.evaluate({}, { str, width, char: char === undefined || char === '' ? ' ' : char });
    },
    '<s-ns?:s>',
  );
}

/** The syntax error of an expression, or undefined when it parses. */
export function checkExpressionSyntax(source: string): ExpressionError | undefined {
  if (typeof source !== 'string') return new ExpressionError('expression_syntax', 'expression must be a string');
  try {
    compileExpression(source);
    return undefined;
  } catch (err) {
    return err instanceof ExpressionError ? err : new ExpressionError('expression_syntax', String(err));
  }
}

/**
 * Evaluates JSONata with limits: wall-clock time, recursion depth, sequence length and
 * serialized result size. Results come back as plain JSON (jsonata's internal sequence
 * markers and functions are stripped).
 */
export function createExpressionEvaluator(limits: Partial<ExpressionLimits> = {}): ExpressionEvaluator {
  const l = { ...DEFAULT_EXPRESSION_LIMITS, ...stripUndefined(limits) };
  return {
    async evaluate(expression, input, bindings) {
      const expr = compileExpression(expression, l);
      let result: unknown;
      try {
        result = await expr.evaluate(input, bindings);
      } catch (err) {
        throw toExpressionError(err, l);
      }
      return toJsonResult(result, l.maxResultBytes);
    },
  };
}

/**
 * The bindings every node offers to JSONata: `$now()` and `$millis()` on the run's clock,
 * `$runId`, plus the node's own (`$item`, `$index`, …). The editor's expression preview
 * binds the same way.
 */
export function expressionBindings(ctx: { now(): Date; runId: string }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...clockBindings(ctx.now), runId: ctx.runId, ...extra };
}

/**
 * `$now()` and `$millis()` on the run's clock instead of the machine's, so tests and
 * retries see the time the host decided. `$now(picture, timezone)` keeps jsonata's signature.
 */
export function clockBindings(now: () => Date): Record<string, unknown> {
  return {
    now: (picture?: string, timezone?: string) =>
      picture === undefined && timezone === undefined
        ? now().toISOString()
        : compileExpression('$fromMillis($ms, $picture, $timezone)').evaluate({}, { ms: now().getTime(), picture, timezone }),
    millis: () => now().getTime(),
  };
}

/** JSONata's boolean cast (`$boolean`): empty strings, arrays and objects, 0, null and functions are false. */
export function expressionTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(expressionTruthy);
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'boolean':
      return value;
    case 'object':
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}

function toJsonResult(result: unknown, maxBytes: number): unknown {
  if (result === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(result, dropFunctions);
  } catch (err) {
    // A string too long to build is too large by any measure.
    throw new ExpressionError('expression_too_large', `expression result cannot be serialized: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (text === undefined) return undefined;
  // Counted with TextEncoder, not Buffer: this module also runs in the editor's preview worker. A
  // UTF-16 unit is at most 3 UTF-8 bytes, so short results need no count.
  if (text.length * 3 > maxBytes) {
    const bytes = new TextEncoder().encode(text).byteLength;
    if (bytes > maxBytes) throw new ExpressionError('expression_too_large', `expression result is ${bytes} bytes, more than the limit of ${maxBytes}`);
  }
  return JSON.parse(text) as unknown;
}

// jsonata lambdas and native functions are objects that hold their (circular) environment.
function dropFunctions(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && ('_jsonata_lambda' in value || '_jsonata_function' in value)) return undefined;
  return value;
}

function toExpressionError(err: unknown, l: Required<ExpressionLimits>): ExpressionError {
  if (err instanceof ExpressionError) return err;
  let e = (err ?? {}) as JsonataErrorLike & { error?: JsonataErrorLike };
  // $eval wraps the error of the inner expression (D3121); a limit hit inside it is still a limit.
  if (e.code === 'D3121' && e.error && LIMIT_CODES.has(String(e.error.code))) e = { ...e.error, position: e.position };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const position = typeof e.position === 'number' ? e.position : undefined;
  const where = position !== undefined ? ` at position ${position}` : '';
  const detail = typeof e.message === 'string' ? e.message : String(err);
  if (code === 'D1011') return new ExpressionError('expression_too_deep', `expression recursed deeper than ${l.maxDepth} levels${where} (${code})`, position);
  if (code === 'D1012') return new ExpressionError('expression_timeout', `expression ran longer than ${l.timeoutMs} ms${where} (${code})`, position);
  if (code === 'D2014' || code === 'D2015') {
    return new ExpressionError('expression_too_large', `expression built a sequence longer than ${l.maxSequenceLength} items${where} (${code})`, position);
  }
  if (code === STRING_TOO_LONG) {
    return new ExpressionError('expression_too_large', `expression built a string of ${String((e as { value?: unknown }).value)} characters, more than the limit of ${l.maxResultBytes}${where}`, position);
  }
  if (code?.startsWith('S0')) return new ExpressionError('expression_syntax', `syntax error${where}: ${detail} (${code})`, position);
  if (err instanceof RangeError) {
    if (/call stack/i.test(detail)) return new ExpressionError('expression_too_deep', `expression recursed too deep: ${detail}`);
    return new ExpressionError('expression_too_large', `expression result is too large: ${detail}`);
  }
  return new ExpressionError('expression_runtime', `evaluation error${where}: ${detail}${code ? ` (${code})` : ''}`, position);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
