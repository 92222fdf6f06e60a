import { describe, expect, it } from '@jest/globals';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry and reports it', () => {
    const evicted: string[] = [];
    const c = new LruCache<string, number>(2, (k) => evicted.push(k));
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(evicted).toEqual(['b']);
    expect(c.get('b')).toBeUndefined();
    expect(c.size).toBe(2);
  });

  it('builds a missing value once and caches nothing when building throws', () => {
    const c = new LruCache<string, number>(5);
    let built = 0;
    expect(c.getOrCreate('x', () => ++built)).toBe(1);
    expect(c.getOrCreate('x', () => ++built)).toBe(1);
    expect(() => c.getOrCreate('y', () => { throw new Error('no'); })).toThrow('no');
    expect(c.size).toBe(1);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
