import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { describeNodeContract, InMemorySharedCache, runNode, VendorApiError, type ErrorItem, type HttpClient, type Item } from '@tributary/node-sdk';
import { baiduSecrets } from '../__fixtures__/baidu.fixtures.js';
import { accessToken as feiyuToken, signatureKey } from '../__fixtures__/feiyu.fixtures.js';
import { appSecret, accessToken as metaToken, expiredTokenError } from '../__fixtures__/meta.fixtures.js';
import { realHttp, startVendorServer, type SeenRequest, type VendorReply } from '../__fixtures__/vendor-server.js';
import { normalizeEmail, normalizePhone } from '../meta/conversions-api.util.js';
import { feiyuSignature } from '../oceanengine/feiyu-api.util.js';
import { parseJsonExact } from '../shared/exact-json.util.js';
import { checkConvertConfig, convertNode, type ConvertConfig } from './convert.node.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const now = new Date('2024-06-01T12:00:00Z');
const errorOf = (items: Item[] | undefined, i = 0) => (items![i] as ErrorItem).error;

describe('Meta normalization before hashing', () => {
  it('lower-cases and trims e-mail, refuses non-addresses', () => {
    expect(normalizeEmail('  Zhang.San@Example.COM ')).toBe('zhang.san@example.com');
    expect(normalizeEmail('not-an-email')).toBeUndefined();
  });

  it('keeps digits with the country code, adding the default one where missing', () => {
    expect(normalizePhone('+86 139 1234 5670', '86')).toBe('8613912345670');
    expect(normalizePhone('139-1234-5670', '86')).toBe('8613912345670');
    expect(normalizePhone('8613912345670', '86')).toBe('8613912345670');
    expect(normalizePhone('0086 13912345670', '86')).toBe('8613912345670');
    expect(normalizePhone('020-12345678', '86')).toBe('862012345678');
    expect(normalizePhone('+1 (650) 555-1234', '86')).toBe('16505551234');
    expect(normalizePhone('123', '86')).toBeUndefined();
  });
});

describe('ads.convert config', () => {
  const base = { connection: 'c', stageField: 'stage', leadIdField: 'lead_id', requestsPerMinute: 60, allowPrivateNetwork: false, graphVersion: 'v21.0', leadEventSource: 'T', emailField: 'email', phoneField: 'phone', defaultCountryCode: '86', oauthBaseUrl: 'x', logidUrlField: 'logid_url' };
  it('asks for what each platform needs and checks the event values', () => {
    expect(checkConvertConfig({ ...base, platform: 'meta', events: { won: 'Purchase' } } as ConvertConfig)).toEqual([{ path: '/datasetId', message: expect.stringMatching(/dataset/) }]);
    expect(checkConvertConfig({ ...base, platform: 'tencentads', events: { won: 'WON' } } as ConvertConfig).map((i) => i.path)).toEqual(['/accountId', '/events/won']);
    expect(checkConvertConfig({ ...base, platform: 'oceanengine', events: { won: 'x', ok: 3 } } as ConvertConfig).map((i) => i.path)).toEqual(['/events/won']);
    expect(checkConvertConfig({ ...base, platform: 'baidu', events: { 'a/b': 3.5 } } as ConvertConfig).map((i) => i.path)).toEqual(['/events/a~1b']);
  });
});

