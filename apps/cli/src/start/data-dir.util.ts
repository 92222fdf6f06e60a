import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

/** `TRIBUTARY_DATA_DIR`, else `<cwd>/.data`. */
export function resolveDataDir(env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, env.TRIBUTARY_DATA_DIR || '.data');
}

/** Creates the data directory with mode 0755: as root, the postgres OS user must pass through it. */
export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * The content of a secret file, created with mode 0600 from `generate()` when missing.
 * Created under a temporary name and hard-linked into place, so two launchers starting
 * at once agree on one value and nobody ever reads a half-written file.
 */
export function readOrCreateSecretFile(path: string, generate: () => string): { value: string; created: boolean } {
  try {
    const value = readFileSync(path, 'utf8').trim();
    if (value) {
      if (statSync(path).mode & 0o077) chmodSync(path, 0o600);
      return { value, created: false };
    }
    unlinkSync(path); // empty: left by a crash, regenerate
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const value = generate();
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, path);
    return { value, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { value: readFileSync(path, 'utf8').trim(), created: false };
  } finally {
    unlinkSync(tmp);
  }
}

export const adminTokenFile = (dataDir: string) => join(dataDir, 'admin-token');
export const secretKeyFile = (dataDir: string) => join(dataDir, 'secret-key');

export const generateAdminToken = () => randomBytes(32).toString('base64url');
export const generateSecretKey = () => randomBytes(32).toString('hex');
