import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { describeNodeContract, InMemorySharedCache, PayloadError, runNode, runWebhookTrigger, type HttpClient, type RunWebhookOptions } from '@tributary/node-sdk';
import { at, wecomPythonVectors as py, wecomVectors as v } from '../__fixtures__/official-vectors.js';
import { contactEventXml, EXTERNAL_USERID, externalContactAnswer } from '../__fixtures__/wecom-contact.fixture.js';
import { realHttpClient, startFakeApi, type FakeApi } from '../__fixtures__/wx-api-server.fixture.js';
import { encryptedPush, urlWith } from '../__fixtures__/wx-delivery.fixture.js';
import { contactFields, wecomCallbackTrigger } from './wecom-callback.trigger.js';

const config = { connection: 'conn_wecom' };
const secrets = { token: v.token, encodingAesKey: v.encodingAesKey, corpId: v.corpId };
const keys = { token: v.token, encodingAesKey: v.encodingAesKey, receiveId: v.corpId };
const deliver = (opts: Partial<RunWebhookOptions>) => runWebhookTrigger(wecomCallbackTrigger, { config, secrets, ...opts });

const NOW = '1714528800';
const addEvent = (opts: Partial<Parameters<typeof contactEventXml>[1]> = {}) => contactEventXml('add_external_contact', { corpId: v.corpId, createTime: NOW, state: 'expo_2024', ...opts });

describe('wecom.callback URL verification (GET)', () => {
  it('answers the official example with the decrypted echostr', async () => {
    const res = await deliver({ method: 'GET', query: v.verifyUrl.query, now: at(v.verifyUrl.query.timestamp) });
    expect(res.handshake).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '1616140317555161061' });
  });

  it('answers the Python sample’s verification', async () => {
    const res = await deliver({ method: 'GET', query: py.verifyUrl.query, now: at(py.verifyUrl.query.timestamp), secrets: { token: py.token, encodingAesKey: py.encodingAesKey, corpId: py.corpId } });
    expect(res.handshake).toMatchObject({ status: 200, body: '1288432023552776189' });
  });

  it('keeps the + of the base64 echostr whether the URL encodes it or not, or a parser turned it into a space', async () => {
    const now = at(v.verifyUrl.query.timestamp);
    const q = v.verifyUrl.query;
    const literal = `https://t.test/hooks/f/n?msg_signature=${q.msg_signature}&timestamp=${q.timestamp}&nonce=${q.nonce}&echostr=${q.echostr}`;
    expect((await deliver({ method: 'GET', url: literal, query: {}, now })).handshake).toMatchObject({ status: 200, body: '1616140317555161061' });
    expect((await deliver({ method: 'GET', url: urlWith(q), query: {}, now })).handshake).toMatchObject({ status: 200, body: '1616140317555161061' });
    expect((await deliver({ method: 'GET', query: { ...q, echostr: q.echostr.replace(/\+/g, ' ') }, now })).handshake).toMatchObject({ status: 200 });
  });

  it('refuses a wrong token, another corp, a stale timestamp, a missing echostr and missing secrets', async () => {
    const now = at(v.verifyUrl.query.timestamp);
    expect((await deliver({ method: 'GET', query: v.verifyUrl.query, now, secrets: { ...secrets, token: 'other' } })).handshake).toMatchObject({ status: 401, body: 'msg_signature does not match (wrong token?)' });
    expect((await deliver({ method: 'GET', query: v.verifyUrl.query, now, secrets: { ...secrets, corpId: 'ww0000000000000000' } })).handshake).toMatchObject({
      status: 401,
      body: expect.stringMatching(/addressed to corpId "wx5823bf96d3bd56c7"/),
    });
    expect((await deliver({ method: 'GET', query: v.verifyUrl.query, now: at(v.verifyUrl.query.timestamp, 301) })).handshake).toMatchObject({ status: 401, body: expect.stringMatching(/^stale timestamp/) });
    expect((await deliver({ method: 'GET', query: { ...v.verifyUrl.query, echostr: undefined }, now })).handshake).toMatchObject({ status: 400 });
    expect((await deliver({ method: 'GET', query: v.verifyUrl.query, now, secrets: { token: v.token } })).handshake).toMatchObject({ status: 401 });
  });
});

