import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describeNodeContract, InMemorySharedCache, NodeError, runNode, type HttpClient } from '@tributary/node-sdk';
import { realHttpClient, startLocalServer, type Answer, type LocalServer, type Received } from '../__fixtures__/http-server.fixture.js';
import { webhookMessageId } from './standard-webhooks.util.js';
import { displayUrl, webhookNotifyNode } from './webhook.node.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const now = new Date('2026-03-02T08:00:00.000Z');

/** A receiver verifying the way the Standard Webhooks spec and reference libraries do. */
function verifiedByReceiver(req: Received, secret: string, nowSeconds: number): boolean {
  const id = req.headers['webhook-id'];
  const ts = req.headers['webhook-timestamp'];
  const sigs = req.headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') return false;
  if (!/^\d+$/.test(ts) || Math.abs(nowSeconds - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${ts}.${req.raw}`).digest('base64'));
  return sigs.split(' ').some((entry) => {
    const [version, sig = ''] = entry.split(',');
    const got = Buffer.from(sig);
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

let server: LocalServer;
let answer: (req: Received) => Answer = () => ({ status: 204 });
const http = realHttpClient();

beforeAll(async () => {
  server = await startLocalServer({ 'POST /hooks/lead': (req) => answer(req), '*': (req) => answer(req) });
});
afterAll(async () => {
  http.close();
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  answer = () => ({ status: 204 });
});

const config = (extra: Record<string, unknown> = {}) => ({ url: `${server.baseUrl}/hooks/lead`, allowPrivateNetwork: true, ...extra });

describe('notify.webhook', () => {
  it('POSTs each item as JSON with a stable webhook-id, signed the Standard Webhooks way', async () => {
    const out = await runNode(webhookNotifyNode, {
      config: config({ signing: 'standard-webhooks', connection: 'conn_notify', headers: { authorization: 'Bearer t0k' } }),
      secrets: { secret: SECRET },
      items: [{ name: 'Ada', phone: '+8613800138000' }, { name: '张伟' }],
      http,
      now,
      runId: 'run-1',
      nodeId: 'hook',
    });
    expect(server.received).toHaveLength(2);
    const [first, second] = server.received as [Received, Received];
    expect(first.body).toEqual({ name: 'Ada', phone: '+8613800138000' });
    expect(second.raw).toBe('{"name":"张伟"}');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers.authorization).toBe('Bearer t0k');
    expect(first.headers['webhook-id']).toBe(webhookMessageId('run-1:hook:0'));
    expect(first.headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    expect(verifiedByReceiver(first, SECRET, now.getTime() / 1000)).toBe(true);
    expect(verifiedByReceiver(second, SECRET, now.getTime() / 1000)).toBe(true);
    expect(verifiedByReceiver(first, 'whsec_' + Buffer.alloc(24, 1).toString('base64'), now.getTime() / 1000)).toBe(false);
    expect(out.error).toEqual([]);
    expect(out.out).toEqual([
      { name: 'Ada', phone: '+8613800138000', notification: { channel: 'webhook', messageId: webhookMessageId('run-1:hook:0'), sentAt: now.toISOString(), status: 204 } },
      { name: '张伟', notification: { channel: 'webhook', messageId: webhookMessageId('run-1:hook:1'), sentAt: now.toISOString(), status: 204 } },
    ]);
  });

  it('builds the body with JSONata and sends no signature when signing is off', async () => {
    await runNode(webhookNotifyNode, {
      config: config({ bodyExpression: '{ "type": "lead.assigned", "data": { "name": name, "owner": owner.name } }' }),
      items: [{ name: 'Ada', owner: { name: 'Zhang Wei' } }],
      http,
      now,
    });
    expect(server.received[0]!.body).toEqual({ type: 'lead.assigned', data: { name: 'Ada', owner: 'Zhang Wei' } });
    expect(server.received[0]!.headers['webhook-signature']).toBeUndefined();
    expect(server.received[0]!.headers['webhook-id']).toMatch(/^msg_/);
  });

  it('sends refused items to error with the status and carries on', async () => {
    answer = (req) => ((req.body as { name: string }).name === 'bad' ? { status: 422, body: { error: 'phone missing' } } : (req.body as { name: string }).name === 'gone' ? { status: 410 } : { status: 200 });
    const out = await runNode(webhookNotifyNode, { config: config(), items: [{ name: 'bad' }, { name: 'gone' }, { name: 'ok' }], http, now, runId: 'r', nodeId: 'n' });
    expect(out.out).toHaveLength(1);
    expect(out.error).toEqual([
      { item: { name: 'bad' }, error: { code: 'webhook_status', message: `POST ${server.baseUrl}/hooks/lead answered 422`, details: { status: 422, body: '{"error":"phone missing"}', webhookId: webhookMessageId('r:n:0') } } },
      {
        item: { name: 'gone' },
        error: { code: 'webhook_status', message: `POST ${server.baseUrl}/hooks/lead answered 410 (the receiver disabled this endpoint)`, details: { status: 410, body: '{}', webhookId: webhookMessageId('r:n:1') } },
      },
    ]);
  });

  it('retries 5xx within the call, then fails the step as retryable; the retried step skips what was sent', async () => {
    const cache = new InMemorySharedCache();
    let fail = true;
    answer = (req) => ((req.body as { n: number }).n === 2 && fail ? { status: 503 } : { status: 200 });
    const items = [{ n: 1 }, { n: 2 }];
    const err = await runNode(webhookNotifyNode, { config: config({ maxAttempts: 2 }), items, http, now, cache, runId: 'r1', nodeId: 'n' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect((err as NodeError).retryable).toBe(true);
    expect(server.received.map((r) => (r.body as { n: number }).n)).toEqual([1, 2, 2]);
    // The same ids on every attempt: a receiver that saw the first 503'd delivery can drop a repeat.
    expect(new Set(server.to('/hooks/lead').slice(1).map((r) => r.headers['webhook-id'])).size).toBe(1);

    fail = false;
    const out = await runNode(webhookNotifyNode, { config: config({ maxAttempts: 2 }), items, http, now, cache, runId: 'r1', nodeId: 'n', attempt: 2 });
    expect(server.received.map((r) => (r.body as { n: number }).n)).toEqual([1, 2, 2, 2]);
    expect(out.out.map((i) => (i.notification as { messageId: string }).messageId)).toEqual([webhookMessageId('r1:n:0'), webhookMessageId('r1:n:1')]);

    // A third run of the same step sends nothing and emits the same items.
    const again = await runNode(webhookNotifyNode, { config: config({ maxAttempts: 2 }), items, http, now: new Date(now.getTime() + 60_000), cache, runId: 'r1', nodeId: 'n', attempt: 3 });
    expect(server.received).toHaveLength(4);
    expect(again.out).toEqual(out.out);
  });

  it('waits for a 429’s Retry-After before trying again', async () => {
    let calls = 0;
    answer = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 202 });
    const out = await runNode(webhookNotifyNode, { config: config(), items: [{ a: 1 }], http, now });
    expect(calls).toBe(2);
    expect(out.out[0]!.notification).toMatchObject({ status: 202 });
  });

  it('does not send while another attempt holds the item’s lock', async () => {
    const cache = new InMemorySharedCache();
    await cache.setIfAbsent('notify:lock:r2:n:0', String(now.getTime() + 30_000), 60);
    const err = (await runNode(webhookNotifyNode, { config: config(), items: [{ a: 1 }], http, now, cache, runId: 'r2', nodeId: 'n' }).catch((e: unknown) => e)) as NodeError;
    expect(err.code).toBe('send_in_progress');
    expect(err.retryable).toBe(true);
    expect(err.details).toEqual({ retryAfterMs: 30_000 });
    expect(server.received).toHaveLength(0);
  });

  it('refuses a private address unless allowed, without retrying', async () => {
    const err = (await runNode(webhookNotifyNode, { config: config({ allowPrivateNetwork: false }), items: [{ a: 1 }], http, now }).catch((e: unknown) => e)) as NodeError;
    expect(err).toBeInstanceOf(NodeError);
    expect(err.retryable).toBe(false);
    expect(server.received).toHaveLength(0);
  });

  it('needs a secret to sign with, and rejects headers it sets itself', async () => {
    const err = (await runNode(webhookNotifyNode, { config: config({ signing: 'standard-webhooks', connection: 'c' }), secrets: {}, items: [{}], http, now }).catch((e: unknown) => e)) as NodeError;
    expect(err.code).toBe('missing_secret');
    await expect(runNode(webhookNotifyNode, { config: config({ headers: { 'Webhook-Signature': 'x' } }), items: [], http })).rejects.toThrow(/headers\/Webhook-Signature Webhook-Signature is set by the node/);
    await expect(runNode(webhookNotifyNode, { config: config({ signing: 'standard-webhooks' }), items: [], http })).rejects.toThrow(/connection/);
  });

  it('masks credentials in URLs it reports', async () => {
    expect(displayUrl('https://open.feishu.cn/open-apis/bot/v2/hook/2f8a1c3e-77aa-4b0e-9c1d-0d5e6f7a8b9c')).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/***');
    expect(displayUrl('https://oapi.dingtalk.com/robot/send?access_token=abc123')).toBe('https://oapi.dingtalk.com/robot/send?access_token=***');
    expect(displayUrl('https://hooks.example.com/tributary/leads')).toBe('https://hooks.example.com/tributary/leads');
    answer = () => ({ status: 502 });
    const err = (await runNode(webhookNotifyNode, { config: { url: `${server.baseUrl}/hook/2f8a1c3e77aa4b0e9c1d0d5e6f7a8b9c?key=k1`, allowPrivateNetwork: true, maxAttempts: 1 }, items: [{}], http, now }).catch((e: unknown) => e)) as NodeError;
    expect(err.message).toBe(`webhook: POST ${server.baseUrl}/hook/***?key=*** answered 502: {}`);
    expect(err.retryable).toBe(true);
  });

  it('sends an item whose body expression fails to error', async () => {
    const out = await runNode(webhookNotifyNode, { config: config({ bodyExpression: '$error("no owner")' }), items: [{ a: 1 }], http, now });
    expect(out.error[0]).toMatchObject({ item: { a: 1 }, error: { code: 'expression_runtime' } });
    expect(server.received).toHaveLength(0);
  });
});

const okHttp: HttpClient = { request: async () => ({ status: 200, headers: {}, body: '' }) };
await describeNodeContract(webhookNotifyNode, { http: okHttp, secrets: { secret: SECRET } });
