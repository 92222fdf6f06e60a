import { describe, expect, it } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions } from '@tributary/node-sdk';
import { chineseJsonBody, jotformFields, labelledAnswersBody, urlEncodedBody } from '../__fixtures__/form-submissions.js';
import { formWebhookTrigger } from './form-webhook.trigger.js';

const now = new Date('2025-06-01T08:02:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const token = 'tok_5b2e9c0d7f1a4e6b8c3d';
const secret = 'form-hmac-secret-1';

const deliver = (config: Record<string, unknown>, opts: Partial<RunWebhookOptions>) => runWebhookTrigger(formWebhookTrigger, { config, now, headers: json, ...opts });
const itemOf = async (config: Record<string, unknown>, opts: Partial<RunWebhookOptions>) => {
  const res = await deliver(config, opts);
  expect(res.verify).toEqual({ ok: true });
  expect(res.events).toHaveLength(1);
  return { dedupeKey: res.events![0]!.dedupeKey, item: res.events![0]!.items[0]! };
};

describe('forms.webhook auth', () => {
  const cfg = { auth: 'token', connection: 'conn_forms' };

  it('accepts the token in a header (bare or Bearer) or in ?token=', async () => {
    for (const opts of [{ headers: { ...json, authorization: `Bearer ${token}` } }, { headers: { ...json, authorization: token } }, { query: { token } }]) {
      expect((await deliver(cfg, { secrets: { token }, body: chineseJsonBody, ...opts })).verify).toEqual({ ok: true });
    }
    const custom = { ...cfg, tokenHeader: 'x-form-token', tokenQuery: 'key' };
    expect((await deliver(custom, { secrets: { token }, headers: { ...json, 'x-form-token': token }, body: '{}' })).verify).toEqual({ ok: true });
    expect((await deliver(custom, { secrets: { token }, query: { key: token }, body: '{}' })).verify).toEqual({ ok: true });
  });

  it('refuses a wrong or missing token, and any token when the connection has none', async () => {
    expect((await deliver(cfg, { secrets: { token }, query: { token: `${token}x` }, body: '{}' })).verify).toEqual({ ok: false, status: 401, reason: 'token does not match' });
    expect((await deliver(cfg, { secrets: { token }, body: '{}' })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^missing token/) });
    expect((await deliver(cfg, { secrets: {}, query: { token: '' }, body: '{}' })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/has no "token"/) });
  });

  it('checks an HMAC of the raw body, hex or base64, with or without an algorithm prefix', async () => {
    const hcfg = { auth: 'hmac', connection: 'conn_forms' };
    const hex = createHmac('sha256', secret).update(chineseJsonBody).digest('hex');
    expect((await deliver(hcfg, { secrets: { secret }, headers: { ...json, 'x-signature': hex }, body: chineseJsonBody })).verify).toEqual({ ok: true });
    expect((await deliver(hcfg, { secrets: { secret }, headers: { ...json, 'x-signature': `sha256=${hex.toUpperCase()}` }, body: chineseJsonBody })).verify).toEqual({ ok: true });
    const b64 = createHmac('sha1', secret).update(chineseJsonBody).digest('base64');
    const b64cfg = { ...hcfg, algorithm: 'sha1', encoding: 'base64', signatureHeader: 'x-jsj-signature' };
    expect((await deliver(b64cfg, { secrets: { secret }, headers: { ...json, 'x-jsj-signature': b64 }, body: chineseJsonBody })).verify).toEqual({ ok: true });

    const tampered = await deliver(hcfg, { secrets: { secret }, headers: { ...json, 'x-signature': hex }, body: chineseJsonBody.replace('王小明', '王大明') });
    expect(tampered.verify).toEqual({ ok: false, status: 401, reason: 'signature does not match' });
    expect(tampered.events).toBeUndefined();
    const wrongKey = createHmac('sha256', 'not-the-secret').update(chineseJsonBody).digest('hex');
    expect((await deliver(hcfg, { secrets: { secret }, headers: { ...json, 'x-signature': wrongKey }, body: chineseJsonBody })).verify?.ok).toBe(false);
    expect((await deliver(hcfg, { secrets: { secret }, body: chineseJsonBody })).verify).toEqual({ ok: false, status: 401, reason: 'missing x-signature header' });
  });

  it('signs <timestamp>.<body> when a timestamp header is set, and refuses stale ones', async () => {
    const tcfg = { auth: 'hmac', connection: 'conn_forms', timestampHeader: 'x-timestamp' };
    const at = (ts: string) => ({
      secrets: { secret },
      headers: { ...json, 'x-timestamp': ts, 'x-signature': createHmac('sha256', secret).update(`${ts}.${chineseJsonBody}`).digest('hex') },
      body: chineseJsonBody,
    });
    expect((await deliver(tcfg, at(String(nowSeconds - 30)))).verify).toEqual({ ok: true });
    expect((await deliver(tcfg, at(String((nowSeconds - 30) * 1000)))).verify).toEqual({ ok: true });
    expect((await deliver(tcfg, at(String(nowSeconds - 301)))).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^stale timestamp/) });
    expect((await deliver({ ...tcfg, toleranceSeconds: 0 }, at(String(nowSeconds - 86_400)))).verify).toEqual({ ok: true });
    const bodyOnly = { secrets: { secret }, headers: { ...json, 'x-timestamp': String(nowSeconds), 'x-signature': createHmac('sha256', secret).update(chineseJsonBody).digest('hex') }, body: chineseJsonBody };
    expect((await deliver(tcfg, bodyOnly)).verify?.ok).toBe(false);
  });

  it('requires a connection for token and HMAC auth', async () => {
    await expect(deliver({ auth: 'token' }, { body: '{}' })).rejects.toThrow(/connection/);
  });
});

