import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { describeNodeContract, InMemorySharedCache, PayloadError, runNode, runWebhookTrigger, type HttpClient, type RunWebhookOptions } from '@tributary/node-sdk';
import { at, wechatVectors as v } from '../__fixtures__/official-vectors.js';
import { realHttpClient, startFakeApi, type ApiCall, type FakeApi } from '../__fixtures__/wx-api-server.fixture.js';
import { encryptedPush, plainPush, wxXml } from '../__fixtures__/wx-delivery.fixture.js';
import { wechatOfficialTrigger } from './wechat-official.trigger.js';

const config = { connection: 'conn_wechat' };
const plainSecrets = { token: v.token, appId: v.appId };
const safeSecrets = { token: v.token, appId: v.appId, encodingAesKey: v.encodingAesKey };
const keys = { token: v.token, encodingAesKey: v.encodingAesKey, receiveId: v.appId };

const deliver = (opts: Partial<RunWebhookOptions>) => runWebhookTrigger(wechatOfficialTrigger, { config, secrets: plainSecrets, ...opts });

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const NOW = '1714112445';
const subscribeXml = (eventKey = 'qrscene_expo_2024_booth') =>
  wxXml({ ToUserName: 'gh_97417a04a28d', FromUserName: OPENID, CreateTime: NOW, MsgType: 'event', Event: 'subscribe', EventKey: eventKey, Ticket: 'gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2tUWUVQX1Q=' });
const textXml = wxXml({ ToUserName: 'gh_97417a04a28d', FromUserName: OPENID, CreateTime: NOW, MsgType: 'text', Content: '我想了解一下报价', MsgId: '24518302948371234567' });

describe('wechat.official URL verification (GET)', () => {
  it('answers the official example with echostr, as plain text', async () => {
    const res = await deliver({ method: 'GET', query: v.urlVerify.query, now: at(v.urlVerify.query.timestamp) });
    expect(res.handshake).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '4375120948345356249' });
  });

  it('refuses a wrong token, a stale timestamp, missing parameters and a connection without token', async () => {
    const now = at(v.urlVerify.query.timestamp);
    expect((await deliver({ method: 'GET', query: v.urlVerify.query, now, secrets: { token: 'BBBBB', appId: v.appId } })).handshake).toMatchObject({ status: 401, body: expect.stringMatching(/signature does not match/) });
    expect((await deliver({ method: 'GET', query: v.urlVerify.query, now: at(v.urlVerify.query.timestamp, 301) })).handshake).toMatchObject({ status: 401, body: expect.stringMatching(/stale timestamp/) });
    expect((await deliver({ method: 'GET', query: { ...v.urlVerify.query, echostr: undefined }, now })).handshake).toMatchObject({ status: 400 });
    expect((await deliver({ method: 'GET', query: v.urlVerify.query, now, secrets: {} })).handshake).toMatchObject({ status: 401, body: expect.stringMatching(/no "token"/) });
  });

  it('accepts an old timestamp when the window is disabled', async () => {
    const res = await deliver({ config: { ...config, toleranceSeconds: 0 }, method: 'GET', query: v.urlVerify.query, now: new Date('2030-01-01T00:00:00Z') });
    expect(res.handshake?.status).toBe(200);
  });
});

