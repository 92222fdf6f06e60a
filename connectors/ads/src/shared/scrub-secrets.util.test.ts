import { describe, expect, it } from '@jest/globals';
import { VendorApiError } from '@tributary/node-sdk';
import { scrubText, withoutSecrets } from './scrub-secrets.util.js';

describe('withoutSecrets', () => {
  it('masks secrets as written and URL-encoded, and ignores short or missing ones', () => {
    expect(scrubText('GET /x?access_token=a+b/c&k=a%2Bb%2Fc id=abc', ['a+b/c', undefined, 'ab'])).toBe('GET /x?access_token=***&k=*** id=abc');
  });

  it('rebuilds a VendorApiError without the secret, keeping status, retryability and Retry-After', async () => {
    const err = await withoutSecrets(['tok-123456'], () => Promise.reject(new VendorApiError('v', 'request to https://x/?t=tok-123456 failed', 429, { retryable: true, retryAfterMs: 5000, body: 'echo tok-123456' }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err).toMatchObject({ message: 'request to https://x/?t=*** failed', status: 429, retryable: true, retryAfterMs: 5000, details: { body: 'echo ***' } });
  });
});
