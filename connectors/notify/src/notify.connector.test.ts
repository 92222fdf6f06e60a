import { describe, expect, it } from '@jest/globals';
import { describeNodeContract, runNode, type HttpClient } from '@tributary/node-sdk';
import { notifyConnectors } from './index.js';
import { notifyConnector } from './notify.connector.js';

// The catalogue's own contract run gives every node a client answering 200 {} and placeholder
// secrets; the notify nodes must pass it too (the email, WeCom and SMS samples send nothing).
const stubHttp: HttpClient = { request: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}', json: {} }) };
const placeholderSecrets = { secret: 'sample-secret', token: 'sample-token' };

describe('notify connectors', () => {
  it('lists the notify nodes and the connection types they use', () => {
    expect(notifyConnectors.map((c) => c.id)).toEqual(['notify', 'smtp', 'wecom_app', 'sms']);
    expect(notifyConnector.nodes.map((n) => `${n.id}:${n.connection?.type}`)).toEqual(['notify.webhook:notify', 'notify.email:smtp', 'notify.wecom:wecom_app', 'notify.sms:sms']);
    for (const c of notifyConnectors) {
      expect(Object.isFrozen(c)).toBe(true);
      expect(typeof c.check).toBe('function');
      expect(c.auth).toBeDefined();
      for (const n of c.nodes) expect(n.id.startsWith(`${c.id}.`)).toBe(true);
    }
  });

  it('checks a notify connection’s signing secret', async () => {
    const ctx = { http: stubHttp, now: () => new Date() };
    await expect(notifyConnector.check!({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, ctx)).resolves.toBeUndefined();
    await expect(notifyConnector.check!({ secret: 'hunter2' }, ctx)).rejects.toThrow(/decodes to/);
    await expect(notifyConnector.check!({}, ctx)).rejects.toThrow(/needs "secret"/);
  });

  it('runs every sample as the catalogue does', async () => {
    for (const node of notifyConnector.nodes) {
      const out = await runNode(node, { config: node.sample!.config as Record<string, unknown>, items: node.sample!.input ?? [{}], secrets: placeholderSecrets, http: stubHttp });
      expect(out.error ?? []).toEqual([]);
    }
  });
});

for (const node of notifyConnector.nodes) await describeNodeContract(node, { http: stubHttp, secrets: placeholderSecrets });
