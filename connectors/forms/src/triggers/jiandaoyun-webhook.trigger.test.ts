import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions } from '@tributary/node-sdk';
import { jdyCreateBody, jdyCreatePush, jdyDeliverId, jdyNonce, jdySecret, jdyTimestamp, jdyWidgets } from '../__fixtures__/jiandaoyun-push.js';
import { jiandaoyunSignature, jiandaoyunWebhookTrigger } from './jiandaoyun-webhook.trigger.js';

const now = new Date('2025-06-01T08:01:00Z');
const config = { connection: 'conn_jdy', widgets: jdyWidgets };
// The documented algorithm, computed here independently of the code under test.
const sign = (body: string, ts = jdyTimestamp, nonce = jdyNonce, secret = jdySecret) => createHash('sha1').update(`${nonce}:${body}:${secret}:${ts}`, 'utf8').digest('hex');
const deliver = (opts: Partial<RunWebhookOptions>, cfg: Record<string, unknown> = config) =>
  runWebhookTrigger(jiandaoyunWebhookTrigger, {
    config: cfg,
    now,
    secrets: { secret: jdySecret },
    query: { timestamp: jdyTimestamp, nonce: jdyNonce },
    headers: { 'content-type': 'application/json', 'x-jdy-signature': sign(jdyCreateBody), 'x-jdy-deliverid': jdyDeliverId },
    body: jdyCreateBody,
    ...opts,
  });

describe('jiandaoyun.webhook verify', () => {
  it('accepts a push signed as documented', async () => {
    expect(jiandaoyunSignature(jdyNonce, jdyCreateBody, jdySecret, jdyTimestamp)).toBe(sign(jdyCreateBody));
    expect((await deliver({})).verify).toEqual({ ok: true });
  });

  it('refuses a tampered body, a wrong secret, a changed nonce, missing parts and stale timestamps', async () => {
    const tampered = await deliver({ body: jdyCreateBody.replace('李雷', '韩梅梅') });
    expect(tampered.verify).toEqual({ ok: false, status: 401, reason: 'X-JDY-Signature does not match' });
    expect((await deliver({ secrets: { secret: 'other' } })).verify?.ok).toBe(false);
    expect((await deliver({ query: { timestamp: jdyTimestamp, nonce: 'ffffff' } })).verify?.ok).toBe(false);
    expect((await deliver({ query: { nonce: jdyNonce } })).verify).toMatchObject({ ok: false, reason: 'missing timestamp or nonce query parameter' });
    expect((await deliver({ headers: { 'content-type': 'application/json' } })).verify).toMatchObject({ ok: false, reason: 'missing X-JDY-Signature header' });
    expect((await deliver({ secrets: undefined })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/no "secret"/) });

    const oldTs = String(Number(jdyTimestamp) - 3600);
    const stale = { query: { timestamp: oldTs, nonce: jdyNonce }, headers: { 'x-jdy-signature': sign(jdyCreateBody, oldTs) } };
    expect((await deliver(stale)).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^stale timestamp/) });
    expect((await deliver(stale, { ...config, toleranceSeconds: 0 })).verify).toEqual({ ok: true });
  });
});

describe('jiandaoyun.webhook map', () => {
  it('maps widget labels to the standard fields and keeps the record metadata apart', async () => {
    const res = await deliver({});
    expect(res.events).toHaveLength(1);
    expect(res.events![0]!.dedupeKey).toBe(jdyDeliverId);
    const item = res.events![0]!.items[0]!;
    expect(item).toMatchObject({
      name: '李雷',
      phone: '13800138001',
      company: '上海星河贸易有限公司',
      city: '上海市',
      '所在地区.province': '上海市',
      '所在地区.district': '浦东新区',
      '预算（万元）': 50,
      '意向产品.0._widget_1616601008197': '会员系统',
      跟进销售: '王芳',
      eventType: 'form_submitted',
      occurredAt: '2025-06-01T07:59:58.123Z',
      channel: 'jiandaoyun',
      form_id: '5b1749ae3b708d0a80667408',
      form_title: '客户登记表',
      submission_id: '605b5f68255d4845a73d3c0a',
    });
    // The 简道云 user who created the record is not the customer.
    expect(JSON.stringify(Object.values(item).filter((v) => typeof v === 'string'))).not.toContain('管理员');
    expect(item.raw).toEqual(jdyCreatePush);
  });

  it('matches by widget id or alias without a widgets list, and with a field map', async () => {
    const res = await deliver({}, { connection: 'conn_jdy', fieldMap: { name: '_widget_1616600963783', phone: '_widget_1616600963790', company: '_widget_1616600963801' } });
    expect(res.events![0]!.items[0]).toMatchObject({ name: '李雷', phone: '13800138001', company: '上海星河贸易有限公司', city: '上海市', budget: 50 });
  });

  it('runs updates as form_updated, skips removals and form changes, and dedupes without a deliver id', async () => {
    const update = JSON.stringify({ ...jdyCreatePush, op: 'data_update', data: { ...jdyCreatePush.data, updateTime: '2025-06-01T08:00:30.000Z' } });
    const signed = (body: string) => ({ body, headers: { 'content-type': 'application/json', 'x-jdy-signature': sign(body) } });
    const res = await deliver(signed(update));
    expect(res.events![0]!.items[0]).toMatchObject({ eventType: 'form_updated', occurredAt: '2025-06-01T08:00:30.000Z' });
    expect(res.events![0]!.dedupeKey).toBe('data_update:605b5f68255d4845a73d3c0a:2025-06-01T08:00:30.000Z');
    expect((await deliver(signed(update))).events![0]!.dedupeKey).toBe(res.events![0]!.dedupeKey);
    expect((await deliver(signed(update), { ...config, ops: ['data_create'] })).events).toEqual([]);
    expect((await deliver(signed(JSON.stringify({ op: 'data_remove', data: { _id: 'x' } })))).events).toEqual([]);
    expect((await deliver(signed(JSON.stringify({ op: 'form_update', data: { widgets: [] } })))).events).toEqual([]);
  });

  it('answers garbage with a PayloadError', async () => {
    for (const body of ['not json', '{"data":{}}', '{"op":"data_create","data":"x"}']) {
      await expect(deliver({ body, headers: { 'x-jdy-signature': sign(body) } })).rejects.toThrow(PayloadError);
    }
  });
});
