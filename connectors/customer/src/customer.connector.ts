import { defineConnector, type NodeDefinition } from '@tributary/node-sdk';
import { normalizeNode } from './nodes/normalize.node.js';
import { resolveNode } from './nodes/resolve.node.js';
import { upsertNode } from './nodes/upsert.node.js';
import { scoreNode } from './nodes/score.node.js';
import { rematchNode } from './nodes/rematch.node.js';
import { rescoreNode } from './nodes/rescore.node.js';
import { segmentEnteredTrigger } from './nodes/segment-entered.trigger.js';
import { assignNode } from './nodes/assign.node.js';
import { taskNode } from './nodes/task.node.js';
import { taskCheckNode } from './nodes/task-check.node.js';
import { customerConnectorLocales } from './customer.connector.locale.js';

export const customerNodes: NodeDefinition[] = [normalizeNode, resolveNode, upsertNode, scoreNode, rescoreNode, rematchNode, segmentEnteredTrigger, assignNode, taskNode, taskCheckNode];

export const customerConnector = defineConnector({
  id: 'customer',
  title: 'Customers',
  description: 'Normalize customer data (phones, e-mails, names, companies; Chinese formats included) and match it against the built-in customer store (resolve) and write it there (upsert).',
  locales: customerConnectorLocales,
  nodes: customerNodes,
});
