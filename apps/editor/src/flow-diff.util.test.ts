import { describe, expect, it } from '@jest/globals';
import { changesBehaviour, diffCounts, diffFlows, hasChanges, jsonEqual, showValue, valueChanges } from './flow-diff.util.js';
import { fromGraph, toGraph } from './flow-graph.util.js';
import type { FlowDocument } from './flow.types.js';

const v1: FlowDocument = {
  schemaVersion: 1,
  id: 'lead-intake',
  name: 'Lead intake',
  nodes: [
    { id: 'form', type: 'forms.webhook', version: 1, config: { auth: 'hmac' }, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'core.transform', version: 1, config: { expression: '$', keep: ['a', 'b'] }, position: { x: 300, y: 0 } },
    { id: 'resolve', type: 'customer.resolve', version: 1, config: { rules: [{ field: 'phone', weight: 1 }] }, position: { x: 600, y: 0 } },
    { id: 'notify', type: 'notify.wecom', version: 1, config: {}, position: { x: 900, y: 120 } },
  ],
  edges: [
    { from: 'form', to: 'shape' },
    { from: 'shape:out', to: 'resolve:in' },
    { from: 'resolve:review', to: 'notify' },
  ],
};
const copy = (d: FlowDocument): FlowDocument => JSON.parse(JSON.stringify(d)) as FlowDocument;

