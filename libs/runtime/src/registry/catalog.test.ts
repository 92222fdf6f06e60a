import { describe, expect, it } from '@jest/globals';
import type { HttpClient } from '@tributary/engine';
import { describeNodeContract } from '@tributary/node-sdk';
import { createCatalog } from './catalog.js';

// Every node this build ships passes the node contract, whatever package it comes from.
const catalog = createCatalog();
const http: HttpClient = { request: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}', json: {} }) };
for (const node of catalog.registry.list()) {
  await describeNodeContract(node, { http, secrets: { secret: 'sample-secret', token: 'sample-token' } });
}

describe('the catalog', () => {
  it('lists each connector once and every node under its connector id', () => {
    const ids = catalog.connectors.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of catalog.connectors) for (const n of c.nodes) expect(n.id.startsWith(`${c.id}.`)).toBe(true);
  });

  it('has the node ids of CONTRACT.md §6 that this build implements', () => {
    const have = new Set(catalog.registry.list().map((d) => d.id));
    for (const id of ['core.webhook', 'core.manual', 'core.schedule', 'core.transform', 'core.filter', 'core.validate', 'customer.normalize', 'customer.upsert']) {
      expect(have.has(id)).toBe(true);
    }
  });
});
