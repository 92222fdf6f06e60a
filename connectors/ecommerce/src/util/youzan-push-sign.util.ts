import { createHash } from 'node:crypto';
import { safeEqual } from '@tributary/node-sdk';

// Youzan push signatures (REPORTED, not verified against a vendor vector; see the README).

/** `Event-Sign` header: hex(md5(client_id + raw body + client_secret)). */
export function youzanEventSign(clientId: string, rawBody: Buffer, clientSecret: string): string {
  return createHash('md5').update(Buffer.concat([Buffer.from(clientId, 'utf8'), rawBody, Buffer.from(clientSecret, 'utf8')])).digest('hex');
}

/** Older pushes: body field `sign` = hex(md5(client_id + msg + client_secret)), `msg` as sent (URL-encoded). */
export function youzanBodySign(clientId: string, msg: string, clientSecret: string): string {
  return createHash('md5').update(`${clientId}${msg}${clientSecret}`, 'utf8').digest('hex');
}

/** Constant-time comparison of hex digests, ignoring case. */
export const youzanSignMatches = (given: string, expected: string) => safeEqual(given.trim().toLowerCase(), expected);
