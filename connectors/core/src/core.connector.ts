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
  // The secrets of a core.webhook connection (type `core.webhook`): what the editor's connection form asks for.
  auth: {
    type: 'object',
    properties: {
      secret: { type: 'string', minLength: 1, title: 'HMAC secret', description: 'For HMAC auth: the key the sender signs the raw body with.' },
      token: { type: 'string', minLength: 1, title: 'Token', description: 'For token auth: the value the sender puts in the token header (a `Bearer ` prefix is accepted).' },
    },
    additionalProperties: false,
  },
  locales: coreConnectorLocales,
  nodes: coreNodes,
});
