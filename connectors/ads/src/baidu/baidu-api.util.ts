import { createVendorClient, VendorApiError, type HttpClient, type SharedCache } from '@tributary/node-sdk';
import { parseJsonExact } from '../shared/exact-json.util.js';
import { withoutSecrets } from '../shared/scrub-secrets.util.js';

// Baidu Marketing API (百度营销 API), as the official baiduads-sdk describes it: a POST to
// /json/sms/service/<Service>/<method> with `{header: {userName, accessToken}, body}`, answered
// with `{header: {status, desc, failures}, body: {data: [...]}}`.

export const DEFAULT_BAIDU_BASE_URL = 'https://api.baidu.com';

export interface BaiduOptions {
  baseUrl: string;
  rateKey: string;
  requestsPerMinute: number;
  allowPrivateNetwork: boolean;
}

export interface BaiduDeps {
  http: HttpClient;
  cache: SharedCache;
  signal?: AbortSignal;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One Marketing API call; returns the response `body`. A header status other than 0 is a VendorApiError. */
export async function baiduRequest(
  deps: BaiduDeps,
  secrets: Record<string, string> | undefined,
  opts: BaiduOptions,
  service: string,
  method: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const userName = secrets?.userName;
  const accessToken = secrets?.accessToken;
  if (!userName || !accessToken) throw new VendorApiError('baidu', 'baidu: the connection needs "userName" and "accessToken"', undefined, { retryable: false });
  const client = createVendorClient(
    { http: deps.http, cache: deps.cache, signal: deps.signal },
    { vendor: 'baidu', baseUrl: opts.baseUrl, allowPrivateNetwork: opts.allowPrivateNetwork, rateLimit: { key: opts.rateKey, requests: opts.requestsPerMinute, perSeconds: 60 } },
  );
  const path = `/json/sms/service/${service}/${method}`;
  const res = await withoutSecrets([accessToken], () =>
    client.request({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: JSON.stringify({ header: { userName, accessToken, action: 'API-SDK' }, body }),
    }),
  );
  let parsed: unknown;
  try {
    parsed = parseJsonExact(res.body);
  } catch {
    throw new VendorApiError('baidu', `baidu: ${path} did not answer JSON`, res.status, { retryable: false, body: res.body });
  }
  const header = isRecord(parsed) && isRecord(parsed.header) ? parsed.header : undefined;
  if (!header) throw new VendorApiError('baidu', `baidu: ${path} answered without a header`, res.status, { retryable: false, body: res.body });
  if (header.status !== 0 && header.status !== '0') {
    const failures = Array.isArray(header.failures) ? header.failures.filter(isRecord) : [];
    const detail = failures.map((f) => `${String(f.code ?? '')} ${String(f.message ?? '')}`.trim()).join('; ') || String(header.desc ?? 'no description');
    throw new VendorApiError('baidu', `baidu: ${service}/${method} refused the call (status ${String(header.status)}): ${detail}`, res.status, { retryable: false, body: res.body });
  }
  return isRecord((parsed as Record<string, unknown>).body) ? ((parsed as Record<string, unknown>).body as Record<string, unknown>) : {};
}
