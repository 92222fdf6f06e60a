import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions } from '@tributary/node-sdk';
import { typeformBody, typeformResponse, typeformSecret } from '../__fixtures__/typeform-response.js';
import { typeformSignature, typeformWebhookTrigger } from './typeform-webhook.trigger.js';

const now = new Date('2025-06-01T08:02:00Z');
const config = { connection: 'conn_typeform' };
// Computed here with node:crypto, independently of the code under test.
const sign = (body: string, secret = typeformSecret) => `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
const deliver = (opts: Partial<RunWebhookOptions>, cfg: Record<string, unknown> = config) =>
  runWebhookTrigger(typeformWebhookTrigger, { config: cfg, now, secrets: { secret: typeformSecret }, headers: { 'content-type': 'application/json', 'typeform-signature': sign(typeformBody) }, body: typeformBody, ...opts });

describe('typeform.webhook verify', () => {
  it('accepts a correctly signed response', async () => {
    expect(typeformSignature(typeformSecret, typeformBody)).toBe(sign(typeformBody));
    expect((await deliver({})).verify).toEqual({ ok: true });
  });

  it('refuses a tampered body, a wrong secret, a missing or malformed header, and a connection without secret', async () => {
    const tampered = await deliver({ body: typeformBody.replace('zhangsan@', 'lisi@') });
    expect(tampered.verify).toEqual({ ok: false, status: 401, reason: 'Typeform-Signature does not match' });
    expect(tampered.events).toBeUndefined();
    expect((await deliver({ headers: { 'typeform-signature': sign(typeformBody, 'another-secret') } })).verify?.ok).toBe(false);
    expect((await deliver({ headers: { 'content-type': 'application/json' } })).verify).toEqual({ ok: false, status: 401, reason: 'missing Typeform-Signature header' });
    const hex = `sha256=${createHmac('sha256', typeformSecret).update(typeformBody).digest('hex')}`;
    expect((await deliver({ headers: { 'typeform-signature': hex } })).verify?.ok).toBe(false);
    expect((await deliver({ headers: { 'typeform-signature': sign(typeformBody).slice(7) } })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/sha256=/) });
    expect((await deliver({ secrets: {} })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/no "secret"/) });
  });

  it('refuses a pretty-printed copy of a signed body', async () => {
    const pretty = JSON.stringify(JSON.parse(typeformBody), null, 2);
    expect((await deliver({ body: pretty })).verify?.ok).toBe(false);
  });
});

describe('typeform.webhook map', () => {
  it('maps answers by type and title, keeps hidden fields and the exact ids', async () => {
    const res = await deliver({});
    expect(res.events).toHaveLength(1);
    const [event] = res.events!;
    expect(event!.dedupeKey).toBe('01HZ7XK2J4R8Q1V6N3M5T9W0YB');
    expect(event!.items).toHaveLength(1);
    expect(event!.items[0]).toMatchObject({
      name: '张三',
      email: 'zhangsan@yunfan.example',
      phone: '+8613912345670',
      company: '杭州云帆科技有限公司',
      city: '杭州',
      'Team size': 25,
      'What do you need?': 'CRM sync, Lead scoring',
      'May we call you?': true,
      utm_source: 'wechat',
      utm_campaign: 'summer_launch',
      user_ref: '9007199254740993',
      eventType: 'form_submitted',
      occurredAt: '2025-06-01T08:01:45.000Z',
      channel: 'typeform',
      form_id: 'lT4Z3j',
      form_title: '产品试用申请',
      response_id: 'a3a12ec67a1365927098a606107fac15',
    });
    expect((event!.items[0]!.raw as typeof typeformResponse).form_response.token).toBe('a3a12ec67a1365927098a606107fac15');
  });

  it('matches the field map against refs and titles', async () => {
    const res = await deliver({}, { ...config, fieldMap: { company: 'team_size', segment: 'What do you need?' } });
    expect(res.events![0]!.items[0]).toMatchObject({ company: '25', segment: 'CRM sync, Lead scoring' });
  });

  it('falls back to the response token for the dedupe key; a repeat gives the same key', async () => {
    const { event_id: _e, ...rest } = typeformResponse;
    const body = JSON.stringify(rest);
    const a = await deliver({ body, headers: { 'typeform-signature': sign(body) } });
    const b = await deliver({ body, headers: { 'typeform-signature': sign(body) } });
    expect(a.events![0]!.dedupeKey).toBe('a3a12ec67a1365927098a606107fac15');
    expect(b.events![0]!.dedupeKey).toBe(a.events![0]!.dedupeKey);
  });

  it('skips partial responses unless asked, and other event types', async () => {
    const partial = typeformBody.replace('"event_type":"form_response"', '"event_type":"form_response_partial"');
    const headers = { 'typeform-signature': sign(partial) };
    expect((await deliver({ body: partial, headers })).events).toEqual([]);
    const included = await deliver({ body: partial, headers }, { ...config, includePartial: true });
    expect(included.events![0]!.items[0]!.eventType).toBe('form_partial');
  });

  it('leaves out a choice whose label is not text, rather than a city "[object Object]"', async () => {
    const body = typeformBody.replace('"choice":{"label":"杭州"}', '"choice":{"label":{"id":"x"}}').replace('"labels":["CRM sync","Lead scoring"]', '"labels":["CRM sync",{"id":"y"}]');
    const item = (await deliver({ body, headers: { 'typeform-signature': sign(body) } })).events![0]!.items[0]!;
    expect(item).not.toHaveProperty('city');
    expect(item['What do you need?']).toBe('CRM sync');
  });

  it('answers garbage with a PayloadError', async () => {
    for (const body of ['{"event_type":', '[1,2]', '{"event_type":"form_response"}']) {
      await expect(deliver({ body, headers: { 'typeform-signature': sign(body) } })).rejects.toThrow(PayloadError);
    }
  });
});