describe('wechat.official plain mode', () => {
  it('verifies the official plain-mode push (JSON format) and maps its event', async () => {
    const res = await deliver({ query: v.plainPost.query, headers: { 'content-type': 'application/json' }, body: v.plainPost.body, now: at(v.plainPost.query.timestamp, 5) });
    expect(res.verify).toEqual({ ok: true });
    expect(res.events).toEqual([
      {
        dedupeKey: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1714037059:debug_demo',
        items: [
          {
            wechat_openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
            eventType: 'wechat_debug_demo',
            occurredAt: '2024-04-25T09:24:19.000Z',
            raw: { ToUserName: 'gh_97417a04a28d', FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', CreateTime: '1714037059', MsgType: 'event', Event: 'debug_demo', debug_str: 'hello world' },
          },
        ],
      },
    ]);
  });

  it('maps a QR-code subscribe with its scene', async () => {
    const res = await deliver({ ...plainPush(v.token, subscribeXml(), NOW), now: at(NOW) });
    expect(res.events).toEqual([
      {
        dedupeKey: `${OPENID}:${NOW}:subscribe:qrscene_expo_2024_booth`,
        items: [
          {
            wechat_openid: OPENID,
            eventType: 'wechat_subscribe',
            occurredAt: '2024-04-26T06:20:45.000Z',
            scene: 'expo_2024_booth',
            raw: expect.objectContaining({ Event: 'subscribe', EventKey: 'qrscene_expo_2024_booth', Ticket: 'gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2tUWUVQX1Q=' }),
          },
        ],
      },
    ]);
  });

  it('maps a plain subscribe, SCAN, unsubscribe and a menu click', async () => {
    const push = (fields: Record<string, string>) =>
      deliver({ ...plainPush(v.token, wxXml({ ToUserName: 'gh_97417a04a28d', FromUserName: OPENID, CreateTime: NOW, MsgType: 'event', ...fields }), NOW), now: at(NOW) });
    const plain = (await push({ Event: 'subscribe', EventKey: '' })).events![0]!;
    expect(plain.dedupeKey).toBe(`${OPENID}:${NOW}:subscribe`);
    expect(plain.items[0]).not.toHaveProperty('scene');
    expect((await push({ Event: 'SCAN', EventKey: '123', Ticket: 'TICKET' })).events![0]!.items[0]).toMatchObject({ eventType: 'wechat_scan', scene: '123' });
    expect((await push({ Event: 'unsubscribe', EventKey: '' })).events![0]!.items[0]).toMatchObject({ eventType: 'wechat_unsubscribe', wechat_openid: OPENID });
    expect((await push({ Event: 'CLICK', EventKey: 'V1001_PRICING' })).events![0]!.items[0]).toMatchObject({ eventType: 'wechat_click', eventKey: 'V1001_PRICING' });
    // Two events of one user in the same second stay apart.
    expect((await push({ Event: 'SCAN', EventKey: '123' })).events![0]!.dedupeKey).not.toBe((await push({ Event: 'SCAN', EventKey: '456' })).events![0]!.dedupeKey);
  });

  it('maps a text message: MsgId beyond 2^53 exact as the dedupe key, the same on a retry', async () => {
    const first = await deliver({ ...plainPush(v.token, textXml, NOW, '111'), now: at(NOW) });
    const retry = await deliver({ ...plainPush(v.token, textXml, String(Number(NOW) + 5), '222'), now: at(NOW, 5) });
    expect(first.events![0]).toEqual({
      dedupeKey: '24518302948371234567',
      items: [{ wechat_openid: OPENID, eventType: 'wechat_message', occurredAt: '2024-04-26T06:20:45.000Z', content: '我想了解一下报价', raw: expect.objectContaining({ MsgType: 'text', MsgId: '24518302948371234567' }) }],
    });
    expect(retry.events![0]!.dedupeKey).toBe(first.events![0]!.dedupeKey);
  });

  it('refuses a wrong token, a missing signature and a stale timestamp', async () => {
    const good = plainPush(v.token, textXml, NOW);
    expect((await deliver({ ...good, now: at(NOW), secrets: { token: 'BBBBB', appId: v.appId } })).verify).toEqual({ ok: false, status: 401, reason: 'signature does not match (wrong token?)' });
    expect((await deliver({ ...good, query: { ...good.query, signature: undefined }, now: at(NOW) })).verify).toMatchObject({ ok: false, status: 401, reason: 'missing signature query parameter' });
    expect((await deliver({ ...good, now: at(NOW, 301) })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^stale timestamp/) });
    expect((await deliver({ ...good, now: at(NOW), secrets: undefined })).verify).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses plain-mode pushes once the connection has an encodingAesKey (the plain signature does not cover the body)', async () => {
    const res = await deliver({ ...plainPush(v.token, textXml, NOW), now: at(NOW), secrets: safeSecrets });
    expect(res.verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/plain-mode push refused/) });
  });

  it('throws PayloadError for a body that is neither WeChat XML nor JSON', async () => {
    for (const body of ['garbage', '<xml><FromUserName>x</FromUserName>', '<xml><MsgType>text</MsgType></xml>']) {
      await expect(deliver({ ...plainPush(v.token, body, NOW), now: at(NOW) })).rejects.toThrow(PayloadError);
    }
  });

  it('acknowledges with success', () => {
    const respond = (wechatOfficialTrigger.trigger as { respond: (r: unknown, c: unknown) => unknown }).respond;
    expect(respond({ runIds: [], duplicates: 1 }, {})).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'success' });
  });
});

