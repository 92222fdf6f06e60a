import type { StoreUpsertInput } from '../customer-store.types.js';

let seq = 0;

/** An upsert input as the customer.upsert node builds it; override what the test is about. */
export function upsertInput(overrides: Partial<StoreUpsertInput> & { identities: StoreUpsertInput['identities'] }): StoreUpsertInput {
  seq++;
  return {
    attributes: {},
    provenance: { source: 'webform', flowId: 'flow-1', flowVersion: 3, runId: `run-${seq}`, nodeId: 'upsert' },
    idempotencyKey: `key-${seq}-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}
