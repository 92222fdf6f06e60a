import { randomBytes } from 'node:crypto';
import {
  cachedAccessToken,
  createVendorClient,
  invalidateAccessToken,
  NodeError,
  VendorApiError,
  type HttpClient,
  type SharedCache,
} from '@tributary/node-sdk';
import { parseJsonExact, stringifyWithInt64 } from '../shared/exact-json.util.js';
import { withoutSecrets } from '../shared/scrub-secrets.util.js';

// Tencent Ads (腾讯广告) Marketing API v1.3, as its official SDKs describe it: common parameters
// access_token, timestamp and nonce in the query, a JSON body, and `{code, message, data}` back.

export const DEFAULT_TENCENT_BASE_URL = 'https://api.e.qq.com/v1.3';
export const DEFAULT_TENCENT_OAUTH_URL = 'https://api.e.qq.com';

export interface TencentOptions {
  baseUrl: string;
  oauthBaseUrl: string;
  rateKey: string;
  requestsPerMinute: number;
  allowPrivateNetwork: boolean;
}

export interface TencentDeps {
  http: HttpClient;
  cache: SharedCache;
  signal?: AbortSignal;
  now(): Date;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The access token: refreshed through /oauth/token (and shared by all workers) when the
 * connection holds clientId, clientSecret and refreshToken; otherwise the accessToken as given.
 */
export async function tencentAccessToken(deps: TencentDeps, secrets: Record<string, string> | undefined, opts: TencentOptions): Promise<string> {
  const s = secrets ?? {};
  if (s.clientId && s.clientSecret && s.refreshToken) {
    return cachedAccessToken(deps, `tencentads:${opts.rateKey}`, async () => {
      const client = createVendorClient({ http: deps.http, cache: deps.cache, signal: deps.signal }, { vendor: 'tencentads', baseUrl: opts.oauthBaseUrl, allowPrivateNetwork: opts.allowPrivateNetwork });
      let res;
      try {
        res = await client.request({
          path: '/oauth/token',
          query: { client_id: s.clientId, client_secret: s.clientSecret, grant_type: 'refresh_token', refresh_token: s.refreshToken },
        });
      } catch (err) {
        // The client's message holds the URL, and refresh_token is not among the parameters it masks.
        const e = err as VendorApiError;
        throw new VendorApiError('tencentads', `tencentads: refreshing the access token failed${e.status ? ` (HTTP ${e.status})` : ''}`, e.status, { retryable: e.retryable ?? true, retryAfterMs: e.retryAfterMs });
      }
      const body = parseEnvelope(res.body, res.status, '/oauth/token');
      const data = isRecord(body.data) ? body.data : {};
      if (typeof data.access_token !== 'string') throw new VendorApiError('tencentads', 'tencentads: /oauth/token answered without an access_token', res.status, { retryable: false });
      const ttl = Number(data.access_token_expires_in);
      return { token: data.access_token, expiresInSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 3600 };
    });
  }
  if (s.accessToken) return s.accessToken;
  throw new NodeError('missing_secret', 'the tencentads connection needs "accessToken", or "clientId", "clientSecret" and "refreshToken"', { retryable: false });
}

/** POST one Marketing API call and return its `data`; a non-zero code is a VendorApiError. */
export async function tencentRequest(
  deps: TencentDeps,
  secrets: Record<string, string> | undefined,
  opts: TencentOptions,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const token = await tencentAccessToken(deps, secrets, opts);
  // Tencent refuses a nonce it has seen, so a retry must be a new request: the client makes one attempt
  // and the runtime (next poll, step retry) makes the next with a fresh nonce.
  const client = createVendorClient({ http: deps.http, cache: deps.cache, signal: deps.signal }, {
    vendor: 'tencentads',
    baseUrl: opts.baseUrl,
    maxAttempts: 1,
    allowPrivateNetwork: opts.allowPrivateNetwork,
    rateLimit: { key: opts.rateKey, requests: opts.requestsPerMinute, perSeconds: 60 },
  });
  const res = await withoutSecrets([token], () =>
    client.request({
      method: 'POST',
      path,
      query: { access_token: token, timestamp: Math.floor(deps.now().getTime() / 1000), nonce: randomBytes(16).toString('hex') },
      headers: { 'content-type': 'application/json' },
      body: stringifyWithInt64(body),
    }),
  );
  try {
    const env = parseEnvelope(res.body, res.status, path);
    return isRecord(env.data) ? env.data : {};
  } catch (err) {
    // A refreshed token the API no longer accepts is dropped, so the next call refreshes it.
    if (err instanceof VendorApiError && /token/i.test(err.message) && secrets?.refreshToken) await invalidateAccessToken(deps, `tencentads:${opts.rateKey}`);
    throw err;
  }
}

function parseEnvelope(text: string, status: number, path: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = parseJsonExact(text);
  } catch {
    throw new VendorApiError('tencentads', `tencentads: ${path} did not answer JSON`, status, { retryable: false, body: text });
  }
  if (!isRecord(body)) throw new VendorApiError('tencentads', `tencentads: ${path} answered ${typeof body}`, status, { retryable: false, body: text });
  if (body.code === 0 || body.code === '0') return body;
  const msg = [body.message, body.message_cn].filter((m) => typeof m === 'string' && m).join(' / ') || 'no message';
  throw new VendorApiError('tencentads', `tencentads: ${path} refused the call (code ${String(body.code)}): ${msg}`, status, { retryable: false, body: text });
}
