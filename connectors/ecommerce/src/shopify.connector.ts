import { defineConnector } from '@tributary/node-sdk';
import { shopifyOrdersTrigger } from './triggers/shopify-orders.trigger.js';
import { shopifyConnectorLocales } from './shopify.connector.locale.js';

export const shopifyAuthSchema = {
  type: 'object',
  properties: {
    secret: {
      type: 'string',
      minLength: 1,
      title: 'Webhook signing secret',
      description:
        'For an app’s webhooks: the app’s client secret (API secret key). For webhooks created in the admin (Settings → Notifications → Webhooks): the key shown there under “Your webhooks will be signed with”.',
    },
  },
  required: ['secret'],
  additionalProperties: false,
} as const;

/** Shopify signs with a shared secret only: check its shape, and catch the tokens people paste instead. */
export async function checkShopifySecrets(secrets: Record<string, string>): Promise<void> {
  const secret = secrets.secret?.trim() ?? '';
  if (!secret) throw new Error('the connection has no secret: copy the webhook signing secret from Shopify');
  if (/^shp(at|ca|pa)_/.test(secret)) throw new Error('that is an Admin API access token, not the webhook signing secret: use the app’s client secret (shpss_…) or the key shown under Settings → Notifications → Webhooks');
  if (/\s/.test(secret) || secret.length < 16) throw new Error('the secret does not look like a Shopify signing secret (a client secret such as shpss_… or a 64-character key, no spaces)');
}

export const shopifyConnector = defineConnector({
  id: 'shopify',
  title: 'Shopify',
  description: 'Order, payment, cancellation and refund webhooks from a Shopify store, verified by their HMAC.',
  locales: shopifyConnectorLocales,
  auth: shopifyAuthSchema,
  check: (secrets) => checkShopifySecrets(secrets),
  nodes: [shopifyOrdersTrigger],
});
