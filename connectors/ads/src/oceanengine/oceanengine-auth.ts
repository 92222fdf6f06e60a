import { InMemorySharedCache, type HttpClient, type JsonSchema } from '@tributary/node-sdk';
import { DEFAULT_FEIYU_BASE_URL, feiyuRequest, PULL_CLUES_ROUTE } from './feiyu-api.util.js';

/** The secrets of an `oceanengine` connection: Feiyu CRM → 线索 → API 对接 gives the token and the signature key. */
export const oceanengineAuthSchema: JsonSchema = {
  type: 'object',
  required: ['accessToken', 'signatureKey'],
  properties: {
    accessToken: { type: 'string', minLength: 1, title: 'Token', description: 'The Feiyu CRM API token (sent as Access-Token).' },
    signatureKey: { type: 'string', minLength: 1, title: 'Signature key (签名密钥)', description: 'Signs each API call (HMAC-SHA256).' },
    pushToken: {
      type: 'string',
      minLength: 16,
      title: 'Push token (optional)',
      description: 'A random string you choose for the lead-push URL (`?token=…`), needed only by oceanengine.push.',
    },
  },
};

/** Checks an oceanengine connection with a one-row pull of the last hour. */
export async function checkOceanengineConnection(secrets: Record<string, string>, ctx: { http: HttpClient; now(): Date }): Promise<void> {
  if (!secrets.accessToken?.trim()) throw new Error('the oceanengine connection needs "accessToken" (the Feiyu API token)');
  if (!secrets.signatureKey?.trim()) throw new Error('the oceanengine connection needs "signatureKey" (the Feiyu 签名密钥)');
  if (secrets.pushToken !== undefined && secrets.pushToken.length < 16) throw new Error('pushToken must be at least 16 characters: it is the only thing protecting the push URL');
  const end = Math.floor(ctx.now().getTime() / 1000);
  const start = end - 3600;
  try {
    await feiyuRequest(
      { http: ctx.http, cache: new InMemorySharedCache(), now: ctx.now },
      { baseUrl: DEFAULT_FEIYU_BASE_URL, accessToken: secrets.accessToken, signatureKey: secrets.signatureKey, rateKey: 'check', requestsPerMinute: 60, allowPrivateNetwork: false },
      { method: 'GET', route: PULL_CLUES_ROUTE, signedPath: `${PULL_CLUES_ROUTE}?start_time=${start}&end_time=${end}`, query: { start_time: start, end_time: end, page: 1, page_size: 1 } },
    );
  } catch (err) {
    throw new Error(`Feiyu refused the token or signature key: ${err instanceof Error ? err.message : String(err)}`);
  }
}
