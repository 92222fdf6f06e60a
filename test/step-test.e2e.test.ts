// "Test a step" through the API: POST /api/flows/:id/test and POST /api/flows/test run in the
// API process and leave no run behind.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

const leadFlow = {
  schemaVersion: 1,
  id: 'lead-tidy',
  name: '线索整理',
  nodes: [
    { id: 'start', type: 'core.manual', version: 1, config: {} },
    { id: 'tidy', type: 'core.transform', version: 1, config: { expression: '{ "email": $lowercase(email), "name": name, "phone": phone }' } },
    { id: 'has_phone', type: 'core.filter', version: 1, config: { condition: '$exists(phone)' } },
    { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'webform' } },
  ],
  edges: [
    { from: 'start', to: 'tidy' },
    { from: 'tidy', to: 'has_phone' },
    { from: 'has_phone', to: 'save' },
  ],
};

describe('step test API', () => {
  let sys: System;

  beforeAll(async () => {
    // No worker: a test runs in the API process; a queued run would still show in /api/runs.
    sys = await startSystem({ label: 'steptest', workers: 0 });
    expect(await sys.createFlow(leadFlow)).toBe('lead-tidy');
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('tests a transform node alone on pinned items', async () => {
    const res = await sys.request('POST', '/api/flows/lead-tidy/test', {
      nodeId: 'tidy',
      mode: 'node',
      items: [{ email: 'Zhou.Min@Corp-Mail.cn', name: '周敏', phone: '13924681357' }, { email: 'LIU@corp-mail.cn', name: '刘洋' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', mode: 'node', nodeId: 'tidy', startNodeId: 'tidy', itemsFrom: 'request' });
    expect(res.body.steps).toHaveLength(1);
    const [step] = res.body.steps;
    expect(step).toMatchObject({ nodeId: 'tidy', status: 'succeeded', attempts: 1, error: null });
    expect(step.input).toHaveLength(2);
    expect(step.output.out).toEqual([
      { email: 'zhou.min@corp-mail.cn', name: '周敏', phone: '13924681357' },
      { email: 'liu@corp-mail.cn', name: '刘洋' },
    ]);
    expect(Date.parse(step.finishedAt)).toBeGreaterThanOrEqual(Date.parse(step.startedAt));
  });

  it('tests the flow up to a node from the trigger sample, and nothing after it runs', async () => {
    const res = await sys.request('POST', '/api/flows/lead-tidy/test', { nodeId: 'has_phone', mode: 'until' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', startNodeId: 'start', itemsFrom: 'sample' });
    expect(res.body.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['start', 'tidy', 'has_phone']);
    // core.manual's sample ({name, email}) has no phone: the filter drops it.
    const filter = res.body.steps[2];
    expect(filter.input).toEqual([{ email: 'ada@example.com', name: 'Ada Lovelace' }]);
    expect(filter.output.out).toEqual([]);
  });

  it('tests an unsaved draft (edited or new) without saving it', async () => {
    const draft = structuredClone(leadFlow);
    draft.nodes[1]!.config = { expression: '{ "email": $uppercase(email) }' };
    const edited = await sys.request('POST', '/api/flows/lead-tidy/test', { nodeId: 'tidy', items: [{ email: 'a@corp-mail.cn' }], document: draft });
    expect(edited.status).toBe(200);
    expect(edited.body.steps[0].output.out).toEqual([{ email: 'A@CORP-MAIL.CN' }]);
    expect((await sys.request('GET', '/api/flows/lead-tidy')).body.version).toBe(1);

    const { id: _id, ...unsaved } = draft;
    const fresh = await sys.request('POST', '/api/flows/test', { nodeId: 'tidy', mode: 'until', items: [{ email: 'b@corp-mail.cn' }], document: unsaved });
    expect(fresh.status).toBe(200);
    expect(fresh.body.steps.map((s: { nodeId: string; status: string }) => [s.nodeId, s.status])).toEqual([['start', 'succeeded'], ['tidy', 'succeeded']]);
    expect(fresh.body.steps[1].output.out).toEqual([{ email: 'B@CORP-MAIL.CN' }]);
  });

  it("returns a failing step's error", async () => {
    const draft = structuredClone(leadFlow);
    draft.nodes[1]!.config = { expression: '$count($)', mode: 'all' };
    const res = await sys.request('POST', '/api/flows/lead-tidy/test', { nodeId: 'tidy', mode: 'until', document: draft });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'invalid_result', nodeId: 'tidy' });
    const tidy = res.body.steps.find((s: { nodeId: string }) => s.nodeId === 'tidy');
    expect(tidy).toMatchObject({ status: 'failed', output: null, error: { code: 'invalid_result' } });
    expect(tidy.error.message).toMatch(/must return an object/);
  });

  it('writes through customer nodes for real, and leaves nothing in /api/runs', async () => {
    const res = await sys.request('POST', '/api/flows/lead-tidy/test', { nodeId: 'save', mode: 'until', items: [{ email: 'Zhou.Min@Corp-Mail.cn', name: '周敏', phone: '13924681357' }] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('succeeded');
    expect(res.body.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['start', 'tidy', 'has_phone', 'save']);
    const customers = await sys.request('GET', '/api/customers?phone=13924681357');
    expect(customers.body.items).toHaveLength(1);
    const runs = await sys.request('GET', '/api/runs');
    expect(runs.status).toBe(200);
    expect(runs.body.items).toEqual([]);
  });

  it('answers 400 with a reason for bad requests', async () => {
    const cases: [unknown, string, string][] = [
      [{ nodeId: 'ghost' }, '/api/flows/lead-tidy/test', 'unknown_node'],
      [{ nodeId: 'tidy', items: Array.from({ length: 101 }, (_, i) => ({ i })) }, '/api/flows/lead-tidy/test', 'too_many_items'],
      [{ nodeId: 'tidy', items: 'everything' }, '/api/flows/lead-tidy/test', 'invalid_items'],
      [{ nodeId: 'tidy', mode: 'all-of-it' }, '/api/flows/lead-tidy/test', 'invalid_mode'],
      [{ mode: 'node' }, '/api/flows/lead-tidy/test', 'invalid_request'],
      [{ nodeId: 'tidy' }, '/api/flows/test', 'invalid_request'],
      [{ nodeId: 'tidy', document: { schemaVersion: 1, name: 'x', nodes: [{ id: 'tidy', type: 'core.transform', version: 1, config: {} }], edges: [] } }, '/api/flows/test', 'flow_invalid'],
      [
        {
          nodeId: 'loose',
          mode: 'until',
          document: { ...leadFlow, nodes: [...leadFlow.nodes, { id: 'loose', type: 'core.transform', version: 1, config: { expression: '$' } }] },
        },
        '/api/flows/lead-tidy/test',
        'node_not_reachable',
      ],
    ];
    for (const [body, path, code] of cases) {
      const res = await sys.request('POST', path, body);
      expect({ code, status: res.status, got: res.body.error?.code }).toEqual({ code, status: 400, got: code });
      expect(res.body.error.message).toEqual(expect.any(String));
    }
    const invalid = await sys.request('POST', '/api/flows/test', cases[6]![0]);
    expect(invalid.body.error.details).toEqual([expect.objectContaining({ nodeId: 'tidy', code: 'invalid_config' })]);
    expect((await sys.request('POST', '/api/flows/no-such-flow/test', { nodeId: 'tidy' })).status).toBe(404);
  });

  it('describes both routes in the OpenAPI document', async () => {
    const doc = await sys.request('GET', '/api/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/api/flows/{id}/test'].post.summary).toMatch(/no entry in \/api\/runs; side effects .* are real/);
    expect(doc.body.paths['/api/flows/test'].post.requestBody.content['application/json'].schema.required).toEqual(['nodeId', 'document']);
  });
});
