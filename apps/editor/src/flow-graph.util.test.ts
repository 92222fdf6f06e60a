import { describe, expect, it } from '@jest/globals';
import { toGraph } from './flow-graph.util.js';

describe('toGraph', () => {
  it('places nodes at their positions and turns ports into handles and edge labels', () => {
    const { nodes, edges } = toGraph({
      name: 'f',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, name: 'Web form', position: { x: 0, y: 80 } },
        { id: 'resolve', type: 'customer.resolve', version: 1, position: { x: 280, y: 80 } },
        { id: 'upsert', type: 'customer.upsert', version: 2 },
        { id: 'notify', type: 'core.transform', version: 1 },
      ],
      edges: [
        { from: 'hook', to: 'resolve' },
        { from: 'resolve:new', to: 'upsert' },
        { from: 'resolve:review', to: 'notify:in' },
        { from: 'notify', to: 'upsert:other' },
      ],
    });
    expect(nodes.map((n) => [n.id, n.position])).toEqual([
      ['hook', { x: 0, y: 80 }],
      ['resolve', { x: 280, y: 80 }],
      // No position: laid out by depth from the trigger, below the placed nodes.
      ['upsert', { x: 840, y: 260 }],
      ['notify', { x: 560, y: 260 }],
    ]);
    expect(nodes[0]!.data).toMatchObject({ label: 'Web form', inputs: [], outputs: ['out'] });
    expect(nodes[1]!.data).toMatchObject({ label: 'resolve', inputs: ['in'], outputs: ['new', 'review'] });
    expect(nodes[2]!.data).toMatchObject({ inputs: ['in', 'other'], outputs: ['out'] });
    expect(edges).toEqual([
      { id: 'e0', source: 'hook', sourceHandle: 'out', target: 'resolve', targetHandle: 'in', label: undefined },
      { id: 'e1', source: 'resolve', sourceHandle: 'new', target: 'upsert', targetHandle: 'in', label: 'new' },
      { id: 'e2', source: 'resolve', sourceHandle: 'review', target: 'notify', targetHandle: 'in', label: 'review' },
      { id: 'e3', source: 'notify', sourceHandle: 'out', target: 'upsert', targetHandle: 'other', label: 'out → other' },
    ]);
  });
});

import type { NodeSpec } from './catalog.types.js';
import { indexCatalog, outputPorts } from './catalog.types.js';
import { checkConnection, configErrorSchema, fromGraph, newNodeId, problemsByNode } from './flow-graph.util.js';
import { autoLayout } from './flow-layout.util.js';

const spec = (id: string, extra: Partial<NodeSpec> = {}): NodeSpec => ({
  id,
  version: 1,
  title: id,
  description: '',
  category: 'logic',
  icon: null,
  configSchema: { type: 'object' },
  inputs: ['in'],
  outputs: ['out'],
  dynamicOutputs: false,
  trigger: null,
  connection: null,
  sample: null,
  ...extra,
});

const catalog = indexCatalog([
  spec('core.webhook', { inputs: [], trigger: 'webhook', category: 'trigger' }),
  spec('core.transform', { outputs: ['out', 'error'] }),
  spec('core.branch', { outputs: null, dynamicOutputs: true }),
]);

const doc = {
  schemaVersion: 1,
  id: 'f',
  name: 'F',
  settings: { concurrency: 2 },
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' }, position: { x: 0, y: 0 } },
    { id: 'map', type: 'core.transform', version: 1, config: { expression: '$' }, retry: { maxAttempts: 2 }, position: { x: 300, y: 0 } },
    { id: 'br', type: 'core.branch', version: 1, config: { rules: [{ port: 'vip', condition: 'x' }] }, position: { x: 600, y: 0 } },
  ],
  edges: [
    { from: 'hook', to: 'map' },
    { from: 'map', to: 'br' },
  ],
};

