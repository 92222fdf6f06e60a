import { defineConnector, type NodeDefinition } from '@tributary/node-sdk';
import { branchNode } from './nodes/branch.node.js';
import { delayNode } from './nodes/delay.node.js';
import { filterNode } from './nodes/filter.node.js';
import { httpNode } from './nodes/http.node.js';
import { transformNode } from './nodes/transform.node.js';
import { validateNode } from './nodes/validate.node.js';
import { manualTrigger } from './triggers/manual.trigger.js';
import { scheduleTrigger } from './triggers/schedule.trigger.js';
import { webhookTrigger } from './triggers/webhook.trigger.js';
import { coreConnectorLocales } from './core.connector.locale.js';

export const coreNodes: NodeDefinition[] = [webhookTrigger, manualTrigger, scheduleTrigger, transformNode, filterNode, branchNode, validateNode, httpNode, delayNode];

export const coreConnector = defineConnector({
  id: 'core',
  title: 'Core',
  description: 'Built-in triggers (webhook, manual, schedule) and the nodes every flow uses: transform, filter, branch, validate, HTTP request and delay.',
  locales: coreConnectorLocales,
  nodes: coreNodes,
});
