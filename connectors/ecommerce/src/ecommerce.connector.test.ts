import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createNodeRegistry } from '@tributary/engine';
import { compileNodeConfig, describeNodeContract, type NodeDefinition } from '@tributary/node-sdk';
import { checkShopifySecrets, checkYouzanSecrets, ecommerceConnectors, shopifyConnector, youzanConnector, youzanOrdersNode } from './index.js';
import { youzanWebhookTrigger } from '@tributary/connector-pos';
import { decimalText, sumDecimals } from './util/decimal.util.js';

const nodes = ecommerceConnectors.flatMap((c) => c.nodes);

for (const node of nodes) {
  await describeNodeContract(node, { secrets: { secret: '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', clientId: '6cd25b3f99727975b5', clientSecret: 'f4b1a2c3d4e5f60718293a4b5c6d7e8f' } });
}

describe('ecommerce connectors', () => {
  it('ships shopify.orders, and youzan.orders with youzan.webhook in one youzan connector', () => {
    expect(ecommerceConnectors.map((c) => c.id)).toEqual(['shopify', 'youzan']);
    expect(nodes.map((n) => `${n.id}@${n.version}`)).toEqual(['shopify.orders@1', 'youzan.orders@1', 'youzan.webhook@1']);
    expect(youzanConnector.nodes).toEqual([youzanOrdersNode, youzanWebhookTrigger]);
    expect(shopifyConnector.nodes[0]!.connection).toEqual({ type: 'shopify', required: true });
  });

  it('keeps the secret name CONTRACT.md §6 gives shopify.orders', () => {
    expect((shopifyConnector.auth as { required: string[] }).required).toEqual(['secret']);
  });

  it('gives every config property and connection secret a title for the editor form', () => {
    const untitled: string[] = [];
    const walk = (where: string, schema: Record<string, unknown>) => {
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) if (typeof sub.title !== 'string') untitled.push(`${where}/${key}`);
    };
    for (const n of nodes) walk(n.id, n.configSchema);
    for (const c of ecommerceConnectors) walk(`${c.id}.auth`, c.auth!);
    expect(untitled).toEqual([]);
  });

  it('accepts the shopify node config of the example flow', () => {
    const flow = JSON.parse(readFileSync(new URL('../../../flows/shopify-orders.flow.json', import.meta.url), 'utf8')) as { nodes: { type: string; version: number; config: Record<string, unknown> }[] };
    const registry = createNodeRegistry(nodes as NodeDefinition[]);
    const own = flow.nodes.filter((n) => registry.get(n.type, n.version));
    expect(own.map((n) => n.type)).toEqual(['shopify.orders']);
    for (const n of own) expect(() => compileNodeConfig(registry.get(n.type, n.version)!, n.config)).not.toThrow();
    expect(flow.nodes.find((n) => n.type === 'customer.upsert')!.config).toMatchObject({ source: 'ecommerce', event: { typeField: 'eventType', occurredAtField: 'occurredAt' } });
  });
});

describe('connection checks', () => {
  it('shopify: catches empty secrets and access tokens pasted by mistake', async () => {
    await expect(checkShopifySecrets({ secret: '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' })).resolves.toBeUndefined();
    await expect(checkShopifySecrets({ secret: 'a'.repeat(64) })).resolves.toBeUndefined();
    await expect(checkShopifySecrets({ secret: '' })).rejects.toThrow(/no secret/);
    await expect(checkShopifySecrets({ secret: 'shpat_0123456789abcdef0123456789abcdef' })).rejects.toThrow(/Admin API access token/);
    await expect(checkShopifySecrets({ secret: 'my secret' })).rejects.toThrow(/does not look like/);
  });

  it('youzan: checks the client id and secret shapes', async () => {
    await expect(checkYouzanSecrets({ clientId: '6cd25b3f99727975b5', clientSecret: 'f4b1a2c3d4e5f60718293a4b5c6d7e8f' })).resolves.toBeUndefined();
    await expect(checkYouzanSecrets({ clientId: '6cd25b3f99727975b5' })).rejects.toThrow(/needs the app’s clientId and clientSecret/);
    await expect(checkYouzanSecrets({ clientId: 'has space', clientSecret: 'f4b1a2c3d4e5f60718293a4b5c6d7e8f' })).rejects.toThrow(/clientId does not look like/);
    await expect(checkYouzanSecrets({ clientId: '6cd25b3f99727975b5', clientSecret: 'short' })).rejects.toThrow(/clientSecret does not look like/);
  });
});

describe('decimal amounts', () => {
  it('sums money exactly and keeps vendor text as is', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['199.10', '0.2', '-10'])).toBe('189.30');
    expect(sumDecimals(['-0.50', '0.20'])).toBe('-0.30');
    expect(sumDecimals([])).toBeUndefined();
    expect(decimalText('403.00')).toBe('403.00');
    expect(decimalText(19.9)).toBe('19.9');
    expect(decimalText('1e3')).toBeUndefined();
  });
});
