import { describe, expect, it } from '@jest/globals';
import { normalizePhone } from './phone.util.js';

describe('normalizePhone', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['138 0013 8000', '+8613800138000'],
    ['+86 138-0013-8000', '+8613800138000'],
    ['+86(138)00138000', '+8613800138000'],
    ['008613800138000', '+8613800138000'],
    ['8613800138000', '+8613800138000'],
    [13800138000, '+8613800138000'],
  ])('reads %p as a mainland mobile', (input, e164) => {
    expect(normalizePhone(input, { allowInternational: false })).toEqual({ e164, mainland: true });
  });

  it('needs the + for numbers outside mainland China, and the option to use them', () => {
    expect(normalizePhone('+852 9123 4567', { allowInternational: true })).toEqual({ e164: '+85291234567', mainland: false });
    expect(normalizePhone('+852 9123 4567', { allowInternational: false })).toEqual({ problem: expect.stringMatching(/outside mainland China/) });
    expect(normalizePhone('91234567', { allowInternational: true })).toEqual({ problem: expect.stringMatching(/not a mainland China mobile/) });
  });

  it.each([undefined, null, '', '   ', 'call me', '12345678901', '+86 010 1234 5678', '+1', {}])('refuses %p', (input) => {
    expect(normalizePhone(input, { allowInternational: true })).toHaveProperty('problem');
  });
});
