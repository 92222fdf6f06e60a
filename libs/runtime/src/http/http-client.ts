import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type ClientRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { HttpClient, HttpRequest, HttpResponse } from '@tributary/engine';
import { blockedAddressReason } from './ip-address.util.js';
import {
  HttpAbortedError,
  HttpBlockedError,
  HttpClientError,
  HttpNetworkError,
  HttpResponseTooLargeError,
  HttpTimeoutError,
  HttpTooManyRedirectsError,
} from './http.errors.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_USER_AGENT = 'Tributary/0.1 (+https://github.com/tributary)';

/** What the runtime's client accepts beyond the engine's HttpRequest. */
export interface RuntimeHttpRequest extends HttpRequest {
  /** Aborts the request (a cancelled run, a worker shutting down). */
  signal?: AbortSignal;
  /** Redirects followed before giving up (default 5; 0 returns the 3xx response). */
  maxRedirects?: number;
}

export interface HttpClientOptions {
  userAgent?: string;
  /** Whole request, redirects included (default 10 s); a request's `timeoutMs` overrides it. */
  defaultTimeoutMs?: number;
  /** TCP connect of each hop (default 10 s, never more than the total timeout). */
  connectTimeoutMs?: number;
  defaultMaxResponseBytes?: number;
  /** Aborts every request of this client, e.g. the run's signal. */
  signal?: AbortSignal;
  /** DNS resolution (tests inject a fake resolver). */
  dnsLookup?: typeof dnsLookup;
  /** Why an address is refused, or undefined (tests widen or narrow the guard). */
  addressPolicy?: (ip: string) => string | undefined;
  /**
   * Host names (or IP literals) that may resolve to private addresses: an on-premise vendor
   * endpoint or a local mock (TRIBUTARY_HTTP_ALLOW_PRIVATE_HOSTS). Every other host stays guarded.
   */
  allowedPrivateHosts?: string[];
}

export interface RuntimeHttpClient extends HttpClient {
  request(req: RuntimeHttpRequest): Promise<HttpResponse>;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_DROPPED_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const JSON_CONTENT_TYPE = /^(application\/([\w.+-]+\+)?json|text\/json)\s*(;|$)/i;

interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The HTTP client nodes get as `ctx.http`: timeouts, a response size limit, redirects,
 * and an SSRF guard that checks the address actually connected to (at DNS lookup time,
 * so a name that later rebinds to 127.0.0.1 is still refused), on every hop.
 */
export function createHttpClient(opts: HttpClientOptions = {}): RuntimeHttpClient {
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const defaultTimeoutMs = opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = opts.addressPolicy ?? blockedAddressReason;
  const resolve = opts.dnsLookup ?? dnsLookup;
  const privateHosts = new Set((opts.allowedPrivateHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean));

  const guardedLookup = ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { ...options, all: true }, (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      // Refuse if any record is private: the socket may pick any of them.
      for (const a of addresses) {
        const reason = policy(a.address);
        if (reason) return callback(new HttpBlockedError(`${hostname} resolves to ${a.address} (${reason}); set allowPrivateNetwork to reach it`, hostname, a.address));
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }));
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as unknown as LookupFunction;

  // Separate pools: a keep-alive socket opened for a private-network request must never
  // serve a guarded one.
  const agents = {
    guarded: { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
    open: { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
  };

  async function request(req: RuntimeHttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? defaultTimeoutMs;
    const maxBytes = req.maxResponseBytes ?? opts.defaultMaxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const maxRedirects = req.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const allowAll = req.allowPrivateNetwork === true;

    const encoded = encodeBody(req.body);
    let hop: Hop = {
      url: parseUrl(req.url),
      // A body without a method means POST, like most HTTP clients.
      method: (req.method ?? (req.body === undefined ? 'GET' : 'POST')).toUpperCase(),
      headers: {
        'user-agent': userAgent,
        'accept-encoding': 'gzip, deflate, br',
        ...(encoded.contentType ? { 'content-type': encoded.contentType } : {}),
        ...lowerCaseKeys(req.headers ?? {}),
      },
      body: encoded.body,
    };

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const external = [req.signal, opts.signal].filter((s): s is AbortSignal => s !== undefined);
    const onExternalAbort = () => controller.abort();
    for (const s of external) {
      if (s.aborted) controller.abort();
      else s.addEventListener('abort', onExternalAbort, { once: true });
    }

    try {
      for (let redirects = 0; ; redirects++) {
        // Per hop: a redirect from an allowed host to another host is guarded again.
        const allowPrivate = allowAll || privateHosts.has(hop.url.hostname.replace(/^\[|\]$/g, '').toLowerCase());
        checkUrl(hop.url, allowPrivate, policy);
        const agent = (allowPrivate ? agents.open : agents.guarded)[hop.url.protocol === 'https:' ? 'https' : 'http'];
        const res = await sendOnce(hop, {
          agent,
          lookup: allowPrivate ? undefined : guardedLookup,
          signal: controller.signal,
          connectTimeoutMs: Math.min(connectTimeoutMs, timeoutMs),
          maxBytes,
        });
        const location = res.headers.location;
        if (!REDIRECT_STATUSES.has(res.status) || !location || maxRedirects === 0) return toResponse(res);
        if (redirects >= maxRedirects) throw new HttpTooManyRedirectsError(maxRedirects, location);
        hop = nextHop(hop, res.status, location);
      }
    } catch (err) {
      if (timedOut) throw new HttpTimeoutError('total', timeoutMs, hop.url.href);
      if (controller.signal.aborted && !(err instanceof HttpClientError)) throw new HttpAbortedError(hop.url.href);
      if (err instanceof HttpClientError) throw err;
      const errno = (err as NodeJS.ErrnoException).code;
      throw new HttpNetworkError(hop.url.href, errno, err);
    } finally {
      clearTimeout(timer);
      for (const s of external) s.removeEventListener('abort', onExternalAbort);
    }
  }

  return {
    request,
    close() {
      for (const group of Object.values(agents)) {
        group.http.destroy();
        group.https.destroy();
      }
    },
  };
}

function parseUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new HttpBlockedError(`not a valid absolute URL: ${raw}`, raw);
  }
}

function checkUrl(url: URL, allowPrivate: boolean, policy: (ip: string) => string | undefined): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpBlockedError(`only http and https URLs are allowed, not ${url.protocol}`, url.href);
  }
  if (allowPrivate) return;
  // The lookup hook does not run for IP literals: check those here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const reason = policy(host);
    if (reason) throw new HttpBlockedError(`${url.host} is a ${reason} address; set allowPrivateNetwork to reach it`, url.href, host);
  }
}

