import { defineConnector, type NodeDefinition } from '@tributary/node-sdk';
import { formWebhookTrigger } from './triggers/form-webhook.trigger.js';
import { jiandaoyunWebhookTrigger } from './triggers/jiandaoyun-webhook.trigger.js';
import { typeformWebhookTrigger } from './triggers/typeform-webhook.trigger.js';
import { formsConnectorLocales, jiandaoyunConnectorLocales, typeformConnectorLocales } from './forms.connector.locale.js';

/** A secret pasted with a stray space or newline fails every signature; say so at check time. */
function checkPasted(name: string, value: string | undefined, minLength = 1): void {
  if (value === undefined || value === '') throw new Error(`"${name}" is missing`);
  if (value !== value.trim()) throw new Error(`"${name}" starts or ends with whitespace; paste it again without spaces or line breaks`);
  if (value.length < minLength) throw new Error(`"${name}" is ${value.length} characters; use at least ${minLength} random characters`);
}

export const formsConnector = defineConnector({
  id: 'forms',
  title: 'Web forms',
  description: 'Submissions from any form tool that posts JSON or form data to a webhook URL (your website, Jotform, 金数据, 腾讯问卷, …).',
  locales: formsConnectorLocales,
  auth: {
    type: 'object',
    properties: {
      token: { type: 'string', minLength: 16, title: 'Shared token', description: 'For token auth: sent by the form tool in a header or as `?token=` on the webhook URL. Use a long random value.' },
      secret: { type: 'string', minLength: 1, title: 'HMAC secret', description: 'For HMAC auth: the key the form tool signs the body with.' },
    },
    additionalProperties: false,
  },
  async check(secrets) {
    if (!secrets.token && !secrets.secret) throw new Error('set "token" (token auth) or "secret" (HMAC auth)');
    if (secrets.token !== undefined) checkPasted('token', secrets.token, 16);
    if (secrets.secret !== undefined) checkPasted('secret', secrets.secret);
  },
  nodes: [formWebhookTrigger],
});

export const typeformConnector = defineConnector({
  id: 'typeform',
  title: 'Typeform',
  description: 'Typeform responses through a signed webhook.',
  locales: typeformConnectorLocales,
  auth: {
    type: 'object',
    properties: { secret: { type: 'string', minLength: 1, title: 'Webhook secret', description: 'The secret set on the Typeform webhook (Connect → Webhooks → Edit → Secret).' } },
    required: ['secret'],
    additionalProperties: false,
  },
  // Typeform offers no call that checks a webhook secret; check what a paste can get wrong.
  async check(secrets) {
    checkPasted('secret', secrets.secret);
  },
  nodes: [typeformWebhookTrigger],
});

export const jiandaoyunConnector = defineConnector({
  id: 'jiandaoyun',
  title: '简道云 (Jiandaoyun)',
  description: '简道云 / Jodoo form records through the signed data push (数据推送).',
  locales: jiandaoyunConnectorLocales,
  auth: {
    type: 'object',
    properties: { secret: { type: 'string', minLength: 1, title: 'Push secret', description: '表单设置 → 数据推送 → Secret (generated or your own).' } },
    required: ['secret'],
    additionalProperties: false,
  },
  // The push secret cannot be checked against 简道云; check what a paste can get wrong.
  async check(secrets) {
    checkPasted('secret', secrets.secret);
  },
  nodes: [jiandaoyunWebhookTrigger],
});

export const formsNodes: NodeDefinition[] = [formWebhookTrigger, typeformWebhookTrigger, jiandaoyunWebhookTrigger];
