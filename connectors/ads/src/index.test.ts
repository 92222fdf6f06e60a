import { describe, expect, it } from '@jest/globals';
import { validateNodeDefinition } from '@tributary/node-sdk';
import { adsConnectors } from './index.js';

describe('adsConnectors', () => {
  it('exports the five connectors with the node ids of CONTRACT §6 and the brief', () => {
    expect(adsConnectors.map((c) => [c.id, c.nodes.map((n) => n.id)])).toEqual([
      ['meta', ['meta.leadads']],
      ['oceanengine', ['oceanengine.leads', 'oceanengine.push']],
      ['tencentads', ['tencentads.leads']],
      ['baidu', ['baidu.leads']],
      ['ads', ['ads.convert']],
    ]);
    for (const c of adsConnectors) for (const n of c.nodes) expect(validateNodeDefinition(n)).toEqual([]);
  });

  it('declares the meta connection secrets of CONTRACT §6', () => {
    const meta = adsConnectors.find((c) => c.id === 'meta')!;
    expect((meta.auth as { required: string[] }).required).toEqual(['verifyToken', 'appSecret', 'accessToken']);
    expect((meta.nodes[0]!.configSchema.properties as Record<string, unknown>).graphBaseUrl).toBeDefined();
  });

  it('explains a malformed connection before calling any vendor', async () => {
    const noNetwork = { http: { request: () => Promise.reject(new Error('no network in this test')) }, now: () => new Date('2024-06-01T12:00:00Z') };
    const check = (id: string, secrets: Record<string, string>) => adsConnectors.find((c) => c.id === id)!.check!(secrets, noNetwork);
    await expect(check('meta', { verifyToken: 'v', accessToken: 't' })).rejects.toThrow(/needs "appSecret"/);
    await expect(check('meta', { verifyToken: 'v', appSecret: 'not-hex', accessToken: 't' })).rejects.toThrow(/32 hexadecimal/);
    await expect(check('oceanengine', { accessToken: 't' })).rejects.toThrow(/signatureKey/);
    await expect(check('oceanengine', { accessToken: 't', signatureKey: 'k', pushToken: 'short' })).rejects.toThrow(/at least 16/);
    await expect(check('tencentads', { clientId: '1' })).rejects.toThrow(/accessToken/);
    await expect(check('tencentads', { accessToken: 'static' })).resolves.toBeUndefined();
    await expect(check('baidu', { userName: 'u' })).rejects.toThrow(/userName" and "accessToken/);
    // Well-formed secrets go to the vendor: here the network is refused, and the check says so.
    await expect(check('meta', { verifyToken: 'v', appSecret: '5f1a2b3c4d5e6f708192a3b4c5d6e7f8', accessToken: 't' })).rejects.toThrow(/access token was refused/);
  });
});
