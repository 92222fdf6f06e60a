import { NodeError } from '@tributary/node-sdk';

/** `acme`, `acme.zendesk.com` or `https://acme.zendesk.com/` → `https://acme.zendesk.com`. */
export function zendeskBaseUrl(subdomain: string): string {
  const s = subdomain.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  const host = s.includes('.') ? s : `${s}.zendesk.com`;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) throw new NodeError('invalid_config', `"${subdomain}" is not a Zendesk subdomain (e.g. acme for acme.zendesk.com)`, { retryable: false });
  return `https://${host}`;
}

/** Zendesk API token auth: `{email}/token:{api token}` as HTTP Basic. */
export function zendeskAuthHeader(email: string, apiToken: string): string {
  return `Basic ${Buffer.from(`${email.trim()}/token:${apiToken.trim()}`, 'utf8').toString('base64')}`;
}

/** The API credentials of a zendesk connection, when all three are there. */
export function zendeskApiSecrets(secrets: Record<string, string> | undefined): { subdomain: string; email: string; apiToken: string } | undefined {
  const subdomain = secrets?.subdomain?.trim();
  const email = secrets?.email?.trim();
  const apiToken = secrets?.apiToken?.trim();
  return subdomain && email && apiToken ? { subdomain, email, apiToken } : undefined;
}
