// Small node definitions for engine tests (not the real connectors: the engine must not depend on them).
import { NodeError } from '../errors.js';
import type { Item, NodeDefinition, PortItems } from '../node.types.js';

export const manualTrigger: NodeDefinition = {
  id: 'test.manual',
  version: 1,
  title: 'Manual',
  description: 'Starts a run by hand',
  category: 'trigger',
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  inputs: [],
  trigger: { kind: 'manual' },
};

/** A trigger that runs: stamps each item with `triggered`. */
export const stampingTrigger: NodeDefinition = {
  ...manualTrigger,
  id: 'test.stamp',
  async run(_ctx, items) {
    return { out: items.map((i) => ({ ...i, triggered: true })) };
  },
};

export const setField: NodeDefinition<{ field: string; value: unknown }> = {
  id: 'test.set',
  version: 1,
  title: 'Set',
  description: 'Sets a field on each item',
  category: 'transform',
  configSchema: {
    type: 'object',
    required: ['field'],
    properties: { field: { type: 'string', minLength: 1 }, value: { default: true } },
    additionalProperties: false,
  },
  async run(ctx, items) {
    return { out: items.map((i) => ({ ...i, [ctx.config.field]: ctx.config.value })) };
  },
};

export const setFieldV2: NodeDefinition<{ field: string }> = { ...setField, version: 2 } as NodeDefinition<{ field: string }>;

/** Routes items by `item.kind` to a port of that name; ports come from the config. */
export const router: NodeDefinition<{ ports: string[] }> = {
  id: 'test.router',
  version: 1,
  title: 'Router',
  description: 'Routes by kind',
  category: 'logic',
  configSchema: {
    type: 'object',
    required: ['ports'],
    properties: { ports: { type: 'array', items: { type: 'string' }, minItems: 1 } },
  },
  outputs: (config) => [...config.ports, 'else'],
  async run(ctx, items) {
    const out: Record<string, Item[]> = {};
    for (const item of items) {
      const port = ctx.config.ports.includes(String(item.kind)) ? String(item.kind) : 'else';
      (out[port] ??= []).push(item);
    }
    return out;
  },
};

/** Evaluates `expression` per item through ctx.expr. */
export const exprNode: NodeDefinition<{ expression: string; note?: string }> = {
  id: 'test.expr',
  version: 1,
  title: 'Expression',
  description: 'Evaluates JSONata',
  category: 'transform',
  configSchema: {
    type: 'object',
    required: ['expression'],
    properties: {
      expression: { type: 'string', format: 'jsonata' },
      note: { type: 'string' },
      extra: { type: 'array', items: { type: 'object', properties: { when: { type: 'string', format: 'jsonata' } } } },
    },
  },
  async run(ctx, items) {
    const out: Item[] = [];
    for (const item of items) out.push({ value: await ctx.expr.evaluate(ctx.config.expression, item) });
    return { out };
  },
};

/** Does whatever `mode` says: used to exercise error handling and output checks. */
export const misbehave: NodeDefinition<{ mode: string }> = {
  id: 'test.misbehave',
  version: 1,
  title: 'Misbehave',
  description: 'Fails in configurable ways',
  category: 'logic',
  configSchema: {
    type: 'object',
    required: ['mode'],
    properties: { mode: { enum: ['ok', 'node-error', 'fatal-node-error', 'plain-error', 'flagged-error', 'undeclared-port', 'date', 'not-array', 'mutate'] } },
  },
  outputs: ['out', 'error'],
  retry: { maxAttempts: 4, backoffMs: 100 },
  async run(ctx, items): Promise<PortItems> {
    switch (ctx.config.mode) {
      case 'node-error':
        throw new NodeError('upstream_down', 'the vendor is down', { retryable: true, details: { status: 503 } });
      case 'fatal-node-error':
        throw new NodeError('bad_data', 'cannot handle this', { retryable: false });
      case 'plain-error':
        throw new Error('socket hang up');
      case 'flagged-error':
        throw Object.assign(new Error('address is private'), { code: 'http_blocked', retryable: false });
      case 'undeclared-port':
        return { out: items, surprise: items };
      case 'date':
        return { out: [{ at: new Date() }] };
      case 'not-array':
        return { out: items[0] as unknown as Item[] };
      case 'mutate':
        for (const i of items) i.mutated = true;
        return { out: items };
      default:
        return { out: items };
    }
  },
};

export const allTestNodes: NodeDefinition[] = [manualTrigger, stampingTrigger, setField, setFieldV2, router, exprNode, misbehave];
