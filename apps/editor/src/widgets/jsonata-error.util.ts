// JSONata errors as the editor shows them: where (line, column, the span to underline) and why.
// jsonata's parse errors carry `code` (S0xxx), `position` (the index just past the offending token)
// and `token`; the engine's ExpressionError carries a `position` only.
import jsonata from 'jsonata';

export interface ExpressionProblem {
  message: string;
  /** jsonata's code (`S0201`) or the engine's (`expression_runtime`). */
  code?: string;
  /** 1-based, where the problem starts; absent when the error has no position. */
  line?: number;
  column?: number;
  /** 0-based span of the offending token in the source, for the underline. */
  start?: number;
  end?: number;
}

interface JsonataErrorLike {
  code?: unknown;
  position?: unknown;
  token?: unknown;
  message?: unknown;
}

/** 1-based line and column of a 0-based index (a UTF-16 index, as jsonata counts). */
export function lineColumn(source: string, index: number): { line: number; column: number } {
  const before = source.slice(0, Math.max(0, Math.min(index, source.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/**
 * The span a jsonata error points at. `position` is where the tokenizer stood after reading the
 * offending token, so the token starts `token.length` before it; at the end of the expression
 * (`(end)`) or without a token, the last character is meant.
 */
export function errorSpan(source: string, position: number, token: unknown): { start: number; end: number } {
  const end = Math.max(0, Math.min(position, source.length));
  if ((typeof token === 'string' || typeof token === 'number') && token !== '(end)') {
    const text = String(token);
    // A string literal's token is its unquoted value: find it just before `position` when it is there.
    const at = source.lastIndexOf(text, end - text.length);
    const start = at >= 0 && at + text.length <= end && end - (at + text.length) <= 1 ? at : Math.max(0, end - text.length);
    return { start, end: Math.max(start + 1, Math.min(end, start + text.length)) };
  }
  const start = Math.max(0, end - 1);
  return { start, end: Math.max(start + 1, end) };
}

/** Any thrown value from jsonata or the engine as a problem located in `source`. */
export function describeExpressionError(err: unknown, source: string): ExpressionProblem {
  const e = (err ?? {}) as JsonataErrorLike;
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (typeof e.position !== 'number' || !Number.isFinite(e.position)) return { message, code };
  const span = errorSpan(source, e.position, e.token);
  return { message, code, ...lineColumn(source, span.start), ...span };
}

/** The syntax error of an expression (jsonata's own parser, the same version as the engine), or undefined. */
export function checkSyntax(source: string): ExpressionProblem | undefined {
  if (!source.trim()) return undefined;
  try {
    jsonata(source);
    return undefined;
  } catch (err) {
    return describeExpressionError(err, source);
  }
}
