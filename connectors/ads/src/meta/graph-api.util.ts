import { createVendorClient, hmac, VendorApiError, type HttpClient, type HttpResponse, type SharedCache } from '@tributary/node-sdk';
import { parseJsonExact } from '../shared/exact-json.util.js';
import { withoutSecrets } from '../shared/scrub-secrets.util.js';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v21.0';

export interface GraphOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  /** Sent as appsecret_proof when set: required by apps with "Require App Secret" on, harmless otherwise. */
  appSecret?: string;
  /** The connection id: the rate limit is shared by every node using it. */
  rateKey: string;
  requestsPerMinute: number;
  allowPrivateNetwork: boolean;
}

export interface GraphDeps {
  http: HttpClient;
  cache: SharedCache;
  signal?: AbortSignal;
}

// Graph answers throttling with HTTP 400 and one of these codes, not with 429.
const THROTTLE_CODES = new Set([4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);

/** HMAC-SHA256 of the access token keyed with the app secret, as Graph's appsecret_proof. */
export function appsecretProof(accessToken: string, appSecret: string): string {
  return hmac('sha256', appSecret, accessToken);
}

/** A Graph API GET or POST; Graph errors become VendorApiError with Meta's code and a hint. */
export async function graphRequest(deps: GraphDeps, opts: GraphOptions, req: { method?: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: string }): Promise<unknown> {
  const client = createVendorClient(
    { http: deps.http, cache: deps.cache, signal: deps.signal },
    {
      vendor: 'meta',
      baseUrl: opts.baseUrl,
      allowPrivateNetwork: opts.allowPrivateNetwork,
      rateLimit: { key: opts.rateKey, requests: opts.requestsPerMinute, perSeconds: 60 },
    },
  );
  const query: Record<string, string> = { ...req.query, access_token: opts.accessToken };
  if (opts.appSecret) query.appsecret_proof = appsecretProof(opts.accessToken, opts.appSecret);
  const res = await withoutSecrets([opts.accessToken, opts.appSecret, query.appsecret_proof], () =>
    client.request({
      method: req.method ?? 'GET',
      path: `/${opts.version}/${req.path.replace(/^\/+/, '')}`,
      query,
      ...(req.body !== undefined ? { body: req.body, headers: { 'content-type': 'application/json' } } : {}),
      // 4xx are Graph errors we explain ourselves; 408, 429 and 5xx stay with the client's retries.
      okStatuses: (s) => s < 500 && s !== 408 && s !== 429,
    }),
  );
  if (res.status >= 400) throw graphError(res);
  try {
    return parseJsonExact(res.body);
  } catch {
    throw new VendorApiError('meta', `meta: ${req.path.split('?')[0]} did not answer JSON`, res.status, { retryable: false, body: res.body });
  }
}

/** Meta's `{error: {code, error_subcode, type, message}}` as a VendorApiError that says what to do. */
export function graphError(res: Pick<HttpResponse, 'status' | 'body' | 'headers'>): VendorApiError {
  let e: { code?: unknown; error_subcode?: unknown; type?: unknown; message?: unknown; is_transient?: unknown } = {};
  try {
    const parsed = JSON.parse(res.body) as { error?: typeof e };
    if (parsed && typeof parsed.error === 'object' && parsed.error) e = parsed.error;
  } catch {
    // not JSON: described by status below
  }
  const code = typeof e.code === 'number' ? e.code : undefined;
  const sub = typeof e.error_subcode === 'number' ? e.error_subcode : undefined;
  const throttled = code !== undefined && THROTTLE_CODES.has(code);
  const transient = code === 1 || code === 2 || e.is_transient === true;
  const what = code === undefined ? `answered ${res.status}` : `Graph API error ${code}${sub ? `/${sub}` : ''}${typeof e.type === 'string' ? ` (${e.type})` : ''}`;
  const message = typeof e.message === 'string' ? `: ${e.message}` : res.body ? `: ${res.body.slice(0, 200)}` : '';
  return new VendorApiError('meta', `meta: ${what}${message}${hintFor(code)}`, res.status, {
    retryable: throttled || transient,
    retryAfterMs: throttled ? (regainAccessMs(res.headers) ?? 60_000) : undefined,
    body: res.body,
  });
}

function hintFor(code: number | undefined): string {
  if (code === 190) return ' — the access token is invalid or expired; put a new long-lived Page access token (leads_retrieval) in the connection’s accessToken';
  if (code === 10 || (code !== undefined && code >= 200 && code < 300)) return ' — the token lacks a permission; grant leads_retrieval, pages_manage_metadata, pages_show_list, pages_read_engagement and ads_management';
  if (code === 100) return ' — the lead does not exist or the token cannot see it (leads older than 90 days are gone)';
  if (code !== undefined && THROTTLE_CODES.has(code)) return ' — rate limited; the call is retried later';
  return '';
}

/** Meta's own estimate of when a throttled app may call again (x-business-use-case-usage, minutes). */
function regainAccessMs(headers: Record<string, string>): number | undefined {
  const raw = headers['x-business-use-case-usage'];
  if (!raw) return undefined;
  try {
    const usage = JSON.parse(raw) as Record<string, { estimated_time_to_regain_access?: number }[]>;
    const minutes = Math.max(0, ...Object.values(usage).flat().map((u) => Number(u.estimated_time_to_regain_access) || 0));
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}
