import { createHash } from 'node:crypto';
import { cachedAccessToken, createVendorClient, invalidateAccessToken, NodeError, VendorApiError, type HttpClient, type SharedCache, type VendorClient } from '@tributary/node-sdk';
import { fetchWecomToken, WECOM_API_BASE_URL, WECOM_TOKEN_ERRORS, WxApiError } from '@tributary/connector-wechat';

// A WeCom self-built app (自建应用) sending application messages (发送应用消息):
// POST /cgi-bin/message/send?access_token=…, answered HTTP 200 with {errcode, errmsg, …}.

export { WECOM_API_BASE_URL };

export interface WecomAppCredentials {
  corpId: string;
  /** The app's AgentId (an integer, sent as a number). */
  agentId: number;
  /** The app's Secret (not the customer-contact secret). */
  secret: string;
}

/** Reads a `wecom_app` connection; a missing or malformed secret is a connection problem, not retryable. */
export function wecomAppCredentials(secrets: Record<string, string> | undefined, connection = '(none)'): WecomAppCredentials {
  const s = secrets ?? {};
  const bad = (message: string) => new NodeError('invalid_connection', `wecom_app connection ${connection}: ${message}`, { retryable: false });
  for (const k of ['corpId', 'agentId', 'secret'] as const) if (!s[k]?.trim()) throw bad(`"${k}" is missing`);
  if (!/^\d{1,10}$/.test(s.agentId!.trim()) || Number(s.agentId) > 2 ** 31 - 1) throw bad(`"agentId" must be the app's numeric AgentId (应用管理 → the app → AgentId), got "${s.agentId}"`);
  return { corpId: s.corpId!.trim(), agentId: Number(s.agentId), secret: s.secret!.trim() };
}

/** Same key format as the wechat package's WeCom token: one token per corp and secret, shared by every worker. */
export const wecomAppTokenKey = (c: WecomAppCredentials) => `wecom:${c.corpId}:${createHash('sha256').update(c.secret, 'utf8').digest('hex').slice(0, 12)}`;

/** errcodes that mean "try again later": system busy, call frequency or concurrency over the limit. */
export const WECOM_RETRYABLE_ERRORS: ReadonlySet<number> = new Set([-1, 45009, 45033]);

/** errcodes that are the connection's (or the app's) fault: every message would fail the same way. */
export const WECOM_CONNECTION_ERRORS: Readonly<Record<number, string>> = {
  40001: 'the app secret is wrong or was reset',
  40013: 'the corpId is not valid',
  40056: 'the agentId is not an app of this corp',
  40091: 'the secret is not valid for this corpId',
  41004: 'the secret is missing',
  48002: 'the app may not call this API (check the app’s permissions)',
  60020: 'this server’s IP is not among the app’s trusted IPs (应用管理 → the app → 企业可信IP)',
  301002: 'the secret belongs to another app than agentId',
};

/** WeCom said no in its body (errcode ≠ 0). */
export class WecomApiError extends VendorApiError {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    what: string,
  ) {
    const hint = WECOM_CONNECTION_ERRORS[errcode];
    super('wecom', `wecom: ${what} answered errcode ${errcode}${hint ? ` (${hint})` : ''}: ${errmsg}`, 200, { retryable: WECOM_RETRYABLE_ERRORS.has(errcode) });
    this.name = 'WecomApiError';
  }
}

export interface WecomAppDeps {
  http: HttpClient;
  cache: SharedCache;
  signal?: AbortSignal;
  now?: () => Date;
}

export function createWecomAppClient(deps: WecomAppDeps, opts: { baseUrl?: string; allowPrivateNetwork: boolean; rateLimitKey?: string }): VendorClient {
  return createVendorClient(deps, {
    vendor: 'wecom',
    baseUrl: opts.baseUrl ?? WECOM_API_BASE_URL,
    allowPrivateNetwork: opts.allowPrivateNetwork,
    // Well under WeCom's per-app API limits; a burst of reminders queues instead of hitting 45009.
    ...(opts.rateLimitKey ? { rateLimit: { key: opts.rateLimitKey, requests: 20, perSeconds: 1 } } : {}),
  });
}

async function wecomJson<T extends object>(client: VendorClient, what: string, req: Parameters<VendorClient['json']>[0]): Promise<T> {
  const body = await client.json<Record<string, unknown>>(req);
  if (!body || typeof body !== 'object') throw new VendorApiError('wecom', `wecom: ${what} did not answer a JSON object`, 200, { retryable: false });
  const code = body.errcode === undefined ? 0 : Number(body.errcode);
  if (code !== 0) throw new WecomApiError(Number.isFinite(code) ? code : -1, String(body.errmsg ?? ''), what);
  return body as T;
}

/** gettoken through the shared cache, in words when WeCom refuses the credentials. */
async function accessToken(deps: WecomAppDeps, client: VendorClient, creds: WecomAppCredentials): Promise<string> {
  try {
    return await cachedAccessToken(deps, wecomAppTokenKey(creds), () => fetchWecomToken(client, { corpId: creds.corpId, secret: creds.secret }));
  } catch (err) {
    if (err instanceof WxApiError && !err.retryable) {
      const hint = WECOM_CONNECTION_ERRORS[err.errcode];
      throw new NodeError('wecom_token_refused', `WeCom refused the access token request: errcode ${err.errcode}${hint ? ` (${hint})` : ''}: ${err.errmsg}`, { retryable: false, details: { errcode: err.errcode } });
    }
    throw err;
  }
}

/**
 * Calls `call` with the token all workers share. When WeCom says the token is invalid or
 * expired (it was reset, or the cache outlived it), forgets it, fetches a new one and tries once more.
 */
export async function withWecomToken<T>(deps: WecomAppDeps, client: VendorClient, creds: WecomAppCredentials, call: (token: string) => Promise<T>): Promise<T> {
  const token = await accessToken(deps, client, creds);
  try {
    return await call(token);
  } catch (err) {
    if (!(err instanceof WecomApiError) || !WECOM_TOKEN_ERRORS.has(err.errcode)) throw err;
    await invalidateAccessToken(deps, wecomAppTokenKey(creds));
    return call(await accessToken(deps, client, creds));
  }
}

/** What message/send answers besides errcode. Recipients WeCom could not reach come back lower-cased. */
export interface WecomSendResult {
  msgid?: string;
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
}

export function sendWecomMessage(deps: WecomAppDeps, client: VendorClient, creds: WecomAppCredentials, message: Record<string, unknown>): Promise<WecomSendResult> {
  return withWecomToken(deps, client, creds, (token) =>
    wecomJson<WecomSendResult>(client, 'message/send', { method: 'POST', path: '/cgi-bin/message/send', query: { access_token: token }, body: { ...message, agentid: creds.agentId } }),
  );
}

/** agent/get: proves the secret belongs to agentId (a secret opens only its own app). */
export function fetchWecomAgent(deps: WecomAppDeps, client: VendorClient, creds: WecomAppCredentials): Promise<{ agentid?: number; name?: string }> {
  return withWecomToken(deps, client, creds, (token) => wecomJson(client, 'agent/get', { path: '/cgi-bin/agent/get', query: { access_token: token, agentid: creds.agentId } }));
}
