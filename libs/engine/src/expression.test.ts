import { describe, expect, it } from '@jest/globals';
import { ExpressionError } from './errors.js';
import { checkExpressionSyntax, clockBindings, compileExpression, createExpressionEvaluator, expressionTruthy } from './expression.js';

async function failure(p: Promise<unknown>): Promise<ExpressionError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionError;
  }
  throw new Error('expected the evaluation to fail');
}

describe('createExpressionEvaluator', () => {
  const expr = createExpressionEvaluator();

  it('evaluates against the input with bindings', async () => {
    const order = { lines: [{ price: 3, qty: 2 }, { price: 5, qty: 1 }], email: 'A@X.COM' };
    expect(await expr.evaluate('$sum(lines.(price * qty))', order)).toBe(11);
    expect(await expr.evaluate('{"email": $lowercase(email), "run": $runId, "i": $index}', order, { runId: 'r1', index: 4 })).toEqual({
      email: 'a@x.com',
      run: 'r1',
      i: 4,
    });
    expect(await expr.evaluate('missing.field', order)).toBeUndefined();
  });

  it('returns plain JSON: sequences become arrays, functions disappear', async () => {
    const res = await expr.evaluate('lines.price', { lines: [{ price: 1 }, { price: 2 }] });
    expect(res).toEqual([1, 2]);
    expect(Object.keys(res as object)).toEqual(['0', '1']);
    expect(await expr.evaluate('function($x){ $x }', {})).toBeUndefined();
  });

  it('uses the run clock for $now() and $millis()', async () => {
    const now = () => new Date('2024-02-29T12:34:56.000Z');
    expect(await expr.evaluate('$now()', {}, clockBindings(now))).toBe('2024-02-29T12:34:56.000Z');
    expect(await expr.evaluate('$millis()', {}, clockBindings(now))).toBe(Date.parse('2024-02-29T12:34:56.000Z'));
    expect(await expr.evaluate("$now('[Y0001]-[M01]-[D01] [H01]', '+0800')", {}, clockBindings(now))).toBe('2024-02-29 20');
  });

  it('stops a non-terminating tail recursion at the time limit', async () => {
    const fast = createExpressionEvaluator({ timeoutMs: 150 });
    const started = Date.now();
    const err = await failure(fast.evaluate('( $f := function($x){ $f($x) }; $f(1) )', {}));
    expect(err.code).toBe('expression_timeout');
    expect(err.message).toMatch(/longer than 150 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops a long $map at the time limit', async () => {
    const fast = createExpressionEvaluator({ timeoutMs: 100 });
    const err = await failure(fast.evaluate('$count($map([1..500000], function($v){ $v * 2 }))', {}));
    expect(err.code).toBe('expression_timeout');
  });

  it('stops deep recursion at the depth limit', async () => {
    const err = await failure(expr.evaluate('( $f := function($x){ $f($x) + 1 }; $f(1) )', {}));
    expect(err.code).toBe('expression_too_deep');
    expect(err.message).toMatch(/deeper than 500/);
    // Recursion that ends is fine, and the limit is configurable.
    expect(await expr.evaluate('( $f := function($n){ $n <= 1 ? 1 : $n + $f($n - 1) }; $f(20) )', {})).toBe(210);
    const shallow = createExpressionEvaluator({ maxDepth: 30 });
    expect((await failure(shallow.evaluate('( $f := function($n){ $n <= 1 ? 1 : $n + $f($n - 1) }; $f(20) )', {}))).code).toBe('expression_too_deep');
  });

  it('refuses to build huge strings, in one step or by doubling', async () => {
    expect((await failure(expr.evaluate('$length($pad("", 1000000000))', {}))).code).toBe('expression_too_large');
    expect((await failure(expr.evaluate('$pad("", 1000, $pad("", 2000, "ab"))', {}))).code).toBe('expression_too_large');
    const doubling = '( $f := function($s, $n){ $n = 0 ? $length($s) : $f($s & $s, $n - 1) }; $f("x", 40) )';
    const err = await failure(expr.evaluate(doubling, {}));
    expect(err.code).toBe('expression_too_large');
    expect(err.message).toMatch(/string of \d+ characters, more than the limit of 1048576/);
    // $pad itself still behaves as JSONata's.
    expect(await expr.evaluate('[$pad("7", 3, "0"), $pad("7", -3, "0"), $pad("ab", 5), $pad("x", 4, "-=")]', {})).toEqual(['700', '007', 'ab   ', 'x-=-']);
  });

  it('applies the limits inside $eval too', async () => {
    const fast = createExpressionEvaluator({ timeoutMs: 100 });
    expect((await failure(fast.evaluate('$eval("( $f := function($x){ $f($x) }; $f(1) )")', {}))).code).toBe('expression_timeout');
    expect((await failure(expr.evaluate('$eval("[1..5000000]")', {}))).code).toBe('expression_too_large');
    expect((await failure(expr.evaluate('$eval("1 +")', {}))).code).toBe('expression_runtime');
  });

  it('refuses huge range literals before allocating them', async () => {
    const err = await failure(expr.evaluate('$map([1..10000000], function($v){ $v })', {}));
    expect(err.code).toBe('expression_too_large');
    const small = createExpressionEvaluator({ maxSequenceLength: 100 });
    expect((await failure(small.evaluate('[1..101]', {}))).code).toBe('expression_too_large');
    expect(await small.evaluate('$count([1..100])', {})).toBe(100);
  });

  it('refuses results larger than maxResultBytes', async () => {
    const tiny = createExpressionEvaluator({ maxResultBytes: 64 });
    expect(await tiny.evaluate('$pad("", 50, "x")', {})).toHaveLength(50);
    // Each string fits, the serialized object does not.
    const err = await failure(tiny.evaluate('{ "s": $pad("", 60, "x") }', {}));
    expect(err.code).toBe('expression_too_large');
    expect(err.message).toMatch(/68 bytes, more than the limit of 64/);
    // The default limit is 1 MiB.
    expect((await failure(expr.evaluate('[1..300000]', {}))).code).toBe('expression_too_large');
  });

  it('reports syntax errors with the position', async () => {
    const err = await failure(expr.evaluate('foo.bar +', {}));
    expect(err.code).toBe('expression_syntax');
    expect(err.position).toBe(9);
    expect(err.message).toMatch(/syntax error at position 9: Unexpected end of expression \(S0207\)/);
  });

  it('reports runtime errors with the position', async () => {
    const err = await failure(expr.evaluate('"a" + 1', {}));
    expect(err.code).toBe('expression_runtime');
    expect(err.position).toBe(5);
    expect(err.message).toMatch(/at position 5: .*must evaluate to a number \(T2001\)/);
    const thrown = await failure(expr.evaluate('$boom()', {}, { boom: () => { throw new Error('kaput'); } }));
    expect(thrown.code).toBe('expression_runtime');
    expect(thrown.message).toMatch(/kaput/);
  });

  it('keeps each evaluation’s depth separate when a compiled expression is shared', async () => {
    const sum = '( $f := function($n){ $n <= 1 ? 1 : $n + $f($n - 1) }; $f(40) )';
    // One evaluation needs more than half of 200 levels…
    expect((await failure(createExpressionEvaluator({ maxDepth: 100 }).evaluate(sum, {}))).code).toBe('expression_too_deep');
    // …so three interleaved evaluations would trip a shared counter; they do not.
    const ev = createExpressionEvaluator({ maxDepth: 200, timeoutMs: 5000 });
    expect(await Promise.all([ev.evaluate(sum, {}), ev.evaluate(sum, {}), ev.evaluate(sum, {})])).toEqual([820, 820, 820]);
  });
});

describe('compileExpression', () => {
  it('caches compiled expressions per source and limits', () => {
    expect(compileExpression('a.b')).toBe(compileExpression('a.b'));
    expect(compileExpression('a.b', { timeoutMs: 5 })).not.toBe(compileExpression('a.b'));
  });

  it('checks syntax without evaluating', () => {
    expect(checkExpressionSyntax('$sum(x)')).toBeUndefined();
    expect(checkExpressionSyntax('$sum(x')).toMatchObject({ code: 'expression_syntax' });
  });
});

describe('expressionTruthy', () => {
  it('follows $boolean', () => {
    for (const v of [true, 1, 'x', [0, 1], { a: 1 }]) expect(expressionTruthy(v)).toBe(true);
    for (const v of [false, 0, '', [], [0, ''], {}, null, undefined]) expect(expressionTruthy(v)).toBe(false);
  });
});
