import { describe, expect, it } from '@jest/globals';
import { ConfigError, NodeError, PayloadError, type HttpClient } from '@tributary/engine';
import { pingNode, shoutNode, signedHook } from './__fixtures__/sample-nodes.js';
import { defineNode } from './define-node.js';
import { runNode, runWebhookTrigger } from './harness.js';
import { hmac } from './webhook.util.js';
import { InMemoryCustomerStore } from './in-memory-customer-store.js';

describe('runNode', () => {
  it('runs a node with the real evaluator, validated config, clock and idempotency keys', async () => {
    const out = await runNode(shoutNode, { config: { field: 'name' }, items: [{ name: 'ada' }, { x: 1 }], now: new Date('2025-01-02T03:04:05Z'), runId: 'r9', nodeId: 'n1' });
    expect(out).toEqual({
      out: [{ name: 'ADA', at: '2025-01-02T03:04:05.000Z', key: 'r9:n1:0' }],
      error: [{ item: { x: 1 }, error: { code: 'missing', message: 'no name' } }],
    });
  });

  it('rejects an invalid config before running', async () => {
    await expect(runNode(shoutNode, { config: { field: 3 }, items: [] })).rejects.toBeInstanceOf(ConfigError);
  });

  it('does not let a node change the caller’s items', async () => {
    const items = [{ name: 'ada' }];
    await runNode(shoutNode, { config: { field: 'name' }, items });
    expect(items).toEqual([{ name: 'ada' }]);
  });

  it('checks outputs like the executor', async () => {
    const leaky = defineNode({ ...shoutNode, id: 'acme.leaky', run: async (_ctx, items) => ({ out: items, debug: items }) });
    await expect(runNode(leaky, { config: { field: 'a' }, items: [{}] })).rejects.toMatchObject({ code: 'undeclared_port' });
    const dated = defineNode({ ...shoutNode, id: 'acme.dated', run: async () => ({ out: [{ at: new Date() }] }) });
    await expect(runNode(dated, { config: { field: 'a' }, items: [{}] })).rejects.toMatchObject({ code: 'invalid_output' });
  });

  it('has no network unless a client is passed', async () => {
    await expect(runNode(pingNode, { config: { url: 'https://x.test' }, items: [{}] })).rejects.toThrow(/no http in harness/);
    const calls: string[] = [];
    const http: HttpClient = { request: async (r) => (calls.push(r.url), { status: 204, headers: {}, body: '' }) };
    expect(await runNode(pingNode, { config: { url: 'https://x.test' }, items: [{}], http })).toEqual({ out: [{ status: 204 }] });
    expect(calls).toEqual(['https://x.test']);
    const down: HttpClient = { request: async () => ({ status: 503, headers: {}, body: '' }) };
    await expect(runNode(pingNode, { config: { url: 'https://x.test' }, items: [{}], http: down })).rejects.toBeInstanceOf(NodeError);
  });

  it('writes through the in-memory store, once per idempotency key', async () => {
    const store = new InMemoryCustomerStore();
    const first = await runNode(shoutNode, { config: { field: 'name', save: true }, items: [{ name: 'ada' }], store });
    const again = await runNode(shoutNode, { config: { field: 'name', save: true }, items: [{ name: 'ada' }], store });
    expect(first.out![0]!.customerId).toBe('cus_1');
    expect(again.out![0]!.customerId).toBe('cus_1');
    expect(store.all()).toHaveLength(1);
    expect(store.find('name', 'ADA')?.attributes).toMatchObject({ name: 'ADA' });
  });
});

describe('InMemoryCustomerStore', () => {
  const prov = { source: 's', flowId: 'f', flowVersion: 1, runId: 'r', nodeId: 'n' };
  it('matches customers by any known identity and ignores empty ones', async () => {
    const store = new InMemoryCustomerStore();
    const [a] = await store.upsert([{ identities: [{ type: 'email', value: 'a@x.com' }], attributes: { name: 'A' }, provenance: prov, idempotencyKey: 'k1' }]);
    const [b] = await store.upsert([
      { identities: [{ type: 'phone', value: '' }, { type: 'phone', value: '+8613800000000' }, { type: 'email', value: 'a@x.com' }], attributes: { city: 'SH' }, provenance: prov, idempotencyKey: 'k2' },
    ]);
    expect(a).toEqual({ customerId: 'cus_1', created: true, ignoredIdentities: [] });
    expect(b).toEqual({ customerId: 'cus_1', created: false, ignoredIdentities: [{ type: 'phone', value: '' }] });
    expect(store.find('phone', '+8613800000000')?.attributes).toEqual({ name: 'A', city: 'SH' });
  });
});

describe('runWebhookTrigger', () => {
  const body = JSON.stringify({ id: 'evt_1', name: 'ada' });
  const signed = { 'x-hub-signature-256': `sha256=${hmac('sha256', 's3cret', body)}`, 'content-type': 'application/json' };

  it('verifies, decodes and maps a signed delivery', async () => {
    const res = await runWebhookTrigger(signedHook, { config: { connection: 'c' }, secrets: { secret: 's3cret' }, headers: signed, body });
    expect(res.verify).toEqual({ ok: true });
    expect(res.events).toEqual([{ dedupeKey: 'evt_1', items: [{ id: 'evt_1', name: 'ada' }] }]);
  });

  it('stops at verify for a bad signature or missing secret', async () => {
    const bad = await runWebhookTrigger(signedHook, { config: { connection: 'c' }, secrets: { secret: 'other' }, headers: signed, body });
    expect(bad).toEqual({ verify: { ok: false, reason: 'bad signature' } });
    const none = await runWebhookTrigger(signedHook, { config: { connection: 'c' }, headers: signed, body });
    expect(none.verify).toEqual({ ok: false, reason: 'connection has no secret' });
  });

  it('answers handshakes without verifying', async () => {
    const res = await runWebhookTrigger(signedHook, { config: { connection: 'c' }, method: 'GET', query: { challenge: 'abc' } });
    expect(res).toEqual({ handshake: { status: 200, body: 'abc' } });
  });

  it('refuses methods the trigger does not accept and oversized bodies', async () => {
    expect((await runWebhookTrigger(signedHook, { config: { connection: 'c' }, method: 'PUT', body })).verify).toMatchObject({ ok: false, status: 405 });
    const big = 'x'.repeat(1024 * 1024 + 1);
    expect((await runWebhookTrigger(signedHook, { config: { connection: 'c' }, body: big })).verify).toMatchObject({ ok: false, status: 413 });
  });

  it('throws PayloadError for a body that does not decode', async () => {
    const broken = '{"id":';
    const headers = { 'x-hub-signature-256': `sha256=${hmac('sha256', 's3cret', broken)}`, 'content-type': 'application/json' };
    await expect(runWebhookTrigger(signedHook, { config: { connection: 'c' }, secrets: { secret: 's3cret' }, headers, body: broken })).rejects.toBeInstanceOf(PayloadError);
  });
});
