import type { ConnectorDefinition } from '@tributary/node-sdk';
import { smsConnection } from './connections/sms.connection.js';
import { smtpConnection } from './connections/smtp.connection.js';
import { wecomAppConnection } from './connections/wecom-app.connection.js';
import { notifyConnector } from './notify.connector.js';

/**
 * The connectors of this package, as the runtime's catalogue lists them: `notify` with the four
 * nodes, and the connection types their connections use (check() and the connection form).
 */
export const notifyConnectors: ConnectorDefinition[] = [notifyConnector, smtpConnection, wecomAppConnection, smsConnection];

export { notifyConnector, notifyNodes } from './notify.connector.js';
export { smtpConnection, smtpAuthSchema } from './connections/smtp.connection.js';
export { wecomAppConnection, wecomAppAuthSchema } from './connections/wecom-app.connection.js';
export { smsConnection, smsAuthSchema } from './connections/sms.connection.js';
export { webhookNotifyNode, type WebhookNotifyConfig, type WebhookSent } from './webhook/webhook.node.js';
export { signStandardWebhook, webhookMessageId, webhookSecretProblem } from './webhook/standard-webhooks.util.js';
export { emailNotifyNode, emailMessageId, type EmailNotifyConfig, type EmailSent } from './email/email.node.js';
export { wecomNotifyNode, type WecomNotifyConfig, type WecomSent } from './wecom/wecom.node.js';
export { smsNotifyNode, type SmsNotifyConfig, type SmsSentRecord } from './sms/sms.node.js';
export { SmsRefusedError, type SmsProvider, type SmsProviderOptions, type SmsSendContext, type SmsSent } from './sms/sms-provider.js';
export { SMS_PROVIDERS, smsProviderFor } from './sms/sms-providers.js';
export { createAliyunSmsProvider, ALIYUN_SMS_BASE_URL } from './sms/aliyun-sms.provider.js';
export { aliyunRpcSignature, aliyunStringToSign, canonicalizedQuery, percentEncode } from './sms/aliyun-signature.util.js';
export { normalizePhone } from './sms/phone.util.js';
export { deliverOnce, type SentNotification, type SendOutcome, type Delivery } from './shared/deliver-once.util.js';
export { renderTemplate } from './shared/template.util.js';
