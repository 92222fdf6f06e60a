import { createHmac } from 'node:crypto';

// Alibaba Cloud RPC signature, version 1.0 (the "签名机制" page of the SMS API reference):
// sort every parameter but Signature by name, percent-encode names and values (RFC 3986:
// space as %20, `*` as %2A, `~` kept), join as k=v&…, then
//   StringToSign = METHOD & percentEncode("/") & percentEncode(canonicalized query)
//   Signature    = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))

export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalizedQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
}

export function aliyunStringToSign(params: Record<string, string>, method: 'GET' | 'POST'): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalizedQuery(params))}`;
}

export function aliyunRpcSignature(params: Record<string, string>, accessKeySecret: string, method: 'GET' | 'POST'): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(aliyunStringToSign(params, method), 'utf8').digest('base64');
}

/** The form body (or query string) of a signed request: every parameter with its Signature. */
export function signedForm(params: Record<string, string>, accessKeySecret: string, method: 'GET' | 'POST'): string {
  const signature = aliyunRpcSignature(params, accessKeySecret, method);
  return `${canonicalizedQuery(params)}&Signature=${percentEncode(signature)}`;
}

/** Aliyun's Timestamp format: UTC, seconds precision (2017-07-12T02:42:19Z). */
export function aliyunTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
