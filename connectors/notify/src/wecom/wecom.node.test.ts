import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { describeNodeContract, InMemorySharedCache, NodeError, runNode } from '@tributary/node-sdk';
import { realHttpClient, startLocalServer, type Answer, type LocalServer, type Received } from '../__fixtures__/http-server.fixture.js';
import { wecomAppConnection } from '../connections/wecom-app.connection.js';
import { wecomNotifyNode } from './wecom.node.js';

// A local qyapi.weixin.qq.com: gettoken with corpid/corpsecret, message/send and agent/get
// with access_token, answering HTTP 200 {errcode, errmsg, …} as WeCom documents.
const CORP = 'ww2f1bd5ac8bc7e4a0';
const SECRET = 'app-secret-for-agent-1000002';
const secrets = { corpId: CORP, agentId: '1000002', secret: SECRET };
const now = new Date('2026-03-02T08:00:00.000Z');

let server: LocalServer;
let tokens = 0;
let validToken = 'token-1';
let send: (req: Received) => Answer = () => ({ body: { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: 'msg-1' } });
const http = realHttpClient();

beforeAll(async () => {
  server = await startLocalServer({
    'GET /cgi-bin/gettoken': (req) => {
      if (req.query.corpid !== CORP) return { body: { errcode: 40013, errmsg: 'invalid corpid' } };
      if (req.query.corpsecret !== SECRET) return { body: { errcode: 40001, errmsg: 'invalid credential, hint: [1772438400_7_abc]' } };
      tokens++;
      return { body: { errcode: 0, errmsg: 'ok', access_token: validToken, expires_in: 7200 } };
    },
    'POST /cgi-bin/message/send': (req) => (req.query.access_token !== validToken ? { body: { errcode: 40014, errmsg: 'invalid access_token' } } : send(req)),
    'GET /cgi-bin/agent/get': (req) => {
      if (req.query.access_token !== validToken) return { body: { errcode: 40014, errmsg: 'invalid access_token' } };
      return req.query.agentid === '1000002' ? { body: { errcode: 0, errmsg: 'ok', agentid: 1000002, name: 'CRM 助手' } } : { body: { errcode: 301002, errmsg: 'not allow operate another agent with this accesstoken.' } };
    },
  });
});
afterAll(async () => {
  http.close();
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  tokens = 0;
  validToken = 'token-1';
  let n = 0;
  send = () => ({ body: { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: `msg-${++n}` } });
});

const config = (extra: Record<string, unknown> = {}) => ({
  connection: 'conn_wecom_app',
  touserField: 'owner.wecomUserId',
  content: '客户 {{name}}（{{phone}}）已 3 天未跟进，请尽快联系。',
  apiBaseUrl: server.baseUrl,
  allowPrivateNetwork: true,
  ...extra,
});
const item = (name: string, userid: unknown = 'ZhangWei') => ({ name, phone: '13800138000', customerId: 'c 1/2', owner: { name: '张伟', wecomUserId: userid } });

