import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { describeNodeContract, PayloadError, runNode, runWebhookTrigger, VendorApiError, type HttpClient, type RunWebhookOptions } from '@tributary/node-sdk';
import { accessToken, appSecret, batchNotification, expiredTokenError, leadgenNotification, leadResponse, sign, verificationQuery, verifyToken } from '../__fixtures__/meta.fixtures.js';
import { realHttp, startVendorServer, type SeenRequest, type VendorReply } from '../__fixtures__/vendor-server.js';
import { metaLeadAdsTrigger } from './lead-ads.trigger.js';

const secrets = { verifyToken, appSecret, accessToken };
const config = { connection: 'conn_meta' };
const deliver = (opts: Partial<RunWebhookOptions>) => runWebhookTrigger(metaLeadAdsTrigger, { config, secrets, headers: { 'content-type': 'application/json' }, ...opts });

describe('meta.leadads handshake', () => {
  it('echoes hub.challenge as text/plain for Meta’s documented verification request', async () => {
    const res = await deliver({ method: 'GET', query: verificationQuery });
    expect(res.handshake).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '1158201444' });
  });

  it('refuses a wrong or missing verify token, and a connection without one', async () => {
    expect((await deliver({ method: 'GET', query: { ...verificationQuery, 'hub.verify_token': 'meatyhamhocks' } })).handshake?.status).toBe(403);
    expect((await deliver({ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.challenge': '1' } })).handshake?.status).toBe(403);
    expect((await deliver({ method: 'GET', query: verificationQuery, secrets: { appSecret } })).handshake?.status).toBe(403);
  });

  it('reads the underscore spelling PHP proxies forward, and rejects other hub.mode values', async () => {
    const php = await deliver({ method: 'GET', query: { hub_mode: 'subscribe', hub_challenge: '42', hub_verify_token: verifyToken } });
    expect(php.handshake?.body).toBe('42');
    expect((await deliver({ method: 'GET', query: { ...verificationQuery, 'hub.mode': 'unsubscribe' } })).handshake?.status).toBe(400);
  });

  it('answers a GET without hub.mode with 405, not a run', async () => {
    const res = await deliver({ method: 'GET' });
    expect(res.verify).toMatchObject({ ok: false, status: 405 });
  });
});

describe('meta.leadads verify', () => {
  it('accepts Meta’s documented notification signed with the app secret', async () => {
    const res = await deliver({ body: leadgenNotification, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(leadgenNotification) } });
    expect(res.verify).toEqual({ ok: true });
  });

  it('accepts an upper-case hex signature (compared case-insensitively)', async () => {
    const sig = `sha256=${sign(leadgenNotification).slice(7).toUpperCase()}`;
    expect((await deliver({ body: leadgenNotification, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig } })).verify).toEqual({ ok: true });
  });

  it('checks the escaped-unicode bytes Meta sent, not a re-serialised body', async () => {
    const signature = sign(batchNotification);
    expect((await deliver({ body: batchNotification, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } })).verify).toEqual({ ok: true });
    const reserialised = JSON.stringify(JSON.parse(batchNotification));
    expect(reserialised).not.toBe(batchNotification);
    expect((await deliver({ body: reserialised, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } })).verify).toMatchObject({ ok: false, status: 401 });
  });

  it('rejects a tampered body, a wrong secret, a missing header, a missing prefix and the legacy sha1 header alone', async () => {
    const good = sign(leadgenNotification);
    const cases: [Partial<RunWebhookOptions>, string][] = [
      [{ body: leadgenNotification.replace('123123123123', '123123123124'), headers: { 'x-hub-signature-256': good } }, 'signature does not match'],
      [{ body: leadgenNotification, headers: { 'x-hub-signature-256': sign(leadgenNotification, 'ffffffffffffffffffffffffffffffff') } }, 'signature does not match'],
      [{ body: leadgenNotification, headers: {} }, 'missing X-Hub-Signature-256 header'],
      [{ body: leadgenNotification, headers: { 'x-hub-signature-256': good.slice(7) } }, 'X-Hub-Signature-256 must start with "sha256="'],
      [{ body: leadgenNotification, headers: { 'x-hub-signature': `sha1=${createHmac('sha1', appSecret).update(leadgenNotification).digest('hex')}` } }, 'missing X-Hub-Signature-256 header'],
    ];
    for (const [opts, reason] of cases) {
      const res = await deliver(opts);
      expect(res.verify).toEqual({ ok: false, status: 401, reason });
      expect(res.events).toBeUndefined();
    }
  });

  it('never passes without the connection’s appSecret', async () => {
    const res = await deliver({ secrets: { verifyToken, accessToken }, body: leadgenNotification, headers: { 'x-hub-signature-256': sign(leadgenNotification, '') } });
    expect(res.verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/appSecret/) });
  });
});