describe('forms.webhook mapping', () => {
  it('maps a Chinese JSON form with nested answers to the standard fields', async () => {
    const { dedupeKey, item } = await itemOf({}, { body: chineseJsonBody, query: { utm_source: 'landing-a', utm_content: 'hero' } });
    expect(dedupeKey).toBe('S-20250601-000981');
    expect(item).toMatchObject({
      name: '王小明',
      phone: '139 1234 5670',
      email: 'wxm@example.cn',
      company: '深圳前海微众示例有限公司',
      city: '深圳',
      关注产品: '会员管理, 营销自动化',
      utm_source: 'baidu', // the body wins over the URL
      utm_medium: 'cpc',
      utm_content: 'hero', // from the webhook URL
      'form.name': '官网试用表单',
      eventType: 'form_submitted',
      occurredAt: '2025-06-01T08:01:45.000Z', // 16:01:45 Beijing time
      channel: 'web_form',
    });
    // The form's own name is not the person's; answers used for a standard field are not repeated.
    expect(Object.keys(item)).not.toContain('contact.手机号码');
    expect(Object.keys(item)).not.toContain('contact.姓名');
    expect(item).not.toHaveProperty('token');
    // Integers past 2^53 keep every digit.
    expect(item.lead_no).toBe('9007199254740993123');
    expect((item.raw as Record<string, unknown>).lead_no).toBe('9007199254740993123');
  });

  it('maps a url-encoded HTML form', async () => {
    const { dedupeKey, item } = await itemOf({}, { headers: form, body: urlEncodedBody });
    expect(item).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 7700 900123', company: 'Analytical Engines Ltd', city: 'London', interest: 'crm, ads', utm_campaign: 'spring' });
    expect(item.occurredAt).toBe(now.toISOString());
    expect(dedupeKey).toBe(`sha256:${createHash('sha256').update(urlEncodedBody).digest('hex')}`);
  });

  it('maps [{label, value}] answers by their Chinese labels', async () => {
    const { dedupeKey, item } = await itemOf({}, { body: labelledAnswersBody });
    expect(dedupeKey).toBe('1042');
    expect(item).toMatchObject({ name: '赵敏', phone: '18612345678', email: 'zhaomin@example.com', title: '市场总监', '您从哪里了解到我们？': '朋友推荐, 公众号' });
  });

  it('reads Jotform’s rawRequest and joins name parts', async () => {
    const body = new URLSearchParams(jotformFields).toString();
    const { dedupeKey, item } = await itemOf({}, { headers: form, body });
    expect(dedupeKey).toBe('5912345678901234567');
    expect(item).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com', phone: '(555) 010-4477', company: 'Navy Labs', formTitle: 'Contact Us' });
    expect(item).not.toHaveProperty('rawRequest');
  });

  it('lets the field map override the defaults', async () => {
    const fieldMap = { phone: 'contact.邮箱', email: ['nope', 'contact.手机号码'], lead_source: 'utm_source', name: '城市' };
    const { item } = await itemOf({ fieldMap }, { body: chineseJsonBody });
    expect(item).toMatchObject({ phone: 'wxm@example.cn', email: '139 1234 5670', lead_source: 'baidu', name: '深圳' });
  });

  it('takes the submission id from a configured field or header, then the usual headers', async () => {
    const body = JSON.stringify({ data: { entry: { serial: 77 } }, phone: '13912345670' });
    expect((await itemOf({ submissionIdField: 'data.entry.serial' }, { body })).dedupeKey).toBe('77');
    expect((await itemOf({ submissionIdHeader: 'x-jsj-entry' }, { headers: { ...json, 'x-jsj-entry': 'e-9' }, body })).dedupeKey).toBe('e-9');
    expect((await itemOf({}, { headers: { ...json, 'x-request-id': 'req-1' }, body })).dedupeKey).toBe('req-1');
  });

  it('gives a repeated delivery the same key and another submission a different one', async () => {
    const a = await itemOf({}, { body: urlEncodedBody, headers: form });
    const b = await itemOf({}, { body: urlEncodedBody, headers: form });
    const c = await itemOf({}, { body: urlEncodedBody.replace('Ada', 'Eve'), headers: form });
    expect(a.dedupeKey).toBe(b.dedupeKey);
    expect(c.dedupeKey).not.toBe(a.dedupeKey);
  });

  it('runs each submission of a batch on its own', async () => {
    const res = await deliver({}, { headers: { ...json, 'x-request-id': 'batch-1' }, body: JSON.stringify([{ phone: '13900000001' }, { submission_id: 's2', phone: '13900000002' }]) });
    expect(res.events!.map((e) => e.dedupeKey)).toEqual(['batch-1:0', 's2']);
    expect(res.events!.map((e) => e.items[0]!.phone)).toEqual(['13900000001', '13900000002']);
  });

  it('answers garbage with a PayloadError', async () => {
    await expect(deliver({}, { body: '{"name": "Ada"' })).rejects.toThrow(PayloadError);
    await expect(deliver({}, { body: '"just a string"' })).rejects.toThrow(PayloadError);
    await expect(deliver({}, { headers: { 'content-type': 'text/xml' }, body: '<a/>' })).rejects.toThrow(/unsupported content-type/);
  });

  it('answers the form tool with 200', () => {
    expect(formWebhookTrigger.trigger!.kind).toBe('webhook');
    const respond = (formWebhookTrigger.trigger as { respond: (r: unknown, c: unknown) => unknown }).respond;
    expect(respond({ runIds: ['r1'], duplicates: 0 }, {})).toEqual({ status: 200, body: { ok: true } });
  });
});
