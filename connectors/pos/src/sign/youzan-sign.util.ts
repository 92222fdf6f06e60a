import { createHash } from 'node:crypto';
import { safeEqual } from '@tributary/node-sdk';

// Youzan (有赞云) push verification, as reported by Youzan's push demo (doc.youzanyun.com
// develop-guide 41355/41536): header `Event-Sign` = hex MD5 of client_id + raw body +
// client_secret. No published vector; shared with the e-commerce package's youzan.orders.

/** The `Event-Sign` Youzan sends with a push to an app with this client id and secret. */
export function youzanEventSign(clientId: string, rawBody: Buffer | string, clientSecret: string): string {
  const body = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8');
  return createHash('md5')
    .update(Buffer.concat([Buffer.from(clientId, 'utf8'), body, Buffer.from(clientSecret, 'utf8')]))
    .digest('hex');
}

/** Constant-time check of an `Event-Sign` header (hex, any case) against the raw body. */
export function verifyYouzanEventSign(eventSign: string | undefined, clientId: string, rawBody: Buffer | string, clientSecret: string): boolean {
  if (!eventSign || !clientId || !clientSecret) return false;
  return safeEqual(eventSign.trim().toLowerCase(), youzanEventSign(clientId, rawBody, clientSecret));
}
