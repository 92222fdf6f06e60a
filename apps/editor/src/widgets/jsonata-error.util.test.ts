import { describe, expect, it } from '@jest/globals';
import { checkSyntax, describeExpressionError, errorSpan, lineColumn } from './jsonata-error.util.js';

describe('lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\n', 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn('ab', 99)).toEqual({ line: 1, column: 3 });
  });
});

describe('checkSyntax', () => {
  it('passes a valid expression and an empty one', () => {
    expect(checkSyntax('{ "email": $lowercase(email) }')).toBeUndefined();
    expect(checkSyntax('   ')).toBeUndefined();
  });

  it('points at the offending token with its line and column', () => {
    // jsonata reports the position just past the token: `]` is the 4th character.
    expect(checkSyntax('a.b]')).toEqual({ message: 'Syntax error: "]"', code: 'S0201', line: 1, column: 4, start: 3, end: 4 });
    const multi = '{\n  "name": first &\n  ~ last\n}';
    expect(checkSyntax(multi)).toMatchObject({ code: 'S0204', line: 3, column: 3 });
  });

  it('points at the end when the expression stops too early', () => {
    const p = checkSyntax('{ "a": ')!;
    expect(p).toMatchObject({ code: 'S0203', line: 1, column: 7 });
    expect(p.message).toMatch(/Expected "}"/);
    expect(checkSyntax('$lowercase(\n  email')).toMatchObject({ code: 'S0203', line: 2, column: 7 });
  });

  it('underlines a string token without its quotes', () => {
    expect(checkSyntax('a "x"')).toMatchObject({ code: 'S0201', start: 3, end: 4, column: 4 });
  });
});

describe('describeExpressionError', () => {
  it('keeps the message of an error without a position', () => {
    expect(describeExpressionError({ message: 'expression ran longer than 1000 ms' }, 'x')).toEqual({ message: 'expression ran longer than 1000 ms', code: undefined });
  });

  it('locates an engine error by its position', () => {
    const source = '$uppercase(\n  1)';
    expect(describeExpressionError({ message: 'evaluation error at position 11: ...', position: 11 }, source)).toMatchObject({ line: 1, column: 11 });
  });

  it('clamps positions outside the source', () => {
    expect(errorSpan('ab', 10, '(end)')).toEqual({ start: 1, end: 2 });
    expect(errorSpan('', 0, undefined)).toEqual({ start: 0, end: 1 });
  });
});
