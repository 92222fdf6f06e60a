import { InMemorySharedCache, type HttpClient, type JsonSchema } from '@tributary/node-sdk';
import { DEFAULT_TENCENT_BASE_URL, DEFAULT_TENCENT_OAUTH_URL, tencentAccessToken } from './marketing-api.util.js';

/** The secrets of a `tencentads` connection: a static access token, or the app's refresh credentials. */
export const tencentadsAuthSchema: JsonSchema = {
  type: 'object',
  properties: {
    accessToken: { type: 'string', minLength: 1, title: 'Access token', description: 'An OAuth access token; it expires, so prefer the refresh credentials below.' },
    clientId: { type: 'string', pattern: '^\\d+$', title: 'App id (client_id)' },
    clientSecret: { type: 'string', minLength: 1, title: 'App secret (client_secret)' },
    refreshToken: { type: 'string', minLength: 1, title: 'Refresh token', description: 'From the advertiser’s OAuth authorisation; the access token is refreshed with it and shared by all workers.' },
  },
  anyOf: [{ required: ['accessToken'] }, { required: ['clientId', 'clientSecret', 'refreshToken'] }],
};

/** With refresh credentials, fetches an access token (a real check); a bare access token can only be checked for presence. */
export async function checkTencentadsConnection(secrets: Record<string, string>, ctx: { http: HttpClient; now(): Date }): Promise<void> {
  const refresh = Boolean(secrets.clientId && secrets.clientSecret && secrets.refreshToken);
  if (!refresh && !secrets.accessToken?.trim()) throw new Error('the tencentads connection needs "accessToken", or "clientId", "clientSecret" and "refreshToken"');
  if (!refresh) return;
  try {
    await tencentAccessToken(
      { http: ctx.http, cache: new InMemorySharedCache(), now: ctx.now },
      secrets,
      { baseUrl: DEFAULT_TENCENT_BASE_URL, oauthBaseUrl: DEFAULT_TENCENT_OAUTH_URL, rateKey: 'check', requestsPerMinute: 60, allowPrivateNetwork: false },
    );
  } catch (err) {
    throw new Error(`Tencent refused the refresh credentials: ${err instanceof Error ? err.message : String(err)}`);
  }
}