describe('diffFlows', () => {
  it('finds nothing between a flow and itself, nor in different spellings of the same thing', () => {
    const same = copy(v1);
    same.edges[1] = { from: 'shape', to: 'resolve' }; // default ports written out or not
    same.nodes[3] = { id: 'notify', type: 'notify.wecom', version: 1, name: 'notify', disabled: false, position: { x: 900.4, y: 119.6 } };
    const d = diffFlows(v1, same);
    expect(hasChanges(d)).toBe(false);
    expect(diffCounts(d)).toEqual({ added: 0, removed: 0, changed: 0, moved: 0, edges: 0, flow: 0 });
  });

  it('reports config paths with before and after values, and node fields by name', () => {
    const v2 = copy(v1);
    v2.nodes[1]!.config = { expression: '$merge([$, {"x": 1}])', keep: ['a', 'b'] };
    v2.nodes[2]!.config = { rules: [{ field: 'email', weight: 1 }], threshold: 0.8 };
    v2.nodes[3] = { ...v2.nodes[3]!, name: 'Tell sales', disabled: true, version: 2, retry: { maxAttempts: 5 } };
    const d = diffFlows(v1, v2);
    expect(d.nodes.changed).toEqual([
      { id: 'shape', type: 'core.transform', changes: [{ path: '/config/expression', before: '$', after: '$merge([$, {"x": 1}])' }] },
      {
        id: 'resolve',
        type: 'customer.resolve',
        changes: [
          { path: '/config/rules/0/field', before: 'phone', after: 'email' },
          { path: '/config/threshold', before: undefined, after: 0.8 },
        ],
      },
      {
        id: 'notify',
        type: 'notify.wecom',
        name: 'Tell sales',
        changes: [
          { path: '/disabled', before: undefined, after: true },
          { path: '/name', before: undefined, after: 'Tell sales' },
          { path: '/retry', before: undefined, after: { maxAttempts: 5 } },
          { path: '/version', before: 1, after: 2 },
        ],
      },
    ]);
    expect(changesBehaviour(d)).toBe(true);
  });

  it('reports a move apart, as a change that is not a change of behaviour', () => {
    const moved = copy(v1);
    moved.nodes[0]!.position = { x: 40, y: 80 };
    const d = diffFlows(v1, moved);
    expect(d.nodes.moved).toEqual([{ id: 'form', type: 'forms.webhook', before: { x: 0, y: 0 }, after: { x: 40, y: 80 } }]);
    expect(d.nodes.changed).toEqual([]);
    expect(changesBehaviour(d)).toBe(false);
    expect(hasChanges(d)).toBe(true);
    // A position given to a node that had none (a flow written without a layout) is no move.
    const unplaced = copy(v1);
    delete unplaced.nodes[0]!.position;
    expect(diffFlows(unplaced, moved).nodes.moved).toEqual([]);
  });

  it('reports added and removed nodes and edges, edges with default ports left out', () => {
    const v2 = copy(v1);
    v2.nodes = v2.nodes.filter((n) => n.id !== 'notify');
    v2.nodes.push({ id: 'upsert', type: 'customer.upsert', version: 1, config: {} });
    v2.edges = [v2.edges[0]!, v2.edges[1]!, { from: 'resolve:new', to: 'upsert:in' }];
    const d = diffFlows(v1, v2);
    expect(d.nodes.added).toEqual([{ id: 'upsert', type: 'customer.upsert' }]);
    expect(d.nodes.removed).toEqual([{ id: 'notify', type: 'notify.wecom' }]);
    expect(d.edges.added).toEqual([{ from: 'resolve:new', to: 'upsert' }]);
    expect(d.edges.removed).toEqual([{ from: 'resolve:review', to: 'notify' }]);
    expect(diffCounts(d)).toMatchObject({ added: 1, removed: 1, edges: 2 });
  });

  it('reports flow name, description, settings and tool metadata; only settings change behaviour', () => {
    const v2 = { ...copy(v1), name: 'Leads', description: 'From the website', 'x-viewport': { zoom: 1 } };
    const d = diffFlows(v1, v2);
    expect(d.name).toEqual({ path: '/name', before: 'Lead intake', after: 'Leads' });
    expect(d.description).toEqual({ path: '/description', before: undefined, after: 'From the website' });
    expect(d.meta).toEqual([{ path: '/x-viewport', before: undefined, after: { zoom: 1 } }]);
    expect(changesBehaviour(d)).toBe(false);
    const v3 = { ...copy(v1), settings: { retry: { maxAttempts: 3 }, concurrency: 2 } };
    const s = diffFlows({ ...v1, settings: { concurrency: 1 } }, v3);
    expect(s.settings).toEqual([
      { path: '/settings/concurrency', before: 1, after: 2 },
      { path: '/settings/retry', before: undefined, after: { maxAttempts: 3 } },
    ]);
    expect(changesBehaviour(s)).toBe(true);
  });

  it('counts a config key set to its schema default as unchanged, when told the defaults', () => {
    const schema = { type: 'object', properties: { expression: { type: 'string' }, mode: { type: 'string', default: 'each' } } };
    const filled = copy(v1);
    filled.nodes[1]!.config = { ...filled.nodes[1]!.config, mode: 'each' };
    const opts = { configSchema: (type: string) => (type === 'core.transform' ? schema : undefined) };
    expect(diffFlows(v1, filled).nodes.changed.map((c) => c.changes)).toEqual([[{ path: '/config/mode', before: undefined, after: 'each' }]]);
    expect(hasChanges(diffFlows(v1, filled, opts))).toBe(false);
    filled.nodes[1]!.config!.mode = 'all';
    expect(diffFlows(v1, filled, opts).nodes.changed[0]!.changes).toEqual([{ path: '/config/mode', before: 'each', after: 'all' }]);
  });

  it('counts nested defaults the form fills in as no change (an event object, rule lists)', () => {
    const schema = {
      type: 'object',
      properties: {
        event: { type: 'object', properties: { type: { type: 'string', default: 'form_submitted' }, includeItem: { type: 'boolean', default: true } } },
        rules: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, weight: { type: 'number', default: 1 } } } },
      },
    };
    const saved = copy(v1);
    saved.nodes[2]!.config = { rules: [{ field: 'phone' }] };
    const filled = copy(saved);
    filled.nodes[2]!.config = { event: { type: 'form_submitted', includeItem: true }, rules: [{ field: 'phone', weight: 1 }] };
    const opts = { configSchema: (type: string) => (type === 'customer.resolve' ? schema : undefined) };
    expect(hasChanges(diffFlows(saved, filled, opts))).toBe(false);
    filled.nodes[2]!.config = { event: { type: 'order_paid', includeItem: true }, rules: [{ field: 'phone', weight: 2 }] };
    expect(diffFlows(saved, filled, opts).nodes.changed[0]!.changes.map((c) => c.path)).toEqual(['/config/event/type', '/config/rules/0/weight']);
  });

  it('diffs a first publish against an empty flow', () => {
    const d = diffFlows(null, v1);
    expect(d.nodes.added.map((n) => n.id)).toEqual(['form', 'shape', 'resolve', 'notify']);
    expect(d.edges.added).toHaveLength(3);
    expect(d.name).toEqual({ path: '/name', before: undefined, after: 'Lead intake' });
  });

  it('round-trips through the canvas without a change (what the unsaved marker relies on)', () => {
    const g = toGraph(v1);
    expect(hasChanges(diffFlows(v1, fromGraph(v1, g.nodes, g.edges)))).toBe(false);
    const dragged = g.nodes.map((n) => (n.id === 'shape' ? { ...n, position: { x: 333.3, y: 10 } } : n));
    const d = diffFlows(v1, fromGraph(v1, dragged, g.edges));
    expect(d.nodes.moved.map((m) => m.id)).toEqual(['shape']);
    expect(changesBehaviour(d)).toBe(false);
  });
});

describe('valueChanges', () => {
  it('treats a resized array as one change and escapes keys', () => {
    expect(valueChanges({ tags: ['a'] }, { tags: ['a', 'b'] })).toEqual([{ path: '/tags', before: ['a'], after: ['a', 'b'] }]);
    expect(valueChanges({ 'a/b': 1 }, { 'a/b': 2 })).toEqual([{ path: '/a~1b', before: 1, after: 2 }]);
    expect(valueChanges(1, 'x')).toEqual([{ path: '/', before: 1, after: 'x' }]);
  });

  it('compares JSON regardless of key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  });

  it('shows values as short JSON', () => {
    expect(showValue('a')).toBe('"a"');
    expect(showValue('{"x": 1}')).toBe('"{"x": 1}"');
    expect(showValue({ x: [1] })).toBe('{"x":[1]}');
    expect(showValue(undefined)).toBe('∅');
    expect(showValue('x'.repeat(200), 10)).toBe('"xxxxxxxx…');
  });
});
