import { describe, expect, it } from '@jest/globals';
import { describeNodeContract } from '@tributary/node-sdk';
import { keruyunConnector, posNodes, squareConnector } from './pos.connector.js';
import { posConnectors, verifyYouzanEventSign, youzanEventSign } from './index.js';

const now = new Date('2025-06-01T08:00:00Z');
await describeNodeContract(posNodes[0]!, { secrets: { signatureKey: 'hX2r8LkPq4Zt7vNw1yB5eA' }, now });
await describeNodeContract(posNodes[1]!, { secrets: { token: '5d41402abc4b2a76b9719d911017c592' }, now });
await describeNodeContract(posNodes[2]!, { secrets: { clientId: 'b3d9e1a7c2f40c55e8', clientSecret: '3f8a2c7d9e1b4a6c8d0f2e4a6b8c0d1e' }, now });

const ctx = { http: { request: () => Promise.reject(new Error('no calls expected')) }, now: () => now };

describe('pos connectors', () => {
  it('ship square.webhook and keruyun.webhook (youzan.webhook is listed by the youzan connector of connectors/ecommerce) at version 1, with the CONTRACT §6 names', () => {
    expect(posConnectors.map((c) => c.id)).toEqual(['square', 'keruyun']);
    expect(posConnectors.flatMap((c) => c.nodes.map((n) => `${n.id}@${n.version}`))).toEqual(['square.webhook@1', 'keruyun.webhook@1']);
    expect(posNodes.map((n) => n.id)).toContain('youzan.webhook');
    expect(Object.keys((squareConnector.auth as { properties: object }).properties)).toEqual(['signatureKey']);
    expect(Object.keys(posNodes[0]!.configSchema.properties as object)).toEqual(expect.arrayContaining(['connection', 'notificationUrl']));
    expect(Object.keys(posNodes[1]!.configSchema.properties as object)).toContain('toleranceSeconds');
  });

  it('export the Youzan signature helpers for youzan.orders', () => {
    expect(verifyYouzanEventSign(youzanEventSign('id', '{}', 's'), 'id', Buffer.from('{}'), 's')).toBe(true);
  });

  it('check the shape of the secrets', async () => {
    await expect(squareConnector.check!({ signatureKey: 'Ibxx_5AKakO-3qeNVR61Dw' }, ctx)).resolves.toBeUndefined();
    await expect(squareConnector.check!({ signatureKey: 'not a key' }, ctx)).rejects.toThrow(/does not look like a Square signature key/);
    await expect(squareConnector.check!({}, ctx)).rejects.toThrow(/"signatureKey" is missing/);
    await expect(keruyunConnector.check!({ token: '66e53b22f1496d183e71b4ab90f4acf7' }, ctx)).resolves.toBeUndefined();
    await expect(keruyunConnector.check!({ token: '66e53b22f1496d183e71b4ab90f4acf7\n' }, ctx)).rejects.toThrow(/whitespace/);
    await expect(keruyunConnector.check!({ token: 'abc' }, ctx)).rejects.toThrow(/32 hexadecimal/);
  });

  it('give every config property a title for the editor form', () => {
    for (const node of posNodes) {
      for (const [key, schema] of Object.entries(node.configSchema.properties as Record<string, { title?: string }>)) expect([node.id, key, typeof schema.title]).toEqual([node.id, key, 'string']);
    }
  });
});
