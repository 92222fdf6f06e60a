import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { safeEqual } from '@tributary/node-sdk';

// WXBizMsgCrypt, the message encryption shared by WeChat Official Accounts (safe mode),
// mini programs and WeCom callbacks:
//   signature = sha1(sort([token, timestamp, nonce, encrypt]).join(''))
//   AESKey    = base64(EncodingAESKey + '=')  (32 bytes), IV = AESKey[0..16]
//   plaintext = random(16) | msg_len (4 bytes, big-endian) | msg | receiveid
//   AES-256-CBC with PKCS#7 padding to a 32-byte block (pad 1..32).

/** The official library's error codes, kept so log lines match Tencent's docs. */
export const WX_CRYPT_ERROR_CODES = {
  invalid_signature: -40001,
  parse_error: -40002,
  invalid_aes_key: -40004,
  receive_id_mismatch: -40005,
  decrypt_failed: -40007,
} as const;

export type WxCryptErrorKind = keyof typeof WX_CRYPT_ERROR_CODES;

export class WxCryptError extends Error {
  constructor(
    readonly kind: WxCryptErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'WxCryptError';
  }
  /** The WXBizMsgCrypt library code (-40001 …). */
  get code(): number {
    return WX_CRYPT_ERROR_CODES[this.kind];
  }
}

const BLOCK = 32;
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** sha1 of the parts sorted and joined, lower-case hex: every WeChat/WeCom signature. */
export function wxSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

/** Constant-time check of a signature the vendor sent against the parts it signed. */
export function isWxSignature(provided: string | undefined, parts: string[]): boolean {
  if (!provided) return false;
  return safeEqual(provided.trim().toLowerCase(), wxSignature(...parts));
}

/** Why an EncodingAESKey is unusable, or undefined when it is a valid 43-character key. */
export function encodingAesKeyProblem(key: string | undefined): string | undefined {
  if (!key) return 'encodingAesKey is missing';
  if (key.length !== 43) return `encodingAesKey must be 43 characters, got ${key.length}`;
  if (!ENCODING_AES_KEY.test(key)) return 'encodingAesKey may only hold base64 characters (A-Z, a-z, 0-9, + and /)';
  // The consoles generate 43 random base64 characters, so the last one's 2 spare bits are not
  // always zero (the official keys end in `…B2C`, `…hUt`): they are dropped, not refused.
  if (Buffer.from(`${key}=`, 'base64').length !== 32) return 'encodingAesKey does not decode to a 32-byte AES key';
  return undefined;
}

/** The 32-byte AES key of an EncodingAESKey; throws WxCryptError(invalid_aes_key). */
export function aesKeyOf(encodingAesKey: string): Buffer {
  const problem = encodingAesKeyProblem(encodingAesKey);
  if (problem) throw new WxCryptError('invalid_aes_key', problem);
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

export interface DecryptedMessage {
  /** The message (XML, JSON, or the echostr plaintext). */
  message: string;
  /** The app the sender encrypted it for: appId, CorpID, SuiteID, or '' for internal bots. */
  receiveId: string;
  /** The sender's 16 random bytes (kept for tests against the official vectors). */
  random: Buffer;
}

/** Decrypts an `Encrypt` / `echostr` value. Throws WxCryptError(decrypt_failed) when the key or the data is wrong. */
export function decryptWxMessage(encrypt: string, aesKey: Buffer): DecryptedMessage {
  const compact = encrypt.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw new WxCryptError('decrypt_failed', 'the encrypted text is not base64');
  const data = Buffer.from(compact, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new WxCryptError('decrypt_failed', `the encrypted text is ${data.length} bytes, not a whole number of AES blocks`);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
    // Node's PKCS#7 check expects 16-byte blocks and rejects WeChat's 32-byte padding (pad up to 32).
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch (err) {
    throw new WxCryptError('decrypt_failed', `AES decryption failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
    throw new WxCryptError('decrypt_failed', 'bad padding after decryption (wrong encodingAesKey?)');
  }
  const frame = plain.subarray(0, plain.length - pad);
  if (frame.length < 20) throw new WxCryptError('decrypt_failed', 'decrypted frame is shorter than its 20-byte header');
  const length = frame.readUInt32BE(16);
  if (20 + length > frame.length) throw new WxCryptError('decrypt_failed', `decrypted frame says the message is ${length} bytes but only ${frame.length - 20} follow (wrong encodingAesKey?)`);
  return {
    random: Buffer.from(frame.subarray(0, 16)),
    message: frame.subarray(20, 20 + length).toString('utf8'),
    receiveId: frame.subarray(20 + length).toString('utf8'),
  };
}

/** Encrypts a message for `receiveId` (passive replies, test fixtures); `random` fixes the 16 random bytes. */
export function encryptWxMessage(message: string, receiveId: string, aesKey: Buffer, random: Buffer = randomBytes(16)): string {
  if (random.length !== 16) throw new RangeError('random must be 16 bytes');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const frame = Buffer.concat([random, length, body, Buffer.from(receiveId, 'utf8')]);
  const pad = BLOCK - (frame.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([frame, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** An encrypted passive reply `{Encrypt, MsgSignature, TimeStamp, Nonce}` as the vendor expects it. */
export function sealWxReply(message: string, opts: { token: string; aesKey: Buffer; receiveId: string; timestamp: string; nonce: string; random?: Buffer }) {
  const encrypt = encryptWxMessage(message, opts.receiveId, opts.aesKey, opts.random);
  return { Encrypt: encrypt, MsgSignature: wxSignature(opts.token, opts.timestamp, opts.nonce, encrypt), TimeStamp: opts.timestamp, Nonce: opts.nonce };
}
