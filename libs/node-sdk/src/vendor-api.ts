import { VendorApiError, type HttpClient, type HttpResponse, type SharedCache } from '@tributary/engine';

export interface VendorClientOptions {
  /** The vendor's name in errors and cache keys, e.g. `meta`. */
  vendor: string;
  /** Base URL every path is resolved against; configurable per node so tests and proxies can point elsewhere. */
  baseUrl: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Attempts in all for retryable failures (default 3). */
  maxAttempts?: number;
  /** First retry delay, doubled each time (default 500 ms); a Retry-After header wins when longer. */
  backoffMs?: number;
  /** Longest wait this client accepts before giving the failure to the caller (default 30 s). */
  maxWaitMs?: number;
  /**
   * A limit shared by every process: at most `requests` calls per `perSeconds` for this `key`
   * (normally the connection id). Over the limit, calls wait for the next window.
   */
  rateLimit?: { key: string; requests: number; perSeconds: number };
  /** Loopback and private addresses are refused unless this is set (tests, on-premise vendors). */
  allowPrivateNetwork?: boolean;
}

export interface VendorRequest {
  method?: string;
  /** A path below baseUrl (`/v19.0/123`) or an absolute URL. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Throw on these statuses (default: any status ≥ 400). */
  okStatuses?: (status: number) => boolean;
}

