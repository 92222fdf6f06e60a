import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RETRY_POLICY, resolveRetryPolicy, retryDelayMs } from './retry-policy.js';

describe('resolveRetryPolicy', () => {
  it('merges field by field: flow node, flow settings, node definition, default', () => {
    expect(resolveRetryPolicy({}, {}, undefined)).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolveRetryPolicy({}, {}, { retry: { maxAttempts: 5, backoffMs: 200 } })).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 5, backoffMs: 200 });
    expect(resolveRetryPolicy({ settings: { retry: { backoffMs: 50 } } }, { retry: { maxAttempts: 1 } }, { retry: { maxAttempts: 5, backoffMs: 200 } })).toEqual({
      ...DEFAULT_RETRY_POLICY,
      maxAttempts: 1,
      backoffMs: 50,
    });
  });

  it('doubles the delay from the first retry and caps it', () => {
    const p = { maxAttempts: 10, backoffMs: 1000, maxBackoffMs: 5000 };
    expect([2, 3, 4, 5, 6].map((a) => retryDelayMs(p, a))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
