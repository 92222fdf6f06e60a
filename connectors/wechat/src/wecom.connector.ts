import { defineConnector } from '@tributary/node-sdk';
import { fetchWecomToken, WECOM_API_BASE_URL } from './api/wecom-api.client.js';
import { checkShape, checkToken } from './api/wx-check.util.js';
import { wecomCallbackTrigger } from './triggers/wecom-callback.trigger.js';
import { wecomConnectorLocales } from './wecom.connector.locale.js';

/** The connection of a WeCom corp: the callback settings (接收事件服务器) and, optionally, the customer-contact secret. */
export const wecomAuthSchema = {
  type: 'object',
  properties: {
    token: { type: 'string', minLength: 1, title: 'Token', description: 'The Token of the callback settings (接收事件服务器).' },
    encodingAesKey: { type: 'string', minLength: 43, maxLength: 43, title: 'EncodingAESKey', description: 'The 43-character key of the callback settings.' },
    corpId: { type: 'string', minLength: 1, title: 'CorpID', description: 'The corp’s ID (我的企业 → 企业信息). Callbacks encrypted for another ID are refused.' },
    secret: {
      type: 'string',
      minLength: 1,
      title: 'Customer contact secret',
      description: 'Optional: the 客户联系 secret (or a self-built app’s secret with customer-contact permission), to fetch each customer’s name, company, remark mobile and unionid.',
    },
    apiBaseUrl: { type: 'string', pattern: '^https?://', title: 'API base URL', description: 'Optional: a private deployment’s API. Default https://qyapi.weixin.qq.com.' },
    allowPrivateNetwork: { type: 'string', enum: ['true', 'false'], title: 'Allow private network', description: 'Optional: "true" lets apiBaseUrl be a loopback or private address (private deployment, tests).' },
  },
  required: ['token', 'encodingAesKey', 'corpId'],
} as const;

export const wecomConnector = defineConnector({
  id: 'wecom',
  title: 'WeCom',
  description: 'WeCom (企业微信) customer-contact callbacks: customers added, edited and deleted by your staff, with their details fetched from the WeCom API.',
  locales: wecomConnectorLocales,
  auth: wecomAuthSchema,
  // With the secret: gettoken proves corpId + secret (and the trusted IPs). Without it, check the key's shape.
  async check(secrets, { http }) {
    checkShape(secrets, ['token', 'encodingAesKey', 'corpId'], true);
    if (!secrets.secret) return;
    const creds = { corpId: secrets.corpId!, secret: secrets.secret };
    await checkToken('wecom', http, secrets, secrets.apiBaseUrl ?? WECOM_API_BASE_URL, (client) => fetchWecomToken(client, creds));
  },
  nodes: [wecomCallbackTrigger],
});
