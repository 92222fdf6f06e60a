import { describe, expect, it } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { PayloadError } from '@tributary/engine';
import { compileNodeConfig, runWebhookTrigger, silentLogger, type RunWebhookOptions, type WebhookTrigger } from '@tributary/node-sdk';
import { githubVector } from '../__fixtures__/github-hello.js';
import { itemsOf, webhookTrigger, type WebhookConfig } from './webhook.trigger.js';

const now = new Date('2025-06-01T12:00:00Z');
const nowSeconds = now.getTime() / 1000;
const secret = 'whsec_test_123';
const sign = (data: string, alg = 'sha256', enc: 'hex' | 'base64' = 'hex', key = secret) => createHmac(alg, key).update(data).digest(enc);

const deliver = (config: Record<string, unknown>, opts: Partial<RunWebhookOptions> = {}) =>
  runWebhookTrigger(webhookTrigger, { config, now, headers: { 'content-type': 'application/json' }, ...opts });

describe('core.webhook verify', () => {
  const hmacConfig = { auth: 'hmac', connection: 'c1' };
  const body = JSON.stringify({ id: 'evt_1', email: 'ada@example.com' });

  it('accepts anything with auth none', async () => {
    const res = await deliver({}, { body });
    expect(res.verify).toEqual({ ok: true });
    expect(res.events).toEqual([{ dedupeKey: undefined, items: [{ id: 'evt_1', email: 'ada@example.com' }] }]);
  });

  it('accepts GitHub’s own signed test vector and rejects it with another secret', async () => {
    const wh = webhookTrigger.trigger as WebhookTrigger<WebhookConfig>;
    const config = compileNodeConfig(webhookTrigger, { auth: 'hmac', connection: 'gh', signatureHeader: 'x-hub-signature-256' });
    const req = { method: 'POST', headers: { 'x-hub-signature-256': githubVector.signature }, query: {}, rawBody: Buffer.from(githubVector.body), url: 'https://t.test/h' };
    const ctx = (s: string) => ({ config, secrets: { secret: s }, node: { id: 'n', type: 'core.webhook', version: 1 }, flow: { id: 'f', version: 1, name: 'f' }, log: silentLogger, now: () => now });
    expect(await wh.verify(req, ctx(githubVector.secret))).toEqual({ ok: true });
    expect(await wh.verify(req, ctx('not the secret'))).toMatchObject({ ok: false });
  });

  it('accepts a correct HMAC and rejects a wrong or tampered one', async () => {
    const ok = await deliver(hmacConfig, { secrets: { secret }, headers: { 'x-signature-256': `sha256=${sign(body)}` }, body });
    expect(ok.verify).toEqual({ ok: true });
    const wrongKey = await deliver(hmacConfig, { secrets: { secret }, headers: { 'x-signature-256': `sha256=${sign(body, 'sha256', 'hex', 'other')}` }, body });
    expect(wrongKey.verify).toEqual({ ok: false, reason: 'signature does not match', status: 401 });
    const tampered = await deliver(hmacConfig, { secrets: { secret }, headers: { 'x-signature-256': `sha256=${sign(body)}` }, body: body.replace('ada', 'eve') });
    expect(tampered.verify?.ok).toBe(false);
    expect(tampered.events).toBeUndefined();
  });

  it('checks the prefix, algorithm and encoding that are configured', async () => {
    const cfg = { ...hmacConfig, signatureHeader: 'x-sig', signaturePrefix: '', algorithm: 'sha512', encoding: 'base64' };
    expect((await deliver(cfg, { secrets: { secret }, headers: { 'x-sig': sign(body, 'sha512', 'base64') }, body })).verify).toEqual({ ok: true });
    expect((await deliver(cfg, { secrets: { secret }, headers: { 'x-sig': sign(body, 'sha256', 'base64') }, body })).verify?.ok).toBe(false);
    const missingPrefix = await deliver(hmacConfig, { secrets: { secret }, headers: { 'x-signature-256': sign(body) }, body });
    expect(missingPrefix.verify).toMatchObject({ ok: false, reason: 'signature must start with "sha256="' });
  });

  it('never passes HMAC or token auth when the connection has no secret', async () => {
    const unsigned = await deliver(hmacConfig, { body });
    expect(unsigned.verify).toMatchObject({ ok: false, reason: expect.stringMatching(/has no "secret"/) });
    const signed = await deliver(hmacConfig, { secrets: {}, headers: { 'x-signature-256': `sha256=${sign(body, 'sha256', 'hex', '')}` }, body });
    expect(signed.verify).toMatchObject({ ok: false, reason: expect.stringMatching(/has no "secret"/) });
    const token = await deliver({ auth: 'token', connection: 'c1' }, { headers: { authorization: 'Bearer ' }, body });
    expect(token.verify).toMatchObject({ ok: false, reason: expect.stringMatching(/has no "token"/) });
  });

  it('rejects a missing signature header', async () => {
    expect((await deliver(hmacConfig, { secrets: { secret }, body })).verify).toMatchObject({ ok: false, reason: 'missing x-signature-256 header' });
  });

  it('signs timestamp.body and enforces the window when a timestamp header is set', async () => {
    const cfg = { ...hmacConfig, timestampHeader: 'x-timestamp', toleranceSeconds: 300 };
    const at = (ts: number, signedTs = ts) => ({
      secrets: { secret },
      headers: { 'x-timestamp': String(ts), 'x-signature-256': `sha256=${sign(`${signedTs}.${body}`)}` },
      body,
    });
    expect((await deliver(cfg, at(nowSeconds - 60))).verify).toEqual({ ok: true });
    const stale = await deliver(cfg, at(nowSeconds - 301));
    expect(stale.verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^stale timestamp/) });
    // A fresh timestamp on an old signature does not pass: the timestamp is signed.
    expect((await deliver(cfg, at(nowSeconds, nowSeconds - 3600))).verify).toMatchObject({ ok: false, reason: 'signature does not match' });
    // Signing only the body is not enough either.
    const bodyOnly = { secrets: { secret }, headers: { 'x-timestamp': String(nowSeconds), 'x-signature-256': `sha256=${sign(body)}` }, body };
    expect((await deliver(cfg, bodyOnly)).verify?.ok).toBe(false);
    expect((await deliver(cfg, { secrets: { secret }, headers: { 'x-signature-256': `sha256=${sign(body)}` }, body })).verify).toMatchObject({
      ok: false,
      reason: 'missing x-timestamp header',
    });
    // toleranceSeconds 0 disables the window, not the signature.
    expect((await deliver({ ...cfg, toleranceSeconds: 0 }, at(nowSeconds - 86_400))).verify).toEqual({ ok: true });
  });

  it('accepts a token as Bearer or bare, in any configured header', async () => {
    const cfg = { auth: 'token', connection: 'c1' };
    expect((await deliver(cfg, { secrets: { token: 't0k' }, headers: { authorization: 'Bearer t0k' }, body })).verify).toEqual({ ok: true });
    expect((await deliver(cfg, { secrets: { token: 't0k' }, headers: { authorization: 't0k' }, body })).verify).toEqual({ ok: true });
    expect((await deliver(cfg, { secrets: { token: 't0k' }, headers: { authorization: 'Bearer t0k2' }, body })).verify).toMatchObject({ ok: false, reason: 'token does not match' });
    expect((await deliver(cfg, { secrets: { token: 't0k' }, body })).verify).toMatchObject({ ok: false, reason: 'missing authorization header' });
    const custom = { ...cfg, tokenHeader: 'x-api-token' };
    expect((await deliver(custom, { secrets: { token: 't0k' }, headers: { 'x-api-token': 't0k' }, body })).verify).toEqual({ ok: true });
  });

  it('accepts only the configured methods', async () => {
    expect((await deliver({}, { method: 'GET' })).verify).toMatchObject({ ok: false, status: 405 });
    expect((await deliver({ methods: ['GET', 'POST'] }, { method: 'GET' })).verify).toEqual({ ok: true });
  });

  it('requires a connection when auth is not none, and a dedupe expression that parses', async () => {
    await expect(deliver({ auth: 'hmac' }, { body })).rejects.toThrow(/connection/);
    await expect(deliver({ dedupe: 'expression' }, { body })).rejects.toThrow(/dedupeExpression/);
    await expect(deliver({ dedupe: 'expression', dedupeExpression: 'event.' }, { body })).rejects.toThrow(/syntax error/);
  });
});

