import { defineConnector, InMemorySharedCache, type HttpClient } from '@tributary/node-sdk';
import { zohoDeskTicketsPollTrigger } from './triggers/zohodesk-tickets-poll.trigger.js';
import { zohoDeskTicketsTrigger } from './triggers/zohodesk-tickets.trigger.js';
import { fetchZohoAccessToken, zohoOAuthSecrets } from './util/zoho-token.util.js';
import { zohoDeskConnectorLocales } from './zohodesk.connector.locale.js';

export const zohoDeskAuthSchema = {
  type: 'object',
  properties: {
    webhookToken: {
      type: 'string',
      minLength: 24,
      title: 'Webhook token',
      description: 'A random secret you make up (e.g. `openssl rand -hex 24`) and append to the webhook URL as ?token=…; Zoho Desk does not sign webhooks.',
    },
    clientId: { type: 'string', title: 'OAuth client id', description: 'For polling: a Self Client or server-based client from the Zoho API Console.' },
    clientSecret: { type: 'string', title: 'OAuth client secret' },
    refreshToken: { type: 'string', title: 'Refresh token', description: 'Generated with scopes Desk.tickets.READ,Desk.contacts.READ,Desk.basic.READ.' },
    orgId: { type: 'string', pattern: '^\\d+$', title: 'Organization id', description: 'Zoho Desk → Setup → Developer Space → API.' },
    accountsBaseUrl: {
      type: 'string',
      pattern: '^https?://',
      title: 'Accounts server',
      description: 'The data centre that issued the refresh token: https://accounts.zoho.com (default), .eu, .in, .com.au, .jp or https://accounts.zoho.com.cn.',
    },
  },
  anyOf: [{ required: ['webhookToken'] }, { required: ['clientId', 'clientSecret', 'refreshToken', 'orgId'] }],
  additionalProperties: false,
} as const;

/** The webhook token's strength, then (when OAuth secrets are given) a real token refresh. */
export async function checkZohoDeskSecrets(secrets: Record<string, string>, ctx: { http: HttpClient }): Promise<void> {
  const token = secrets.webhookToken?.trim();
  if (token !== undefined && (token.length < 24 || /\s/.test(token))) throw new Error('the webhook token must be at least 24 characters without spaces (e.g. `openssl rand -hex 24`): it is the only thing that authenticates Zoho Desk deliveries');
  const oauth = zohoOAuthSecrets(secrets);
  const partial = ['clientId', 'clientSecret', 'refreshToken'].filter((k) => secrets[k]?.trim());
  if (!oauth) {
    if (partial.length > 0) throw new Error(`polling needs clientId, clientSecret and refreshToken together; only ${partial.join(', ')} given`);
    if (!token) throw new Error('set a webhookToken (webhooks) or clientId, clientSecret, refreshToken and orgId (polling)');
    return;
  }
  if (!/^\d+$/.test(secrets.orgId?.trim() ?? '')) throw new Error('polling needs the numeric orgId (Zoho Desk → Setup → Developer Space → API)');
  try {
    await fetchZohoAccessToken({ http: ctx.http, cache: new InMemorySharedCache() }, oauth);
  } catch (err) {
    throw new Error(err instanceof Error ? err.message.replace(/^zoho: /, '') : String(err));
  }
}

export const zohoDeskConnector = defineConnector({
  id: 'zohodesk',
  title: 'Zoho Desk',
  description: 'Ticket events from Zoho Desk webhooks (authenticated by a secret token in the URL) or polled from the Zoho Desk API with OAuth.',
  locales: zohoDeskConnectorLocales,
  auth: zohoDeskAuthSchema,
  check: (secrets, ctx) => checkZohoDeskSecrets(secrets, ctx),
  nodes: [zohoDeskTicketsTrigger, zohoDeskTicketsPollTrigger],
});
