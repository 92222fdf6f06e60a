import { defineNode } from '@tributary/node-sdk';
import { segmentEnteredTriggerLocales } from './segment-entered.trigger.locale.js';

export const SEGMENT_CHANGES = ['entered', 'left', 'both'] as const;

export interface SegmentEnteredConfig {
  segmentId: string;
  change: (typeof SEGMENT_CHANGES)[number];
}

/**
 * Starts one run per customer entering (or leaving) a saved segment. The runs are started by
 * the runtime's segment dispatcher (libs/runtime/src/segments), which reads segment_changes
 * after a cursor kept per flow and node; there is no HTTP hook. A manual run of the flow
 * passes its items through, which is how a flow is tried out with a sample customer.
 */
export const segmentEnteredTrigger = defineNode<SegmentEnteredConfig>({
  id: 'customer.segment-entered',
  version: 1,
  title: 'Customer entered a segment',
  description:
    'Starts one run for each customer that enters (or leaves) a saved segment (`POST /api/segments`), once per change: ' +
    'a customer who leaves and comes back starts a second run. Segments are evaluated as customers change, and every few minutes for conditions relative to now (dormancy), so a run starts within seconds of the change that caused it. ' +
    'The item is `{ customerId, segmentId, segmentName, change, at, changeId }` plus the customer as it is when the run starts: `displayName`, `phone`, `email`, `stage`, `score`, `priority`, `ownerId`, `tags`, `firstChannel`, `lastInteractionAt`, `identities` ' +
    '(a customer merged into another since is followed to the survivor, named in `customerId`, with `mergedFrom`). Erased customers start no run, nor does the exit of a record merged into another customer (the person did not leave). ' +
    'Only changes after the flow is first published start runs; unpublishing pauses, and republishing resumes where it stopped.',
  category: 'trigger',
  locales: segmentEnteredTriggerLocales,
  icon: 'users-round',
  pure: true,
  inputs: [],
  outputs: ['out'],
  configSchema: {
    type: 'object',
    required: ['segmentId'],
    properties: {
      segmentId: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
        title: 'Segment',
        description: 'The id of a saved segment (`GET /api/segments` lists them), e.g. `dormant-90d`.',
        'x-placeholder': 'dormant-90d',
      },
      change: {
        type: 'string',
        enum: [...SEGMENT_CHANGES],
        default: 'entered',
        title: 'When the customer',
        description: '`entered` the segment, `left` it, or `both` (the item’s `change` says which).',
      },
    },
    additionalProperties: false,
  },
  sample: {
    config: { segmentId: 'dormant-90d', change: 'entered' },
    input: [
      {
        customerId: '0193f1a2-7b4c-7d10-9c3e-5a1f2b3c4d5e',
        segmentId: 'dormant-90d',
        segmentName: 'Dormant 90 days',
        change: 'entered',
        at: '2026-11-22T08:00:00.000Z',
        changeId: '1042',
        displayName: '张三',
        phone: '+8613912345670',
        email: 'zhangsan@example.cn',
        stage: 'customer',
        score: 35,
        priority: null,
        ownerId: 'owner-li',
        tags: ['wechat'],
        firstChannel: 'webform',
        lastInteractionAt: '2026-08-01T09:30:00.000Z',
        identities: [{ type: 'phone', value: '+8613912345670' }, { type: 'wecom_external_userid', value: 'wmAbC123' }],
      },
    ],
  },
  trigger: { kind: 'manual' },
});