describe('meta.leadads decode and map', () => {
  const signed = (body: string) => deliver({ body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) } });

  it('turns the documented notification into one event keyed by leadgen_id, ids as strings', async () => {
    const res = await signed(leadgenNotification);
    expect(res.events).toEqual([
      {
        dedupeKey: '123123123123',
        items: [
          {
            eventType: 'lead_ad',
            occurredAt: '2015-08-21T01:26:24.000Z',
            channel: 'meta_lead_ads',
            utm_source: 'meta',
            lead_id: '123123123123',
            page_id: '123123123',
            form_id: '12312312312',
            ad_id: '12312312312',
            adgroup_id: '12312312312',
            raw: { webhook: { leadgen_id: 123123123123, page_id: 123123123, form_id: 12312312312, adgroup_id: 12312312312, ad_id: 12312312312, created_time: 1440120384 } },
          },
        ],
      },
    ]);
  });

  it('gives one event per leadgen change of a batch, keeps ids beyond 2^53 exact and ignores other fields', async () => {
    const res = await signed(batchNotification);
    expect(res.events?.map((e) => e.dedupeKey)).toEqual(['1234567890123456789', '1234567890123456790']);
    const first = res.events![0]!.items[0]!;
    expect(first).toMatchObject({ lead_id: '1234567890123456789', page_id: '104729388765432', adgroup_id: '23851234567890123', ad_id: '23851234567890124' });
    expect((first.raw as { webhook: { leadgen_id: unknown; note: unknown } }).webhook).toMatchObject({ leadgen_id: '1234567890123456789', note: 'café' });
  });

  it('gives the same dedupe key to a redelivery', async () => {
    const a = await signed(leadgenNotification);
    const b = await signed(leadgenNotification);
    expect(b.events?.[0]?.dedupeKey).toBe(a.events?.[0]?.dedupeKey);
  });

  it('throws PayloadError for garbage and for JSON that is not a Meta notification', async () => {
    await expect(signed('{"object":"page","entry":[')).rejects.toBeInstanceOf(PayloadError);
    await expect(signed('not json at all')).rejects.toBeInstanceOf(PayloadError);
    await expect(signed('{"hello":"world"}')).rejects.toThrow(/expected a Meta webhook body/);
    await expect(signed('{"object":"page","entry":[{"changes":[{"field":"leadgen","value":{"page_id":1}}]}]}')).rejects.toThrow(/no leadgen_id/);
  });

  it('maps a lead whose created_time is past a Date’s range without occurredAt, instead of failing with a 500', async () => {
    const res = await signed(leadgenNotification.replace('"created_time":1440120384', '"created_time":1e21'));
    expect(res.events?.[0]?.dedupeKey).toBe('123123123123');
    expect(res.events![0]!.items[0]).not.toHaveProperty('occurredAt');
  });

  it('ignores notifications of other objects (e.g. a user subscription)', async () => {
    expect((await signed('{"object":"user","entry":[]}')).events).toEqual([]);
  });

  it('answers 200 EVENT_RECEIVED fast, duplicates included', () => {
    const respond = (metaLeadAdsTrigger.trigger as { respond: (r: unknown, c: unknown) => unknown }).respond;
    expect(respond({ runIds: ['r1'], duplicates: 1 }, {})).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'EVENT_RECEIVED' });
  });
});

