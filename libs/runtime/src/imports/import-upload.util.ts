import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, badRequest } from '../errors.js';

export interface StoredUpload {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Streams an upload to `<dir>/<id>.upload` (never all in memory), hashing and counting it on
 * the way, and syncs it to disk before returning: an import is acknowledged only once its
 * file is durable. Over `maxBytes` → 413, nothing → 400; a partial file is removed.
 */
export async function storeUpload(body: Readable | AsyncIterable<Buffer | Uint8Array>, opts: { dir: string; id: string; maxBytes: number }): Promise<StoredUpload> {
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const part = join(opts.dir, `${opts.id}.part`);
  const path = join(opts.dir, `${opts.id}.upload`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > opts.maxBytes) {
        done(new AppError(413, 'payload_too_large', `the file is larger than the import limit of ${opts.maxBytes} bytes (TRIBUTARY_IMPORT_MAX_BYTES)`, { maxBytes: opts.maxBytes }));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    // flush: the file is fsynced before it closes, and pipeline resolves only once it has closed.
    await pipeline(body, meter, createWriteStream(part, { flags: 'wx', mode: 0o600, flush: true }));
    if (bytes === 0) throw badRequest('empty_file', 'the request body is empty: send the file’s bytes as the body');
  } catch (err) {
    await unlink(part).catch(() => undefined);
    throw err;
  }
  await rename(part, path);
  return { path, bytes, sha256: hash.digest('hex') };
}
