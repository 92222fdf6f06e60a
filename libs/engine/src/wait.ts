import type { PortItems } from './node.types.js';

const WAIT = Symbol.for('tributary.waitUntil');

/** What a node returns to pause its run until a time: the output goes on to the next nodes then. */
export interface WaitRequest {
  readonly [WAIT]: true;
  readonly until: Date;
  readonly output: PortItems;
}

/**
 * Returned from `run` by a node that pauses the run (core.delay): the step is checkpointed as
 * `waiting` with its output, the host frees the worker and schedules the run for `until`, and
 * the output is sent on from there. Typed as PortItems so it fits `run`'s signature.
 */
export function waitUntil(until: Date, output: PortItems): PortItems {
  if (Number.isNaN(until.getTime())) throw new TypeError('waitUntil: invalid date');
  return { [WAIT]: true, until, output } as unknown as PortItems;
}

export function isWaitRequest(value: unknown): value is WaitRequest {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[WAIT] === true;
}