export interface VendorDeps {
  http: HttpClient;
  cache: SharedCache;
  signal?: AbortSignal;
  /** Injected in tests; default real timers. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason ?? new Error('aborted'))), { once: true });
  });

/** Retry-After as milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

const retryableStatus = (s: number) => s === 408 || s === 425 || s === 429 || s >= 500;

/** Resolves a path against a base URL, keeping the base's own path (`https://x/api` + `/v1/a`). */
export function joinUrl(baseUrl: string, path: string, query?: VendorRequest['query']): string {
  const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(baseUrl.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

/**
 * Calls to one vendor API: timeouts, retries with exponential backoff on network errors,
 * 408/429/5xx (honouring Retry-After), a rate limit shared by all workers, and
 * VendorApiError with the status and a short body excerpt when the vendor says no.
 */
export function createVendorClient(deps: VendorDeps, opts: VendorClientOptions) {
  const sleep = deps.sleep ?? ((ms: number) => defaultSleep(ms, deps.signal));
  const now = deps.now ?? (() => new Date());
  const maxAttempts = opts.maxAttempts ?? 3;
  const backoffMs = opts.backoffMs ?? 500;
  const maxWaitMs = opts.maxWaitMs ?? 30_000;

  async function takeRateLimitSlot(): Promise<void> {
    const rl = opts.rateLimit;
    if (!rl) return;
    for (;;) {
      const windowMs = rl.perSeconds * 1000;
      const t = now().getTime();
      const window = Math.floor(t / windowMs);
      const count = await deps.cache.increment(`ratelimit:${opts.vendor}:${rl.key}:${window}`, rl.perSeconds + 1);
      if (count <= rl.requests) return;
      const wait = (window + 1) * windowMs - t;
      if (wait > maxWaitMs) throw new VendorApiError(opts.vendor, `${opts.vendor}: rate limit of ${rl.requests} calls per ${rl.perSeconds}s reached`, 429, { retryable: true, retryAfterMs: wait });
      await sleep(wait);
    }
  }

  async function request(req: VendorRequest): Promise<HttpResponse> {
    const url = joinUrl(opts.baseUrl, req.path, req.query);
    const ok = req.okStatuses ?? ((s: number) => s < 400);
    let lastError: VendorApiError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await takeRateLimitSlot();
      let res: HttpResponse | undefined;
      try {
        res = await deps.http.request({
          method: req.method ?? 'GET',
          url,
          headers: { accept: 'application/json', ...req.headers },
          body: req.body,
          timeoutMs: opts.timeoutMs ?? 10_000,
          allowPrivateNetwork: opts.allowPrivateNetwork,
        });
      } catch (err) {
        const e = err as Error & { retryable?: boolean };
        lastError = new VendorApiError(opts.vendor, `${opts.vendor}: ${req.method ?? 'GET'} ${redactUrl(url)} failed: ${redactUrl(e.message)}`, undefined, { retryable: e.retryable ?? true });
        if (!lastError.retryable) throw lastError;
      }
      if (res) {
        if (ok(res.status)) return res;
        const after = retryAfterMs(res.headers['retry-after'], now());
        lastError = new VendorApiError(opts.vendor, `${opts.vendor}: ${req.method ?? 'GET'} ${redactUrl(url)} answered ${res.status}: ${redactUrl(res.body.slice(0, 200))}`, res.status, {
          retryable: retryableStatus(res.status),
          retryAfterMs: after,
          body: res.body,
        });
        if (!lastError.retryable) throw lastError;
      }
      if (attempt === maxAttempts) break;
      const delay = Math.max(backoffMs * 2 ** (attempt - 1), lastError!.retryAfterMs ?? 0);
      // A vendor that asks for a long pause gets it from the caller (step retry, next poll), not from a blocked worker.
      if (delay > maxWaitMs) break;
      await sleep(delay);
    }
    throw lastError!;
  }

  return {
    request,
    /** request() and the body parsed as JSON; a body that is not JSON is a VendorApiError. */
    async json<T = unknown>(req: VendorRequest): Promise<T> {
      const res = await request(req);
      if (res.json !== undefined) return res.json as T;
      try {
        return JSON.parse(res.body) as T;
      } catch {
        throw new VendorApiError(opts.vendor, `${opts.vendor}: ${redactUrl(joinUrl(opts.baseUrl, req.path))} did not answer JSON`, res.status, { retryable: false, body: res.body });
      }
    },
  };
}

export type VendorClient = ReturnType<typeof createVendorClient>;

/**
 * Query parameters that carry credentials are masked in error messages and logs; works on a URL
 * or on any text that quotes one (a network error repeating the URL).
 */
export function redactUrl(text: string): string {
  return text.replace(
    /([?&](?:access_token|refresh_token|token|secret|corpsecret|appsecret|app_secret|appsecret_proof|client_secret|sign|signature|key|api_key|password)=)[^&\s"']*/gi,
    '$1***',
  );
}

/**
 * An access token shared by every worker: read from the cache; when missing, one process
 * fetches it (the others wait for it a few seconds) and stores it until shortly before it
 * expires. `invalidate` after the vendor says the token is no longer valid.
 */
export async function cachedAccessToken(
  deps: Pick<VendorDeps, 'cache' | 'sleep'>,
  key: string,
  fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>,
  opts: { waitMs?: number } = {},
): Promise<string> {
  const cacheKey = `token:${key}`;
  const cached = await deps.cache.get(cacheKey);
  if (cached) return cached;
  const sleep = deps.sleep ?? ((ms: number) => defaultSleep(ms));
  const lockKey = `token-lock:${key}`;
  const deadline = Date.now() + (opts.waitMs ?? 5_000);
  while (!(await deps.cache.setIfAbsent(lockKey, '1', 30))) {
    // Another process is fetching it: wait for its result rather than spending the vendor's daily token quota.
    await sleep(100);
    const v = await deps.cache.get(cacheKey);
    if (v) return v;
    if (Date.now() > deadline) break;
  }
  try {
    const again = await deps.cache.get(cacheKey);
    if (again) return again;
    const { token, expiresInSeconds } = await fetchToken();
    // Refresh five minutes early (or at half-life for short tokens) so no call carries a token about to expire.
    const ttl = expiresInSeconds > 600 ? expiresInSeconds - 300 : Math.max(1, Math.floor(expiresInSeconds / 2));
    await deps.cache.set(cacheKey, token, ttl);
    return token;
  } finally {
    await deps.cache.delete(lockKey);
  }
}

/** Forgets a cached access token (the vendor rejected it). */
export async function invalidateAccessToken(deps: Pick<VendorDeps, 'cache'>, key: string): Promise<void> {
  await deps.cache.delete(`token:${key}`);
}
