import { InMemorySharedCache, NodeError } from '@tributary/node-sdk';
import { createWecomAppClient, fetchWecomAgent, WECOM_API_BASE_URL, WecomApiError, wecomAppCredentials } from '../wecom/wecom-app-api.client.js';
import { defineConnection } from './define-connection.util.js';
import { wecomAppConnectionLocales } from './wecom-app.connection.locale.js';

export const wecomAppAuthSchema = {
  type: 'object',
  properties: {
    corpId: { type: 'string', minLength: 1, title: 'CorpID', description: 'The corp’s ID (我的企业 → 企业信息 → 企业ID).' },
    agentId: { type: 'string', pattern: '^[0-9]{1,10}$', title: 'AgentId', description: 'The self-built app’s AgentId (应用管理 → the app).' },
    secret: { type: 'string', minLength: 1, title: 'Secret', description: 'The app’s Secret (应用管理 → the app → Secret). The members you message must be in the app’s visible range.' },
    apiBaseUrl: { type: 'string', pattern: '^https?://', title: 'API base URL', description: `Optional: a private deployment’s API. Default ${WECOM_API_BASE_URL}.` },
    allowPrivateNetwork: { type: 'string', enum: ['true', 'false'], title: 'Allow private network', description: 'Optional: "true" lets apiBaseUrl be a loopback or private address (private deployment, tests).' },
  },
  required: ['corpId', 'agentId', 'secret'],
  additionalProperties: false,
} as const;

export const wecomAppConnection = defineConnection({
  id: 'wecom_app',
  title: 'WeCom app (企业微信自建应用)',
  description: 'A WeCom self-built app that notify.wecom sends application messages from.',
  locales: wecomAppConnectionLocales,
  auth: wecomAppAuthSchema,
  // gettoken proves corpId + secret (and the trusted IP); agent/get proves the secret is agentId's.
  async check(secrets, { http }) {
    let creds;
    try {
      creds = wecomAppCredentials(secrets, 'being checked');
    } catch (err) {
      throw new Error(err instanceof Error ? err.message : String(err));
    }
    const deps = { http, cache: new InMemorySharedCache() };
    const client = createWecomAppClient(deps, { baseUrl: secrets.apiBaseUrl, allowPrivateNetwork: secrets.allowPrivateNetwork === 'true' });
    try {
      await fetchWecomAgent(deps, client, creds);
    } catch (err) {
      if (err instanceof NodeError && err.code === 'wecom_token_refused') throw new Error(err.message);
      if (err instanceof WecomApiError) throw new Error(`WeCom refused agent ${creds.agentId}: ${err.message.replace(/^wecom: /, '')}`);
      throw new Error(`could not reach the WeCom API: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
});
