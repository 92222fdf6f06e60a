import { defineConnector } from '@tributary/node-sdk';
import { fetchWechatToken, WECHAT_API_BASE_URL } from './api/wechat-api.client.js';
import { checkShape, checkToken } from './api/wx-check.util.js';
import { wechatOfficialTrigger } from './triggers/wechat-official.trigger.js';
import { wechatConnectorLocales } from './wechat.connector.locale.js';

/** The connection of a WeChat Official Account (设置与开发 → 基本配置). */
export const wechatAuthSchema = {
  type: 'object',
  properties: {
    token: { type: 'string', minLength: 1, title: 'Token', description: 'The Token of 服务器配置 (server configuration), used in every signature.' },
    appId: { type: 'string', minLength: 1, title: 'AppID', description: 'The account’s AppID (开发者ID). Safe-mode messages are checked against it.' },
    encodingAesKey: {
      type: 'string',
      minLength: 43,
      maxLength: 43,
      title: 'EncodingAESKey',
      description: 'The 43-character message key of safe mode (安全模式). With it, plain-mode pushes are refused.',
    },
    appSecret: { type: 'string', minLength: 1, title: 'AppSecret', description: 'Optional: lets the trigger look up each user’s unionid. The server’s IP must be in the account’s IP whitelist.' },
    apiBaseUrl: { type: 'string', pattern: '^https?://', title: 'API base URL', description: 'Optional: another WeChat API endpoint (a proxy). Default https://api.weixin.qq.com.' },
    allowPrivateNetwork: { type: 'string', enum: ['true', 'false'], title: 'Allow private network', description: 'Optional: "true" lets apiBaseUrl be a loopback or private address (on-premise proxy, tests).' },
  },
  required: ['token', 'appId'],
} as const;

export const wechatConnector = defineConnector({
  id: 'wechat',
  title: 'WeChat Official Account',
  description: 'Messages and events pushed by a WeChat Official Account (公众号): followers, QR-code scans and messages, with the unionid when an AppSecret is given.',
  locales: wechatConnectorLocales,
  auth: wechatAuthSchema,
  // With an AppSecret: a stable_token request proves appId + appSecret (and the IP whitelist) without
  // invalidating the token other systems hold. Without one, WeChat offers nothing to ask; check the shape.
  async check(secrets, { http }) {
    checkShape(secrets, ['token', 'appId'], false);
    if (!secrets.appSecret) return;
    const creds = { appId: secrets.appId!, appSecret: secrets.appSecret };
    await checkToken('wechat', http, secrets, secrets.apiBaseUrl ?? WECHAT_API_BASE_URL, (client) => fetchWechatToken(client, creds, 'stable_token'));
  },
  nodes: [wechatOfficialTrigger],
});
