// Segments through the real API and worker: a saved segment follows customers upserted by a
// flow (counts and members), and a flow with customer.segment-entered runs once per customer
// entering (and, configured so, leaving).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

describe('segments', () => {
  let sys: System;
  const gold = { field: 'attributes.tier', op: 'eq', value: 'gold' };

  const ingest = async (items: Record<string, unknown>[]) => {
    const r = await sys.request('POST', '/api/flows/people/run', { items });
    expect(r.status).toBe(202);
    await sys.drain();
  };
  const segment = async (id: string) => (await sys.request('GET', `/api/segments/${id}`)).body;
  const memberPhones = async (id: string) => {
    const out: string[] = [];
    let cursor = '';
    for (;;) {
      const page = await sys.request('GET', `/api/segments/${id}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      out.push(...page.body.items.map((m: any) => m.identities.find((i: any) => i.type === 'phone').value));
      if (!page.body.nextCursor) return out.sort();
      cursor = page.body.nextCursor;
    }
  };
  const segmentRuns = async (flowId: string) =>
    (
      await sys.db.query(`SELECT status, dedupe_key, input FROM runs WHERE flow_id = $1 AND trigger_kind = 'segment' ORDER BY dedupe_key`, [flowId])
    ).rows as { status: string; dedupe_key: string; input: any[] }[];
  /** Until the dispatcher has read every change of the segment for this flow's trigger. */
  const caughtUp = (flowId: string) =>
    sys.waitFor(async () => {
      const r = await sys.db.query(
        `SELECT (SELECT cursor ->> 'changeId' FROM trigger_state WHERE flow_id = $1 AND node_id = 'seg')::bigint
                >= coalesce((SELECT max(id) FROM segment_changes WHERE segment_id = 'gold'), 0) AS done`,
        [flowId],
      );
      return r.rows[0]?.done === true;
    }, 30_000, `${flowId} to catch up with the segment's changes`);

  beforeAll(async () => {
    sys = await startSystem({ label: 'segments', env: { TRIBUTARY_SEGMENT_INTERVAL_MS: '100' } });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'people',
      name: 'people',
      nodes: [
        { id: 'in', type: 'core.manual', version: 1, config: {} },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'crm-import' } },
      ],
      edges: [{ from: 'in', to: 'save' }],
    });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('refuses a bad definition with the path of each problem', async () => {
    const bad = await sys.request('POST', '/api/segments', { name: 'x', definition: { all: [{ field: 'score', op: 'gt', value: 'high' }, { field: 'drop table', op: 'eq', value: 1 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('segment_invalid');
    expect(bad.body.error.details).toEqual([
      { path: '/definition/all/0/value', message: 'must be a number for "gt"' },
      { path: '/definition/all/1/field', message: expect.stringMatching(/customer column/) },
    ]);
    const preview = await sys.request('POST', '/api/segments/preview', { definition: { any: [] } });
    expect(preview.status).toBe(400);
    expect(preview.body.error.details).toEqual([{ path: '/definition/any', message: expect.any(String) }]);
    expect((await sys.request('GET', '/api/segments/nope')).status).toBe(404);
  });

  it('counts members as customers are upserted, and runs a flow once per customer entering', async () => {
    const created = await sys.request('POST', '/api/segments', { id: 'gold', name: '金卡客户', description: 'tier = gold', definition: gold });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'gold', memberCount: 0, enabled: true });
    for (const [id, change] of [['welcome', 'entered'], ['farewell', 'left']] as const) {
      await sys.createFlow({
        schemaVersion: 1,
        id,
        name: id,
        nodes: [
          { id: 'seg', type: 'customer.segment-entered', version: 1, config: { segmentId: 'gold', change } },
          { id: 'note', type: 'core.transform', version: 1, config: { expression: '{"greet": displayName, "phone": phone}' } },
        ],
        edges: [{ from: 'seg', to: 'note' }],
      });
    }
    // Let the dispatcher see the published flows before anybody enters (it starts from the publish time).
    await caughtUp('welcome');

    await ingest([
      { phone: '13924682001', name: '赵一', tier: 'gold' },
      { phone: '13924682002', name: '钱二', tier: 'gold' },
      { phone: '13924682003', name: '孙三', tier: 'silver' },
    ]);
    await sys.waitFor(async () => (await segment('gold')).memberCount === 2, 30_000, 'two gold members');
    expect(await memberPhones('gold')).toEqual(['+8613924682001', '+8613924682002']);

    await caughtUp('welcome');
    await sys.drain();
    const welcome = await segmentRuns('welcome');
    expect(welcome).toHaveLength(2);
    expect(welcome.every((r) => r.status === 'succeeded')).toBe(true);
    expect(welcome.map((r) => r.input[0].displayName).sort()).toEqual(['赵一', '钱二']);
    expect(welcome[0]!.input[0]).toMatchObject({ segmentId: 'gold', segmentName: '金卡客户', change: 'entered', phone: expect.stringMatching(/^\+86139246820/) });
    expect(welcome.every((r) => /^segment:gold:\d+$/.test(r.dedupe_key))).toBe(true);

    // 钱二 downgrades, 孙三 upgrades: one leaves, one enters.
    await ingest([
      { phone: '13924682002', tier: 'silver' },
      { phone: '13924682003', tier: 'gold' },
    ]);
    await sys.waitFor(async () => (await memberPhones('gold')).join() === '+8613924682001,+8613924682003', 30_000, 'members to change');
    expect((await segment('gold')).memberCount).toBe(2);
    // Customer search filtered by the segment (CONTRACT §3) sees the same members.
    const searched = await sys.request('GET', '/api/customers?segment=gold');
    expect(searched.body.items.map((c: { identities: { value: string }[] }) => c.identities.map((i) => i.value).join()).sort()).toEqual([
      expect.stringContaining('+8613924682001'),
      expect.stringContaining('+8613924682003'),
    ]);
    await caughtUp('welcome');
    await caughtUp('farewell');
    await sys.drain();
    expect((await segmentRuns('welcome')).map((r) => r.input[0].displayName).sort()).toEqual(['孙三', '赵一', '钱二']);
    const farewell = await segmentRuns('farewell');
    expect(farewell.map((r) => [r.input[0].displayName, r.input[0].change])).toEqual([['钱二', 'left']]);

    // The same records again change nothing: no change, no run.
    await ingest([{ phone: '13924682001', tier: 'gold' }]);
    await caughtUp('welcome');
    await sys.drain();
    expect(await segmentRuns('welcome')).toHaveLength(3);
    const listed = await sys.request('GET', '/api/segments');
    expect(listed.body.items).toEqual([expect.objectContaining({ id: 'gold', memberCount: 2 })]);
  });

  it('previews, changes and deletes a segment', async () => {
    const preview = await sys.request('POST', '/api/segments/preview', { definition: { field: 'attributes.tier', op: 'in', value: ['gold', 'silver'] } });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(3);
    expect(preview.body.sample).toHaveLength(3);

    const changed = await sys.request('PUT', '/api/segments/gold', { name: '金卡和银卡', definition: { field: 'attributes.tier', op: 'in', value: ['gold', 'silver'] } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: '金卡和银卡', memberCount: 3 });
    await caughtUp('welcome');
    await sys.drain();
    // 钱二 is back in: entering again is a new change, hence a new run.
    expect((await segmentRuns('welcome')).map((r) => r.input[0].displayName).sort()).toEqual(['孙三', '赵一', '钱二', '钱二']);

    expect((await sys.request('DELETE', '/api/segments/gold')).status).toBe(200);
    expect((await sys.request('GET', '/api/segments/gold')).status).toBe(404);
    expect((await sys.request('DELETE', '/api/segments/gold')).status).toBe(404);
  });
});
