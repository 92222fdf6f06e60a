import { describe, expect, it } from '@jest/globals';
import { indexCatalog, type NodeSpec } from './catalog.types.js';
import { ancestorsOf, cellText, untilScope, itemColumns, nodesWithEffects, parseItems, sampleInput, startTrigger, upstreamOutput } from './step-test.util.js';
import type { FlowTestData } from './test-data.store.js';

const spec = (id: string, extra: Partial<NodeSpec> = {}): NodeSpec => ({
  id,
  version: 1,
  title: id,
  description: '',
  category: 'transform',
  icon: null,
  configSchema: {},
  inputs: ['in'],
  outputs: ['out'],
  dynamicOutputs: false,
  trigger: null,
  connection: null,
  sample: null,
  ...extra,
});
const specs = indexCatalog([
  spec('core.webhook', { trigger: 'webhook', inputs: [], pure: true }),
  spec('core.manual', { trigger: 'manual', inputs: [], pure: true, sample: { config: {}, input: [{ name: 'Ada' }] } }),
  spec('core.transform', { pure: true }),
  spec('customer.upsert'),
]);
const node = (id: string, type: string) => ({ id, data: { type, version: 1 } });
const nodes = [node('hook', 'core.webhook'), node('start', 'core.manual'), node('tidy', 'core.transform'), node('save', 'customer.upsert'), node('loose', 'core.transform')];
const edges = [
  { source: 'hook', target: 'tidy' },
  { source: 'start', target: 'tidy' },
  { source: 'tidy', target: 'save', sourceHandle: 'out' },
];
const at = '2026-11-22T10:00:00.000Z';

describe('step test helpers', () => {
  it('collects upstream output per edge port, only when every upstream node was tested', () => {
    const data: FlowTestData = {
      pinned: {},
      results: {
        hook: { nodeId: 'hook', status: 'succeeded', input: [], output: { out: [{ a: 1 }] }, at },
        start: { nodeId: 'start', status: 'succeeded', input: [], output: { out: [{ a: 2 }], error: [{ bad: true }] }, at },
      },
    };
    expect(upstreamOutput('tidy', edges, data)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(upstreamOutput('save', edges, data)).toBeUndefined();
    expect(upstreamOutput('hook', edges, data)).toBeUndefined();
    expect(upstreamOutput('tidy', edges, { ...data, results: { hook: data.results.hook! } })).toBeUndefined();
  });

  it('starts a run up to a node at a manual trigger first, like the API', () => {
    expect(startTrigger('save', nodes, edges, specs)?.id).toBe('start');
    expect(startTrigger('save', nodes, edges.slice(0, 1).concat(edges[2]!), specs)?.id).toBe('hook');
    expect(startTrigger('loose', nodes, edges, specs)).toBeUndefined();
    expect([...ancestorsOf('save', edges)].sort()).toEqual(['hook', 'save', 'start', 'tidy']);
    // The other trigger's branch is not part of a run from `start`.
    expect([...untilScope('start', 'save', edges)].sort()).toEqual(['save', 'start', 'tidy']);
    expect([...untilScope('start', 'tidy', [...edges, { source: 'tidy', target: 'loose' }])].sort()).toEqual(['start', 'tidy']);
  });

  it('names the nodes with real effects', () => {
    expect(nodesWithEffects(ancestorsOf('save', edges), nodes, specs).map((n) => n.id)).toEqual(['save']);
    expect(nodesWithEffects(['tidy'], nodes, specs)).toEqual([]);
  });

  it('reads typed items and says what is wrong with them', () => {
    expect(parseItems('[{"a":1},{"b":2}]')).toEqual({ ok: true, items: [{ a: 1 }, { b: 2 }] });
    expect(parseItems('{"a":1}')).toEqual({ ok: true, items: [{ a: 1 }] });
    expect(parseItems('[{"a":1}, 3]')).toEqual({ ok: false, error: 'item 2 is not a JSON object' });
    const broken = parseItems('[{"a":1');
    expect(broken.ok).toBe(false);
    expect(sampleInput(specs.get('core.manual@1'))).toEqual([{ name: 'Ada' }]);
    expect(sampleInput(specs.get('core.transform@1'))).toBeUndefined();
  });

  it('shows nested values compactly in table cells', () => {
    expect(itemColumns([{ a: 1, b: 2 }, { c: 3, a: 4 }])).toEqual(['a', 'b', 'c']);
    expect(cellText('x')).toBe('x');
    expect(cellText(null)).toBe('null');
    expect(cellText(undefined)).toBe('');
    expect(cellText({ city: '杭州' })).toBe('{"city":"杭州"}');
    expect(cellText({ long: 'y'.repeat(100) }, 20)).toBe('{"long":"yyyyyyyyyy…'); // 20 characters in all
  });
});
