import { describe, expect, it } from '@jest/globals';
import { allTestNodes, exprNode, misbehave as misbehaveDef, setField } from './__fixtures__/test-nodes.js';
import { ConfigError } from './errors.js';
import type { FlowProblem } from './flow.types.js';
import { compileNodeConfig, expressionFields } from './node-config.js';
import { createNodeRegistry } from './registry.js';
import { validateFlow } from './validate-flow.js';

const registry = createNodeRegistry(allTestNodes);

interface TestNode {
  id: string;
  type: string;
  version: number;
  config: Record<string, unknown>;
  position?: { x: number; y: number };
}

const good = (): { schemaVersion: number; id: string; name: string; nodes: TestNode[]; edges: Array<{ from: string; to: string }> } => ({
  schemaVersion: 1,
  id: 'orders-to-crm',
  name: 'orders → CRM',
  nodes: [
    { id: 'start', type: 'test.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
    { id: 'route', type: 'test.router', version: 1, config: { ports: ['vip'] } },
    { id: 'vip', type: 'test.set', version: 1, config: { field: 'vip' } },
    { id: 'calc', type: 'test.expr', version: 1, config: { expression: '$sum(lines.price)' } },
  ],
  edges: [
    { from: 'start', to: 'route' },
    { from: 'route:vip', to: 'vip:in' },
    { from: 'route:else', to: 'calc' },
  ],
});

function problems(doc: unknown): FlowProblem[] {
  const res = validateFlow(doc, registry);
  if (res.ok) throw new Error('expected the flow to be invalid');
  return res.problems;
}

const codes = (ps: FlowProblem[]) => ps.map((p) => p.code).sort();

describe('validateFlow', () => {
  it('accepts a valid flow and returns it without config defaults written in', () => {
    const res = validateFlow(good(), registry);
    expect(res.ok).toBe(true);
    if (res.ok) {
      expect(res.flow.nodes[2]!.config).toEqual({ field: 'vip' });
      expect(res.flow).toEqual(good());
    }
  });

  it('reports schema errors with pointers and node ids', () => {
    const doc = good() as Record<string, unknown>;
    doc.schemaVersion = 2;
    delete doc.name;
    (doc.nodes as Record<string, unknown>[])[1]!.version = 0;
    (doc.nodes as Record<string, unknown>[])[2]!.bogus = true;
    (doc.edges as Record<string, unknown>[])[0]!.to = 'bad endpoint!';
    const ps = problems(doc);
    const schema = ps.filter((p) => p.code === 'schema');
    expect(schema).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/schemaVersion', message: 'must be 1' }),
        expect.objectContaining({ path: '/name' }),
        expect.objectContaining({ path: '/nodes/1/version', nodeId: 'route' }),
        expect.objectContaining({ path: '/nodes/2/bogus', nodeId: 'vip' }),
        expect.objectContaining({ path: '/edges/0/to', edgeIndex: 0 }),
      ]),
    );
  });

  it('rejects documents that are not objects at all', () => {
    expect(codes(problems('nope'))).toContain('schema');
    expect(codes(problems({ schemaVersion: 1, name: 'x', nodes: [], edges: [] }))).toEqual(['no_trigger']);
  });

  it('reports duplicate ids, unknown types and unknown versions listing the known ones', () => {
    const doc = good();
    doc.nodes.push({ id: 'vip', type: 'test.set', version: 1, config: { field: 'x' } });
    doc.nodes.push({ id: 'ghost', type: 'nope.node', version: 1, config: {} });
    doc.nodes.push({ id: 'old', type: 'test.set', version: 7, config: {} });
    const ps = problems(doc);
    expect(ps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'duplicate_node_id', nodeId: 'vip', path: '/nodes/4/id' }),
        expect.objectContaining({ code: 'unknown_node_type', nodeId: 'ghost', path: '/nodes/5/type' }),
        expect.objectContaining({ code: 'unknown_node_version', nodeId: 'old', path: '/nodes/6/version' }),
      ]),
    );
    expect(ps.find((p) => p.code === 'unknown_node_version')!.message).toMatch(/known versions: 1, 2/);
  });

  it('reports edges to unknown nodes and ports, using ports derived from the config', () => {
    const doc = good();
    doc.edges.push({ from: 'route:lead', to: 'vip' }); // router ports are vip + else
    doc.edges.push({ from: 'vip', to: 'calc:side' });
    doc.edges.push({ from: 'nobody', to: 'calc' });
    doc.edges.push({ from: 'calc', to: 'nowhere' });
    const ps = problems(doc);
    expect(ps).toEqual([
      expect.objectContaining({ code: 'unknown_port', edgeIndex: 3, nodeId: 'route', path: '/edges/3/from' }),
      expect.objectContaining({ code: 'unknown_port', edgeIndex: 4, nodeId: 'calc', path: '/edges/4/to' }),
      expect.objectContaining({ code: 'unknown_node', edgeIndex: 5, path: '/edges/5/from' }),
      expect.objectContaining({ code: 'unknown_node', edgeIndex: 6, path: '/edges/6/to' }),
    ]);
    expect(ps[0]!.message).toMatch(/ports: vip, else/);
  });

  it('names the nodes of a cycle', () => {
    const doc = good();
    doc.edges.push({ from: 'calc', to: 'route' });
    const ps = problems(doc);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ code: 'cycle', edgeIndex: 2 });
    expect(ps[0]!.message).toBe('nodes "route", "calc" form a cycle');
  });

  it('finds a self-loop', () => {
    const doc = good();
    doc.edges.push({ from: 'vip', to: 'vip' });
    expect(problems(doc)).toEqual([expect.objectContaining({ code: 'cycle', nodeId: 'vip', edgeIndex: 3 })]);
  });

  it('reports unreachable nodes, a missing trigger and edges into a trigger', () => {
    const doc = good();
    doc.nodes.push({ id: 'island', type: 'test.set', version: 1, config: { field: 'x' } });
    doc.edges.push({ from: 'vip', to: 'start' });
    const ps = problems(doc);
    expect(ps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'unreachable', nodeId: 'island', path: '/nodes/4' }),
        expect.objectContaining({ code: 'trigger_has_input', nodeId: 'start', edgeIndex: 3, path: '/edges/3/to' }),
      ]),
    );
    const noTrigger = good();
    noTrigger.nodes.shift();
    noTrigger.edges.shift();
    expect(codes(problems(noTrigger))).toEqual(['no_trigger']);
  });

  it('does not call nodes unreachable when they hang off a node of unknown type', () => {
    const doc = good();
    doc.nodes[0]!.type = 'forms.webhook';
    expect(codes(problems(doc))).toEqual(['unknown_node_type']);
  });

  it('reports config problems at /nodes/<i>/config<path>, with defaults not counted as missing', () => {
    const doc = good();
    doc.nodes[2]!.config = { field: '', extra: 1 };
    doc.nodes[1]!.config = {};
    const ps = problems(doc).filter((p) => p.code === 'invalid_config');
    expect(ps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'vip', path: '/nodes/2/config/field' }),
        expect.objectContaining({ nodeId: 'vip', path: '/nodes/2/config/extra' }),
        expect.objectContaining({ nodeId: 'route', path: '/nodes/1/config/ports' }),
      ]),
    );
  });

  it('reports JSONata syntax errors in jsonata-format fields, nested ones too, with the position', () => {
    const doc = good();
    doc.nodes[3]!.config = { expression: 'lines[price > ', note: 'lines[ is fine here', extra: [{ when: 'ok' }, { when: '$$$(' }] };
    const ps = problems(doc);
    expect(ps).toEqual([
      expect.objectContaining({ code: 'invalid_expression', nodeId: 'calc', path: '/nodes/3/config/expression' }),
      expect.objectContaining({ code: 'invalid_expression', nodeId: 'calc', path: '/nodes/3/config/extra/1/when' }),
    ]);
    expect(ps[0]!.message).toMatch(/position \d+/);
  });

  it('reports every problem in one pass', () => {
    const doc = good();
    doc.nodes.push({ id: 'vip', type: 'test.set', version: 1, config: { field: 'x' } });
    doc.nodes[3]!.config = { expression: '(' };
    doc.edges.push({ from: 'route:nope', to: 'vip' });
    expect(codes(problems(doc))).toEqual(['duplicate_node_id', 'invalid_expression', 'unknown_port']);
  });
});

