// customer.rematch in a flow on the real API, worker and store: two customers of one person that
// the deliveries left apart (the e-mail's company and city came with a later record) become one,
// the merge shows on the 360° view, and the API undoes it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { intakeFlow, REPO_ROOT, startSystem, type System } from './support/system.js';

describe('customer.rematch in a flow', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ label: 'rematchflow' });
    await sys.createFlow(intakeFlow('intake', 'crm'));
    // The example flow (core.schedule → customer.rematch), run on demand through the API.
    await sys.createFlow(JSON.parse(readFileSync(join(REPO_ROOT, 'flows', 'nightly-rematch.flow.json'), 'utf8')));
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('merges the two halves of one person, and the merge can be undone through the API', async () => {
    for (const body of [
      { phone: '13924681701', name: '慕容雪', company: '天行物流有限公司', city: '成都' },
      { email: 'murong.xue@tianxing.cn', name: '慕容雪' },
      { email: 'murong.xue@tianxing.cn', company: '天行物流有限公司', city: '成都' },
      { phone: '13924681702', name: '欧阳娜', company: '海纳咨询有限公司', city: '成都' },
    ]) {
      expect((await sys.request('POST', '/hooks/intake/hook', body)).status).toBe(202);
      await sys.drain();
    }
    const byPhone = (await sys.request('GET', '/api/customers?phone=13924681701')).body.items[0];
    const byEmail = (await sys.request('GET', '/api/customers?email=murong.xue@tianxing.cn')).body.items[0];
    expect(byEmail.id).not.toBe(byPhone.id);

    const started = await sys.request('POST', '/api/flows/nightly-rematch/run', { items: [{}] });
    expect(started.status).toBe(202);
    await sys.drain();
    const run = await sys.request('GET', `/api/runs/${started.body.runId}`);
    expect(run.body.status).toBe('succeeded');
    const step = run.body.steps.find((s: { nodeId: string }) => s.nodeId === 'rematch');
    expect(step.output.out).toEqual([expect.objectContaining({ customers: 3, links: 1, merged: 1, queued: 0 })]);
    expect(step.output.merged).toEqual([{ mergeId: expect.any(String), targetId: byPhone.id, sourceIds: [byEmail.id] }]);

    const view = (await sys.request('GET', `/api/customers/${byPhone.id}`)).body;
    expect(view.identities.map((i: { value: string }) => i.value).sort()).toEqual(['+8613924681701', 'murong.xue@tianxing.cn']);
    expect((await sys.request('GET', '/api/customers?email=murong.xue@tianxing.cn')).body.items[0].id).toBe(byPhone.id);

    const undone = await sys.request('POST', `/api/merges/${step.output.merged[0].mergeId}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ targetId: byPhone.id, restoredIds: [byEmail.id], separated: true });
    expect((await sys.request('GET', '/api/customers?email=murong.xue@tianxing.cn')).body.items[0].id).toBe(byEmail.id);
    expect((await sys.request('POST', `/api/merges/${step.output.merged[0].mergeId}/undo`, { separate: 'no' })).status).toBe(400);

    // The next night's run resolves only what changed since the first (scope changed): the undone
    // pair is kept apart, and a new person's halves merge.
    for (const body of [
      { phone: '13924681703', name: '司马青', company: '远航电子有限公司', city: '成都' },
      { email: 'sima.qing@yuanhang.cn', name: '司马青' },
      { email: 'sima.qing@yuanhang.cn', company: '远航电子有限公司', city: '成都' },
    ]) {
      expect((await sys.request('POST', '/hooks/intake/hook', body)).status).toBe(202);
      await sys.drain();
    }
    const second = await sys.request('POST', '/api/flows/nightly-rematch/run', { items: [{}] });
    await sys.drain();
    const run2 = await sys.request('GET', `/api/runs/${second.body.runId}`);
    expect(run2.body.status).toBe('succeeded');
    const step2 = run2.body.steps.find((s: { nodeId: string }) => s.nodeId === 'rematch');
    expect(step2.output.out).toEqual([expect.objectContaining({ scope: 'changed', merged: 1 })]);
    const sima = (await sys.request('GET', '/api/customers?phone=13924681703')).body.items[0];
    expect(step2.output.merged).toEqual([expect.objectContaining({ targetId: sima.id })]);
    expect((await sys.request('GET', '/api/customers?email=sima.qing@yuanhang.cn')).body.items[0].id).toBe(sima.id);
    expect((await sys.request('GET', '/api/customers?email=murong.xue@tianxing.cn')).body.items[0].id).toBe(byEmail.id);
  });
});
