import { InMemorySharedCache, type HttpClient, type VendorClient } from '@tributary/node-sdk';
import { encodingAesKeyProblem } from '../crypto/wx-biz-msg-crypt.util.js';
import { createWxClient, WxApiError } from './wx-api.util.js';

/** Readable causes of the errcodes a token request gets for a bad connection. */
const HINTS: Record<'wechat' | 'wecom', Record<number, string>> = {
  wechat: {
    40001: 'the appSecret is wrong or was reset',
    40013: 'the appId is not valid',
    40125: 'the appSecret is wrong',
    40164: 'this server’s IP is not in the account’s IP whitelist (设置与开发 → 基本配置 → IP白名单)',
    41004: 'the appSecret is missing',
    89503: 'WeChat asks an administrator to confirm this IP in the official account platform',
  },
  wecom: {
    40001: 'the secret is wrong (use the 客户联系 secret, or a self-built app secret with customer-contact permission)',
    40013: 'the corpId is not valid',
    40091: 'the secret is not valid for this corpId',
    41004: 'the secret is missing',
    60020: 'this server’s IP is not among the app’s trusted IPs (企业可信IP)',
  },
};

/** A token request that must succeed for `check()`, failing with the vendor's reason in words. */
export async function checkToken(vendor: 'wechat' | 'wecom', http: HttpClient, secrets: Record<string, string>, baseUrl: string, fetch: (client: VendorClient) => Promise<unknown>): Promise<void> {
  const client = createWxClient({ http, cache: new InMemorySharedCache() }, { vendor, baseUrl, allowPrivateNetwork: secrets.allowPrivateNetwork === 'true' });
  const name = vendor === 'wechat' ? 'WeChat' : 'WeCom';
  try {
    await fetch(client);
  } catch (err) {
    if (err instanceof WxApiError) {
      const hint = HINTS[vendor][err.errcode];
      throw new Error(`${name} refused the access token request: errcode ${err.errcode}${hint ? ` (${hint})` : ''}: ${err.errmsg}`);
    }
    throw new Error(`could not get a ${name} access token: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The shape checks every connection passes: token present, encodingAesKey (when given or required) a real key. */
export function checkShape(secrets: Record<string, string>, required: string[], aesKeyRequired: boolean): void {
  for (const name of required) if (!secrets[name]?.trim()) throw new Error(`the connection needs "${name}"`);
  // A pasted token with a space or line break never matches a signature, and says nothing about why.
  if (secrets.token !== undefined && /\s/.test(secrets.token)) throw new Error('token holds a space or line break; paste it exactly as the console shows it');
  if (aesKeyRequired || secrets.encodingAesKey) {
    const problem = encodingAesKeyProblem(secrets.encodingAesKey);
    if (problem) throw new Error(problem);
  }
}
