import { defineConnector, type NodeDefinition } from '@tributary/node-sdk';
import { normalizeNode } from './nodes/normalize.node.js';
import { upsertNode } from './nodes/upsert.node.js';

export const customerNodes: NodeDefinition[] = [normalizeNode, upsertNode];

export const customerConnector = defineConnector({
  id: 'customer',
  title: 'Customers',
  description: 'Normalize customer data (phones, e-mails, names, companies; Chinese formats included) and write it to the built-in customer store.',
  nodes: customerNodes,
});