describe('meta.leadads run: fetching the lead from a local Graph API', () => {
  let graph: Awaited<ReturnType<typeof startVendorServer>>;
  let reply: (req: SeenRequest) => VendorReply = (req) => ({ body: leadResponse(req.path.split('/').pop()!) });
  const http = realHttp();
  beforeAll(async () => {
    graph = await startVendorServer((req) => reply(req));
  });
  afterAll(async () => {
    http.close();
    await graph.close();
  });
  const runConfig = () => ({ connection: 'conn_meta', graphBaseUrl: graph.url, graphVersion: 'v21.0', allowPrivateNetwork: true });
  const webhookItem = { eventType: 'lead_ad', occurredAt: '2024-05-29T16:26:40.000Z', channel: 'meta_lead_ads', utm_source: 'meta', lead_id: '1234567890123456789', page_id: '104729388765432', form_id: '987654321098765', adgroup_id: '23851234567890123', ad_id: '23851234567890124', raw: { webhook: { leadgen_id: '1234567890123456789' } } };

  it('fetches GET /{version}/{leadgen_id} with the token and appsecret_proof, and maps field_data', async () => {
    reply = (req) => ({ body: leadResponse(req.path.split('/').pop()!) });
    const out = await runNode(metaLeadAdsTrigger, { config: runConfig(), secrets, http, items: [webhookItem] });
    const req = graph.seen.at(-1)!;
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/v21.0/1234567890123456789');
    expect(req.query.get('access_token')).toBe(accessToken);
    expect(req.query.get('appsecret_proof')).toBe(createHmac('sha256', appSecret).update(accessToken).digest('hex'));
    expect(req.query.get('fields')).toContain('field_data');
    expect(out.out).toEqual([
      {
        eventType: 'lead_ad',
        occurredAt: '2024-05-29T16:26:40.000Z',
        channel: 'meta_lead_ads',
        utm_source: 'meta',
        utm_medium: 'paid_social',
        lead_id: '1234567890123456789',
        page_id: '104729388765432',
        form_id: '987654321098765',
        ad_id: '23851234567890124',
        ad_name: 'Spring promo – video',
        adgroup_id: '23851234567890123',
        adset_id: '23851234567890123',
        adset_name: 'Shanghai 25-45',
        campaign_id: '23851234567890000',
        campaign_name: 'Spring leads',
        platform: 'ig',
        name: '张三',
        phone: '+86 139 1234 5670',
        email: 'zhangsan@example.com',
        city: '上海',
        company: '杭州云帆科技有限公司',
        title: '采购经理',
        'which_product_are_you_interested_in?': 'CRM, Analytics',
        raw: { webhook: { leadgen_id: '1234567890123456789' }, lead: leadResponse('1234567890123456789') },
      },
    ]);
  });

  it('leaves appsecret_proof out when configured so', async () => {
    await runNode(metaLeadAdsTrigger, { config: { ...runConfig(), appsecretProof: false }, secrets, http, items: [webhookItem] });
    expect(graph.seen.at(-1)!.query.has('appsecret_proof')).toBe(false);
  });

  it('fails at once with a clear, non-retryable error on an expired token (code 190), without leaking it', async () => {
    reply = () => ({ status: 400, body: expiredTokenError });
    const before = graph.seen.length;
    const err = await runNode(metaLeadAdsTrigger, { config: runConfig(), secrets, http, items: [webhookItem] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorApiError);
    expect((err as VendorApiError).retryable).toBe(false);
    expect((err as VendorApiError).message).toMatch(/Graph API error 190\/463 \(OAuthException\).*accessToken/);
    expect((err as VendorApiError).message).not.toContain(accessToken);
    expect(graph.seen.length - before).toBe(1);
  });

  it('treats Graph throttling (HTTP 400, code 4) as retryable with Meta’s own wait', async () => {
    reply = () => ({
      status: 400,
      headers: { 'x-business-use-case-usage': JSON.stringify({ '104729388765432': [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 7 }] }) },
      body: { error: { message: 'Application request limit reached', type: 'OAuthException', code: 4 } },
    });
    const err = (await runNode(metaLeadAdsTrigger, { config: runConfig(), secrets, http, items: [webhookItem] }).catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(7 * 60_000);
  });

  it('surfaces a 429 with Retry-After as a retryable VendorApiError carrying retryAfterMs', async () => {
    reply = () => ({ status: 429, headers: { 'retry-after': '120' }, body: { error: { message: 'slow down', code: 613 } } });
    const err = (await runNode(metaLeadAdsTrigger, { config: runConfig(), secrets, http, items: [webhookItem] }).catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err.status).toBe(429);
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(120_000);
  });

  it('keeps the token and appsecret_proof out of a network failure’s message', async () => {
    const closed = await startVendorServer(() => ({}));
    await closed.close();
    const err = (await runNode(metaLeadAdsTrigger, { config: { ...runConfig(), graphBaseUrl: closed.url }, secrets, http, items: [webhookItem] }).catch((e: unknown) => e)) as VendorApiError;
    expect(err).toBeInstanceOf(VendorApiError);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/failed/);
    expect(err.message).not.toContain(accessToken);
    expect(err.message).not.toContain(createHmac('sha256', appSecret).update(accessToken).digest('hex'));
  });

  it('refuses an item without a numeric lead_id, and a connection without accessToken', async () => {
    await expect(runNode(metaLeadAdsTrigger, { config: runConfig(), secrets, http, items: [{ lead_id: 'abc' }] })).rejects.toMatchObject({ code: 'missing_lead_id', retryable: false });
    await expect(runNode(metaLeadAdsTrigger, { config: runConfig(), secrets: { appSecret }, http, items: [webhookItem] })).rejects.toMatchObject({ code: 'missing_secret' });
  });
});

// The contract's sample run goes through a stand-in Graph that answers the documented lead shape.
const fakeGraph: HttpClient = {
  request: async (req) => {
    const id = new URL(req.url).pathname.split('/').pop()!;
    const body = JSON.stringify(leadResponse(id));
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  },
};
await describeNodeContract(metaLeadAdsTrigger, { http: fakeGraph, secrets });