describe('ads.convert against local platform APIs', () => {
  let server: Awaited<ReturnType<typeof startVendorServer>>;
  let reply: (req: SeenRequest) => VendorReply = () => ({ body: {} });
  const http = realHttp();
  beforeAll(async () => {
    server = await startVendorServer((req) => reply(req));
  });
  afterAll(async () => {
    http.close();
    await server.close();
  });
  beforeEach(() => {
    server.seen.length = 0;
  });

  describe('meta: Conversions API for CRM leads', () => {
    const config = () => ({ platform: 'meta', connection: 'conn_meta', baseUrl: server.url, allowPrivateNetwork: true, datasetId: '778899001122', events: { qualified: 'QualifiedLead', won: 'Purchase' } });
    const secrets = { verifyToken: 'v', appSecret, accessToken: metaToken };
    const lead = { lead_id: '1234567890123456789', stage: 'qualified', email: ' Zhang.San@Example.com', phone: '139 1234 5670', name: '张三' };

    it('posts the event with lead_id as an exact number, hashed e-mail and phone, and a stable event_id', async () => {
      reply = () => ({ body: { events_received: 1, messages: [], fbtrace_id: 'Ab1' } });
      const out = await runNode(convertNode, { config: config(), secrets, http, items: [lead], now, runId: 'run-1' });
      const req = server.seen[0]!;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/v21.0/778899001122/events');
      expect(req.query.get('access_token')).toBe(metaToken);
      expect(req.query.get('appsecret_proof')).toBe(createHmac('sha256', appSecret).update(metaToken).digest('hex'));
      expect(req.body).toContain('"lead_id":1234567890123456789');
      const body = parseJsonExact(req.body) as { data: Record<string, unknown>[] };
      expect(body.data).toEqual([
        {
          event_name: 'QualifiedLead',
          event_time: now.getTime() / 1000,
          action_source: 'system_generated',
          event_id: expect.stringMatching(/^trib-[0-9a-f]{32}$/),
          user_data: { lead_id: '1234567890123456789', em: [sha256('zhang.san@example.com')], ph: [sha256('8613912345670')] },
          custom_data: { event_source: 'crm', lead_event_source: 'Tributary' },
        },
      ]);
      expect(req.body).not.toContain('13912345670');
      expect(req.body).not.toContain('zhang.san');
      expect(out.out).toEqual([{ ...lead, conversion: { platform: 'meta', stage: 'qualified', event: 'QualifiedLead', eventId: body.data[0]!.event_id, status: 'sent', response: { events_received: 1, messages: [], fbtrace_id: 'Ab1' } } }]);

      // A retried step (same run, other worker) sends the same event_id, which Meta deduplicates.
      await runNode(convertNode, { config: config(), secrets, http, items: [lead], now, runId: 'run-1' });
      expect((parseJsonExact(server.seen[1]!.body) as { data: { event_id: string }[] }).data[0]!.event_id).toBe(body.data[0]!.event_id);
    });

    it('sends each item once across retries of the step: a 429 fails the step, the retry skips what went out', async () => {
      const cache = new InMemorySharedCache();
      let calls = 0;
      reply = () => (++calls === 2 ? { status: 429, headers: { 'retry-after': '120' }, body: { error: { message: 'slow', code: 17 } } } : { body: { events_received: 1 } });
      const items = [lead, { ...lead, lead_id: '1234567890123456790', stage: 'won' }];
      const err = (await runNode(convertNode, { config: config(), secrets, http, items, now, runId: 'run-2', cache }).catch((e: unknown) => e)) as VendorApiError;
      expect(err).toBeInstanceOf(VendorApiError);
      expect(err.retryable).toBe(true);
      expect(err.retryAfterMs).toBe(120_000);
      const retry = await runNode(convertNode, { config: config(), secrets, http, items, now, runId: 'run-2', cache, attempt: 2 });
      expect(retry.out!.map((i) => (i.conversion as { status: string }).status)).toEqual(['already_sent', 'sent']);
      expect(server.seen.map((r) => (parseJsonExact(r.body) as { data: { event_name: string }[] }).data[0]!.event_name)).toEqual(['QualifiedLead', 'Purchase', 'Purchase']);
    });

    it('routes an expired token (190) to error with Meta’s reason, and unmapped stages to skipped', async () => {
      reply = () => ({ status: 400, body: expiredTokenError });
      const out = await runNode(convertNode, { config: config(), secrets, http, items: [lead, { ...lead, stage: 'lost' }, { lead_id: '1' }], now });
      expect(out.error).toEqual([{ item: lead, error: { code: 'vendor_api_error', message: expect.stringMatching(/Graph API error 190\/463/), details: { vendor: 'meta', status: 400 } } }]);
      expect(out.skipped!.map((i) => (i.conversion as { reason: string }).reason)).toEqual(['stage "lost" is not mapped', 'no stage']);
      expect(JSON.stringify(out)).not.toContain(metaToken);
    });

    it('prefers conversionsAccessToken, and refuses an item with nothing to match on', async () => {
      reply = () => ({ body: { events_received: 1 } });
      await runNode(convertNode, { config: config(), secrets: { ...secrets, conversionsAccessToken: 'system-user-token' }, http, items: [lead], now });
      expect(server.seen[0]!.query.get('access_token')).toBe('system-user-token');
      const out = await runNode(convertNode, { config: config(), secrets, http, items: [{ stage: 'won' }], now });
      expect(errorOf(out.error)).toMatchObject({ code: 'missing_field' });
    });
  });

  describe('oceanengine: Feiyu clue callback', () => {
    const config = () => ({ platform: 'oceanengine', connection: 'conn_oe', baseUrl: server.url, allowPrivateNetwork: true, events: { qualified: 2, won: 4 } });
    const secrets = { accessToken: feiyuToken, signatureKey };

    it('posts the signed callback with clue_id and clue_convert_state', async () => {
      reply = (req) =>
        req.headers.signature === feiyuSignature('/crm/v2/openapi/clue/callback/', String(req.headers.timestamp), signatureKey) && req.headers['access-token'] === feiyuToken
          ? { body: { status: 0, msg: 'success' } }
          : { body: { status: -2, msg: 'signature error' } };
      const out = await runNode(convertNode, { config: config(), secrets, http, items: [{ lead_id: '6831434361875726350', stage: 'won' }], now });
      expect(server.seen[0]!.path).toBe('/crm/v2/openapi/clue/callback/');
      expect(server.seen[0]!.headers.timestamp).toBe(String(now.getTime() / 1000));
      expect(JSON.parse(server.seen[0]!.body)).toEqual({ source: 0, data: { clue_id: '6831434361875726350', clue_convert_state: 4 } });
      expect(out.out![0]!.conversion).toMatchObject({ status: 'sent', event: 4 });
    });

    it('sends a refused state to error with Feiyu’s message', async () => {
      reply = () => ({ body: { status: -1, msg: 'clue_convert_state error' } });
      const out = await runNode(convertNode, { config: config(), secrets, http, items: [{ lead_id: '7001', stage: 'qualified' }], now });
      expect(errorOf(out.error).message).toMatch(/status -1\): clue_convert_state error/);
    });
  });

  describe('tencentads: lead_clues/update', () => {
    it('posts account_id and leads_id as exact numbers with the mapped state', async () => {
      reply = () => ({ body: { code: 0, message: '', data: {} } });
      const config = { platform: 'tencentads', connection: 'conn_tx', baseUrl: `${server.url}/v1.3`, allowPrivateNetwork: true, accountId: '12345678', events: { won: 'LEADS_CONVERT_STATUS_TRANS_COMPLETED' } };
      const out = await runNode(convertNode, { config, secrets: { accessToken: 'tx-token' }, http, items: [{ lead_id: '9007199254740993123', stage: 'won' }], now });
      const req = server.seen[0]!;
      expect(req.path).toBe('/v1.3/lead_clues/update');
      expect(req.query.get('access_token')).toBe('tx-token');
      expect(req.body).toBe('{"account_id":12345678,"leads":[{"leads_id":9007199254740993123,"leads_convert_type":"LEADS_CONVERT_STATUS_TRANS_COMPLETED"}]}');
      expect(out.out![0]!.conversion).toMatchObject({ status: 'sent' });
    });
  });

  describe('baidu: oCPC upload', () => {
    const config = () => ({ platform: 'baidu', connection: 'conn_bd', baseUrl: server.url, allowPrivateNetwork: true, events: { qualified: 3, won: 10 } });

    it('uploads the landing URL with bd_vid and the mapped newType', async () => {
      reply = () => ({ body: { header: { status: 0, desc: 'success' } } });
      const items = [
        { lead_id: 'c-1', stage: 'won', landing_url: 'https://site.example/lp?bd_vid=871234' },
        { lead_id: 'c-2', stage: 'qualified', landing_url: 'https://site.example/lp', bd_vid: '999' },
      ];
      const out = await runNode(convertNode, { config: config(), secrets: baiduSecrets, http, items, now });
      expect(server.seen.map((r) => JSON.parse(r.body))).toEqual([
        { token: baiduSecrets.ocpcToken, conversionTypes: [{ logidUrl: 'https://site.example/lp?bd_vid=871234', newType: 10 }] },
        { token: baiduSecrets.ocpcToken, conversionTypes: [{ logidUrl: 'https://site.example/lp?bd_vid=999', newType: 3 }] },
      ]);
      expect(out.out).toHaveLength(2);
    });

    it('sends an invalid token (status 3) to error, retries a Baidu server error (status 4), and needs a click to match', async () => {
      reply = () => ({ body: { header: { status: 3, desc: 'token invalid' } } });
      const refused = await runNode(convertNode, { config: config(), secrets: baiduSecrets, http, items: [{ stage: 'won', logid_url: 'https://x.example/?bd_vid=1' }], now });
      expect(errorOf(refused.error).message).toMatch(/status 3: the oCPC token is invalid/);
      reply = () => ({ body: { header: { status: 4, desc: 'server error' } } });
      await expect(runNode(convertNode, { config: config(), secrets: baiduSecrets, http, items: [{ stage: 'won', logid_url: 'https://x.example/?bd_vid=1' }], now })).rejects.toMatchObject({ retryable: true });
      const noClick = await runNode(convertNode, { config: config(), secrets: baiduSecrets, http, items: [{ stage: 'won', landing_url: 'https://x.example/' }], now });
      expect(errorOf(noClick.error).code).toBe('missing_field');
    });
  });
});

const fakeCapi: HttpClient = { request: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"events_received":1}' }) };
await describeNodeContract(convertNode, { http: fakeCapi, secrets: { verifyToken: 'v', appSecret, accessToken: metaToken }, now });
