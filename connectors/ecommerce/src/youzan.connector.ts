import { defineConnector } from '@tributary/node-sdk';
import { youzanWebhookTrigger } from '@tributary/connector-pos';
import { youzanOrdersNode } from './triggers/youzan-orders.trigger.js';
import { youzanConnectorLocales } from './youzan.connector.locale.js';

export const youzanAuthSchema = {
  type: 'object',
  properties: {
    clientId: { type: 'string', minLength: 1, title: 'Client id', description: '有赞云控制台 → 应用 → 应用凭证 client_id.' },
    clientSecret: { type: 'string', minLength: 1, title: 'Client secret', description: '有赞云控制台 → 应用 → 应用凭证 client_secret; signs every push.' },
  },
  required: ['clientId', 'clientSecret'],
  additionalProperties: false,
} as const;

/** Youzan offers no call that checks a client secret alone: check the shapes. */
export async function checkYouzanSecrets(secrets: Record<string, string>): Promise<void> {
  const clientId = secrets.clientId?.trim() ?? '';
  const clientSecret = secrets.clientSecret?.trim() ?? '';
  if (!clientId || !clientSecret) throw new Error('the connection needs the app’s clientId and clientSecret (有赞云控制台 → 应用凭证)');
  if (!/^[A-Za-z0-9]{8,64}$/.test(clientId)) throw new Error('the clientId does not look like a Youzan client_id (letters and digits, no spaces)');
  if (!/^[A-Za-z0-9]{16,128}$/.test(clientSecret)) throw new Error('the clientSecret does not look like a Youzan client_secret (16 or more letters and digits, no spaces)');
  if (clientId === clientSecret) throw new Error('clientId and clientSecret are the same value; copy both from the app credentials');
}

/**
 * The one `youzan` connector: trade pushes (`youzan.orders`, this package) and member / store
 * pushes (`youzan.webhook`, from connectors/pos), sharing one app credential.
 */
export const youzanConnector = defineConnector({
  id: 'youzan',
  title: 'Youzan (有赞)',
  description: 'Pushes from a Youzan store (有赞云消息推送): orders placed, paid, completed and cancelled (youzan.orders), and member and store events (youzan.webhook).',
  locales: youzanConnectorLocales,
  auth: youzanAuthSchema,
  check: (secrets) => checkYouzanSecrets(secrets),
  nodes: [youzanOrdersNode, youzanWebhookTrigger],
});
