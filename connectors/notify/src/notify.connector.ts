import { defineConnector, type NodeDefinition } from '@tributary/node-sdk';
import { emailNotifyNode } from './email/email.node.js';
import { smsNotifyNode } from './sms/sms.node.js';
import { webhookSecretProblem } from './webhook/standard-webhooks.util.js';
import { webhookNotifyNode } from './webhook/webhook.node.js';
import { wecomNotifyNode } from './wecom/wecom.node.js';
import { notifyConnectorLocales } from './notify.connector.locale.js';

export const notifyNodes: NodeDefinition[] = [webhookNotifyNode, emailNotifyNode, wecomNotifyNode, smsNotifyNode];

export const notifyConnector = defineConnector({
  id: 'notify',
  title: 'Notifications',
  description:
    'Tell people and systems about customers: a signed webhook, an email over SMTP, a WeCom app message or a template SMS, each sent once per item even when a step is retried. Email, WeCom and SMS use connections of types smtp, wecom_app and sms.',
  // The `notify` connection: the key notify.webhook signs with.
  locales: notifyConnectorLocales,
  auth: {
    type: 'object',
    properties: {
      secret: {
        type: 'string',
        minLength: 1,
        title: 'Signing secret',
        description: 'A Standard Webhooks secret: whsec_ + base64 of 24 to 64 random bytes (e.g. `echo "whsec_$(openssl rand -base64 32)"`). Give the same value to the receiver.',
      },
    },
    required: ['secret'],
    additionalProperties: false,
  },
  // Nothing to call: the receiver holds the other copy. Check the secret is one a Standard Webhooks library accepts.
  async check(secrets) {
    const problem = webhookSecretProblem(secrets.secret);
    if (problem) throw new Error(problem);
  },
  nodes: notifyNodes,
});
