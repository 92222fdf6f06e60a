import { cachedAccessToken, createVendorClient, NodeError, obj, text, VendorApiError, type HttpClient, type SharedCache } from '@tributary/node-sdk';

export const ZOHO_ACCOUNTS_DEFAULT = 'https://accounts.zoho.com';

export interface ZohoOAuthSecrets {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accountsBaseUrl: string;
}

/** The OAuth client and refresh token of a zohodesk connection, or undefined when incomplete. */
export function zohoOAuthSecrets(secrets: Record<string, string> | undefined): ZohoOAuthSecrets | undefined {
  const clientId = secrets?.clientId?.trim();
  const clientSecret = secrets?.clientSecret?.trim();
  const refreshToken = secrets?.refreshToken?.trim();
  if (!clientId || !clientSecret || !refreshToken) return undefined;
  return { clientId, clientSecret, refreshToken, accountsBaseUrl: secrets?.accountsBaseUrl?.trim() || ZOHO_ACCOUNTS_DEFAULT };
}

/**
 * Trades the refresh token for an access token (POST /oauth/v2/token). Zoho answers some
 * errors with HTTP 200 and `{"error": "invalid_code"}`, so the body decides.
 */
export async function fetchZohoAccessToken(
  deps: { http: HttpClient; cache: SharedCache; signal?: AbortSignal },
  oauth: ZohoOAuthSecrets,
  opts: { allowPrivateNetwork?: boolean } = {},
): Promise<{ token: string; expiresInSeconds: number }> {
  const client = createVendorClient(deps, { vendor: 'zoho', baseUrl: oauth.accountsBaseUrl, allowPrivateNetwork: opts.allowPrivateNetwork, maxWaitMs: 5_000 });
  const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: oauth.clientId, client_secret: oauth.clientSecret, refresh_token: oauth.refreshToken });
  const res = await client.request({
    method: 'POST',
    path: '/oauth/v2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    okStatuses: (s) => s < 500 && s !== 429 && s !== 408,
  });
  let body: Record<string, unknown> = {};
  try {
    body = obj(JSON.parse(res.body));
  } catch {
    // handled below
  }
  const token = text(body.access_token);
  if (res.status >= 400 || !token) {
    const reason = text(body.error) ?? `HTTP ${res.status}`;
    throw new VendorApiError('zoho', `zoho: the refresh token was not accepted (${reason}); check the client id, client secret, refresh token and the accounts server of your data centre`, res.status >= 400 ? res.status : 401, {
      retryable: false,
    });
  }
  const expires = Number(body.expires_in);
  return { token, expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 3600 };
}

/** An access token shared by every worker of this connection, refreshed shortly before it expires. */
export async function zohoAccessToken(
  deps: { http: HttpClient; cache: SharedCache; signal?: AbortSignal },
  secrets: Record<string, string> | undefined,
  connection: string,
  opts: { allowPrivateNetwork?: boolean } = {},
): Promise<string> {
  const oauth = zohoOAuthSecrets(secrets);
  if (!oauth) throw new NodeError('missing_secrets', `connection ${connection} needs "clientId", "clientSecret" and "refreshToken" to call the Zoho Desk API`, { retryable: false });
  return cachedAccessToken(deps, zohoTokenKey(connection), () => fetchZohoAccessToken(deps, oauth, opts));
}

export const zohoTokenKey = (connection: string) => `zohodesk:${connection}`;
