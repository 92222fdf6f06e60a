import { describe, expect, it } from '@jest/globals';
import { describeNodeContract, PayloadError, runWebhookTrigger, type Logger, type RunWebhookOptions } from '@tributary/node-sdk';
import { clue, pushToken } from '../__fixtures__/feiyu.fixtures.js';
import { oceanenginePushTrigger } from './push.trigger.js';

const secrets = { accessToken: 'x', signatureKey: 'y', pushToken };
const deliver = (opts: Partial<RunWebhookOptions>, config: Record<string, unknown> = {}) =>
  runWebhookTrigger(oceanenginePushTrigger, { config: { connection: 'conn_oe', ...config }, secrets, headers: { 'content-type': 'application/json' }, ...opts });
const body = JSON.stringify(clue('7001', 1717236600));

describe('oceanengine.push verify', () => {
  it('accepts the push token in the query, or in a template field', async () => {
    expect((await deliver({ query: { token: pushToken }, body })).verify).toEqual({ ok: true });
    expect((await deliver({ body: JSON.stringify({ ...clue('7001', 1717236600), token: pushToken }) })).verify).toEqual({ ok: true });
    expect((await deliver({ query: { k: pushToken }, body }, { tokenParam: 'k' })).verify).toEqual({ ok: true });
  });

  it('rejects a wrong or missing token, and a connection without pushToken, with 401', async () => {
    expect((await deliver({ query: { token: 'push-3f9c1d7e5b2a4c6d8e0X' }, body })).verify).toEqual({ ok: false, status: 401, reason: 'push token does not match' });
    expect((await deliver({ body })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/missing push token/) });
    expect((await deliver({ query: { token: pushToken }, body, secrets: { accessToken: 'x' } })).verify).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/pushToken/) });
  });
});

describe('oceanengine.push map', () => {
  it('in hint mode, starts no run and logs only the clue ids', async () => {
    const logged: unknown[] = [];
    const log: Logger = { debug() {}, info: (m, f) => logged.push([m, f]), warn() {}, error() {} };
    const res = await deliver({ query: { token: pushToken }, body, log });
    expect(res.events).toEqual([]);
    expect(logged).toEqual([['oceanengine push received; the pull API delivers these leads', { node: 'node', clueIds: ['7001'], count: 1 }]]);
    expect(JSON.stringify(logged)).not.toContain('18057927898');
  });

  it('in lead mode, gives one run per clue keyed by clue_id, the poller’s item shape, and no token', async () => {
    const batch = JSON.stringify({ token: pushToken, data: [{ ...clue('7001', 1717236600), token: pushToken }, clue('7002', 1717236660)] });
    const res = await deliver({ body: batch }, { mode: 'lead' });
    expect(res.events?.map((e) => e.dedupeKey)).toEqual(['7001', '7002']);
    const item = res.events![0]!.items[0]!;
    expect(item).toMatchObject({ eventType: 'lead_ad', lead_id: '7001', phone: '18057927898', name: '廖阳丽', channel: 'oceanengine' });
    expect(JSON.stringify(res.events)).not.toContain(pushToken);
  });

  it('gives a redelivered clue the same dedupe key, exact beyond 2^53', async () => {
    const big = JSON.stringify(clue('__ID__', 1717236600)).replace('"__ID__"', '6831434361875726350');
    const a = await deliver({ query: { token: pushToken }, body: big }, { mode: 'lead' });
    const b = await deliver({ query: { token: pushToken }, body: big }, { mode: 'lead' });
    expect(a.events?.[0]?.dedupeKey).toBe('6831434361875726350');
    expect(b.events?.[0]?.dedupeKey).toBe(a.events?.[0]?.dedupeKey);
  });

  it('reads form-encoded pushes too', async () => {
    const res = await deliver({ query: { token: pushToken }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'clue_id=7009&telphone=13912345670&name=%E5%BC%A0%E4%B8%89' }, { mode: 'lead' });
    expect(res.events?.[0]).toMatchObject({ dedupeKey: '7009', items: [{ phone: '13912345670', name: '张三' }] });
  });

  it('throws PayloadError for garbage and, in lead mode, for a clue without clue_id', async () => {
    await expect(deliver({ query: { token: pushToken }, body: '{"clue_id": 7' })).rejects.toBeInstanceOf(PayloadError);
    await expect(deliver({ query: { token: pushToken }, body: '{"name":"x"}' }, { mode: 'lead' })).rejects.toThrow(/no clue_id/);
  });

  it('answers 200 with Feiyu-style success', () => {
    const respond = (oceanenginePushTrigger.trigger as { respond: (r: unknown, c: unknown) => unknown }).respond;
    expect(respond({ runIds: [], duplicates: 0 }, {})).toEqual({ status: 200, body: { code: 0, msg: 'success' } });
  });
});

await describeNodeContract(oceanenginePushTrigger, { secrets });
