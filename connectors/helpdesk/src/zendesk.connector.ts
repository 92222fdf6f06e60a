import { defineConnector, type HttpClient } from '@tributary/node-sdk';
import { zendeskRequesterNode } from './nodes/zendesk-requester.node.js';
import { zendeskWebhookTrigger } from './triggers/zendesk-webhook.trigger.js';
import { zendeskApiSecrets, zendeskAuthHeader, zendeskBaseUrl } from './util/zendesk-api.util.js';
import { ZENDESK_TEST_SIGNING_SECRET } from './util/zendesk-signature.util.js';
import { zendeskConnectorLocales } from './zendesk.connector.locale.js';

export const zendeskAuthSchema = {
  type: 'object',
  properties: {
    signingSecret: {
      type: 'string',
      minLength: 1,
      title: 'Webhook signing secret',
      description: 'Admin Center → Apps and integrations → Webhooks → your webhook → Signing secret → Reveal secret.',
    },
    subdomain: { type: 'string', title: 'Subdomain', description: 'Optional: `acme` for acme.zendesk.com. With email and API token, enables the online check and the requester lookup.' },
    email: { type: 'string', title: 'Agent email', description: 'Optional: the agent the API token belongs to.' },
    apiToken: { type: 'string', title: 'API token', description: 'Optional: Admin Center → Apps and integrations → Zendesk API → API tokens.' },
  },
  required: ['signingSecret'],
  additionalProperties: false,
} as const;

/** Shape of the signing secret, then (when API credentials are given) an authenticated call. */
export async function checkZendeskSecrets(secrets: Record<string, string>, ctx: { http: HttpClient }): Promise<void> {
  const secret = secrets.signingSecret?.trim() ?? '';
  if (!secret) throw new Error('the connection has no signingSecret: copy it from Admin Center → Webhooks → your webhook → Signing secret');
  if (secret === ZENDESK_TEST_SIGNING_SECRET) throw new Error('that is Zendesk’s public test secret, not your webhook’s signing secret: reveal the secret of the created webhook');
  if (/\s/.test(secret) || secret.length < 20) throw new Error('the signing secret does not look like a Zendesk webhook signing secret (a long string without spaces); copy it again from Admin Center → Webhooks');
  const api = zendeskApiSecrets(secrets);
  const partial = ['subdomain', 'email', 'apiToken'].filter((k) => secrets[k]?.trim());
  if (!api) {
    if (partial.length > 0) throw new Error(`the API check needs subdomain, email and apiToken together; only ${partial.join(', ')} given`);
    return;
  }
  const res = await ctx.http.request({ method: 'GET', url: `${zendeskBaseUrl(api.subdomain)}/api/v2/users/me.json`, headers: { accept: 'application/json', authorization: zendeskAuthHeader(api.email, api.apiToken) }, timeoutMs: 10_000 });
  if (res.status === 401 || res.status === 403) throw new Error(`Zendesk refused the API token for ${api.email} (HTTP ${res.status}): check the email, the token and that token access is enabled`);
  if (res.status === 404) throw new Error(`no Zendesk account at ${api.subdomain}: check the subdomain`);
  if (res.status >= 400) throw new Error(`Zendesk answered HTTP ${res.status} to the API check`);
  // users/me answers an anonymous user (id null) when the credentials were not accepted.
  const user = (res.json as { user?: { id?: unknown } } | undefined)?.user;
  if (!user || user.id === null || user.id === undefined) throw new Error(`Zendesk did not accept the API token for ${api.email}: the check came back as an anonymous user`);
}

export const zendeskConnector = defineConnector({
  id: 'zendesk',
  title: 'Zendesk',
  description: 'Ticket events from Zendesk webhooks (signed), and a lookup of the requester’s contact details through the Zendesk API.',
  locales: zendeskConnectorLocales,
  auth: zendeskAuthSchema,
  check: (secrets, ctx) => checkZendeskSecrets(secrets, ctx),
  nodes: [zendeskWebhookTrigger, zendeskRequesterNode],
});
