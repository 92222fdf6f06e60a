// Process configuration from the environment (CONTRACT.md §2). One small typed
// object per concern, read once at boot; nothing else reads process.env.

export type QueueBackend = 'redis' | 'postgres';

export interface RuntimeConfig {
  databaseUrl: string;
  /** Set when the queue runs on Redis; undefined means BullMQ's Postgres backend. */
  redisUrl?: string;
  queueBackend: QueueBackend;
  /** Namespaces queue keys (Redis prefix / Postgres schema) so several installs can share a server. */
  queuePrefix: string;
  port: number;
  host: string;
  adminToken: string;
  /** 32 bytes, base64 or hex in the environment. */
  secretKey: Buffer;
  workerConcurrency: number;
  logLevel: string;
  /** Public base URL used to show webhook URLs (default http://localhost:PORT). */
  publicUrl: string;
  /** Largest webhook body, bytes. */
  maxBodyBytes: number;
  /** Run payloads (input/output of runs and steps) are pruned after this many days. */
  retentionDays: number;
  /** How long a worker's lock on a job lasts without renewal before another worker recovers it. */
  jobLockMs: number;
  /** Directory of the editor's built assets, served at `/`. */
  editorDir?: string;
  /** Hosts that ctx.http may reach on private addresses (on-premise vendor endpoints, local mocks). */
  httpAllowPrivateHosts: string[];
  /** Health turns unhealthy when runs have waited this long and none finished meanwhile. */
  healthStallMs: number;
  /**
   * Which proxies' X-Forwarded-For the API believes (the client address of sign-in throttling):
   * `true`, `false`, or addresses / CIDRs / the presets loopback, linklocal, uniquelocal.
   */
  trustProxy: boolean | string;
  /** A worker serves GET /metrics on this port (on HOST); unset: no metrics server. */
  workerMetricsPort?: number;
  /** How long a session token from a user's sign-in lasts. */
  sessionTtlMs: number;
}

function int(name: string, raw: string | undefined, def: number): number {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/**
 * Default: proxies on this machine or a private network (a reverse proxy, a container network, a
 * cluster's ingress). A client on the internet reaching the API directly cannot choose its address.
 */
export const DEFAULT_TRUST_PROXY = 'loopback, linklocal, uniquelocal';

export function parseTrustProxy(raw: string | undefined): boolean | string {
  const v = raw?.trim();
  if (!v) return DEFAULT_TRUST_PROXY;
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (!/^[0-9A-Za-z.:/,\s]+$/.test(v)) throw new Error(`TRIBUTARY_TRUST_PROXY must be true, false, or addresses/CIDRs, got "${raw}"`);
  return v;
}

export function parseSecretKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const buf = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (buf.length !== 32) throw new Error('TRIBUTARY_SECRET_KEY must be 32 bytes, as 64 hex characters or base64');
  return buf;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded Postgres)');
  const redisUrl = env.REDIS_URL || undefined;
  const queueBackend: QueueBackend = (env.TRIBUTARY_QUEUE as QueueBackend) || (redisUrl ? 'redis' : 'postgres');
  if (queueBackend !== 'redis' && queueBackend !== 'postgres') throw new Error(`TRIBUTARY_QUEUE must be redis or postgres, got "${env.TRIBUTARY_QUEUE}"`);
  if (queueBackend === 'redis' && !redisUrl) throw new Error('TRIBUTARY_QUEUE=redis needs REDIS_URL');
  const adminToken = env.TRIBUTARY_ADMIN_TOKEN;
  if (!adminToken) throw new Error('TRIBUTARY_ADMIN_TOKEN is not set (npm start generates one into .data/)');
  const rawKey = env.TRIBUTARY_SECRET_KEY;
  if (!rawKey) throw new Error('TRIBUTARY_SECRET_KEY is not set (npm start generates one into .data/)');
  const port = int('PORT', env.PORT, 3000);
  return {
    databaseUrl,
    redisUrl,
    queueBackend,
    queuePrefix: env.TRIBUTARY_QUEUE_PREFIX || 'tributary',
    port,
    host: env.HOST || '0.0.0.0',
    adminToken,
    secretKey: parseSecretKey(rawKey),
    workerConcurrency: int('WORKER_CONCURRENCY', env.WORKER_CONCURRENCY, 32),
    logLevel: env.LOG_LEVEL || 'info',
    publicUrl: (env.TRIBUTARY_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    maxBodyBytes: int('TRIBUTARY_MAX_BODY_BYTES', env.TRIBUTARY_MAX_BODY_BYTES, 1024 * 1024),
    retentionDays: int('TRIBUTARY_RETENTION_DAYS', env.TRIBUTARY_RETENTION_DAYS, 30),
    jobLockMs: int('TRIBUTARY_JOB_LOCK_MS', env.TRIBUTARY_JOB_LOCK_MS, 30_000),
    editorDir: env.TRIBUTARY_EDITOR_DIR || undefined,
    healthStallMs: int('TRIBUTARY_HEALTH_STALL_MS', env.TRIBUTARY_HEALTH_STALL_MS, 60_000),
    trustProxy: parseTrustProxy(env.TRIBUTARY_TRUST_PROXY),
    workerMetricsPort: env.TRIBUTARY_WORKER_METRICS_PORT ? int('TRIBUTARY_WORKER_METRICS_PORT', env.TRIBUTARY_WORKER_METRICS_PORT, 0) : undefined,
    sessionTtlMs: int('TRIBUTARY_SESSION_TTL_HOURS', env.TRIBUTARY_SESSION_TTL_HOURS, 12) * 3600_000 || 12 * 3600_000,
    httpAllowPrivateHosts: (env.TRIBUTARY_HTTP_ALLOW_PRIVATE_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
  };
}
