import { VendorApiError } from '@tributary/node-sdk';

/** The text with every secret (as written and URL-encoded) replaced by `***`. */
export function scrubText(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

/**
 * Runs a vendor call and removes the secrets from whatever it throws. A network failure's
 * message repeats the full request URL, query string included, and some vendors want the
 * token there.
 */
export async function withoutSecrets<T>(secrets: (string | undefined)[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof VendorApiError) {
      const details = err.details as { body?: unknown } | undefined;
      throw new VendorApiError(err.vendor, scrubText(err.message, secrets), err.status, {
        retryable: err.retryable,
        retryAfterMs: err.retryAfterMs,
        body: typeof details?.body === 'string' ? scrubText(details.body, secrets) : undefined,
      });
    }
    if (err instanceof Error) err.message = scrubText(err.message, secrets);
    throw err;
  }
}
