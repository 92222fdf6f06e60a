import { createVendorClient, VendorApiError, type HttpClient, type SharedCache } from '@tributary/node-sdk';
import { parseJsonExact } from '../shared/exact-json.util.js';
import { withoutSecrets } from '../shared/scrub-secrets.util.js';

// Baidu oCPC conversion upload (转化数据回传). REPORTED: taken from integrators' code, not from
// a Baidu page we could read: POST /ocpcapi/api/uploadConvertData with the account's oCPC token
// and `conversionTypes: [{logidUrl, newType}]`; header.status 0 ok, 4 a server error worth a retry.

export const DEFAULT_OCPC_BASE_URL = 'https://ocpc.baidu.com';

const STATUS_MEANING: Record<number, string> = {
  1: 'part of the data was refused',
  2: 'all data was refused',
  3: 'the oCPC token is invalid',
  4: 'Baidu had a server error',
};

export async function sendOcpcConversion(
  deps: { http: HttpClient; cache: SharedCache; signal?: AbortSignal },
  opts: { baseUrl: string; rateKey: string; requestsPerMinute: number; allowPrivateNetwork: boolean },
  token: string,
  conversion: { logidUrl: string; newType: number },
): Promise<Record<string, unknown>> {
  const client = createVendorClient(
    { http: deps.http, cache: deps.cache, signal: deps.signal },
    { vendor: 'baidu', baseUrl: opts.baseUrl, allowPrivateNetwork: opts.allowPrivateNetwork, rateLimit: { key: `${opts.rateKey}:ocpc`, requests: opts.requestsPerMinute, perSeconds: 60 } },
  );
  const res = await withoutSecrets([token], () =>
    client.request({
      method: 'POST',
      path: '/ocpcapi/api/uploadConvertData',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, conversionTypes: [conversion] }),
    }),
  );
  let body: unknown;
  try {
    body = parseJsonExact(res.body);
  } catch {
    throw new VendorApiError('baidu', 'baidu: uploadConvertData did not answer JSON', res.status, { retryable: false, body: res.body });
  }
  const header = (body as { header?: { status?: unknown; desc?: unknown } } | null)?.header;
  const status = Number(header?.status);
  if (status === 0) return body as Record<string, unknown>;
  const why = STATUS_MEANING[status] ?? 'unexpected answer';
  throw new VendorApiError('baidu', `baidu: uploadConvertData status ${String(header?.status)}: ${why}${typeof header?.desc === 'string' ? ` (${header.desc})` : ''}`, res.status, {
    retryable: status === 4,
    body: res.body,
  });
}
