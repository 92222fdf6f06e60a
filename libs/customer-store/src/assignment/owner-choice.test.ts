import { describe, expect, it } from '@jest/globals';
import { chooseOwner, type MemberState } from './owner-choice.js';

const now = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Shanghai
const member = (ownerId: string, over: Partial<MemberState> = {}): MemberState => ({
  ownerId,
  active: true,
  awayUntil: null,
  capacity: null,
  workingHours: null,
  load: null,
  matches: true,
  ...over,
});
const nightShift = { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00' };

describe('chooseOwner', () => {
  it('round-robin goes round the team from the pointer, skipping whoever cannot take a customer', () => {
    const team = [member('a'), member('b', { active: false }), member('c', { awayUntil: new Date('2026-03-05T00:00:00Z') }), member('d', { capacity: 2, load: 2 }), member('e')];
    const picks: string[] = [];
    let pointer = 0;
    for (let i = 0; i < 4; i++) {
      const c = chooseOwner(team, pointer, 'round_robin', 'ignore', now);
      picks.push(c.ownerId!);
      pointer += c.advance;
    }
    expect(picks).toEqual(['a', 'e', 'a', 'e']);
    const c = chooseOwner(team, 0, 'round_robin', 'ignore', now);
    expect(c.candidates.map((x) => x.skipped ?? (x.chosen ? 'chosen' : '-'))).toEqual(['chosen', 'inactive', 'away', 'at_capacity', '-']);
  });

  it('an absence that is over does not count', () => {
    expect(chooseOwner([member('a', { awayUntil: new Date('2026-03-01T00:00:00Z') })], 0, 'round_robin', 'ignore', now).ownerId).toBe('a');
  });

  it('least-loaded takes the fewest open customers; ties go round', () => {
    const team = [member('a', { load: 5 }), member('b', { load: 3 }), member('c', { load: 3, capacity: 3 }), member('d', { load: 3 })];
    const first = chooseOwner(team, 0, 'least_loaded', 'ignore', now);
    expect(first.ownerId).toBe('b');
    expect(chooseOwner(team, first.advance, 'least_loaded', 'ignore', now).ownerId).toBe('d');
  });

  it('working hours: prefer those at work, fall back to the rest (prefer) or nobody (only)', () => {
    const team = [member('night', { workingHours: nightShift }), member('day')];
    expect(chooseOwner(team, 0, 'round_robin', 'prefer', now).ownerId).toBe('day');
    expect(chooseOwner(team, 0, 'round_robin', 'prefer', now).candidates[0]!.skipped).toBe('off_hours');
    const nights = [member('n1', { workingHours: nightShift }), member('n2', { workingHours: nightShift })];
    const fallback = chooseOwner(nights, 1, 'round_robin', 'prefer', now);
    expect(fallback).toMatchObject({ ownerId: 'n2', offHours: true });
    const only = chooseOwner(nights, 0, 'round_robin', 'only', now);
    expect(only.ownerId).toBeUndefined();
    expect(only.candidates.map((c) => c.skipped)).toEqual(['off_hours', 'off_hours']);
    expect(chooseOwner(nights, 0, 'round_robin', 'ignore', now).ownerId).toBe('n1');
  });

  it('nobody in an empty team or a team of owners who do not cover the customer', () => {
    expect(chooseOwner([], 7, 'round_robin', 'prefer', now)).toEqual({ advance: 0, candidates: [], offHours: false });
    expect(chooseOwner([member('a', { matches: false })], 0, 'round_robin', 'prefer', now).candidates[0]!.skipped).toBe('no_match');
  });
});
