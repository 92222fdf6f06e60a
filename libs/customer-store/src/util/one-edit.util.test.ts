import { describe, expect, it } from '@jest/globals';
import { oneEditApart } from './one-edit.util.js';

describe('oneEditApart', () => {
  it.each([
    ['13912345678', '13912345679'],
    ['13912345678', '13912354678'],
    ['zhangwei88', 'zhangwe88'],
    ['zhangwe88', 'zhangwei88'],
    ['163.con', '163.com'],
    ['ab', 'ba'],
    ['a', ''],
  ])('%p and %p are one slip apart', (a, b) => {
    expect(oneEditApart(a, b)).toBe(true);
  });

  it.each([
    ['13912345678', '13912345678'],
    ['13912345678', '13912345600'],
    ['13912345678', '13921345687'],
    ['abc', 'cab'],
    ['zhangwei88', 'zhangw88'],
    ['ab', 'abcd'],
  ])('%p and %p are not', (a, b) => {
    expect(oneEditApart(a, b)).toBe(false);
  });
});
