import { defineNode } from '@tributary/node-sdk';
import { manualTriggerLocales } from './manual.trigger.locale.js';

export const manualTrigger = defineNode<Record<string, never>>({
  id: 'core.manual',
  version: 1,
  title: 'Manual run',
  description: 'Starts a run with the items given by hand: the editor’s Run button, POST /api/flows/:id/run, or `tributary run`.',
  category: 'trigger',
  locales: manualTriggerLocales,
  pure: true,
  icon: 'play',
  inputs: [],
  outputs: ['out'],
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  sample: { config: {}, input: [{ name: 'Ada Lovelace', email: 'ada@example.com' }] },
  trigger: { kind: 'manual' },
});