function encodeBody(body: unknown): { body?: Buffer; contentType?: string } {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { body: Buffer.from(body, 'utf8') };
  if (Buffer.isBuffer(body)) return { body };
  if (body instanceof Uint8Array) return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  if (body instanceof URLSearchParams) return { body: Buffer.from(body.toString()), contentType: 'application/x-www-form-urlencoded' };
  return { body: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function nextHop(hop: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch {
    throw new HttpBlockedError(`redirect to an invalid URL: ${location}`, location);
  }
  const headers = { ...hop.headers };
  let { method, body } = hop;
  // What browsers do: 303 always, and 301/302 after a POST, turn into a GET without body.
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    method = 'GET';
    body = undefined;
    delete headers['content-type'];
    delete headers['content-length'];
  }
  if (url.origin !== hop.url.origin) for (const h of CROSS_ORIGIN_DROPPED_HEADERS) delete headers[h];
  return { url, method, headers, body };
}

function toResponse(raw: RawResponse): HttpResponse {
  const body = raw.body.toString('utf8');
  const res: HttpResponse = { status: raw.status, headers: raw.headers, body };
  if (JSON_CONTENT_TYPE.test(raw.headers['content-type'] ?? '') && body.length > 0) {
    try {
      res.json = JSON.parse(body);
    } catch {
      // Declared JSON but is not: callers still have `body`.
    }
  }
  return res;
}

function flattenHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function decoded(res: IncomingMessage): Readable {
  switch ((res.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(createGunzip());
    case 'deflate':
      return res.pipe(createInflate());
    case 'br':
      return res.pipe(createBrotliDecompress());
    default:
      return res;
  }
}

function sendOnce(
  hop: Hop,
  o: { agent: HttpAgent; lookup?: LookupFunction; signal: AbortSignal; connectTimeoutMs: number; maxBytes: number },
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolvePromise, reject) => {
    const headers = { ...hop.headers };
    if (hop.body) headers['content-length'] = String(hop.body.length);
    const options: RequestOptions = { method: hop.method, headers, agent: o.agent, signal: o.signal };
    if (o.lookup) options.lookup = o.lookup;
    const send = hop.url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(err);
    };
    const req: ClientRequest = send(hop.url, options, (res) => {
      const status = res.statusCode ?? 0;
      const resHeaders = flattenHeaders(res);
      const declared = Number(resHeaders['content-length']);
      if (Number.isFinite(declared) && declared > o.maxBytes && !resHeaders['content-encoding']) {
        res.destroy();
        return fail(new HttpResponseTooLargeError(o.maxBytes, hop.url.href));
      }
      // Redirect bodies are never read: do not let one count against anything.
      if (REDIRECT_STATUSES.has(status) && resHeaders.location) {
        res.resume();
        settled = true;
        return resolvePromise({ status, headers: resHeaders, body: Buffer.alloc(0) });
      }
      const stream = decoded(res);
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Counted after decompression, so a small gzip bomb cannot blow up memory.
        if (size > o.maxBytes) {
          res.destroy();
          stream.destroy();
          return fail(new HttpResponseTooLargeError(o.maxBytes, hop.url.href));
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        resolvePromise({ status, headers: resHeaders, body: Buffer.concat(chunks) });
      });
      stream.on('error', fail);
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('connection closed before the response was complete'), { code: 'ECONNRESET' }));
      });
    });
    req.on('error', fail);
    req.on('socket', (socket: Socket) => {
      if (!socket.connecting) return; // a reused keep-alive socket
      const t = setTimeout(() => fail(new HttpTimeoutError('connect', o.connectTimeoutMs, hop.url.href)), o.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(t));
      socket.once('close', () => clearTimeout(t));
    });
    req.end(hop.body);
  });
}
