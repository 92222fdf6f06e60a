import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** How bulk imports are run (env: TRIBUTARY_IMPORT_*). */
export interface ImportOptions {
  /** Where uploads are stored until imported: TRIBUTARY_IMPORT_DIR, else `$TRIBUTARY_DATA_DIR/imports`, else `<tmp>/tributary-imports`. */
  dir: string;
  /** Largest upload, bytes (TRIBUTARY_IMPORT_MAX_BYTES, default 1 GiB). */
  maxBytes: number;
  /** Rows accepted per round trip. */
  batchSize: number;
  /** Progress is written at least this often while rows flow. */
  progressEveryMs: number;
  /**
   * Back-pressure: the import waits while the flow has more runs than this queued or running
   * (TRIBUTARY_IMPORT_MAX_QUEUED, default 10000), so a million-row file does not put a million jobs on the queue at once.
   */
  maxQueuedRuns: number;
  /** A running import whose process stops renewing this lease is resumed by another (TRIBUTARY_IMPORT_LEASE_MS). */
  leaseMs: number;
  /** How often running imports left behind are looked for. */
  sweepEveryMs: number;
  /** An import whose lease expired this long ago and whose file this process does not have is failed. */
  orphanAfterMs: number;
  /** Attempts (process crashes, database errors) before an import is failed. */
  maxAttempts: number;
}

export const IMPORT_DEFAULTS: Omit<ImportOptions, 'dir'> = {
  maxBytes: 1024 * 1024 * 1024,
  batchSize: 2000,
  progressEveryMs: 500,
  maxQueuedRuns: 10_000,
  leaseMs: 30_000,
  sweepEveryMs: 10_000,
  orphanAfterMs: 10 * 60_000,
  maxAttempts: 5,
};

function int(name: string, raw: string | undefined, def: number): number {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function importOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ImportOptions {
  const dir = env.TRIBUTARY_IMPORT_DIR || (env.TRIBUTARY_DATA_DIR ? join(env.TRIBUTARY_DATA_DIR, 'imports') : join(tmpdir(), 'tributary-imports'));
  return {
    ...IMPORT_DEFAULTS,
    dir: resolve(dir),
    maxBytes: int('TRIBUTARY_IMPORT_MAX_BYTES', env.TRIBUTARY_IMPORT_MAX_BYTES, IMPORT_DEFAULTS.maxBytes),
    maxQueuedRuns: int('TRIBUTARY_IMPORT_MAX_QUEUED', env.TRIBUTARY_IMPORT_MAX_QUEUED, IMPORT_DEFAULTS.maxQueuedRuns),
    leaseMs: int('TRIBUTARY_IMPORT_LEASE_MS', env.TRIBUTARY_IMPORT_LEASE_MS, IMPORT_DEFAULTS.leaseMs),
  };
}
