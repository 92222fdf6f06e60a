import { describe, expect, it } from '@jest/globals';
import { manualTrigger, setField, setFieldV2 } from './__fixtures__/test-nodes.js';
import { createNodeRegistry, knownVersions } from './registry.js';

describe('createNodeRegistry', () => {
  it('finds definitions by type and version and knows the latest', () => {
    const r = createNodeRegistry([setFieldV2, manualTrigger, setField]);
    expect(r.get('test.set', 1)).toBe(setField);
    expect(r.get('test.set', 2)).toBe(setFieldV2);
    expect(r.get('test.set', 3)).toBeUndefined();
    expect(r.latest('test.set')).toBe(setFieldV2);
    expect(r.latest('nope')).toBeUndefined();
    expect(r.versions('test.set')).toEqual([1, 2]);
    expect(r.list()).toHaveLength(3);
  });

  it('rejects the same id and version twice', () => {
    expect(() => createNodeRegistry([setField, { ...setField }])).toThrow(/test.set version 1 is defined twice/);
  });

  it('lists known versions of any registry', () => {
    const plain = { get: () => undefined, list: () => [setFieldV2, setField, manualTrigger] };
    expect(knownVersions(plain, 'test.set')).toEqual([1, 2]);
  });
});
