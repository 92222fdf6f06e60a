import { createHash } from 'node:crypto';
import {
  cachedAccessToken,
  createVendorClient,
  invalidateAccessToken,
  VendorApiError,
  type HttpClient,
  type SharedCache,
  type VendorClient,
  type VendorRequest,
} from '@tributary/node-sdk';

// Both WeChat and WeCom answer HTTP 200 with `{errcode, errmsg}`; errcode 0 (or none) is success.

/** WeChat/WeCom said no in its body: errcode ≠ 0. Only -1 ("system busy") is worth retrying. */
export class WxApiError extends VendorApiError {
  constructor(
    vendor: string,
    readonly errcode: number,
    readonly errmsg: string,
    what: string,
    status: number,
  ) {
    super(vendor, `${vendor}: ${what} answered errcode ${errcode}: ${errmsg}`, status, { retryable: errcode === -1 });
    this.name = 'WxApiError';
  }
}

/** Calls the API and throws WxApiError when the body carries a non-zero errcode. */
export async function wxJson<T extends object>(client: VendorClient, vendor: string, req: VendorRequest): Promise<T> {
  const body = await client.json<Record<string, unknown>>(req);
  if (!body || typeof body !== 'object') throw new VendorApiError(vendor, `${vendor}: ${req.path} did not answer a JSON object`, 200, { retryable: false });
  const code = body.errcode === undefined ? 0 : Number(body.errcode);
  if (code !== 0) throw new WxApiError(vendor, Number.isFinite(code) ? code : -1, String(body.errmsg ?? ''), req.path.replace(/^\/+/, ''), 200);
  return body as T;
}

export interface WxApiDeps {
  http: HttpClient;
  cache: SharedCache;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

export interface WxApiOptions {
  vendor: 'wechat' | 'wecom';
  baseUrl: string;
  allowPrivateNetwork: boolean;
  /** The connection id, so every worker shares one rate-limit window per connection. */
  rateLimitKey?: string;
}

export function createWxClient(deps: WxApiDeps, opts: WxApiOptions): VendorClient {
  return createVendorClient(deps, {
    vendor: opts.vendor,
    baseUrl: opts.baseUrl,
    allowPrivateNetwork: opts.allowPrivateNetwork,
    // Well under both vendors' per-app limits; bursts of callbacks queue instead of hitting 45009/45033.
    ...(opts.rateLimitKey ? { rateLimit: { key: opts.rateLimitKey, requests: 20, perSeconds: 1 } } : {}),
  });
}

/** A cache-key fragment that tells secrets apart without storing or logging them. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12);
}

export interface TokenResponse {
  access_token?: string;
  expires_in?: number | string;
}

/** `{access_token, expires_in}` as cachedAccessToken wants it; a body without a token is an error. */
export function tokenOf(vendor: string, body: TokenResponse): { token: string; expiresInSeconds: number } {
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new VendorApiError(vendor, `${vendor}: the token endpoint answered without an access_token`, 200, { retryable: false });
  }
  const expires = Number(body.expires_in);
  return { token: body.access_token, expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 7200 };
}

/**
 * Runs `call` with the access token all workers share; when the vendor says the token is
 * invalid or expired (someone else refreshed it, or it was revoked), forgets it, fetches a
 * new one and tries once more.
 */
export async function withAccessToken<T>(
  deps: Pick<WxApiDeps, 'cache' | 'sleep'>,
  key: string,
  fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>,
  tokenErrors: ReadonlySet<number>,
  call: (token: string) => Promise<T>,
): Promise<T> {
  const token = await cachedAccessToken(deps, key, fetchToken);
  try {
    return await call(token);
  } catch (err) {
    if (!(err instanceof WxApiError) || !tokenErrors.has(err.errcode)) throw err;
    await invalidateAccessToken(deps, key);
    return call(await cachedAccessToken(deps, key, fetchToken));
  }
}

/** How an enrichment failure is kept on the item: a non-scalar, so it never becomes a customer attribute. */
export function lookupErrorOf(err: unknown): { code: string; message: string; errcode?: number } {
  if (err instanceof WxApiError) return { code: 'vendor_api_error', message: err.message, errcode: err.errcode };
  if (err instanceof VendorApiError) return { code: err.code, message: err.message };
  return { code: 'lookup_failed', message: err instanceof Error ? err.message : String(err) };
}
