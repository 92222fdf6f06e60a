import { describe, expect, it } from '@jest/globals';
import { describeNodeContract } from '@tributary/node-sdk';
import { formsConnectors } from './index.js';
import { formsConnector, formsNodes, jiandaoyunConnector, typeformConnector } from './forms.connector.js';

const now = new Date('2025-06-01T08:00:00Z');
await describeNodeContract(formsNodes[0]!, { secrets: { token: 'tok_5b2e9c0d7f1a4e6b8c3d' }, now });
await describeNodeContract(formsNodes[1]!, { secrets: { secret: 'tf-secret' }, now });
await describeNodeContract(formsNodes[2]!, { secrets: { secret: 'jdy-secret' }, now });

const ctx = { http: { request: () => Promise.reject(new Error('no calls expected')) }, now: () => now };

describe('forms connectors', () => {
  it('ship forms.webhook, typeform.webhook and jiandaoyun.webhook at version 1', () => {
    expect(formsConnectors.map((c) => c.id)).toEqual(['forms', 'typeform', 'jiandaoyun']);
    expect(formsConnectors.flatMap((c) => c.nodes.map((n) => `${n.id}@${n.version}`))).toEqual(['forms.webhook@1', 'typeform.webhook@1', 'jiandaoyun.webhook@1']);
  });

  it('check the secrets a paste can get wrong', async () => {
    await expect(formsConnector.check!({ token: 'tok_5b2e9c0d7f1a4e6b8c3d' }, ctx)).resolves.toBeUndefined();
    await expect(formsConnector.check!({}, ctx)).rejects.toThrow(/set "token"/);
    await expect(formsConnector.check!({ token: 'short' }, ctx)).rejects.toThrow(/at least 16/);
    await expect(typeformConnector.check!({ secret: 'abc ' }, ctx)).rejects.toThrow(/whitespace/);
    await expect(typeformConnector.check!({ secret: 'abc' }, ctx)).resolves.toBeUndefined();
    await expect(jiandaoyunConnector.check!({}, ctx)).rejects.toThrow(/"secret" is missing/);
  });

  it('give every config property a title for the editor form', () => {
    for (const node of formsNodes) {
      for (const [key, schema] of Object.entries(node.configSchema.properties as Record<string, { title?: string }>)) expect([node.id, key, typeof schema.title]).toEqual([node.id, key, 'string']);
    }
  });
});