describe('notify.wecom', () => {
  it('sends text messages to the owner with one shared token', async () => {
    const cache = new InMemorySharedCache();
    const out = await runNode(wecomNotifyNode, { http, config: config(), secrets, items: [item('Ada'), item('李雷', 'lilei')], cache, now, runId: 'r', nodeId: 'w' });
    expect(tokens).toBe(1);
    const sends = server.to('/cgi-bin/message/send');
    expect(sends.map((r) => r.body)).toEqual([
      { touser: 'ZhangWei', msgtype: 'text', text: { content: '客户 Ada（13800138000）已 3 天未跟进，请尽快联系。' }, enable_duplicate_check: 1, duplicate_check_interval: 1800, agentid: 1000002 },
      { touser: 'lilei', msgtype: 'text', text: { content: '客户 李雷（13800138000）已 3 天未跟进，请尽快联系。' }, enable_duplicate_check: 1, duplicate_check_interval: 1800, agentid: 1000002 },
    ]);
    expect(out.out.map((i) => i.notification)).toEqual([
      { channel: 'wecom', messageId: 'msg-1', sentAt: now.toISOString(), touser: ['ZhangWei'], undelivered: [] },
      { channel: 'wecom', messageId: 'msg-2', sentAt: now.toISOString(), touser: ['lilei'], undelivered: [] },
    ]);
    // Another run (another worker) reuses the cached token.
    await runNode(wecomNotifyNode, { http, config: config(), secrets, items: [item('Bob')], cache, now, runId: 'r2', nodeId: 'w' });
    expect(tokens).toBe(1);
  });

  it('sends text cards and markdown, with placeholders (URL values encoded) and WeCom’s length limits', async () => {
    await runNode(wecomNotifyNode, { http,
      config: config({ msgtype: 'textcard', title: '跟进提醒：{{name}}', url: 'https://crm.example.com/customers/{{customerId}}', btntxt: '查看', duplicateCheckSeconds: 0 }),
      secrets,
      items: [item('Ada')],
      now,
    });
    expect(server.to('/cgi-bin/message/send')[0]!.body).toEqual({
      touser: 'ZhangWei',
      msgtype: 'textcard',
      textcard: { title: '跟进提醒：Ada', description: '客户 Ada（13800138000）已 3 天未跟进，请尽快联系。', url: 'https://crm.example.com/customers/c%201%2F2', btntxt: '查看' },
      enable_duplicate_check: 0,
      agentid: 1000002,
    });

    const long = '长'.repeat(1000); // 3000 bytes
    const out = await runNode(wecomNotifyNode, { http, config: config({ msgtype: 'markdown', content: '**{{name}}**' }), secrets, items: [item(long)], now });
    const content = (server.to('/cgi-bin/message/send')[1]!.body as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048);
    expect(content.startsWith('**长')).toBe(true);
    expect(out.out[0]!.notification).toMatchObject({ truncated: true });
  });

  it('renews a token WeCom rejects and tries once more', async () => {
    const cache = new InMemorySharedCache();
    await runNode(wecomNotifyNode, { http, config: config(), secrets, items: [item('A')], cache, now, runId: 'r1', nodeId: 'w' });
    validToken = 'token-2'; // reset by an admin, or expired early
    const out = await runNode(wecomNotifyNode, { http, config: config(), secrets, items: [item('B')], cache, now, runId: 'r2', nodeId: 'w' });
    expect(out.out).toHaveLength(1);
    expect(tokens).toBe(2);
    expect(server.to('/cgi-bin/message/send').map((r) => r.query.access_token)).toEqual(['token-1', 'token-1', 'token-2']);
  });

  it('sends items WeCom cannot deliver to error, and keeps partial deliveries', async () => {
    send = (req) => {
      const touser = (req.body as { touser: string }).touser;
      if (touser === 'ghost') return { body: { errcode: 81013, errmsg: 'user & party & tag all invalid' } };
      if (touser === 'Left') return { body: { errcode: 0, errmsg: 'ok', invaliduser: 'left', msgid: 'm' } };
      return { body: { errcode: 0, errmsg: 'ok', invaliduser: 'left', msgid: 'm2' } };
    };
    const out = await runNode(wecomNotifyNode, { http, config: config(), secrets, items: [item('A', 'ghost'), { name: 'B' }, item('C', 'Left')], now });
    expect(out.error.map((e) => e.error)).toEqual([
      { code: 'wecom_refused', message: expect.stringContaining('errcode 81013'), details: { errcode: 81013, errmsg: 'user & party & tag all invalid' } },
      { code: 'no_recipient', message: 'the item has no WeCom userid in "owner.wecomUserId"' },
      { code: 'recipient_unreachable', message: 'WeCom could not deliver to Left (not in the app’s visible range, or without a licence)', details: { invaliduser: 'left' } },
    ]);
    const partial = await runNode(wecomNotifyNode, { http, config: config({ touser: ['Left'] }), secrets, items: [item('C', 'ZhangWei')], now });
    expect(server.to('/cgi-bin/message/send').at(-1)!.body).toMatchObject({ touser: 'Left|ZhangWei' });
    expect(partial.out[0]!.notification).toMatchObject({ touser: ['Left', 'ZhangWei'], undelivered: ['Left'] });
  });

  it('sends items without a userid to error before calling WeCom', async () => {
    const out = await runNode(wecomNotifyNode, { http, config: config(), secrets, items: [{ name: 'no owner' }, item('x', '@all'), item('y', 'bad id!')], now });
    expect(out.error.map((e) => (e.error as { code: string }).code)).toEqual(['no_recipient', 'invalid_recipient', 'invalid_recipient']);
    expect(server.received).toHaveLength(0);
  });

  it('retries "system busy" and rate limits; a retried step does not send twice', async () => {
    const cache = new InMemorySharedCache();
    let busy = true;
    send = (req) => ((req.body as { text: { content: string } }).text.content.includes('B') && busy ? { body: { errcode: 45009, errmsg: 'api freq out of limit' } } : { body: { errcode: 0, errmsg: 'ok', msgid: 'ok' } });
    const items = [item('A'), item('B')];
    const err = (await runNode(wecomNotifyNode, { http, config: config(), secrets, items, cache, now, runId: 'r', nodeId: 'w' }).catch((e: unknown) => e)) as NodeError;
    expect(err).toMatchObject({ retryable: true });
    expect(err.message).toContain('45009');
    busy = false;
    const out = await runNode(wecomNotifyNode, { http, config: config(), secrets, items, cache, now, runId: 'r', nodeId: 'w', attempt: 2 });
    expect(out.out).toHaveLength(2);
    const contents = server.to('/cgi-bin/message/send').map((r) => (r.body as { text: { content: string } }).text.content.slice(3, 4));
    expect(contents).toEqual(['A', 'B', 'B']);
  });

  it('fails the step without retry for connection problems, in words', async () => {
    send = () => ({ body: { errcode: 60020, errmsg: 'not allow to access from your ip' } });
    const ip = (await runNode(wecomNotifyNode, { http, config: config(), secrets, items: [item('A')], now }).catch((e: unknown) => e)) as NodeError;
    expect(ip).toMatchObject({ code: 'wecom_connection', retryable: false });
    expect(ip.message).toContain('trusted IPs');

    const wrong = (await runNode(wecomNotifyNode, { http, config: config(), secrets: { ...secrets, secret: 'wrong' }, items: [item('A')], now }).catch((e: unknown) => e)) as NodeError;
    expect(wrong).toMatchObject({ code: 'wecom_token_refused', retryable: false });
    expect(wrong.message).toContain('40001 (the app secret is wrong or was reset)');
    expect(wrong.message).not.toContain('wrong:');

    await expect(runNode(wecomNotifyNode, { http, config: config(), secrets: { ...secrets, agentId: 'crm' }, items: [item('A')], now })).rejects.toThrow(/numeric AgentId/);
  });

  it('takes the message from a JSONata expression', async () => {
    await runNode(wecomNotifyNode, { http,
      config: { connection: 'c', touser: ['lead01'], msgtype: 'textcard', messageExpression: '{ "title": "RFM " & tier, "description": name & " 进入高价值客群", "url": "https://crm.example.com/s/" & tier }', apiBaseUrl: server.baseUrl, allowPrivateNetwork: true },
      secrets,
      items: [{ name: 'Ada', tier: 'A' }],
      now,
    });
    expect(server.to('/cgi-bin/message/send')[0]!.body).toMatchObject({ touser: 'lead01', textcard: { title: 'RFM A', description: 'Ada 进入高价值客群', url: 'https://crm.example.com/s/A' } });
  });
});

describe('wecom_app connection check', () => {
  const check = (s: Record<string, string>) => wecomAppConnection.check!({ ...s, apiBaseUrl: server.baseUrl, allowPrivateNetwork: 'true' }, { http, now: () => now });

  it('fetches a token and reads the agent', async () => {
    await expect(check(secrets)).resolves.toBeUndefined();
    expect(server.received.map((r) => r.path)).toEqual(['/cgi-bin/gettoken', '/cgi-bin/agent/get']);
  });

  it('names a wrong secret, corp or agent', async () => {
    await expect(check({ ...secrets, secret: 'nope' })).rejects.toThrow('WeCom refused the access token request: errcode 40001 (the app secret is wrong or was reset)');
    await expect(check({ ...secrets, corpId: 'ww000' })).rejects.toThrow(/errcode 40013 \(the corpId is not valid\)/);
    await expect(check({ ...secrets, agentId: '1000003' })).rejects.toThrow(/agent 1000003: .*errcode 301002 \(the secret belongs to another app than agentId\)/);
    await expect(check({ ...secrets, agentId: '' })).rejects.toThrow(/"agentId" is missing/);
  });
});

await describeNodeContract(wecomNotifyNode);
