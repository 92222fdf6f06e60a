import { createVendorClient, hmac, VendorApiError, type HttpClient, type SharedCache } from '@tributary/node-sdk';
import { parseJsonExact } from '../shared/exact-json.util.js';
import { withoutSecrets } from '../shared/scrub-secrets.util.js';

// Ocean Engine's 飞鱼 CRM (Feiyu) open API. REPORTED: the vendor docs sit behind a login; this
// follows the Feiyu sample code mirrored in many public repositories (connectors.md §4).

export const DEFAULT_FEIYU_BASE_URL = 'https://feiyu.oceanengine.com';
export const PULL_CLUES_ROUTE = '/crm/v2/openapi/pull-clues/';
export const CLUE_CALLBACK_ROUTE = '/crm/v2/openapi/clue/callback/';

/**
 * The Signature header: base64 of the *hex* HMAC-SHA256 of `<signed path> <timestamp>`
 * (one space), keyed with the signature key as text. Pulls sign the route with
 * `?start_time=S&end_time=E`; the callback signs the bare route.
 */
export function feiyuSignature(signedPath: string, timestamp: string, signatureKey: string): string {
  return Buffer.from(hmac('sha256', signatureKey, `${signedPath} ${timestamp}`, 'hex'), 'utf8').toString('base64');
}

export interface FeiyuOptions {
  baseUrl: string;
  accessToken: string;
  signatureKey: string;
  rateKey: string;
  requestsPerMinute: number;
  allowPrivateNetwork: boolean;
}

export interface FeiyuDeps {
  http: HttpClient;
  cache: SharedCache;
  signal?: AbortSignal;
  now(): Date;
}

/** One signed Feiyu call; a body whose `status` is not success (or 0) is a VendorApiError with Feiyu's msg. */
export async function feiyuRequest(
  deps: FeiyuDeps,
  opts: FeiyuOptions,
  req: { method: 'GET' | 'POST'; route: string; signedPath: string; query?: Record<string, string | number>; body?: unknown },
): Promise<Record<string, unknown>> {
  const client = createVendorClient(
    { http: deps.http, cache: deps.cache, signal: deps.signal },
    { vendor: 'oceanengine', baseUrl: opts.baseUrl, allowPrivateNetwork: opts.allowPrivateNetwork, rateLimit: { key: opts.rateKey, requests: opts.requestsPerMinute, perSeconds: 60 } },
  );
  const timestamp = String(Math.floor(deps.now().getTime() / 1000));
  const res = await withoutSecrets([opts.accessToken, opts.signatureKey], () =>
    client.request({
      method: req.method,
      path: req.route,
      query: req.query,
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'Access-Token': opts.accessToken,
        Timestamp: timestamp,
        Signature: feiyuSignature(req.signedPath, timestamp, opts.signatureKey),
      },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    }),
  );
  let body: unknown;
  try {
    body = parseJsonExact(res.body);
  } catch {
    throw new VendorApiError('oceanengine', `oceanengine: ${req.route} did not answer JSON`, res.status, { retryable: false, body: res.body });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new VendorApiError('oceanengine', `oceanengine: ${req.route} answered ${typeof body}`, res.status, { retryable: false, body: res.body });
  const b = body as Record<string, unknown>;
  if (b.status === 'success' || b.status === 0 || b.status === '0') return b;
  const msg = typeof b.msg === 'string' ? b.msg : JSON.stringify(b.msg ?? b.message ?? b.status);
  throw new VendorApiError('oceanengine', `oceanengine: ${req.route} refused the call (status ${String(b.status)}): ${msg}`, res.status, { retryable: false, body: res.body });
}
