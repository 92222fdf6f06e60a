import { defineConnector, type NodeDefinition } from '@tributary/node-sdk';
import { normalizeNode } from './nodes/normalize.node.js';
import { resolveNode } from './nodes/resolve.node.js';
import { upsertNode } from './nodes/upsert.node.js';

export const customerNodes: NodeDefinition[] = [normalizeNode, resolveNode, upsertNode];

export const customerConnector = defineConnector({
  id: 'customer',
  title: 'Customers',
  description: 'Normalize customer data (phones, e-mails, names, companies; Chinese formats included) and match it against the built-in customer store (resolve) and write it there (upsert).',
  nodes: customerNodes,
});
