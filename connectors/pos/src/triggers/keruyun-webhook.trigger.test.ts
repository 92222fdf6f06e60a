import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { PayloadError, runWebhookTrigger, type RunWebhookOptions } from '@tributary/node-sdk';
import { keruyunAppKey, keruyunDeliveryBody, keruyunMemberBody, keruyunOrderBody, keruyunToken, keruyunVector } from '../__fixtures__/keruyun-pushes.js';
import { keruyunWebhookTrigger } from './keruyun-webhook.trigger.js';

const now = new Date('2025-06-01T04:00:30Z');
const ts = String(Math.floor(now.getTime() / 1000) - 20);
const config = { connection: 'conn_keruyun' };
// The documented rule, computed here independently of the code under test.
const signOf = (q: Record<string, string>, token = keruyunToken, body?: string) =>
  createHash('sha256')
    .update(`${Object.keys(q).sort().map((k) => `${k}${q[k]}`).join('')}${body === undefined ? '' : `body${body}`}${token}`)
    .digest('hex');
const query = (over: Record<string, string> = {}, body?: string) => {
  const q = { appKey: keruyunAppKey, shopIdenty: '810094162', version: '1.0', timestamp: ts, ...over };
  return { ...q, sign: signOf(q, keruyunToken, body) };
};
const deliver = (body: string, opts: Partial<RunWebhookOptions> = {}, cfg: Record<string, unknown> = config) =>
  runWebhookTrigger(keruyunWebhookTrigger, { config: cfg, now, secrets: { token: keruyunToken }, headers: { 'content-type': 'application/json' }, query: query(), body, ...opts });

describe('keruyun.webhook verify', () => {
  it('accepts the documented vector (with its own clock) and a signed push', async () => {
    const vectorNow = new Date(Number(keruyunVector.params.timestamp) * 1000 + 60_000);
    const res = await runWebhookTrigger(keruyunWebhookTrigger, { config, now: vectorNow, secrets: { token: keruyunVector.token }, query: { ...keruyunVector.params, sign: keruyunVector.sign }, body: '{"orderId":"f14cfdb04119451998200d1a83f785da"}' });
    expect(res.verify).toEqual({ ok: true });
    expect((await deliver(keruyunOrderBody)).verify).toEqual({ ok: true });
  });

  it('accepts millisecond timestamps and the v2 rule that signs the body', async () => {
    expect((await deliver(keruyunOrderBody, { query: query({ timestamp: `${ts}000` }) })).verify).toEqual({ ok: true });
    const v2 = query({ version: '2.0' }, keruyunOrderBody);
    expect((await deliver(keruyunOrderBody, { query: v2 })).verify).toEqual({ ok: true });
    expect((await deliver(keruyunOrderBody.replace('86.5', '8.5'), { query: v2 })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/v2/) });
  });

  it('refuses a wrong token, a changed parameter, a missing sign or timestamp, another appKey and stale timestamps', async () => {
    expect((await deliver(keruyunOrderBody, { secrets: { token: 'ffffffffffffffffffffffffffffffff' } })).verify).toMatchObject({ ok: false, status: 401 });
    expect((await deliver(keruyunOrderBody, { query: { ...query(), shopIdenty: '810094163' } })).verify?.ok).toBe(false);
    const { sign: _s, ...unsigned } = query();
    expect((await deliver(keruyunOrderBody, { query: unsigned })).verify).toMatchObject({ ok: false, reason: 'missing sign query parameter' });
    expect((await deliver(keruyunOrderBody, { secrets: { token: keruyunToken, appKey: 'another-app' } })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/appKey/) });
    expect((await deliver(keruyunOrderBody, { secrets: { token: keruyunToken, appKey: keruyunAppKey } })).verify).toEqual({ ok: true });
    const stale = query({ timestamp: String(Math.floor(now.getTime() / 1000) - 301) });
    expect((await deliver(keruyunOrderBody, { query: stale })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^stale timestamp/) });
    expect((await deliver(keruyunOrderBody, { query: stale }, { ...config, toleranceSeconds: 0 })).verify).toEqual({ ok: true });
    expect((await deliver(keruyunOrderBody, { secrets: {} })).verify).toMatchObject({ ok: false, reason: expect.stringMatching(/no "token"/) });
  });
});

