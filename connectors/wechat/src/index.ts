import type { ConnectorDefinition } from '@tributary/node-sdk';
import { wechatConnector } from './wechat.connector.js';
import { wecomConnector } from './wecom.connector.js';

/** The connectors of this package, as the runtime's catalogue lists them. */
export const wechatConnectors: ConnectorDefinition[] = [wechatConnector, wecomConnector];

export { wechatConnector, wechatAuthSchema } from './wechat.connector.js';
export { wecomConnector, wecomAuthSchema } from './wecom.connector.js';
export { wechatOfficialTrigger, wechatItem, wechatDedupeKey, wechatEventType, type WechatOfficialConfig } from './triggers/wechat-official.trigger.js';
export { wecomCallbackTrigger, wecomItem, wecomDedupeKey, contactFields, WECOM_CONTACT_EVENT_TYPES, type WecomCallbackConfig } from './triggers/wecom-callback.trigger.js';
export {
  aesKeyOf,
  decryptWxMessage,
  encodingAesKeyProblem,
  encryptWxMessage,
  isWxSignature,
  sealWxReply,
  wxSignature,
  WxCryptError,
  WX_CRYPT_ERROR_CODES,
  type DecryptedMessage,
} from './crypto/wx-biz-msg-crypt.util.js';
export { parseWxBody, parseWxJson, parseWxXml, quoteJsonNumbers, type WxMessage, type WxValue } from './message/wx-message.util.js';
export { WxApiError } from './api/wx-api.util.js';
export { fetchWechatToken, fetchWechatUser, WECHAT_API_BASE_URL, WECHAT_TOKEN_ERRORS } from './api/wechat-api.client.js';
export { fetchExternalContact, fetchWecomToken, WECOM_API_BASE_URL, WECOM_TOKEN_ERRORS, type WecomExternalContact } from './api/wecom-api.client.js';
