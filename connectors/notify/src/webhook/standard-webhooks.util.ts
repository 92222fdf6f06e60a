import { createHash, createHmac } from 'node:crypto';

// Standard Webhooks (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md):
// the receiver checks `webhook-signature` = "v1," + base64(HMAC-SHA256(key, id.timestamp.body)),
// where key is the base64-decoded secret after its `whsec_` prefix.

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The HMAC key of a Standard Webhooks secret (`whsec_` + base64, the prefix optional). */
export function webhookSigningKey(secret: string): Buffer {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  return Buffer.from(b64, 'base64');
}

/** The `webhook-signature` header value for one delivery. */
export function signStandardWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', webhookSigningKey(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** A `webhook-id` that stays the same when the step is retried, so the receiver can dedupe on it. */
export function webhookMessageId(idempotencyKey: string): string {
  return `msg_${createHash('sha256').update(idempotencyKey, 'utf8').digest('base64url').slice(0, 27)}`;
}

/** Why a signing secret is unusable, or undefined. The spec asks for 24 to 64 random bytes. */
export function webhookSecretProblem(secret: string | undefined): string | undefined {
  if (!secret) return 'the connection needs "secret" (a Standard Webhooks secret such as whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)';
  if (secret !== secret.trim()) return '"secret" starts or ends with whitespace; paste it again without spaces or line breaks';
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 === 1) return '"secret" is not base64 after its whsec_ prefix (Standard Webhooks secrets are whsec_ + base64 of random bytes)';
  const bytes = Buffer.from(b64, 'base64').length;
  if (bytes < 24 || bytes > 64) return `"secret" decodes to ${bytes} bytes; Standard Webhooks secrets are 24 to 64 random bytes (e.g. whsec_ + base64 of 32 bytes)`;
  return undefined;
}