describe('wecom.callback POST', () => {
  it('decrypts the official XML callback; a text message only starts a run with events "all"', async () => {
    const push = { query: v.decryptXml.query, headers: { 'content-type': 'text/xml' }, body: v.decryptXml.body, now: at(v.decryptXml.query.timestamp) };
    const dropped = await deliver(push);
    expect(dropped.verify).toEqual({ ok: true });
    expect(dropped.events).toEqual([]);
    const all = await deliver({ ...push, config: { ...config, events: 'all' } });
    expect(all.events).toEqual([
      {
        dedupeKey: '4561255354251345929',
        items: [
          {
            eventType: 'wecom_message',
            wecom_userid: 'mycreate',
            content: 'hello',
            occurredAt: '2014-09-02T12:10:13.000Z',
            raw: { ToUserName: 'wx5823bf96d3bd56c7', FromUserName: 'mycreate', CreateTime: '1409659813', MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929', AgentID: '218' },
          },
        ],
      },
    ]);
  });

  it('decrypts the official JSON callback with its 64-bit MsgId exact, and the Python sample', async () => {
    const json = await deliver({ config: { ...config, events: 'all' }, query: v.decryptJson.query, headers: { 'content-type': 'application/json' }, body: v.decryptJson.body, now: at(v.decryptJson.query.timestamp) });
    expect(json.events![0]!.dedupeKey).toBe('4561255354251345929');
    const pySecrets = { token: py.token, encodingAesKey: py.encodingAesKey, corpId: py.corpId };
    const sample = await deliver({ config: { ...config, events: 'all' }, secrets: pySecrets, query: py.decryptXml.query, body: py.decryptXml.body, now: at(py.decryptXml.query.timestamp) });
    expect(sample.events![0]!.items[0]).toMatchObject({ content: '你好', wecom_userid: 'ChenJiaShun' });
  });

  it('maps add_external_contact: external userid, owner, channel (State), time, and a key that is the same on a retry', async () => {
    const first = await deliver({ ...encryptedPush(keys, addEvent(), NOW, { nonce: '111' }), now: at(NOW) });
    expect(first.events).toEqual([
      {
        dedupeKey: `${v.corpId}:${NOW}:add_external_contact:${EXTERNAL_USERID}:rocky`,
        items: [
          {
            wecom_external_userid: EXTERNAL_USERID,
            eventType: 'wecom_contact_added',
            owner_userid: 'rocky',
            channel: 'expo_2024',
            occurredAt: '2024-05-01T02:00:00.000Z',
            raw: expect.objectContaining({ FromUserName: 'sys', Event: 'change_external_contact', WelcomeCode: 'WELCOMECODE' }),
          },
        ],
      },
    ]);
    // WeCom retries with a new timestamp and nonce in the URL, the same event inside.
    const retry = await deliver({ ...encryptedPush(keys, addEvent(), String(Number(NOW) + 5), { nonce: '222' }), now: at(NOW, 5) });
    expect(retry.events![0]!.dedupeKey).toBe(first.events![0]!.dedupeKey);
    // The JSON callback format carries the same event.
    const json = await deliver({ ...encryptedPush(keys, addEvent(), NOW, { format: 'json' }), now: at(NOW) });
    expect(json.events![0]!.dedupeKey).toBe(first.events![0]!.dedupeKey);
  });

  it('names every change type', async () => {
    const types: Record<string, string> = {
      edit_external_contact: 'wecom_contact_edited',
      add_half_external_contact: 'wecom_contact_half_added',
      del_external_contact: 'wecom_contact_deleted',
      del_follow_user: 'wecom_contact_removed_staff',
      transfer_fail: 'wecom_contact_transfer_failed',
      some_new_change: 'wecom_contact_some_new_change',
    };
    for (const [changeType, eventType] of Object.entries(types)) {
      const res = await deliver({ ...encryptedPush(keys, contactEventXml(changeType, { corpId: v.corpId, createTime: NOW }), NOW), now: at(NOW) });
      expect(res.events![0]!.items[0]).toMatchObject({ eventType, wecom_external_userid: EXTERNAL_USERID, raw: expect.objectContaining({ ChangeType: changeType }) });
      expect(res.events![0]!.dedupeKey).toContain(changeType);
    }
  });

  it('refuses a tampered body, a wrong token, another corp, a stale callback and a missing msg_signature', async () => {
    const push = encryptedPush(keys, addEvent(), NOW);
    const tampered = push.body.replace(push.encrypt, push.encrypt.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
    expect((await deliver({ ...push, body: tampered, now: at(NOW) })).verify).toEqual({ ok: false, status: 401, reason: 'msg_signature does not match (wrong token?)' });
    expect((await deliver({ ...push, now: at(NOW), secrets: { ...secrets, token: 'other' } })).verify).toMatchObject({ ok: false, status: 401 });
    const otherCorp = encryptedPush({ ...keys, receiveId: 'ww1436e0e65a779aee' }, addEvent(), NOW);
    expect((await deliver({ ...otherCorp, now: at(NOW) })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/addressed to corpId "ww1436e0e65a779aee"/) });
    expect((await deliver({ ...push, now: at(NOW, 301) })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^stale timestamp/) });
    expect((await deliver({ ...push, query: { ...push.query, msg_signature: undefined }, now: at(NOW) })).verify).toMatchObject({ ok: false, status: 401 });
    expect((await deliver({ ...push, now: at(NOW), secrets: { token: v.token, corpId: v.corpId } })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/no "encodingAesKey"/) });
  });

  it('answers 400 for an unreadable envelope and PayloadError for a signed message that is garbage', async () => {
    const push = encryptedPush(keys, addEvent(), NOW);
    expect((await deliver({ ...push, body: 'garbage', now: at(NOW) })).verify).toMatchObject({ ok: false, status: 400 });
    await expect(deliver({ ...encryptedPush(keys, '<xml><Broken>', NOW), now: at(NOW) })).rejects.toThrow(PayloadError);
    await expect(deliver({ ...encryptedPush(keys, '<xml><Event>change_external_contact</Event></xml>', NOW), now: at(NOW) })).rejects.toThrow(/no MsgType/);
  });
});

