import { createVendorClient, defineNode, NodeError, obj, parseJsonLossless, text, type Item } from '@tributary/node-sdk';
import { zendeskApiSecrets, zendeskAuthHeader, zendeskBaseUrl } from '../util/zendesk-api.util.js';
import { zendeskRequesterNodeLocales } from './zendesk-requester.node.locale.js';

export interface ZendeskRequesterConfig {
  connection: string;
  apiBaseUrl?: string;
  overwrite: boolean;
  requestsPerMinute: number;
  allowPrivateNetwork: boolean;
}

interface Requester {
  email?: string;
  name?: string;
  phone?: string;
}

export const zendeskRequesterNode = defineNode<ZendeskRequesterConfig>({
  id: 'zendesk.requester',
  version: 1,
  title: 'Zendesk requester lookup',
  description:
    'Adds the requester’s email, name and phone to items that carry only `zendesk_requester_id` (event-subscription webhooks send no contact details), reading GET /api/v2/users/{id}.json with the connection’s API token. Items that already have an email, or no requester id, pass unchanged; a requester Zendesk no longer knows passes unchanged with `requester_lookup: "not_found"`.',
  category: 'transform',
  locales: zendeskRequesterNodeLocales,
  icon: 'user-search',
  connection: { type: 'zendesk', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A zendesk connection with `subdomain`, `email` and `apiToken`.' },
      apiBaseUrl: { type: 'string', format: 'uri', title: 'API base URL', description: 'Default: https://<subdomain>.zendesk.com from the connection.' },
      overwrite: { type: 'boolean', default: false, title: 'Look up items that have an email', description: 'Also look up (and overwrite name and phone of) items that already carry an email.' },
      requestsPerMinute: { type: 'integer', minimum: 1, maximum: 2500, default: 100, title: 'Requests per minute', description: 'Shared by every worker using this connection; keep it under the account’s Zendesk API limit.' },
      allowPrivateNetwork: { type: 'boolean', default: false, title: 'Allow private network', description: 'Only for test or on-premise endpoints on a private address.' },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  retry: { maxAttempts: 4, backoffMs: 1000, maxBackoffMs: 30_000 },
  sample: {
    config: { connection: 'conn_zendesk', overwrite: false, requestsPerMinute: 100, allowPrivateNetwork: false },
    input: [{ ticket_id: '35436', eventType: 'ticket_opened', email: 'ada@example.com', zendesk_requester_id: '20978392' }],
  },
  async run(ctx, items) {
    const needs = (item: Item) => text(item.zendesk_requester_id) !== undefined && (ctx.config.overwrite || text(item.email) === undefined);
    if (!items.some(needs)) return { out: items };
    const api = zendeskApiSecrets(ctx.secrets);
    if (!api) throw new NodeError('missing_secrets', `connection ${ctx.config.connection} needs "subdomain", "email" and "apiToken" to look up requesters`, { retryable: false });
    const client = createVendorClient(
      { http: ctx.http, cache: ctx.cache, signal: ctx.signal },
      {
        vendor: 'zendesk',
        baseUrl: ctx.config.apiBaseUrl ?? zendeskBaseUrl(api.subdomain),
        rateLimit: { key: ctx.config.connection, requests: ctx.config.requestsPerMinute, perSeconds: 60 },
        allowPrivateNetwork: ctx.config.allowPrivateNetwork,
        maxWaitMs: 10_000,
      },
    );
    const found = new Map<string, Requester | null>();
    const out: Item[] = [];
    for (const item of items) {
      if (!needs(item)) {
        out.push(item);
        continue;
      }
      const id = text(item.zendesk_requester_id)!;
      if (!/^\d+$/.test(id)) throw new NodeError('invalid_item', `zendesk_requester_id "${id.slice(0, 40)}" is not a Zendesk user id`, { retryable: false });
      if (!found.has(id)) {
        const res = await client.request({
          path: `/api/v2/users/${id}.json`,
          headers: { authorization: zendeskAuthHeader(api.email, api.apiToken) },
          okStatuses: (s) => s < 400 || s === 404,
        });
        const user = res.status === 404 ? undefined : obj(obj(parseJsonLossless(res.body)).user);
        found.set(id, user ? { email: text(user.email), name: text(user.name), phone: text(user.phone) } : null);
      }
      const requester = found.get(id);
      if (!requester) {
        ctx.log.warn('zendesk requester not found', { requesterId: id });
        out.push({ ...item, requester_lookup: 'not_found' });
        continue;
      }
      const enriched: Item = { ...item };
      for (const k of ['email', 'name', 'phone'] as const) if (requester[k] !== undefined) enriched[k] = requester[k];
      out.push(enriched);
    }
    return { out };
  },
});
