import { NodeError } from './errors.js';
import { outputPorts } from './graph.js';
import { findNonJson, isPlainObject, withStorableText } from './json.util.js';
import type { NodeDefinition, PortItems } from './node.types.js';

/**
 * Checks what a node returned: only declared ports, each an array of plain JSON objects.
 * Throws a non-retryable NodeError (`undeclared_port`, `invalid_output`): running the
 * node again would return the same thing. Text Postgres cannot hold (NUL, half a surrogate
 * pair: a vendor's answer may carry either) is cleaned here (withStorableText: findNonJson has bounded its depth), so the next step
 * sees what the checkpoint stores and every store write after it can hold it.
 */
export function checkNodeOutput(def: NodeDefinition, config: Record<string, unknown>, output: unknown): PortItems {
  const who = `${def.id}@${def.version}`;
  if (!isPlainObject(output)) {
    throw new NodeError('invalid_output', `${who} must return an object of items per port, got ${describe(output)}`, { retryable: false });
  }
  const declared = outputPorts(def, config);
  const result: PortItems = {};
  for (const [port, items] of Object.entries(output)) {
    if (!declared.includes(port)) {
      throw new NodeError('undeclared_port', `${who} emitted on undeclared port "${port}"; declared: ${declared.join(', ')}`, {
        retryable: false,
        details: { port, declared },
      });
    }
    if (items === undefined) continue;
    if (!Array.isArray(items)) {
      throw new NodeError('invalid_output', `${who} port "${port}" must be an array of items, got ${describe(items)}`, { retryable: false, details: { port } });
    }
    result[port] = items.map((item, i) => {
      if (!isPlainObject(item)) {
        throw new NodeError('invalid_output', `${who} port "${port}" item ${i} must be a plain object, got ${describe(item)}`, {
          retryable: false,
          details: { port, index: i },
        });
      }
      const bad = findNonJson(item);
      if (bad) {
        throw new NodeError('invalid_output', `${who} port "${port}" item ${i} is not JSON at ${bad.path || '/'}: ${bad.reason}`, {
          retryable: false,
          details: { port, index: i, path: bad.path },
        });
      }
      return withStorableText(item);
    });
  }
  return result;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return typeof v;
}