describe('wecom.callback customer details (local WeCom API)', () => {
  let api: FakeApi;
  let issued = 0;
  const valid = new Set<string>();
  const expired = new Map<string, number>();
  const http = realHttpClient();

  beforeAll(async () => {
    api = await startFakeApi({
      'GET /cgi-bin/gettoken': (c) => {
        if (c.query.corpid !== v.corpId) return { body: { errcode: 40013, errmsg: 'invalid corpid, hint: [1714528800_1_a], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=40013' } };
        if (c.query.corpsecret !== 'contact-secret') return { body: { errcode: 40001, errmsg: 'invalid credential, hint: [1714528800_2_b], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=40001' } };
        const t = `WECOM_TOKEN_${++issued}`;
        valid.add(t);
        return { body: { errcode: 0, errmsg: 'ok', access_token: t, expires_in: 7200 } };
      },
      'GET /cgi-bin/externalcontact/get': (c) => {
        const t = c.query.access_token!;
        if (expired.has(t)) return { body: { errcode: expired.get(t), errmsg: expired.get(t) === 42001 ? 'access_token expired, hint: [x]' : 'invalid access_token, hint: [y]' } };
        if (!valid.has(t)) return { body: { errcode: 40014, errmsg: 'invalid access_token, hint: [z]' } };
        if (c.query.external_userid === 'busy') return { body: { errcode: -1, errmsg: 'system busy' } };
        if (c.query.external_userid !== EXTERNAL_USERID) return { body: { errcode: 84061, errmsg: 'not external contact, hint: [n]' } };
        return { body: externalContactAnswer };
      },
    });
  });
  afterAll(async () => {
    http.close();
    await api.close();
  });

  const apiConfig = () => ({ ...config, apiBaseUrl: api.baseUrl, allowPrivateNetwork: true });
  const withSecret = { ...secrets, secret: 'contact-secret' };
  const item = (eventType = 'wecom_contact_added', owner = 'rocky', externalUserId = EXTERNAL_USERID) => ({
    wecom_external_userid: externalUserId,
    eventType,
    owner_userid: owner,
    channel: 'expo_2024',
    raw: {},
  });
  const run = (items: Record<string, unknown>[], cache: InMemorySharedCache, more: { secrets?: Record<string, string>; http?: HttpClient; config?: Record<string, unknown> } = {}) =>
    runNode(wecomCallbackTrigger, { config: more.config ?? apiConfig(), secrets: more.secrets ?? withSecret, items, http: more.http ?? http, cache });

  it('adds name, company, title, the owner’s remark mobile and the unionid', async () => {
    const res = await run([item()], new InMemorySharedCache());
    expect(res.out).toEqual([
      {
        ...item(),
        wechat_unionid: 'ozynqsulJFCZ2z1aYeS8h-nuasdAAA',
        name: '李四',
        company: '腾讯',
        title: '采购经理',
        phone: '13912345678',
        wecom_contact: { external_contact: externalContactAnswer.external_contact, follow_user: externalContactAnswer.follow_user[0] },
      },
    ]);
    // Another owner without remark mobiles: no phone.
    const tommy = await run([item('wecom_contact_edited', 'tommy')], new InMemorySharedCache());
    expect(tommy.out![0]).not.toHaveProperty('phone');
    expect(tommy.out![0]).toMatchObject({ name: '李四', wecom_contact: { follow_user: { userid: 'tommy' } } });
  });

  it('fetches one token for two runs sharing the cache', async () => {
    const before = api.calls.length;
    const cache = new InMemorySharedCache();
    await run([item()], cache);
    await run([item('wecom_contact_edited')], cache);
    const calls = api.calls.slice(before);
    expect(calls.map((c) => c.path)).toEqual(['/cgi-bin/gettoken', '/cgi-bin/externalcontact/get', '/cgi-bin/externalcontact/get']);
    expect(calls[0]!.query).toEqual({ corpid: v.corpId, corpsecret: 'contact-secret' });
    expect(calls[1]!.query).toEqual({ access_token: calls[2]!.query.access_token, external_userid: EXTERNAL_USERID });
  });

  it.each([42001, 40014])('on token error %i invalidates the token, fetches a new one and retries once', async (errcode) => {
    const cache = new InMemorySharedCache();
    await run([item()], cache);
    for (const t of valid) expired.set(t, errcode);
    const before = api.calls.length;
    const res = await run([item()], cache);
    expect(res.out![0]).toMatchObject({ name: '李四' });
    expect(api.calls.slice(before).map((c) => c.path)).toEqual(['/cgi-bin/externalcontact/get', '/cgi-bin/gettoken', '/cgi-bin/externalcontact/get']);
  });

  it('does not fetch for deletions; keeps the item when WeCom refuses; throws (retryable) when it is busy', async () => {
    const noHttp: HttpClient = { request: () => Promise.reject(new Error('no call expected')) };
    expect((await run([item('wecom_contact_deleted')], new InMemorySharedCache(), { http: noHttp })).out).toEqual([item('wecom_contact_deleted')]);
    const gone = await run([item('wecom_contact_edited', 'rocky', 'wmGoneAAAA')], new InMemorySharedCache());
    expect(gone.out![0]).toMatchObject({ wecom_external_userid: 'wmGoneAAAA', lookupError: { errcode: 84061 } });
    await expect(run([item('wecom_contact_added', 'rocky', 'busy')], new InMemorySharedCache())).rejects.toMatchObject({ retryable: true, errcode: -1 });
  });

  it('a wrong secret leaves the callback fields only, and the error never shows the secret', async () => {
    const res = await run([item()], new InMemorySharedCache(), { secrets: { ...secrets, secret: 'wrong-secret' } });
    const err = res.out![0]!.lookupError as { errcode: number; message: string };
    expect(err.errcode).toBe(40001);
    expect(err.message).toMatch(/invalid credential/);
    expect(err.message).not.toContain('wrong-secret');
    expect(res.out![0]).not.toHaveProperty('name');
  });

  it('calls nothing without a secret or with fetching off', async () => {
    const noHttp: HttpClient = { request: () => Promise.reject(new Error('no call expected')) };
    expect((await run([item()], new InMemorySharedCache(), { http: noHttp, secrets })).out).toEqual([item()]);
    expect((await run([item()], new InMemorySharedCache(), { http: noHttp, config: { ...apiConfig(), fetchContact: false } })).out).toEqual([item()]);
  });
});

await describeNodeContract(wecomCallbackTrigger, { secrets });

describe('wecom.callback contact fields', () => {
  it('reads the answer as it is: a field of another shape than documented is absent, not a TypeError that fails the run', () => {
    const item = { external_userid: EXTERNAL_USERID, owner_userid: 'zhangsan' };
    const odd = {
      external_contact: { unionid: 12, name: { zh: '李' }, corp_name: '', corp_full_name: '云帆科技有限公司', position: ['经理'] },
      follow_user: { userid: 'zhangsan', remark_mobiles: '13912345678' },
    } as never;
    expect(contactFields(item, odd)).toEqual({ ...item, wechat_unionid: '12', company: '云帆科技有限公司', wecom_contact: { external_contact: (odd as { external_contact: unknown }).external_contact } });
    const list = { follow_user: [null, { userid: 'zhangsan', remark_mobiles: [7, ' ', '13912345678'], remark_corp_name: '海纳' }] } as never;
    expect(contactFields(item, list)).toMatchObject({ phone: '13912345678', company: '海纳' });
    expect(contactFields({ external_userid: EXTERNAL_USERID }, { external_contact: null, follow_user: [{ userid: 42 }] } as never)).toMatchObject({ owner_userid: '42' });
  });
});

