import type { ErrorItem, Item } from '@tributary/engine';

/** An item for a node's `error` port: the item that failed and why. */
export function errorItem(item: Item, code: string, message: string, details?: unknown): ErrorItem {
  return { item, error: details === undefined ? { code, message } : { code, message, details } };
}

/** The bindings every node offers to JSONata (one definition in the engine, shared with the editor's preview). */
export { expressionBindings } from '@tributary/engine';
