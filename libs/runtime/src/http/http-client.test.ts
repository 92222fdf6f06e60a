import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { createHttpClient, type RuntimeHttpClient } from './http-client.js';
import { blockedAddressReason } from './ip-address.util.js';
import { HttpAbortedError, HttpBlockedError, HttpResponseTooLargeError, HttpTimeoutError, HttpTooManyRedirectsError } from './http.errors.js';

let server: Server;
let base: string;
let port: number;
const clients: RuntimeHttpClient[] = [];

function client(opts: Parameters<typeof createHttpClient>[0] = {}): RuntimeHttpClient {
  const c = createHttpClient(opts);
  clients.push(c);
  return c;
}

// Treats this test server's 127.0.0.1 as if it were a public address, so a redirect
// from it to somewhere private exercises the per-hop check.
const loopbackIsPublic = (ip: string) => (ip === '127.0.0.1' ? undefined : blockedAddressReason(ip));

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      switch (url.pathname) {
        case '/json':
          res.setHeader('content-type', 'application/json; charset=utf-8');
          return res.end(JSON.stringify({ ok: true, n: 1 }));
        case '/vnd-json':
          res.setHeader('content-type', 'application/vnd.api+json');
          return res.end('{"data":[]}');
        case '/bad-json':
          res.setHeader('content-type', 'application/json');
          return res.end('{not json');
        case '/text':
          res.setHeader('content-type', 'text/plain');
          return res.end('{"looks":"like json"}');
        case '/echo':
          res.setHeader('content-type', 'application/json');
          return res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() }));
        case '/slow':
          return; // never answers
        case '/big': {
          // Streamed without content-length: the limit must trip while reading.
          const chunk = Buffer.alloc(64 * 1024, 'a');
          let sent = 0;
          const pump = () => {
            while (sent < 4 * 1024 * 1024) {
              sent += chunk.length;
              if (!res.write(chunk)) return res.once('drain', pump);
            }
            res.end();
          };
          return pump();
        }
        case '/big-declared':
          res.setHeader('content-length', String(10 * 1024 * 1024));
          return res.write('a'); // the header alone must trip the limit
        case '/gzip-bomb':
          res.setHeader('content-encoding', 'gzip');
          return res.end(gzipSync(Buffer.alloc(8 * 1024 * 1024)));
        case '/gzip':
          res.setHeader('content-encoding', 'gzip');
          res.setHeader('content-type', 'application/json');
          return res.end(gzipSync(JSON.stringify({ zipped: true })));
        case '/redirect':
          res.statusCode = Number(url.searchParams.get('status') ?? 302);
          res.setHeader('location', url.searchParams.get('to') ?? '/json');
          return res.end();
        case '/loop':
          res.statusCode = 302;
          res.setHeader('location', '/loop');
          return res.end();
        default:
          res.statusCode = 404;
          return res.end('not found');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('SSRF guard', () => {
  it('refuses loopback by default, as an IP literal and as a name', async () => {
    const http = client();
    await expect(http.request({ url: `${base}/json` })).rejects.toBeInstanceOf(HttpBlockedError);
    // A name goes through the lookup hook: the resolved address is what is checked.
    const err = await http.request({ url: `http://localhost:${port}/json` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpBlockedError);
    expect((err as HttpBlockedError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/localhost resolves to .*loopback/);
  });

  it('allows the private network when asked', async () => {
    const res = await client().request({ url: `${base}/json`, allowPrivateNetwork: true });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, n: 1 });
  });

  it('lets the configured hosts (and only those) reach private addresses', async () => {
    const http = client({ allowedPrivateHosts: ['127.0.0.1'] });
    expect((await http.request({ url: `${base}/json` })).status).toBe(200);
    await expect(http.request({ url: `http://localhost:${port}/json` })).rejects.toBeInstanceOf(HttpBlockedError);
  });

  it('refuses names that resolve to private addresses (checked at connect time)', async () => {
    const fakeDns = ((host: string, _o: unknown, cb: (e: null, a: Array<{ address: string; family: number }>) => void) =>
      cb(null, host === 'metadata.test' ? [{ address: '169.254.169.254', family: 4 }] : [{ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }])) as never;
    const http = client({ dnsLookup: fakeDns });
    await expect(http.request({ url: 'http://metadata.test/latest/meta-data/' })).rejects.toThrow(/169\.254\.169\.254 \(link-local/);
    // One private record among public ones is enough to refuse.
    await expect(http.request({ url: 'http://mixed.test/' })).rejects.toThrow(/10\.1\.2\.3 \(private network\)/);
  });

  it('refuses non-http schemes and bad URLs', async () => {
    const http = client();
    await expect(http.request({ url: 'file:///etc/passwd', allowPrivateNetwork: true })).rejects.toBeInstanceOf(HttpBlockedError);
    await expect(http.request({ url: 'gopher://127.0.0.1:6379/_FLUSHALL' })).rejects.toThrow(/only http and https/);
    await expect(http.request({ url: '/relative' })).rejects.toBeInstanceOf(HttpBlockedError);
  });

  it('re-applies the guard on every redirect hop', async () => {
    const http = client({ addressPolicy: loopbackIsPublic });
    expect((await http.request({ url: `${base}/json` })).status).toBe(200);
    for (const to of ['http://127.0.0.2/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest', 'file:///etc/passwd']) {
      await expect(http.request({ url: `${base}/redirect?to=${encodeURIComponent(to)}` })).rejects.toBeInstanceOf(HttpBlockedError);
    }
  });

  it('classifies addresses', () => {
    const blocked = [
      '127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.127.255.255',
      '0.0.0.0', '255.255.255.255', '224.0.0.1', '240.0.0.1', '::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1%eth0', 'ff02::1',
      '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '64:ff9b::10.0.0.1', '2002:7f00:1::', 'not-an-ip',
    ];
    const allowed = ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:808:808::'];
    for (const ip of blocked) expect([ip, blockedAddressReason(ip)]).toEqual([ip, expect.any(String)]);
    for (const ip of allowed) expect([ip, blockedAddressReason(ip)]).toEqual([ip, undefined]);
  });
});

describe('limits', () => {
  it('times out a request that does not answer', async () => {
    const started = Date.now();
    const err = await client().request({ url: `${base}/slow`, allowPrivateNetwork: true, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(err).toMatchObject({ phase: 'total', retryable: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('times out connecting (DNS lookup included) before the total timeout', async () => {
    const hangingDns = (() => undefined) as never;
    const http = client({ dnsLookup: hangingDns, connectTimeoutMs: 200, defaultTimeoutMs: 5000 });
    const err = await http.request({ url: 'http://never.test/' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(err).toMatchObject({ phase: 'connect', timeoutMs: 200 });
  });

  it('uses the client default timeout', async () => {
    const err = await client({ defaultTimeoutMs: 200 }).request({ url: `${base}/slow`, allowPrivateNetwork: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTimeoutError);
  });

  it('stops on an abort signal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await client().request({ url: `${base}/slow`, allowPrivateNetwork: true, signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpAbortedError);
  });

  it('refuses responses over the size limit, streamed, declared or compressed', async () => {
    const http = client();
    for (const path of ['/big', '/big-declared', '/gzip-bomb']) {
      const err = await http.request({ url: `${base}${path}`, allowPrivateNetwork: true, maxResponseBytes: 1024 * 1024 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpResponseTooLargeError);
      expect((err as HttpResponseTooLargeError).retryable).toBe(false);
    }
    // Under the default 5 MiB limit the 4 MiB body is fine.
    expect((await http.request({ url: `${base}/big`, allowPrivateNetwork: true })).body).toHaveLength(4 * 1024 * 1024);
  });
});

describe('requests and responses', () => {
  const http = () => client();

  it('parses JSON responses only when they say they are JSON', async () => {
    const c = http();
    expect((await c.request({ url: `${base}/vnd-json`, allowPrivateNetwork: true })).json).toEqual({ data: [] });
    const bad = await c.request({ url: `${base}/bad-json`, allowPrivateNetwork: true });
    expect(bad.json).toBeUndefined();
    expect(bad.body).toBe('{not json');
    const text = await c.request({ url: `${base}/text`, allowPrivateNetwork: true });
    expect(text.json).toBeUndefined();
    expect(text.headers['content-type']).toBe('text/plain');
    expect((await c.request({ url: `${base}/gzip`, allowPrivateNetwork: true })).json).toEqual({ zipped: true });
    expect((await c.request({ url: `${base}/nope`, allowPrivateNetwork: true })).status).toBe(404);
  });

  it('sends objects as JSON, strings as they are', async () => {
    const c = createHttpClient({ userAgent: 'test-agent' });
    clients.push(c);
    const res = await c.request({ method: 'put', url: `${base}/echo`, allowPrivateNetwork: true, body: { a: [1, 'ü'] }, headers: { 'X-Trace': 't1' } });
    expect(res.json).toMatchObject({ method: 'PUT', body: '{"a":[1,"ü"]}', headers: { 'content-type': 'application/json', 'x-trace': 't1', 'user-agent': 'test-agent' } });
    const raw = await c.request({ url: `${base}/echo`, allowPrivateNetwork: true, body: 'a=1', headers: { 'content-type': 'text/plain' } });
    expect(raw.json).toMatchObject({ method: 'POST', body: 'a=1', headers: { 'content-type': 'text/plain' } });
  });

  it('follows redirects: 303 turns POST into GET, 307 keeps it', async () => {
    const c = http();
    const see = await c.request({ method: 'POST', url: `${base}/redirect?status=303&to=/echo`, body: { x: 1 }, allowPrivateNetwork: true });
    expect(see.json).toMatchObject({ method: 'GET', body: '' });
    const keep = await c.request({ method: 'POST', url: `${base}/redirect?status=307&to=/echo`, body: { x: 1 }, allowPrivateNetwork: true });
    expect(keep.json).toMatchObject({ method: 'POST', body: '{"x":1}' });
  });

  it('drops credentials when a redirect changes origin', async () => {
    const c = http();
    const to = `http://localhost:${port}/echo`;
    const res = await c.request({ url: `${base}/redirect?to=${encodeURIComponent(to)}`, headers: { Authorization: 'Bearer s3cret' }, allowPrivateNetwork: true });
    expect((res.json as { headers: Record<string, string> }).headers.authorization).toBeUndefined();
    const same = await c.request({ url: `${base}/redirect?to=/echo`, headers: { Authorization: 'Bearer s3cret' }, allowPrivateNetwork: true });
    expect((same.json as { headers: Record<string, string> }).headers.authorization).toBe('Bearer s3cret');
  });

  it('gives up after 5 redirects, or returns the 3xx when told not to follow', async () => {
    const c = http();
    await expect(c.request({ url: `${base}/loop`, allowPrivateNetwork: true })).rejects.toBeInstanceOf(HttpTooManyRedirectsError);
    const res = await c.request({ url: `${base}/loop`, allowPrivateNetwork: true, maxRedirects: 0 });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/loop');
  });
});
