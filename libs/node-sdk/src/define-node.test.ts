import { describe, expect, it } from '@jest/globals';
import type { NodeDefinition } from '@tributary/engine';
import { defineConnector, defineNode, validateNodeDefinition } from './define-node.js';

const base = (): NodeDefinition => ({
  id: 'acme.tag',
  version: 1,
  title: 'Tag',
  description: 'Adds a tag',
  category: 'transform',
  configSchema: { type: 'object', properties: { tag: { type: 'string', default: 'x' } } },
  run: async (_ctx, items) => ({ out: items }),
});

const webhook = (): NodeDefinition => ({
  id: 'acme.hook',
  version: 1,
  title: 'Hook',
  description: 'Receives events',
  category: 'trigger',
  configSchema: { type: 'object' },
  inputs: [],
  trigger: { kind: 'webhook', verify: () => ({ ok: true }), map: () => [] },
});

describe('defineNode', () => {
  it('returns the definition deeply frozen', () => {
    const def = defineNode(base());
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.configSchema)).toBe(true);
    expect(Object.isFrozen((def.configSchema.properties as Record<string, unknown>).tag)).toBe(true);
  });

  it.each<[string, (d: NodeDefinition) => void, RegExp]>([
    ['a bad id', (d) => (d.id = 'Acme Tag'), /id "Acme Tag" must look like <package>.<name>/],
    ['an id without a package', (d) => (d.id = 'tag'), /must look like/],
    ['a fractional version', (d) => (d.version = 1.5), /version must be an integer/],
    ['version 0', (d) => (d.version = 0), /version must be an integer/],
    ['no title', (d) => (d.title = ' '), /title is required/],
    ['no description', (d) => (d.description = ''), /description is required/],
    ['a schema that does not compile', (d) => (d.configSchema = { type: 'object', properties: { a: { type: 'strng' } } }), /does not compile/],
    ['a schema with a typo keyword', (d) => (d.configSchema = { type: 'object', requried: ['a'] }), /does not compile.*requried/],
    ['a schema that is not an object', (d) => (d.configSchema = { type: 'string' }), /must describe an object/],
    ['no run', (d) => delete d.run, /must define run/],
    ['a bad port name', (d) => (d.outputs = ['out', 'bad port']), /not a valid port name/],
    ['a repeated port', (d) => (d.outputs = ['out', 'out']), /lists a port twice/],
    ['a bad retry policy', (d) => (d.retry = { maxAttempts: 0, backoffMs: 10 }), /retry.maxAttempts/],
  ])('rejects %s', (_name, spoil, message) => {
    const def = base();
    spoil(def);
    expect(() => defineNode(def)).toThrow(message);
  });

  it('accepts editor annotation keywords in config schemas', () => {
    const def = base();
    def.configSchema = { type: 'object', properties: { e: { type: 'string', format: 'jsonata', 'x-widget': 'code' } } };
    expect(validateNodeDefinition(def)).toEqual([]);
  });

  it('requires webhook triggers to define verify and map, and to take no inputs', () => {
    expect(() => defineNode(webhook())).not.toThrow();
    const noVerify = webhook();
    delete (noVerify.trigger as { verify?: unknown }).verify;
    expect(() => defineNode(noVerify)).toThrow(/must define verify \(there is no default\)/);
    const noMap = webhook();
    delete (noMap.trigger as { map?: unknown }).map;
    expect(() => defineNode(noMap)).toThrow(/must define map/);
    const withInputs = webhook();
    withInputs.inputs = ['in'];
    expect(() => defineNode(withInputs)).toThrow(/inputs: \[\]/);
    const implicitInputs = webhook();
    delete implicitInputs.inputs;
    expect(() => defineNode(implicitInputs)).toThrow(/inputs: \[\]/);
  });

  it('requires poll triggers to declare their cursor and poll function', () => {
    const poll = webhook();
    poll.trigger = { kind: 'poll', intervalSeconds: 60, cursorSchema: { type: 'object' }, initialCursor: () => ({}), poll: async () => ({ events: [], next: {} }) };
    expect(validateNodeDefinition(poll)).toEqual([]);
    poll.trigger = { kind: 'poll', intervalSeconds: 0, cursorSchema: { type: 'nope' } } as never;
    const problems = validateNodeDefinition(poll);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/cursorSchema does not compile/),
        expect.stringMatching(/initialCursor/),
        expect.stringMatching(/define poll/),
        expect.stringMatching(/intervalSeconds/),
      ]),
    );
  });

  it('lists every problem at once', () => {
    const def = base();
    def.id = 'X';
    def.version = -1;
    delete def.run;
    expect(validateNodeDefinition(def)).toHaveLength(3);
  });
});

describe('defineConnector', () => {
  it('accepts nodes named after the connector', () => {
    const c = defineConnector({ id: 'acme', title: 'Acme', description: 'Acme CRM', nodes: [defineNode(base()), defineNode(webhook())] });
    expect(c.nodes.map((n) => n.id)).toEqual(['acme.tag', 'acme.hook']);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('rejects foreign node ids, duplicates and a broken auth schema', () => {
    const foreign = { ...base(), id: 'other.tag' };
    expect(() => defineConnector({ id: 'acme', title: 'Acme', description: 'x', nodes: [foreign] })).toThrow(/other.tag must be named acme.<name>/);
    expect(() => defineConnector({ id: 'acme', title: 'Acme', description: 'x', nodes: [base(), base()] })).toThrow(/acme.tag@1 is listed twice/);
    expect(() => defineConnector({ id: 'acme', title: 'Acme', description: 'x', nodes: [base()], auth: { type: 'object', required: 'x' } })).toThrow(/auth schema/);
  });
});
