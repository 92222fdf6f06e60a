// The customer API: 360° view, manual merge of several customers and its exact undo,
// the review queue for conflicting identities, erasure.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

describe('customers, merges and the review queue', () => {
  let sys: System;
  const ids: Record<string, string> = {};

  const post = async (body: Record<string, unknown>) => {
    const ack = await sys.request('POST', '/hooks/people/hook', body);
    expect(ack.status).toBe(202);
    await sys.drain();
  };
  const byPhone = async (phone: string) => (await sys.request('GET', `/api/customers?phone=${encodeURIComponent(phone)}`)).body.items as { id: string }[];
  const view = async (id: string) => (await sys.request('GET', `/api/customers/${id}`)).body;
  const stable = (v: any) => ({
    identities: [...v.identities].map((i: any) => `${i.type}:${i.value}`).sort(),
    attributes: Object.fromEntries(Object.entries(v.attributes).map(([k, a]: [string, any]) => [k, a.value])),
    timeline: v.timeline.map((e: any) => e.id).sort(),
  });

  beforeAll(async () => {
    sys = await startSystem({ label: 'customers' });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'people',
      name: 'people',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'api-test' } },
      ],
      edges: [{ from: 'hook', to: 'save' }],
    });
    await post({ phone: '13924681001', name: '甲', city: '上海' });
    await post({ phone: '13924681002', email: 'yi@corp-mail.cn', name: '乙' });
    await post({ phone: '13924681003', name: '丙', company: 'ABC科技有限公司' });
    for (const [k, p] of [['a', '13924681001'], ['b', '13924681002'], ['c', '13924681003']] as const) ids[k] = (await byPhone(p))[0]!.id;
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('merges several customers into one and undoes it exactly', async () => {
    const before = { a: stable(await view(ids.a!)), b: stable(await view(ids.b!)), c: stable(await view(ids.c!)) };
    const merged = await sys.request('POST', `/api/customers/${ids.a}/merge`, { otherIds: [ids.b, ids.c] });
    expect(merged.status).toBe(200);
    expect(merged.body.targetId).toBe(ids.a);
    const target = await view(ids.a!);
    expect(target.identities.map((i: any) => i.value)).toEqual(expect.arrayContaining(['+8613924681001', '+8613924681002', '+8613924681003', 'yi@corp-mail.cn']));
    expect(target.merges.some((m: any) => m.id === merged.body.mergeId)).toBe(true);
    expect(await byPhone('13924681002')).toEqual([expect.objectContaining({ id: ids.a })]);

    // Not kept apart afterwards (the default is to keep them apart): the review test below needs a and b as they were.
    const undo = await sys.request('POST', `/api/merges/${merged.body.mergeId}/undo`, { separate: false });
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({ targetId: ids.a, separated: false });
    expect({ a: stable(await view(ids.a!)), b: stable(await view(ids.b!)), c: stable(await view(ids.c!)) }).toEqual(before);
    expect((await sys.request('POST', `/api/merges/${merged.body.mergeId}/undo`)).status).toBe(409);
  });

  it('rejects bad merge requests with a reason', async () => {
    expect((await sys.request('POST', `/api/customers/${ids.a}/merge`, { otherIds: [] })).status).toBe(400);
    expect((await sys.request('POST', `/api/customers/${ids.a}/merge`, { otherIds: [ids.a] })).status).toBe(400);
    const unknown = await sys.request('POST', `/api/customers/${ids.a}/merge`, { otherIds: ['00000000-0000-0000-0000-000000000000'] });
    expect(unknown.status).toBe(404);
  });

  it('sends a record whose identities belong to two customers to the review queue, and honours "separate"', async () => {
    // The phone is A's, the email is B's: two people or one? Not the engine's call to make alone.
    await post({ phone: '13924681001', email: 'yi@corp-mail.cn', name: '甲' });
    const pending = await sys.request('GET', '/api/review');
    expect(pending.status).toBe(200);
    expect(pending.body.items).toHaveLength(1);
    const item = pending.body.items[0];
    expect(item.reasons.length).toBeGreaterThan(0);
    expect([item.customerId, item.candidateId].sort()).toEqual([ids.a, ids.b].sort());

    // Filtered by the rule of a reason.
    const rules = item.reasons.map((r: { rule: string }) => r.rule);
    expect((await sys.request('GET', `/api/review?rule=${encodeURIComponent(rules[0])}`)).body.items.map((i: { id: string }) => i.id)).toEqual([item.id]);
    expect((await sys.request('GET', '/api/review?rule=rematch')).body.items).toEqual([]);
    expect((await sys.request('GET', '/api/review?rule=' + encodeURIComponent('a b'))).status).toBe(400);
    expect((await sys.request('GET', '/api/review?order=score')).body.items.map((i: { id: string }) => i.id)).toEqual([item.id]);
    expect((await sys.request('GET', '/api/review?order=newest')).status).toBe(400);

    // Decided through the several-at-once form: each item answers for itself.
    const many = await sys.request('POST', '/api/review/decisions', {
      decisions: [
        { id: item.id, decision: 'separate' },
        { id: item.id, decision: 'merge' },
        { id: '00000000-0000-0000-0000-000000000000', decision: 'merge' },
      ],
    });
    expect(many.status).toBe(200);
    expect(many.body.results.map((r: { id: string; status: number }) => r.status)).toEqual([200, 409, 404]);
    expect(many.body.results[0]).toMatchObject({ id: item.id, review: { status: 'separated' } });
    expect(many.body.results[1].error).toMatchObject({ code: 'conflict' });
    expect((await sys.request('POST', '/api/review/decisions', { decisions: [{ id: item.id, decision: 'maybe' }] })).status).toBe(400);
    expect((await sys.request('POST', '/api/review/decisions', { decisions: [] })).status).toBe(400);
    expect((await sys.request('GET', '/api/review')).body.items).toHaveLength(0);
    expect((await sys.request('POST', `/api/review/${item.id}`, { decision: 'bogus' })).status).toBe(400);
    // Still two customers.
    expect((await byPhone('13924681001'))[0]!.id).toBe(ids.a);
    expect((await view(ids.b!)).identities.map((i: any) => i.value)).toContain('yi@corp-mail.cn');
  });

  it('takes a person\'s edit of the profile, relinks the account, and refuses bad edits with a reason', async () => {
    const edited = await sys.request('PATCH', `/api/customers/${ids.b}`, { attributes: { company: '云帆网络科技有限公司', credit_code: '91350100M000100Y43', title: '采购经理' } });
    expect(edited.status).toBe(200);
    expect(edited.body.attributes.title).toMatchObject({ value: '采购经理', source: 'manual' });
    expect(edited.body.account).toMatchObject({ name: '云帆网络科技有限公司', creditCode: '91350100M000100Y43' });
    const audit = await sys.db.query(`SELECT action, details FROM audit_log WHERE entity_id = $1 AND action = 'customer.attributes_edited'`, [ids.b]);
    expect(audit.rows[0].details.fields.sort()).toEqual(['company', 'credit_code', 'title']);
    for (const bad of [{}, { attributes: [] }, { attributes: {} }, { attributes: { title: { nested: true } } }, { attributes: { 'a b': 'x' } }]) {
      const res = await sys.request('PATCH', `/api/customers/${ids.b}`, bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_attributes');
    }
    expect((await sys.request('PATCH', '/api/customers/00000000-0000-0000-0000-000000000000', { attributes: { title: 'x' } })).status).toBe(404);
  });

  it('erases a customer and the run payloads that carried the data', async () => {
    const erased = await sys.request('DELETE', `/api/customers/${ids.c}`);
    expect(erased.status).toBe(200);
    expect(await byPhone('13924681003')).toEqual([]);
    const runs = await sys.db.query(`SELECT input::text AS input FROM runs`);
    expect(runs.rows.some((r: { input: string | null }) => r.input?.includes('13924681003'))).toBe(false);
  });
});
