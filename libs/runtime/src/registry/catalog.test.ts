import { describe, expect, it } from '@jest/globals';
import type { HttpClient } from '@tributary/engine';
import { describeNodeContract } from '@tributary/node-sdk';
import { createCatalog } from './catalog.js';

// Every node this build ships passes the node contract, whatever package it comes from.
const catalog = createCatalog();
const http: HttpClient = { request: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}', json: {} }) };
for (const connector of catalog.connectors) {
  // A sample value for every secret the connector's connection declares.
  const declared = Object.keys(((connector.auth as { properties?: object } | undefined)?.properties ?? {}) as object);
  const sample = (k: string) => (/url$/i.test(k) ? 'https://vendor.example' : /^allow/.test(k) ? 'false' : `sample-${k}`);
  const secrets = Object.fromEntries(['secret', 'token', ...declared].map((k) => [k, sample(k)]));
  for (const node of connector.nodes) await describeNodeContract(node, { http, secrets });
}

describe('the catalog', () => {
  it('lists each connector once and every node under its connector id', () => {
    const ids = catalog.connectors.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of catalog.connectors) for (const n of c.nodes) expect(n.id.startsWith(`${c.id}.`)).toBe(true);
  });

  it('has the node ids of CONTRACT.md §6 that this build implements', () => {
    const have = new Set(catalog.registry.list().map((d) => d.id));
    for (const id of [
      'core.webhook', 'core.manual', 'core.schedule', 'core.transform', 'core.filter', 'core.validate',
      'customer.normalize', 'customer.resolve', 'customer.upsert',
      'wecom.callback', 'wechat.official', 'shopify.orders', 'square.webhook', 'zendesk.webhook', 'meta.leadads',
    ]) {
      expect(have.has(id)).toBe(true);
    }
  });
});
