import { defineConnector, type HttpClient } from '@tributary/node-sdk';
import { freshdeskAuthHeader, freshdeskBaseUrl, freshdeskTicketsTrigger } from './triggers/freshdesk-tickets.trigger.js';
import { freshdeskConnectorLocales } from './freshdesk.connector.locale.js';

export const freshdeskAuthSchema = {
  type: 'object',
  properties: {
    apiKey: { type: 'string', minLength: 1, title: 'API key', description: 'Profile settings → View API key (an agent’s key; the poller reads tickets with it).' },
    domain: { type: 'string', title: 'Domain', description: 'yourcompany.freshdesk.com: used by the online check and by nodes that do not set their own.' },
  },
  required: ['apiKey'],
  additionalProperties: false,
} as const;

/** Freshdesk has no signing; the check calls /api/v2/agents/me with the key when a domain is known. */
export async function checkFreshdeskSecrets(secrets: Record<string, string>, ctx: { http: HttpClient }): Promise<void> {
  const apiKey = secrets.apiKey?.trim() ?? '';
  if (!apiKey) throw new Error('the connection has no apiKey: copy it from Freshdesk → Profile settings → View API key');
  if (/\s/.test(apiKey) || apiKey.length < 10) throw new Error('the API key does not look like a Freshdesk API key (about 20 letters and digits, no spaces)');
  if (!secrets.domain?.trim()) return;
  const res = await ctx.http.request({ method: 'GET', url: `${freshdeskBaseUrl(secrets.domain)}/api/v2/agents/me`, headers: { accept: 'application/json', authorization: freshdeskAuthHeader(apiKey) }, timeoutMs: 10_000 });
  if (res.status === 401 || res.status === 403) throw new Error(`Freshdesk refused the API key (HTTP ${res.status}): copy the key of an active agent again`);
  if (res.status === 404) throw new Error(`no Freshdesk helpdesk at ${secrets.domain}: check the domain`);
  if (res.status === 429) throw new Error('Freshdesk’s API limit is used up right now; try the check again later');
  if (res.status >= 400) throw new Error(`Freshdesk answered HTTP ${res.status} to the API check`);
}

export const freshdeskConnector = defineConnector({
  id: 'freshdesk',
  title: 'Freshdesk',
  description: 'Ticket changes polled from the Freshdesk API (Freshdesk webhooks are unsigned, so the poller is the trusted path).',
  locales: freshdeskConnectorLocales,
  auth: freshdeskAuthSchema,
  check: (secrets, ctx) => checkFreshdeskSecrets(secrets, ctx),
  nodes: [freshdeskTicketsTrigger],
});
