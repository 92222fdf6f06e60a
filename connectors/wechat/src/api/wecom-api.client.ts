import type { VendorClient } from '@tributary/node-sdk';
import { fingerprint, tokenOf, withAccessToken, wxJson, type TokenResponse, type WxApiDeps } from './wx-api.util.js';

export const WECOM_API_BASE_URL = 'https://qyapi.weixin.qq.com';

/** 40014 invalid access_token, 42001 access_token expired. (On gettoken, 40001 means a wrong secret: not retried.) */
export const WECOM_TOKEN_ERRORS: ReadonlySet<number> = new Set([40014, 42001]);

export interface WecomCredentials {
  corpId: string;
  /** The 客户联系 (customer contact) secret, or a self-built app's secret with contact permission. */
  secret: string;
}

/** `cgi-bin/gettoken?corpid&corpsecret`. */
export async function fetchWecomToken(client: VendorClient, creds: WecomCredentials): Promise<{ token: string; expiresInSeconds: number }> {
  const body = await wxJson<TokenResponse>(client, 'wecom', { path: '/cgi-bin/gettoken', query: { corpid: creds.corpId, corpsecret: creds.secret } });
  return tokenOf('wecom', body);
}

/** 获取客户详情 (externalcontact/get): the customer and the staff members who added them. */
export interface WecomExternalContact {
  external_contact?: {
    external_userid?: string;
    name?: string;
    position?: string;
    avatar?: string;
    corp_name?: string;
    corp_full_name?: string;
    /** 1: a WeChat user, 2: a WeCom user. */
    type?: number;
    gender?: number;
    unionid?: string;
    [field: string]: unknown;
  };
  follow_user?: {
    userid?: string;
    remark?: string;
    description?: string;
    createtime?: number;
    remark_corp_name?: string;
    remark_mobiles?: string[];
    add_way?: number;
    state?: string;
    [field: string]: unknown;
  }[];
  next_cursor?: string;
}

export const wecomTokenKey = (creds: WecomCredentials) => `wecom:${creds.corpId}:${fingerprint(creds.secret)}`;

/** `externalcontact/get?external_userid=`, with the shared token (retried once on a token error). */
export async function fetchExternalContact(deps: WxApiDeps, client: VendorClient, creds: WecomCredentials, externalUserId: string): Promise<WecomExternalContact> {
  return withAccessToken(
    deps,
    wecomTokenKey(creds),
    () => fetchWecomToken(client, creds),
    WECOM_TOKEN_ERRORS,
    (token) => wxJson<WecomExternalContact>(client, 'wecom', { path: '/cgi-bin/externalcontact/get', query: { access_token: token, external_userid: externalUserId } }),
  );
}
