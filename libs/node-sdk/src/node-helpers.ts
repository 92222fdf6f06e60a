import { clockBindings, type ErrorItem, type Item, type NodeContext } from '@tributary/engine';

/** An item for a node's `error` port: the item that failed and why. */
export function errorItem(item: Item, code: string, message: string, details?: unknown): ErrorItem {
  return { item, error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * The bindings every node offers to JSONata: `$now()` and `$millis()` on the run's clock,
 * `$runId`, plus the node's own (`$item`, `$index`, …).
 */
export function expressionBindings(ctx: Pick<NodeContext, 'now' | 'runId'>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...clockBindings(ctx.now), runId: ctx.runId, ...extra };
}