describe('compileNodeConfig', () => {
  it('applies defaults on a copy', () => {
    const input = { field: 'x' };
    expect(compileNodeConfig(setField, input)).toEqual({ field: 'x', value: true });
    expect(input).toEqual({ field: 'x' });
  });

  it('throws a ConfigError naming each problem, JSONata syntax included', () => {
    expect(() => compileNodeConfig(misbehaveDef, { mode: 'x' })).toThrow(ConfigError);
    try {
      compileNodeConfig(exprNode, { expression: 'a +' , note: 3 });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues.map((i) => i.path).sort()).toEqual(['/expression', '/note']);
      return;
    }
    throw new Error('expected a ConfigError');
  });

  it('runs the definition’s checkConfig after the schema', () => {
    const def = { ...setField, checkConfig: (c: { field: string }) => (c.field === 'id' ? [{ path: '/field', message: 'id is reserved' }] : []) };
    expect(() => compileNodeConfig(def, { field: 'id' })).toThrow(/id is reserved/);
    expect(compileNodeConfig(def, { field: 'ok' })).toEqual({ field: 'ok', value: true });
  });
});

describe('expressionFields', () => {
  it('follows $refs and additionalProperties', () => {
    const schema = {
      $defs: { expr: { type: 'string', format: 'jsonata' } },
      type: 'object',
      properties: { a: { $ref: '#/$defs/expr' } },
      additionalProperties: { type: 'string', format: 'jsonata' },
    };
    expect(expressionFields(schema, { a: 'x', 'b/c': 'y' })).toEqual([
      { path: '/a', source: 'x' },
      { path: '/b~1c', source: 'y' },
    ]);
  });
});