describe('wechat.official safe mode', () => {
  const safe = (opts: Partial<RunWebhookOptions>) => deliver({ secrets: safeSecrets, ...opts });

  it('verifies and decrypts the official safe-mode push (msg_signature, AES, appId)', async () => {
    const body = JSON.stringify({ ToUserName: 'gh_97417a04a28d', Encrypt: v.safePost.encrypt });
    const res = await safe({ query: v.safePost.query, headers: { 'content-type': 'application/json' }, body, now: at(v.safePost.query.timestamp) });
    expect(res.verify).toEqual({ ok: true });
    expect(res.events![0]).toMatchObject({
      dedupeKey: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1714112445:debug_demo',
      items: [{ wechat_openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', eventType: 'wechat_debug_demo', occurredAt: '2024-04-26T06:20:45.000Z' }],
    });
  });

  it('decrypts an XML safe-mode subscribe and a compatible-mode push (the encrypted copy wins)', async () => {
    const push = encryptedPush(keys, subscribeXml(), NOW, { wechat: true });
    const res = await safe({ ...push, now: at(NOW) });
    expect(res.events![0]!.items[0]).toMatchObject({ wechat_openid: OPENID, eventType: 'wechat_subscribe', scene: 'expo_2024_booth' });

    const compatible = push.body.replace('</xml>', `<FromUserName><![CDATA[forged]]></FromUserName><MsgType><![CDATA[event]]></MsgType></xml>`);
    const both = await safe({ ...push, body: compatible, now: at(NOW) });
    expect(both.events![0]!.items[0]).toMatchObject({ wechat_openid: OPENID });
  });

  it('refuses a tampered ciphertext, a wrong token, another app’s message, a stale push and a missing msg_signature', async () => {
    const push = encryptedPush(keys, textXml, NOW, { wechat: true });
    const tampered = push.body.replace(push.encrypt, push.encrypt.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
    expect((await safe({ ...push, body: tampered, now: at(NOW) })).verify).toMatchObject({ ok: false, status: 401, reason: 'msg_signature does not match (wrong token?)' });
    expect((await safe({ ...push, now: at(NOW), secrets: { ...safeSecrets, token: 'BBBBB' } })).verify).toMatchObject({ ok: false, status: 401 });
    expect((await safe({ ...push, now: at(NOW), secrets: { ...safeSecrets, appId: 'wx0000000000000000' } })).verify).toMatchObject({
      ok: false,
      status: 401,
      reason: expect.stringMatching(/addressed to appId "wxba5fad812f8e6fb9", not to this connection/),
    });
    expect((await safe({ ...push, now: at(NOW, -301) })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^stale timestamp/) });
    expect((await safe({ ...push, query: { ...push.query, msg_signature: undefined }, now: at(NOW) })).verify).toMatchObject({ ok: false, status: 401, reason: 'missing msg_signature query parameter' });
    // The plain `signature` is not enough in safe mode: WeChat says not to use it.
    expect((await safe({ ...push, query: { ...push.query, msg_signature: push.query.signature }, now: at(NOW) })).verify).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a safe-mode push the connection cannot open, and a wrong key', async () => {
    const push = encryptedPush(keys, textXml, NOW, { wechat: true });
    expect((await safe({ ...push, now: at(NOW), secrets: plainSecrets })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/no "encodingAesKey"/) });
    const otherKey = { ...safeSecrets, encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
    expect((await safe({ ...push, now: at(NOW), secrets: otherKey })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/cannot decrypt/) });
  });

  it('answers 400 for an envelope it cannot read, PayloadError for a signed message that is garbage', async () => {
    const push = encryptedPush(keys, textXml, NOW, { wechat: true });
    expect((await safe({ ...push, body: 'garbage', now: at(NOW) })).verify).toMatchObject({ ok: false, status: 400 });
    expect((await safe({ ...push, body: '<xml><ToUserName>gh</ToUserName></xml>', now: at(NOW) })).verify).toMatchObject({ ok: false, status: 400, reason: 'the body has no Encrypt field' });
    await expect(safe({ ...encryptedPush(keys, 'not a message', NOW, { wechat: true }), now: at(NOW) })).rejects.toThrow(PayloadError);
  });
});

describe('wechat.official unionid lookup (local WeChat API)', () => {
  let api: FakeApi;
  let issued = 0;
  const valid = new Set<string>();
  const expired = new Set<string>();
  const http = realHttpClient();
  const users: Record<string, { unionid?: string }> = { [OPENID]: { unionid: 'o6_bmasdasdsad6_2sgVt7hMZOPfL' }, oOther: { unionid: 'o6_bmotherunion' }, oNoUnion: {} };

  const token: (c: ApiCall) => { body: unknown } = (c) => {
    const b = (c.method === 'POST' ? c.body : c.query) as Record<string, string>;
    if (b.appid !== v.appId) return { body: { errcode: 40013, errmsg: 'invalid appid rid: 1' } };
    if (b.secret !== 'app-secret') return { body: { errcode: 40125, errmsg: 'invalid appsecret rid: 2' } };
    const t = `ACCESS_TOKEN_${++issued}`;
    valid.add(t);
    return { body: { access_token: t, expires_in: 7200 } };
  };

  beforeAll(async () => {
    api = await startFakeApi({
      'POST /cgi-bin/stable_token': token,
      'GET /cgi-bin/token': token,
      'GET /cgi-bin/user/info': (c) => {
        if (expired.has(c.query.access_token!)) return { body: { errcode: 42001, errmsg: 'access_token expired rid: 3' } };
        if (!valid.has(c.query.access_token!)) return { body: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest rid: 4' } };
        if (c.query.openid === 'oBusy') return { body: { errcode: -1, errmsg: 'system error rid: 5' } };
        const user = users[c.query.openid!];
        if (!user) return { body: { errcode: 40003, errmsg: 'invalid openid rid: 6' } };
        return { body: { subscribe: 1, openid: c.query.openid, language: 'zh_CN', subscribe_time: 1714112445, ...user, remark: '', groupid: 0, tagid_list: [], subscribe_scene: 'ADD_SCENE_QR_CODE', qr_scene: 0, qr_scene_str: 'expo_2024_booth' } };
      },
    });
  });
  afterAll(async () => {
    http.close();
    await api.close();
  });

  const lookupConfig = () => ({ ...config, apiBaseUrl: api.baseUrl, allowPrivateNetwork: true });
  const secrets = { ...safeSecrets, appSecret: 'app-secret' };
  const item = (openid: string) => ({ wechat_openid: openid, eventType: 'wechat_subscribe', raw: {} });
  const run = (items: Record<string, unknown>[], cache: InMemorySharedCache, more: { config?: Record<string, unknown>; http?: HttpClient; secrets?: Record<string, string> } = {}) =>
    runNode(wechatOfficialTrigger, { config: more.config ?? lookupConfig(), secrets: more.secrets ?? secrets, items, http: more.http ?? http, cache });

  it('adds the unionid; two runs sharing the cache fetch one stable_token; a known openid costs no call', async () => {
    const before = api.calls.length;
    const cache = new InMemorySharedCache();
    const first = await run([item(OPENID)], cache);
    const second = await run([item('oOther'), item('oNoUnion')], cache);
    expect(first.out).toEqual([{ ...item(OPENID), wechat_unionid: 'o6_bmasdasdsad6_2sgVt7hMZOPfL' }]);
    expect(second.out).toEqual([{ ...item('oOther'), wechat_unionid: 'o6_bmotherunion' }, item('oNoUnion')]);
    const calls = api.calls.slice(before);
    expect(calls.filter((c) => c.path === '/cgi-bin/stable_token')).toHaveLength(1);
    expect(calls.find((c) => c.path === '/cgi-bin/stable_token')!.body).toEqual({ grant_type: 'client_credential', appid: v.appId, secret: 'app-secret', force_refresh: false });
    expect(calls.filter((c) => c.path === '/cgi-bin/user/info').map((c) => c.query.openid)).toEqual([OPENID, 'oOther', 'oNoUnion']);

    const third = await run([item(OPENID)], cache);
    expect(third.out).toEqual(first.out);
    expect(api.calls.length - before).toBe(4);
  });

  it('on an expired token (42001) fetches a new one and retries once', async () => {
    const cache = new InMemorySharedCache();
    await run([item(OPENID)], cache);
    for (const t of valid) expired.add(t);
    const before = api.calls.length;
    const res = await run([item('oOther')], cache);
    expect(res.out).toEqual([{ ...item('oOther'), wechat_unionid: 'o6_bmotherunion' }]);
    expect(api.calls.slice(before).map((c) => c.path)).toEqual(['/cgi-bin/user/info', '/cgi-bin/stable_token', '/cgi-bin/user/info']);
  });

  it('uses cgi-bin/token when configured (the secret stays out of error messages)', async () => {
    const before = api.calls.length;
    await run([item('oOther')], new InMemorySharedCache(), { config: { ...lookupConfig(), tokenEndpoint: 'token' } });
    const tokenCall = api.calls.slice(before).find((c) => c.path === '/cgi-bin/token')!;
    expect(tokenCall.query).toMatchObject({ grant_type: 'client_credential', appid: v.appId, secret: 'app-secret' });

    const res = await run([item('oOther')], new InMemorySharedCache(), { config: { ...lookupConfig(), tokenEndpoint: 'token' }, secrets: { ...secrets, appSecret: 'wrong-secret' } });
    const err = res.out![0]!.lookupError as { errcode: number; message: string };
    expect(err.errcode).toBe(40125);
    expect(err.message).not.toContain('wrong-secret');
  });

  it('keeps the item without a unionid when WeChat refuses; throws (retryable) when it is busy', async () => {
    const res = await run([item('oUnknown')], new InMemorySharedCache());
    expect(res.out).toEqual([{ ...item('oUnknown'), lookupError: { code: 'vendor_api_error', errcode: 40003, message: expect.stringMatching(/errcode 40003: invalid openid/) } }]);
    await expect(run([item('oBusy')], new InMemorySharedCache())).rejects.toMatchObject({ retryable: true, errcode: -1 });
  });

  it('refuses the loopback API unless allowPrivateNetwork is set', async () => {
    const res = await run([item(OPENID)], new InMemorySharedCache(), { config: { ...config, apiBaseUrl: api.baseUrl } });
    expect(res.out![0]).toMatchObject({ lookupError: { message: expect.stringMatching(/allowPrivateNetwork/) } });
  });

  it('calls nothing without an appSecret or with the lookup off', async () => {
    const noHttp: HttpClient = { request: () => Promise.reject(new Error('no call expected')) };
    expect((await run([item(OPENID)], new InMemorySharedCache(), { http: noHttp, secrets: safeSecrets })).out).toEqual([item(OPENID)]);
    expect((await run([item(OPENID)], new InMemorySharedCache(), { http: noHttp, config: { ...lookupConfig(), lookupUnionId: false } })).out).toEqual([item(OPENID)]);
  });
});

await describeNodeContract(wechatOfficialTrigger, { secrets: safeSecrets });
