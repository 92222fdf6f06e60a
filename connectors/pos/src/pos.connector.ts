import { defineConnector, type NodeDefinition } from '@tributary/node-sdk';
import { keruyunWebhookTrigger } from './triggers/keruyun-webhook.trigger.js';
import { squareWebhookTrigger } from './triggers/square-webhook.trigger.js';
import { youzanWebhookTrigger } from './triggers/youzan-webhook.trigger.js';
import { keruyunConnectorLocales, squareConnectorLocales } from './pos.connector.locale.js';

/** A secret pasted with a stray space or newline fails every signature; say so at check time. */
function checkPasted(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new Error(`"${name}" is missing`);
  if (value !== value.trim()) throw new Error(`"${name}" starts or ends with whitespace; paste it again without spaces or line breaks`);
  return value;
}

export const squareConnector = defineConnector({
  id: 'square',
  title: 'Square',
  description: 'Square POS payments, orders and customers through signed webhooks.',
  locales: squareConnectorLocales,
  auth: {
    type: 'object',
    properties: {
      signatureKey: { type: 'string', minLength: 1, title: 'Signature key', description: 'Developer Console → Webhooks → Subscriptions → your subscription → Signature key.' },
    },
    required: ['signatureKey'],
    additionalProperties: false,
  },
  // Square has no call that checks a webhook signature key; check its shape.
  async check(secrets) {
    const key = checkPasted('signatureKey', secrets.signatureKey);
    if (!/^[A-Za-z0-9_-]{16,}$/.test(key)) throw new Error('"signatureKey" does not look like a Square signature key (base64url text such as Ibxx_5AKakO-3qeNVR61Dw, about 22 characters)');
  },
  nodes: [squareWebhookTrigger],
});

export const keruyunConnector = defineConnector({
  id: 'keruyun',
  title: '客如云 (Keruyun)',
  description: 'Keruyun POS orders and members through signed 上行 pushes.',
  locales: keruyunConnectorLocales,
  auth: {
    type: 'object',
    properties: {
      token: { type: 'string', minLength: 1, title: 'Token', description: 'The token Keruyun issued for your app and shop (used in every sign).' },
      appKey: { type: 'string', minLength: 1, title: 'App key', description: 'Optional: your appKey; pushes carrying another one are refused.' },
    },
    required: ['token'],
    additionalProperties: false,
  },
  async check(secrets) {
    const token = checkPasted('token', secrets.token);
    if (!/^[0-9a-f]{32}$/i.test(token)) throw new Error('"token" does not look like a Keruyun token (32 hexadecimal characters, e.g. 66e53b22f1496d183e71b4ab90f4acf7)');
    if (secrets.appKey !== undefined) checkPasted('appKey', secrets.appKey);
  },
  nodes: [keruyunWebhookTrigger],
});

export const posNodes: NodeDefinition[] = [squareWebhookTrigger, keruyunWebhookTrigger, youzanWebhookTrigger];
