import type { FlowDocument, FlowNode } from './flow.types.js';
import type { NodeDefinition, RetryPolicy } from './node.types.js';

/** Used when neither the node, the flow nor the node definition says otherwise. */
export const DEFAULT_RETRY_POLICY: Readonly<Required<RetryPolicy>> = Object.freeze({ maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 10 * 60_000 });

/**
 * The step retry policy of a node, most specific first: the flow node's `retry`, the flow's
 * `settings.retry`, the node definition's `retry`, then the default. Merged field by field.
 */
export function resolveRetryPolicy(flow: Pick<FlowDocument, 'settings'>, node: Pick<FlowNode, 'retry'>, def?: Pick<NodeDefinition, 'retry'>): Required<RetryPolicy> {
  return { ...DEFAULT_RETRY_POLICY, ...defined(def?.retry), ...defined(flow.settings?.retry), ...defined(node.retry) };
}

/** Delay before attempt `nextAttempt` (2 = the first retry): backoff doubling, capped. */
export function retryDelayMs(policy: Required<RetryPolicy>, nextAttempt: number): number {
  const exp = Math.max(0, nextAttempt - 2);
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** exp);
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  return o ? (Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>) : {};
}
