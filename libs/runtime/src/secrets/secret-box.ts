import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Connection secrets at rest: AES-256-GCM under TRIBUTARY_SECRET_KEY. The stored form is
// `v1:<base64(iv ‖ tag ‖ ciphertext)>`; the version prefix leaves room for key rotation
// or another algorithm without guessing what an old row holds.

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  readonly code = 'secret_box';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretBoxError';
  }
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new SecretBoxError('the secret key must be 32 bytes');
}

/**
 * Encrypts a JSON object. `aad` (e.g. the connection id) binds the ciphertext to its
 * row, so a box copied onto another row does not decrypt.
 */
export function encryptSecrets(key: Buffer, secrets: Record<string, unknown>, aad?: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
}

/** Decrypts what encryptSecrets produced; a wrong key, wrong aad or any tampering throws SecretBoxError. */
export function decryptSecrets<T extends Record<string, unknown> = Record<string, string>>(key: Buffer, box: string, aad?: string): T {
  checkKey(key);
  const sep = box.indexOf(':');
  const version = sep > 0 ? box.slice(0, sep) : '';
  if (version !== VERSION) throw new SecretBoxError(`unknown secret format "${version || box.slice(0, 8)}" (expected ${VERSION})`);
  const raw = Buffer.from(box.slice(sep + 1), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('secret box is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
  let plain: string;
  try {
    plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new SecretBoxError('cannot decrypt secrets: wrong TRIBUTARY_SECRET_KEY or the data was altered', { cause: err });
  }
  const value: unknown = JSON.parse(plain);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SecretBoxError('decrypted secrets are not a JSON object');
  return value as T;
}

/** The key bound once, for injection into services. */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    checkKey(key);
  }
  encrypt(secrets: Record<string, unknown>, aad?: string): string {
    return encryptSecrets(this.key, secrets, aad);
  }
  decrypt<T extends Record<string, unknown> = Record<string, string>>(box: string, aad?: string): T {
    return decryptSecrets<T>(this.key, box, aad);
  }
}