describe('toGraph with the catalogue', () => {
  it('takes ports from the node declarations, including config-dependent ones', () => {
    const { nodes } = toGraph(doc, catalog);
    expect(nodes.map((n) => [n.id, n.data.inputs, n.data.outputs, n.data.trigger])).toEqual([
      ['hook', [], ['out'], true],
      ['map', ['in'], ['out', 'error'], false],
      ['br', ['in'], ['vip', 'else', 'error'], false],
    ]);
    expect(outputPorts(undefined, {})).toEqual(['out']);
  });
});

describe('fromGraph', () => {
  it('round-trips a document, keeping fields the editor does not edit', () => {
    const { nodes, edges } = toGraph(doc, catalog);
    expect(fromGraph(doc, nodes, edges)).toEqual(doc);
  });

  it('writes named ports as nodeId:port', () => {
    const { nodes } = toGraph(doc, catalog);
    const out = fromGraph(doc, nodes, [{ id: 'x', source: 'br', sourceHandle: 'vip', target: 'map', targetHandle: 'in' }]);
    expect(out.edges).toEqual([{ from: 'br:vip', to: 'map' }]);
  });
});

describe('checkConnection', () => {
  const { nodes, edges } = toGraph(doc, catalog);
  const c = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({ source, sourceHandle, target, targetHandle });

  it('accepts a declared output to a declared input', () => {
    expect(checkConnection(c('map', 'error', 'br', 'in'), nodes, edges)).toBeNull();
  });
  it('refuses an input on a trigger', () => {
    expect(checkConnection(c('map', 'out', 'hook', 'in'), nodes, edges)).toBe('connect.triggerInput');
  });
  it('refuses undeclared ports', () => {
    expect(checkConnection(c('map', 'nope', 'br', 'in'), nodes, edges)).toBe('connect.unknownPort');
    expect(checkConnection(c('map', 'out', 'br', 'other'), nodes, edges)).toBe('connect.unknownPort');
  });
  it('refuses cycles, self-loops and duplicates', () => {
    expect(checkConnection(c('br', 'else', 'map', 'in'), nodes, edges)).toBe('connect.cycle');
    expect(checkConnection(c('map', 'out', 'map', 'in'), nodes, edges)).toBe('connect.self');
    expect(checkConnection(c('hook', 'out', 'map', 'in'), nodes, edges)).toBe('connect.duplicate');
  });
});

describe('newNodeId', () => {
  it('derives a free id from the node type', () => {
    expect(newNodeId('core.transform', [])).toBe('transform');
    expect(newNodeId('core.transform', ['transform', 'transform_2'])).toBe('transform_3');
    expect(newNodeId('Foo.Bar Baz', [])).toBe('bar-baz');
  });
});

describe('API problems', () => {
  const problems = [
    { code: 'invalid_expression', nodeId: 'map', path: '/nodes/1/config/expression', message: 'bad' },
    { code: 'invalid_config', path: '/nodes/2/config/rules/0/port', message: 'must be string' },
    { code: 'no_trigger', path: '', message: 'no trigger' },
  ];
  it('are grouped by node, by id or by the path index', () => {
    const by = problemsByNode(problems, doc);
    expect([...by.keys()]).toEqual(['map', 'br']);
  });
  it('become an error schema for the config form', () => {
    expect(configErrorSchema(problems)).toEqual({ expression: { __errors: ['bad'] }, rules: { '0': { port: { __errors: ['must be string'] } } } });
  });
});

describe('autoLayout', () => {
  it('puts each node right of the nodes feeding it', () => {
    const { nodes, edges } = toGraph({ ...doc, nodes: doc.nodes.map(({ position: _p, ...n }) => n) }, catalog);
    const laid = autoLayout(nodes, edges);
    const x = Object.fromEntries(laid.map((n) => [n.id, n.position.x]));
    expect(x['hook']!).toBeLessThan(x['map']!);
    expect(x['map']!).toBeLessThan(x['br']!);
  });
});
