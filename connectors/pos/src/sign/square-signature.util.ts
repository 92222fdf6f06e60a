import { hmac, safeEqual } from '@tributary/node-sdk';

/**
 * `x-square-hmacsha256-signature` for a notification: base64 HMAC-SHA256, keyed with the
 * subscription's signature key, of the notification URL followed directly by the raw body.
 */
export function squareSignature(signatureKey: string, notificationUrl: string, rawBody: Buffer | string): string {
  const body = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8');
  return hmac('sha256', signatureKey, Buffer.concat([Buffer.from(notificationUrl, 'utf8'), body]), 'base64');
}

/** Constant-time check of a Square signature header. */
export function verifySquareSignature(signatureHeader: string, signatureKey: string, notificationUrl: string, rawBody: Buffer | string): boolean {
  return safeEqual(signatureHeader.trim(), squareSignature(signatureKey, notificationUrl, rawBody));
}
