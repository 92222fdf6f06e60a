import { checkTimestamp, safeEqual, type VerifyResult, type WebhookRequest } from '@tributary/node-sdk';
import { aesKeyOf, decryptWxMessage, isWxSignature, WxCryptError } from '../crypto/wx-biz-msg-crypt.util.js';
import { envelopeEncrypt, parseWxBody } from './wx-message.util.js';
import { deny, queryParam } from './wx-request.util.js';

export interface OpenSignedInput {
  token: string;
  encodingAesKey: string;
  /** What the plaintext must be addressed to, and what to call it in a refusal. */
  receiveId: string;
  receiveIdName: string;
  msgSignature: string | undefined;
  timestamp: string | undefined;
  nonce: string | undefined;
  encrypt: string;
  now: Date;
  toleranceSeconds: number;
}

export type OpenedResult = { ok: true; message: string } | { ok: false; reason: string; status: number };

/**
 * The WXBizMsgCrypt receive path: msg_signature over (token, timestamp, nonce, encrypt), the
 * timestamp window, decryption, then the receiveid check. Every failure is a refusal (401).
 */
export function openSignedMessage(input: OpenSignedInput): OpenedResult {
  if (!input.msgSignature) return deny('missing msg_signature query parameter');
  if (!input.timestamp || !input.nonce) return deny('missing timestamp or nonce query parameter');
  if (!isWxSignature(input.msgSignature, [input.token, input.timestamp, input.nonce, input.encrypt])) return deny('msg_signature does not match (wrong token?)');
  const window = checkTimestamp(input.timestamp, input.now, input.toleranceSeconds);
  if (!window.ok) return deny(window.reason, window.status ?? 401);
  try {
    const opened = decryptWxMessage(input.encrypt, aesKeyOf(input.encodingAesKey));
    if (!safeEqual(opened.receiveId, input.receiveId)) {
      return deny(`the message is addressed to ${input.receiveIdName} "${opened.receiveId}", not to this connection's ${input.receiveIdName}`);
    }
    return { ok: true, message: opened.message };
  } catch (err) {
    if (err instanceof WxCryptError) return deny(`cannot decrypt the message (${err.code}): ${err.message}`);
    throw err;
  }
}

// verify() decrypts (a receiveid mismatch is a refusal, not a bad body); decode() reuses the plaintext.
const opened = new WeakMap<WebhookRequest, string>();

/** verify() for an encrypted POST: reads `Encrypt` from the XML/JSON envelope and opens it. */
export function verifyEncryptedDelivery(
  req: WebhookRequest,
  opts: Pick<OpenSignedInput, 'token' | 'encodingAesKey' | 'receiveId' | 'receiveIdName' | 'now' | 'toleranceSeconds'>,
): VerifyResult {
  let encrypt: string | undefined;
  try {
    encrypt = envelopeEncrypt(parseWxBody(req.rawBody).message);
  } catch (err) {
    return deny(`the body is not an encrypted envelope: ${err instanceof Error ? err.message : String(err)}`, 400);
  }
  if (!encrypt) return deny('the body has no Encrypt field', 400);
  const result = openSignedMessage({
    ...opts,
    msgSignature: queryParam(req, 'msg_signature'),
    timestamp: queryParam(req, 'timestamp'),
    nonce: queryParam(req, 'nonce'),
    encrypt,
  });
  if (!result.ok) return result;
  opened.set(req, result.message);
  return { ok: true };
}

/** The plaintext verify() opened for this request, if it did. */
export function openedMessage(req: WebhookRequest): string | undefined {
  return opened.get(req);
}
