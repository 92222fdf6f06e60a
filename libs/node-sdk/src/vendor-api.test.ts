import { describe, expect, it } from '@jest/globals';
import { VendorApiError, type HttpClient, type HttpRequest, type HttpResponse } from '@tributary/engine';
import { InMemorySharedCache } from './shared-cache.js';
import { cachedAccessToken, createVendorClient, invalidateAccessToken, joinUrl, redactUrl, retryAfterMs } from './vendor-api.js';

/** An HttpClient answering from a script; records every request. */
function scripted(answers: (HttpResponse | Error)[]): HttpClient & { calls: HttpRequest[] } {
  const calls: HttpRequest[] = [];
  return {
    calls,
    async request(req) {
      calls.push(req);
      const a = answers.shift();
      if (!a) throw new Error('no more answers');
      if (a instanceof Error) throw a;
      return a;
    },
  };
}
const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  json: typeof body === 'string' ? undefined : body,
});

describe('createVendorClient', () => {
  const sleeps: number[] = [];
  const sleep = async (ms: number) => void sleeps.push(ms);

  it('never repeats a credential from the URL in a network error', async () => {
    const http = scripted([new Error('getaddrinfo ENOTFOUND for https://api.acme.test/me?access_token=SECRET1')]);
    const client = createVendorClient({ http, cache: new InMemorySharedCache(), sleep }, { vendor: 'acme', baseUrl: 'https://api.acme.test', maxAttempts: 1 });
    const err = (await client.request({ path: 'me', query: { access_token: 'SECRET1' } }).catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain('SECRET1');
  });

  it('retries 5xx and network errors with doubling backoff, then succeeds', async () => {
    sleeps.length = 0;
    const http = scripted([res(503), new Error('socket hang up'), res(200, { ok: true })]);
    const client = createVendorClient({ http, cache: new InMemorySharedCache(), sleep }, { vendor: 'acme', baseUrl: 'https://api.acme.test/v2/', backoffMs: 100 });
    expect(await client.json({ path: '/leads', query: { page: 2, skip: undefined } })).toEqual({ ok: true });
    expect(http.calls.map((c) => c.url)).toEqual(Array(3).fill('https://api.acme.test/v2/leads?page=2'));
    expect(sleeps).toEqual([100, 200]);
  });

  it('honours Retry-After on a 429 and gives up with retryAfterMs when it is longer than it may wait', async () => {
    sleeps.length = 0;
    const http = scripted([res(429, 'slow down', { 'retry-after': '2' }), res(200, { ok: 1 })]);
    const client = createVendorClient({ http, cache: new InMemorySharedCache(), sleep }, { vendor: 'acme', baseUrl: 'https://api.acme.test', backoffMs: 100 });
    await client.request({ path: 'x' });
    expect(sleeps).toEqual([2000]);

    const slow = scripted([res(429, 'quota', { 'retry-after': '3600' })]);
    const c2 = createVendorClient({ http: slow, cache: new InMemorySharedCache(), sleep }, { vendor: 'acme', baseUrl: 'https://api.acme.test' });
    const err = await c2.request({ path: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err).toMatchObject({ status: 429, code: 'vendor_rate_limited', retryable: true, retryAfterMs: 3_600_000 });
    expect(slow.calls).toHaveLength(1);
  });

  it('does not retry a 4xx and says what the vendor answered', async () => {
    const http = scripted([res(401, { error: 'invalid token' })]);
    const client = createVendorClient({ http, cache: new InMemorySharedCache(), sleep }, { vendor: 'acme', baseUrl: 'https://api.acme.test' });
    await expect(client.request({ path: 'me', query: { access_token: 'SECRET' } })).rejects.toMatchObject({
      status: 401,
      code: 'vendor_auth_failed',
      retryable: false,
      message: expect.stringContaining('access_token=***'),
    });
    expect(http.calls).toHaveLength(1);
  });

  it('keeps every process under a shared rate limit by waiting for the next window', async () => {
    sleeps.length = 0;
    let t = Date.parse('2026-11-22T00:00:00.000Z');
    const cache = new InMemorySharedCache(() => t);
    const http = scripted([res(200), res(200), res(200)]);
    const deps = { http, cache, now: () => new Date(t), sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)) };
    const a = createVendorClient(deps, { vendor: 'acme', baseUrl: 'https://x.test', rateLimit: { key: 'conn1', requests: 2, perSeconds: 1 } });
    const b = createVendorClient(deps, { vendor: 'acme', baseUrl: 'https://x.test', rateLimit: { key: 'conn1', requests: 2, perSeconds: 1 } });
    await a.request({ path: '1' });
    await b.request({ path: '2' });
    await a.request({ path: '3' });
    expect(sleeps).toEqual([1000]);
  });
});

describe('cachedAccessToken', () => {
  it('fetches once for many callers and refreshes five minutes before expiry', async () => {
    let t = 0;
    const cache = new InMemorySharedCache(() => t);
    let fetches = 0;
    const fetchToken = async () => ({ token: `tok${++fetches}`, expiresInSeconds: 7200 });
    const got = await Promise.all([1, 2, 3].map(() => cachedAccessToken({ cache, sleep: async () => undefined }, 'wecom:corp', fetchToken)));
    expect(got).toEqual(['tok1', 'tok1', 'tok1']);
    expect(fetches).toBe(1);
    t += (7200 - 299) * 1000;
    expect(await cachedAccessToken({ cache }, 'wecom:corp', fetchToken)).toBe('tok2');
    await invalidateAccessToken({ cache }, 'wecom:corp');
    expect(await cachedAccessToken({ cache }, 'wecom:corp', fetchToken)).toBe('tok3');
  });
});

describe('helpers', () => {
  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 00:01:00 GMT', new Date('2026-11-22T00:00:00Z'))).toBe(60_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
  it('joins paths below the base path and masks credentials', () => {
    expect(joinUrl('https://h.test/api/', '/v1/x', { a: 'b c' })).toBe('https://h.test/api/v1/x?a=b+c');
    expect(redactUrl('https://h.test/t?corpid=1&corpsecret=abc&x=2')).toBe('https://h.test/t?corpid=1&corpsecret=***&x=2');
    expect(redactUrl('connect ECONNREFUSED for https://h.test/t?refresh_token=r1&appsecret_proof=p2 (x)')).toBe(
      'connect ECONNREFUSED for https://h.test/t?refresh_token=***&appsecret_proof=*** (x)',
    );
  });
});