describe('core.webhook decode and map', () => {
  it('decodes form bodies', async () => {
    const res = await deliver({}, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Ada+L&email=ada%40example.com&tag=a&tag=b' });
    expect(res.events).toEqual([{ dedupeKey: undefined, items: [{ name: 'Ada L', email: 'ada@example.com', tag: ['a', 'b'] }] }]);
  });

  it('answers malformed JSON with a PayloadError', async () => {
    await expect(deliver({}, { body: '{"name": "Ada"' })).rejects.toThrow(PayloadError);
    await expect(deliver({}, { body: '{"name": "Ada"' })).rejects.toThrow(/^malformed JSON/);
  });

  it('turns an empty body into one empty item', async () => {
    expect((await deliver({}, { body: '' })).events).toEqual([{ dedupeKey: undefined, items: [{}] }]);
  });

  it('splits arrays into items, at the top or under itemsPath', async () => {
    expect((await deliver({}, { body: [{ a: 1 }, { a: 2 }] })).events![0]!.items).toEqual([{ a: 1 }, { a: 2 }]);
    const nested = { batch: 'b1', data: { leads: [{ n: 1 }, { n: 2 }, 3] } };
    expect((await deliver({ itemsPath: 'data.leads' }, { body: nested })).events![0]!.items).toEqual([{ n: 1 }, { n: 2 }, { value: 3 }]);
    // itemsPath that does not lead to an array: the payload is the item.
    expect((await deliver({ itemsPath: 'data.nothing' }, { body: nested })).events![0]!.items).toEqual([nested]);
    // An empty array: nothing to run.
    expect((await deliver({}, { body: [] })).events).toEqual([]);
  });

  it('itemsOf walks into arrays by index', () => {
    expect(itemsOf({ a: [{ b: [{ x: 1 }] }] }, 'a.0.b')).toEqual([{ x: 1 }]);
  });
});

describe('core.webhook dedupe', () => {
  const body = JSON.stringify({ event: { id: 'evt_42' }, n: 1 });

  it('uses the usual delivery-id headers by default, in order', async () => {
    const both = await deliver({}, { headers: { 'x-request-id': 'req-1', 'idempotency-key': 'idem-1' }, body });
    expect(both.events![0]!.dedupeKey).toBe('idem-1');
    expect((await deliver({}, { headers: { 'X-Delivery-Id': 'd-9' }, body })).events![0]!.dedupeKey).toBe('d-9');
    expect((await deliver({}, { body })).events![0]!.dedupeKey).toBeUndefined();
    expect((await deliver({ dedupeHeader: 'x-github-delivery' }, { headers: { 'x-github-delivery': 'gh-1', 'x-request-id': 'r' }, body })).events![0]!.dedupeKey).toBe('gh-1');
  });

  it('evaluates a JSONata expression over the payload', async () => {
    const cfg = { dedupe: 'expression', dedupeExpression: 'event.id' };
    expect((await deliver(cfg, { body })).events![0]!.dedupeKey).toBe('evt_42');
    expect((await deliver({ dedupe: 'expression', dedupeExpression: 'n' }, { body })).events![0]!.dedupeKey).toBe('1');
    expect((await deliver({ dedupe: 'expression', dedupeExpression: 'missing' }, { body })).events![0]!.dedupeKey).toBeUndefined();
  });

  it('hashes the raw body', async () => {
    const res = await deliver({ dedupe: 'body-hash' }, { body });
    expect(res.events![0]!.dedupeKey).toBe(`sha256:${createHash('sha256').update(body).digest('hex')}`);
    const other = await deliver({ dedupe: 'body-hash' }, { body: body.replace('1', '2') });
    expect(other.events![0]!.dedupeKey).not.toBe(res.events![0]!.dedupeKey);
  });

  it('can be turned off', async () => {
    expect((await deliver({ dedupe: 'none' }, { headers: { 'idempotency-key': 'k' }, body })).events![0]!.dedupeKey).toBeUndefined();
  });
});
