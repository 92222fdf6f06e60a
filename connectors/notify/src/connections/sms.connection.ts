import { NodeError } from '@tributary/node-sdk';
import { ALIYUN_SMS_BASE_URL } from '../sms/aliyun-sms.provider.js';
import { SMS_PROVIDERS, smsProviderFor } from '../sms/sms-providers.js';
import { defineConnection } from './define-connection.util.js';
import { smsConnectionLocales } from './sms.connection.locale.js';

export const smsAuthSchema = {
  type: 'object',
  properties: {
    provider: { type: 'string', enum: Object.keys(SMS_PROVIDERS), title: 'Provider', description: 'The SMS vendor. Default aliyun (Alibaba Cloud SMS, dysmsapi).' },
    accessKeyId: { type: 'string', minLength: 1, title: 'AccessKey ID', description: 'Of a RAM user with the AliyunDysmsFullAccess policy (or dysms:SendSms, dysms:QuerySendDetails and dysms:GetSmsSign).' },
    accessKeySecret: { type: 'string', minLength: 1, title: 'AccessKey secret', description: 'The RAM user’s AccessKey secret.' },
    signName: { type: 'string', minLength: 1, title: 'Signature (签名)', description: 'The approved signature name messages are sent with, e.g. 阿里云短信测试; a node may override it.' },
    regionId: { type: 'string', minLength: 1, title: 'Region', description: 'Optional: default cn-hangzhou.' },
    apiBaseUrl: { type: 'string', pattern: '^https?://', title: 'API base URL', description: `Optional: default ${ALIYUN_SMS_BASE_URL}.` },
    allowPrivateNetwork: { type: 'string', enum: ['true', 'false'], title: 'Allow private network', description: 'Optional: "true" lets apiBaseUrl be a loopback or private address (tests, a local gateway).' },
  },
  required: ['accessKeyId', 'accessKeySecret'],
  additionalProperties: false,
} as const;

export const smsConnection = defineConnection({
  id: 'sms',
  title: 'SMS (阿里云短信)',
  description: 'An SMS vendor account that notify.sms sends template messages through.',
  locales: smsConnectionLocales,
  auth: smsAuthSchema,
  // A signed call that sends nothing: GetSmsSign proves the AccessKey pair and that the signature is approved.
  async check(secrets, { http, now }) {
    try {
      await smsProviderFor(secrets, { allowPrivateNetwork: false }, 'being checked').check({ http, now });
    } catch (err) {
      if (err instanceof NodeError || err instanceof Error) throw new Error(err.message);
      throw new Error(String(err));
    }
  },
});
