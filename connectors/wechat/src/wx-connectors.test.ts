import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HttpClient } from '@tributary/node-sdk';
import { wecomVectors, wechatVectors } from './__fixtures__/official-vectors.js';
import { realHttpClient, startFakeApi, type FakeApi } from './__fixtures__/wx-api-server.fixture.js';
import { wechatConnectors } from './index.js';
import { wechatConnector } from './wechat.connector.js';
import { wecomConnector } from './wecom.connector.js';

const now = () => new Date('2026-03-01T00:00:00Z');
const noHttp: HttpClient = { request: () => Promise.reject(new Error('no call expected')) };

describe('the package', () => {
  it('exports the wechat and wecom connectors with the node ids the contract fixes', () => {
    expect(wechatConnectors.map((c) => [c.id, c.nodes.map((n) => n.id)])).toEqual([
      ['wechat', ['wechat.official']],
      ['wecom', ['wecom.callback']],
    ]);
    expect(wechatConnector.nodes[0]!.connection).toEqual({ type: 'wechat', required: true });
    expect(wecomConnector.nodes[0]!.connection).toEqual({ type: 'wecom', required: true });
    expect(Object.keys((wechatConnector.auth as { properties: object }).properties)).toEqual(expect.arrayContaining(['token', 'appId', 'encodingAesKey', 'appSecret']));
    expect(Object.keys((wecomConnector.auth as { properties: object }).properties)).toEqual(expect.arrayContaining(['token', 'encodingAesKey', 'corpId', 'secret']));
  });
});

describe('check() against a local WeChat / WeCom API', () => {
  let api: FakeApi;
  const http = realHttpClient();

  beforeAll(async () => {
    api = await startFakeApi({
      'POST /cgi-bin/stable_token': (c) => {
        const b = c.body as Record<string, string>;
        if (b.appid !== wechatVectors.appId) return { body: { errcode: 40013, errmsg: 'invalid appid rid: 66a1' } };
        if (b.secret !== 'app-secret') return { body: { errcode: 40125, errmsg: 'invalid appsecret rid: 66a2' } };
        return { body: { access_token: 'T1', expires_in: 7200 } };
      },
      'GET /cgi-bin/gettoken': (c) => {
        if (c.query.corpid !== wecomVectors.corpId) return { body: { errcode: 40013, errmsg: 'invalid corpid, hint: [1]' } };
        if (c.query.corpsecret !== 'contact-secret') return { body: { errcode: 40001, errmsg: 'invalid credential, hint: [2]' } };
        return { body: { errcode: 0, errmsg: 'ok', access_token: 'W1', expires_in: 7200 } };
      },
    });
  });
  afterAll(async () => {
    http.close();
    await api.close();
  });

  const local = () => ({ apiBaseUrl: api.baseUrl, allowPrivateNetwork: 'true' });

  it('wechat: a good appSecret passes, a wrong one says what WeChat said', async () => {
    const base = { token: wechatVectors.token, appId: wechatVectors.appId, encodingAesKey: wechatVectors.encodingAesKey, ...local() };
    await expect(wechatConnector.check!({ ...base, appSecret: 'app-secret' }, { http, now })).resolves.toBeUndefined();
    await expect(wechatConnector.check!({ ...base, appSecret: 'nope' }, { http, now })).rejects.toThrow('WeChat refused the access token request: errcode 40125 (the appSecret is wrong): invalid appsecret rid: 66a2');
    await expect(wechatConnector.check!({ ...base, appId: 'wx0000000000000000', appSecret: 'app-secret' }, { http, now })).rejects.toThrow(/errcode 40013 \(the appId is not valid\)/);
  });

  it('wechat: without an appSecret only the shape is checked', async () => {
    await expect(wechatConnector.check!({ token: 'AAAAA', appId: wechatVectors.appId }, { http: noHttp, now })).resolves.toBeUndefined();
    await expect(wechatConnector.check!({ token: 'AAAAA', appId: wechatVectors.appId, encodingAesKey: 'too-short' }, { http: noHttp, now })).rejects.toThrow(/43 characters/);
    await expect(wechatConnector.check!({ token: 'AAAAA ', appId: wechatVectors.appId }, { http: noHttp, now })).rejects.toThrow(/space or line break/);
    await expect(wechatConnector.check!({ token: 'AAAAA' }, { http: noHttp, now })).rejects.toThrow('the connection needs "appId"');
  });

  it('wecom: a good secret passes, a wrong one or a wrong corpId says what WeCom said', async () => {
    const base = { token: wecomVectors.token, encodingAesKey: wecomVectors.encodingAesKey, corpId: wecomVectors.corpId, ...local() };
    await expect(wecomConnector.check!({ ...base, secret: 'contact-secret' }, { http, now })).resolves.toBeUndefined();
    await expect(wecomConnector.check!({ ...base, secret: 'nope' }, { http, now })).rejects.toThrow(/^WeCom refused the access token request: errcode 40001 \(the secret is wrong .*\): invalid credential/);
    await expect(wecomConnector.check!({ ...base, corpId: 'ww0000', secret: 'contact-secret' }, { http, now })).rejects.toThrow(/errcode 40013 \(the corpId is not valid\)/);
  });

  it('wecom: without a secret the encodingAesKey must be 43 base64 characters giving 32 bytes', async () => {
    const base = { token: wecomVectors.token, corpId: wecomVectors.corpId };
    await expect(wecomConnector.check!({ ...base, encodingAesKey: wecomVectors.encodingAesKey }, { http: noHttp, now })).resolves.toBeUndefined();
    await expect(wecomConnector.check!({ ...base, encodingAesKey: wecomVectors.encodingAesKey.slice(1) }, { http: noHttp, now })).rejects.toThrow('encodingAesKey must be 43 characters, got 42');
    await expect(wecomConnector.check!({ ...base, encodingAesKey: `${wecomVectors.encodingAesKey.slice(1)}-` }, { http: noHttp, now })).rejects.toThrow(/base64 characters/);
    await expect(wecomConnector.check!(base, { http: noHttp, now })).rejects.toThrow('the connection needs "encodingAesKey"');
  });

  it('an unreachable API is reported as such, and the loopback needs allowPrivateNetwork', async () => {
    const base = { token: wecomVectors.token, encodingAesKey: wecomVectors.encodingAesKey, corpId: wecomVectors.corpId, secret: 'contact-secret' };
    await expect(wecomConnector.check!({ ...base, apiBaseUrl: api.baseUrl }, { http, now })).rejects.toThrow(/^could not get a WeCom access token: .*allowPrivateNetwork/);
  });
});
