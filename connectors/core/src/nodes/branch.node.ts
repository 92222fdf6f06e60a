import { defineNode, errorItem, expressionBindings, ExpressionError, expressionTruthy, type Item } from '@tributary/node-sdk';
import { branchNodeLocales } from './branch.node.locale.js';

export interface BranchRule {
  port: string;
  condition: string;
}

export interface BranchConfig {
  rules: BranchRule[];
  mode: 'first' | 'all';
}

/** Rule ports in order (a port named by two rules appears once), then `else` and `error`. */
export function branchPorts(config: Partial<BranchConfig>): string[] {
  const ports = (config.rules ?? []).map((r) => r.port);
  return [...new Set(ports), 'else', 'error'];
}

export const branchNode = defineNode<BranchConfig>({
  id: 'core.branch',
  version: 1,
  title: 'Branch',
  description: 'Routes each item to the port of the first rule (or every rule) whose condition is true; items no rule matches go to `else`.',
  category: 'logic',
  locales: branchNodeLocales,
  pure: true,
  icon: 'git-branch',
  outputs: branchPorts,
  configSchema: {
    type: 'object',
    required: ['rules'],
    properties: {
      rules: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        title: 'Rules',
        description: 'Checked in order. Each rule names an output port and a JSONata condition.',
        items: {
          type: 'object',
          required: ['port', 'condition'],
          properties: {
            port: {
              type: 'string',
              pattern: '^[A-Za-z0-9_-]{1,64}$',
              not: { enum: ['else', 'error'] },
              title: 'Port',
              description: 'Output port name (letters, digits, _ and -; not `else` or `error`).',
            },
            condition: { type: 'string', format: 'jsonata', minLength: 1, title: 'Condition (JSONata)', description: 'Truthy for items that take this port.', 'x-widget': 'code', 'x-language': 'jsonata' },
          },
          additionalProperties: false,
        },
      },
      mode: { type: 'string', enum: ['first', 'all'], default: 'first', title: 'Mode', description: 'first: an item takes the first matching rule. all: an item goes to every matching rule’s port.' },
    },
    additionalProperties: false,
  },
  sample: {
    config: {
      rules: [
        { port: 'vip', condition: 'total >= 1000' },
        { port: 'china', condition: 'country = "CN"' },
      ],
      mode: 'first',
    },
    input: [{ total: 1500, country: 'CN' }, { total: 10, country: 'CN' }, { total: 5, country: 'US' }],
  },
  async run(ctx, items) {
    const { rules, mode } = ctx.config;
    const out: Record<string, Item[]> = Object.fromEntries(branchPorts(ctx.config).map((p) => [p, []]));
    for (const [index, item] of items.entries()) {
      const bindings = expressionBindings(ctx, { item, index });
      const matched = new Set<string>();
      try {
        for (const rule of rules) {
          if (matched.has(rule.port)) continue;
          if (expressionTruthy(await ctx.expr.evaluate(rule.condition, item, bindings))) {
            matched.add(rule.port);
            if (mode === 'first') break;
          }
        }
      } catch (err) {
        if (err instanceof ExpressionError && err.code === 'expression_runtime') {
          out.error!.push(errorItem(item, err.code, err.message));
          continue;
        }
        throw err;
      }
      if (matched.size === 0) out.else!.push(item);
      // Each port gets its own copy: downstream nodes must not share one object.
      else for (const port of matched) out[port]!.push(matched.size > 1 ? structuredClone(item) : item);
    }
    return out;
  },
});
