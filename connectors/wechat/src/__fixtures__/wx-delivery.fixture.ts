import { aesKeyOf, encryptWxMessage, wxSignature } from '../crypto/wx-biz-msg-crypt.util.js';

// Deliveries built the way WeChat and WeCom build them (documented formats), signed and
// encrypted with the official algorithm that the vectors in official-vectors.ts pin down.

/** `<xml>` with every value in CDATA except the numeric fields WeChat writes bare. */
export function wxXml(fields: Record<string, string>): string {
  const bare = new Set(['CreateTime', 'MsgId', 'AgentID', 'TimeStamp']);
  const body = Object.entries(fields)
    .map(([k, v]) => (bare.has(k) ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`))
    .join('\n');
  return `<xml>${body}</xml>`;
}

export interface Keys {
  token: string;
  encodingAesKey: string;
  /** appId (WeChat) or corpId (WeCom) the message is encrypted for. */
  receiveId: string;
}

/** A WeChat plain-mode push: `signature` over token, timestamp and nonce; the body as is. */
export function plainPush(token: string, body: string, timestamp: string, nonce = '1320562132') {
  return {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    query: { signature: wxSignature(token, timestamp, nonce), timestamp, nonce, openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY' },
    body,
  };
}

/** A safe-mode push: the message encrypted into `<xml><ToUserName/><Encrypt/></xml>`, msg_signature over the ciphertext. */
export function encryptedPush(keys: Keys, message: string, timestamp: string, opts: { nonce?: string; toUserName?: string; format?: 'xml' | 'json'; wechat?: boolean } = {}) {
  const nonce = opts.nonce ?? '1372623149';
  const encrypt = encryptWxMessage(message, keys.receiveId, aesKeyOf(keys.encodingAesKey));
  const toUserName = opts.toUserName ?? keys.receiveId;
  const body =
    opts.format === 'json'
      ? JSON.stringify(opts.wechat ? { ToUserName: toUserName, Encrypt: encrypt } : { tousername: toUserName, encrypt, agentid: '' })
      : opts.wechat
        ? `<xml><ToUserName><![CDATA[${toUserName}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
        : `<xml><ToUserName><![CDATA[${toUserName}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;
  const msgSignature = wxSignature(keys.token, timestamp, nonce, encrypt);
  const query: Record<string, string> = opts.wechat
    ? { signature: wxSignature(keys.token, timestamp, nonce), timestamp, nonce, openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', encrypt_type: 'aes', msg_signature: msgSignature }
    : { msg_signature: msgSignature, timestamp, nonce };
  return { method: 'POST', headers: { 'content-type': 'text/xml' }, query, body, encrypt };
}

/** The URL a sender would call, query string encoded as WeCom encodes it. */
export const urlWith = (query: Record<string, string>) => `https://tributary.test/hooks/flow-test/node?${new URLSearchParams(query).toString()}`;
