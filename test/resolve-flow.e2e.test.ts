// customer.resolve in a flow: known people leave on `matched` (with the reasons, conflicts
// included), strangers on `new`; nothing is written.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

describe('customer.resolve routes items by who they are', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ label: 'resolveflow' });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'known',
      name: 'known',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: {} },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'crm' } },
      ],
      edges: [{ from: 'hook', to: 'save' }],
    });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'router',
      name: 'router',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: {} },
        { id: 'who', type: 'customer.resolve', version: 1, config: {} },
        { id: 'known', type: 'core.transform', version: 1, config: { expression: '$merge([$, {"route": "known"}])' } },
        { id: 'fresh', type: 'core.transform', version: 1, config: { expression: '$merge([$, {"route": "new"}])' } },
        { id: 'check', type: 'core.transform', version: 1, config: { expression: '$merge([$, {"route": "review"}])' } },
      ],
      edges: [
        { from: 'hook', to: 'who' },
        { from: 'who:matched', to: 'known' },
        { from: 'who:new', to: 'fresh' },
        { from: 'who:review', to: 'check' },
      ],
    });
    for (const body of [
      { phone: '13924681501', name: '周杰', email: 'zhou@corp-mail.cn' },
      { phone: '13924681502', name: '吴敏', email: 'wu@corp-mail.cn' },
    ]) {
      expect((await sys.request('POST', '/hooks/known/hook', body)).status).toBe(202);
    }
    await sys.drain();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const route = async (body: Record<string, unknown>) => {
    const ack = await sys.request('POST', '/hooks/router/hook', body);
    await sys.drain();
    const run = await sys.request('GET', `/api/runs/${ack.body.runIds[0]}`);
    expect(run.body.status).toBe('succeeded');
    const who = run.body.steps.find((s: { nodeId: string }) => s.nodeId === 'who');
    const [port, items] = Object.entries(who.output as Record<string, unknown[]>).find(([, v]) => v.length > 0)!;
    return { port, item: items[0] as { resolution: { kind: string; customerId?: string; reasons: { rule: string; detail: string }[] } } };
  };

  it('sends a known phone in another format to matched, with the customer id and the reason', async () => {
    const { port, item } = await route({ phone: '+86 139-2468-1501', name: '周杰' });
    expect(port).toBe('matched');
    expect(item.resolution.kind).toBe('matched');
    const known = await sys.request('GET', '/api/customers?phone=13924681501');
    expect(item.resolution.customerId).toBe(known.body.items[0].id);
    expect(item.resolution.reasons.map((r) => r.rule).join(' ')).toMatch(/phone/);
  });

  it('sends a stranger to new and writes nothing', async () => {
    const before = await sys.db.query(`SELECT count(*)::int AS n FROM customers`);
    const { port } = await route({ phone: '13924681599', name: '郑新' });
    expect(port).toBe('new');
    const after = await sys.db.query(`SELECT count(*)::int AS n FROM customers`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('matches a record whose phone and e-mail belong to two customers by the phone, and says so', async () => {
    const { port, item } = await route({ phone: '13924681501', email: 'wu@corp-mail.cn', name: '周杰' });
    // The phone outranks the e-mail: the record belongs to 周杰; the e-mail stays with 吴敏 and the
    // conflict is named (customer.upsert also files the pair in the review queue).
    expect(port).toBe('matched');
    const zhou = (await sys.request('GET', '/api/customers?phone=13924681501')).body.items[0].id;
    const wu = (await sys.request('GET', '/api/customers?phone=13924681502')).body.items[0].id;
    expect(item.resolution.customerId).toBe(zhou);
    const conflict = item.resolution.reasons.find((r) => r.rule === 'conflict:email');
    expect(conflict?.detail).toContain(wu);
  });
});
