import { InMemorySharedCache, type HttpClient, type JsonSchema } from '@tributary/node-sdk';
import { DEFAULT_GRAPH_BASE_URL, DEFAULT_GRAPH_VERSION, graphRequest } from './graph-api.util.js';

/** The secrets of a `meta` connection (CONTRACT §6). */
export const metaAuthSchema: JsonSchema = {
  type: 'object',
  required: ['verifyToken', 'appSecret', 'accessToken'],
  properties: {
    verifyToken: { type: 'string', minLength: 1, title: 'Verify token', description: 'Any string you choose; paste the same one as “Verify token” in the app’s Webhooks settings.' },
    appSecret: { type: 'string', minLength: 1, title: 'App secret', description: 'App settings → Basic → App secret. Checks X-Hub-Signature-256 and signs appsecret_proof.' },
    accessToken: { type: 'string', minLength: 1, title: 'Page access token', description: 'A long-lived Page access token with leads_retrieval (and ads_management for the Conversions API).' },
    conversionsAccessToken: {
      type: 'string',
      minLength: 1,
      title: 'Conversions API token (optional)',
      description: 'A system-user token for the dataset, when the Page token may not send conversion events; default: the access token.',
    },
  },
};

/** Checks a meta connection: secret shapes, then the access token against Graph (`/me`). */
export async function checkMetaConnection(secrets: Record<string, string>, ctx: { http: HttpClient; now(): Date }): Promise<void> {
  for (const k of ['verifyToken', 'appSecret', 'accessToken']) {
    if (!secrets[k]?.trim()) throw new Error(`the meta connection needs "${k}"`);
  }
  if (!/^[0-9a-f]{32}$/i.test(secrets.appSecret!.trim())) {
    throw new Error('appSecret does not look like a Meta App Secret (32 hexadecimal characters, from App settings → Basic)');
  }
  try {
    await graphRequest(
      { http: ctx.http, cache: new InMemorySharedCache() },
      {
        baseUrl: DEFAULT_GRAPH_BASE_URL,
        version: DEFAULT_GRAPH_VERSION,
        accessToken: secrets.accessToken!,
        appSecret: secrets.appSecret,
        rateKey: 'check',
        requestsPerMinute: 60,
        allowPrivateNetwork: false,
      },
      { path: 'me', query: { fields: 'id,name' } },
    );
  } catch (err) {
    throw new Error(`the access token was refused: ${err instanceof Error ? err.message : String(err)}`);
  }
}
