import type { VendorClient } from '@tributary/node-sdk';
import { fingerprint, tokenOf, withAccessToken, wxJson, type TokenResponse, type WxApiDeps } from './wx-api.util.js';

export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

/** 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired. */
export const WECHAT_TOKEN_ERRORS: ReadonlySet<number> = new Set([40001, 40014, 42001]);

export type WechatTokenEndpoint = 'stable_token' | 'token';

export interface WechatCredentials {
  appId: string;
  appSecret: string;
}

/**
 * Fetches an access token. `stable_token` hands every caller the same token, so our fetches do
 * not invalidate the token the account's other systems use (each `cgi-bin/token` call does).
 */
export async function fetchWechatToken(client: VendorClient, creds: WechatCredentials, endpoint: WechatTokenEndpoint): Promise<{ token: string; expiresInSeconds: number }> {
  const body =
    endpoint === 'stable_token'
      ? await wxJson<TokenResponse>(client, 'wechat', {
          method: 'POST',
          path: '/cgi-bin/stable_token',
          headers: { 'content-type': 'application/json' },
          body: { grant_type: 'client_credential', appid: creds.appId, secret: creds.appSecret, force_refresh: false },
        })
      : await wxJson<TokenResponse>(client, 'wechat', {
          path: '/cgi-bin/token',
          query: { grant_type: 'client_credential', appid: creds.appId, secret: creds.appSecret },
        });
  return tokenOf('wechat', body);
}

/** The fields of `cgi-bin/user/info` we use; WeChat stopped returning nickname and avatar in 2021. */
export interface WechatUserInfo {
  subscribe?: number;
  openid?: string;
  unionid?: string;
  language?: string;
  subscribe_time?: number;
  subscribe_scene?: string;
  qr_scene?: number;
  qr_scene_str?: string;
  remark?: string;
  tagid_list?: number[];
}

export const wechatTokenKey = (creds: WechatCredentials) => `wechat:${creds.appId}:${fingerprint(creds.appSecret)}`;

/** `cgi-bin/user/info` for one openid, with the shared token (retried once on a token error). */
export async function fetchWechatUser(
  deps: WxApiDeps,
  client: VendorClient,
  creds: WechatCredentials,
  endpoint: WechatTokenEndpoint,
  openid: string,
): Promise<WechatUserInfo> {
  return withAccessToken(
    deps,
    wechatTokenKey(creds),
    () => fetchWechatToken(client, creds, endpoint),
    WECHAT_TOKEN_ERRORS,
    (token) => wxJson<WechatUserInfo>(client, 'wechat', { path: '/cgi-bin/user/info', query: { access_token: token, openid, lang: 'zh_CN' } }),
  );
}
