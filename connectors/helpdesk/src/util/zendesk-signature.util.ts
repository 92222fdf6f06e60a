import { hmac, safeEqual } from '@tributary/node-sdk';

/**
 * The secret Zendesk signs test requests with while a webhook does not exist yet (its
 * "Test webhook" button in the create form). Public, so it never authorises a run.
 */
export const ZENDESK_TEST_SIGNING_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

/**
 * base64(HMAC-SHA256(signing secret as UTF-8, timestamp + raw body)), no separator. The
 * secret is used as written, not base64-decoded; a request without a body signs the timestamp alone.
 */
export function zendeskSignature(secret: string, timestamp: string, rawBody: Buffer): string {
  return hmac('sha256', secret, Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), 'base64');
}

/** Constant-time check of an `X-Zendesk-Webhook-Signature` value. */
export function zendeskSignatureMatches(secret: string, timestamp: string, rawBody: Buffer, signature: string): boolean {
  return safeEqual(signature.trim(), zendeskSignature(secret, timestamp, rawBody));
}

/** Zendesk's ISO-8601 signature timestamp as Unix seconds; undefined when unreadable. */
export function zendeskTimestampSeconds(timestamp: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(timestamp.trim())) return undefined;
  const ms = Date.parse(timestamp.trim());
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