describe('keruyun.webhook map', () => {
  it('maps an order push to a pos_purchase with exact ids, amount, store, member and items', async () => {
    const res = await deliver(keruyunOrderBody);
    expect(res.events).toHaveLength(1);
    expect(res.events![0]!.dedupeKey).toBe('order:9223372036854775001:FINISHED');
    expect(res.events![0]!.items[0]).toMatchObject({
      eventType: 'pos_purchase',
      occurredAt: '2025-06-01T04:00:00.000Z',
      channel: 'keruyun',
      order_id: '9223372036854775001',
      status: 'FINISHED',
      amount: '86.50',
      currency: 'CNY',
      store: '810094162',
      store_name: '客如云示例餐厅(西湖店)',
      pos_member_id: '311205',
      phone: '13912345670',
      name: '陈静',
      items: [
        { name: '宫保鸡丁', quantity: '1', amount: '38.00' },
        { name: '米饭', quantity: '2', amount: '4.00' },
        { name: '酸梅汤', quantity: '1', amount: '12.50', sku: 'SMT-500' },
      ],
    });
    expect((res.events![0]!.items[0]!.raw as Record<string, unknown>).orderId).toBe('9223372036854775001');
  });

  it('reads amounts in fen, a field map and a member id prefix', async () => {
    const res = await deliver(keruyunOrderBody.replace('"tradeAmount":86.5', '"tradeAmount":8650'), {}, { ...config, amountUnit: 'fen', memberIdPrefix: 'keruyun:', fieldMap: { phone: 'nope', order_no: 'tradeNo' } });
    expect(res.events![0]!.items[0]).toMatchObject({ amount: '86.50', pos_member_id: 'keruyun:311205', phone: '13912345670', order_no: '101202506011200001' });
  });

  it('maps the delivery-status push to an order update and a member push to a member item', async () => {
    const delivery = await deliver(keruyunDeliveryBody);
    expect(delivery.events![0]!.dedupeKey).toBe('order:1815878:5');
    expect(delivery.events![0]!.items[0]).toMatchObject({ eventType: 'pos_order_updated', order_id: '1815878', store: '810094162', occurredAt: now.toISOString() });
    expect(delivery.events![0]!.items[0]).not.toHaveProperty('phone'); // the courier's phone is not the customer's
    const member = await deliver(keruyunMemberBody);
    expect(member.events![0]!.dedupeKey).toBe('member:311205:2025-06-01 12:00:00');
    expect(member.events![0]!.items[0]).toMatchObject({ eventType: 'pos_member_updated', pos_member_id: '311205', phone: '13912345670', name: '陈静', occurredAt: '2025-06-01T04:00:00.000Z' });
    expect(member.events![0]!.items[0]).not.toHaveProperty('levelName'); // add it with a field map
  });

  it('gives a repeated push the same key', async () => {
    expect((await deliver(keruyunOrderBody)).events![0]!.dedupeKey).toBe((await deliver(keruyunOrderBody)).events![0]!.dedupeKey);
  });

  it('answers with Keruyun’s success JSON', () => {
    const t = keruyunWebhookTrigger.trigger;
    const answer = t?.kind === 'webhook' ? t.respond!({ runIds: ['r'], duplicates: 0 }, {} as never) : undefined;
    expect(answer).toMatchObject({ status: 200, body: { code: 0, message: '成功[OK]', messageUuid: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
  });

  it('answers garbage with a PayloadError', async () => {
    for (const body of ['{"orderId":', '[1]', '"x"']) await expect(deliver(body)).rejects.toThrow(PayloadError);
  });
});
