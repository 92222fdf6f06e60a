// Versions and rollback through the API: the versions list says which version is published and which
// was restored from which; POST /versions/:v/restore saves a copy as a new version (and publishes it)
// in one audited step, and webhook runs afterwards run the restored copy.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

const flow = (stamp: string) => ({
  schemaVersion: 1,
  id: 'stamped',
  name: `Stamped ${stamp}`,
  nodes: [
    { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none', dedupe: 'none' }, position: { x: 0, y: 0 } },
    { id: 'stamp', type: 'core.transform', version: 1, config: { expression: `$merge([$, {"stamp": "${stamp}"}])` }, position: { x: 300, y: 0 } },
  ],
  edges: [{ from: 'hook', to: 'stamp' }],
});

interface VersionRow {
  version: number;
  createdAt: string;
  name: string;
  nodeCount: number;
  published: boolean;
  latest: boolean;
  restoredFrom: number | null;
}

describe('flow versions and rollback', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ label: 'flow-versions' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  /** Sends one delivery and returns the finished run: its version and what the transform wrote. */
  async function deliver(): Promise<{ flowVersion: number; stamp: unknown }> {
    const ack = await sys.request('POST', '/hooks/stamped/hook', { email: 'li.lei@corp-mail.cn' });
    expect(ack.status).toBe(202);
    const runId: string = ack.body.runIds[0];
    let run: any;
    await sys.waitFor(async () => {
      run = (await sys.request('GET', `/api/runs/${runId}`)).body;
      return run.status === 'succeeded' || run.status === 'failed';
    }, 30_000, 'the run to finish');
    expect(run.status).toBe('succeeded');
    const step = run.steps.find((s: { nodeId: string }) => s.nodeId === 'stamp');
    return { flowVersion: run.flowVersion, stamp: step.output.out[0].stamp };
  }

  const versions = async (): Promise<VersionRow[]> => (await sys.request('GET', '/api/flows/stamped/versions')).body.items;

  it('lists versions with published, latest, node count and restoredFrom', async () => {
    await sys.createFlow(flow('one'));
    const saved = await sys.request('PUT', '/api/flows/stamped', flow('two'));
    expect(saved.body).toEqual({ id: 'stamped', version: 2 });
    const list = await versions();
    expect(list.map((v) => [v.version, v.published, v.latest, v.restoredFrom, v.nodeCount, v.name])).toEqual([
      [2, false, true, null, 2, 'Stamped two'],
      [1, true, false, null, 2, 'Stamped one'],
    ]);
    expect(new Date(list[0]!.createdAt).toISOString()).toBe(list[0]!.createdAt);
    expect(await deliver()).toEqual({ flowVersion: 1, stamp: 'one' });
  });

  it('restores v1 as a new published version, audited, and the next webhook run uses it', async () => {
    expect((await sys.request('POST', '/api/flows/stamped/publish')).body.publishedVersion).toBe(2);
    expect(await deliver()).toEqual({ flowVersion: 2, stamp: 'two' });

    const res = await sys.request('POST', '/api/flows/stamped/versions/1/restore', { publish: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'stamped', version: 3, restoredFrom: 1, publishedVersion: 3 });
    expect(res.body.webhooks).toEqual([{ nodeId: 'hook', url: expect.stringMatching(/\/hooks\/stamped\/hook$/) }]);

    const list = await versions();
    expect(list[0]).toMatchObject({ version: 3, published: true, latest: true, restoredFrom: 1, name: 'Stamped one' });
    expect(list.filter((v) => v.published).map((v) => v.version)).toEqual([3]);
    const detail = (await sys.request('GET', '/api/flows/stamped')).body;
    expect(detail).toMatchObject({ version: 3, publishedVersion: 3, name: 'Stamped one' });
    const v1 = (await sys.request('GET', '/api/flows/stamped?version=1')).body.document;
    expect(detail.document).toEqual(v1);

    expect(await deliver()).toEqual({ flowVersion: 3, stamp: 'one' });

    const audit = await sys.db.query(`SELECT actor, action, details FROM audit_log WHERE entity = 'flow' AND entity_id = 'stamped' ORDER BY id`);
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(['flow.published', 'flow.published', 'flow.restored']);
    expect(audit.rows[2]).toEqual({ actor: 'admin', action: 'flow.restored', details: { from: 1, version: 3, published: true, previousPublished: 2 } });
  });

  it('restores without publishing: a new draft, and the live version stays', async () => {
    const res = await sys.request('POST', '/api/flows/stamped/versions/2/restore', {});
    expect(res.body).toMatchObject({ version: 4, restoredFrom: 2, publishedVersion: 3, webhooks: [] });
    const list = await versions();
    expect(list.slice(0, 2).map((v) => [v.version, v.published, v.latest, v.restoredFrom])).toEqual([
      [4, false, true, 2],
      [3, true, false, 1],
    ]);
    expect(await deliver()).toEqual({ flowVersion: 3, stamp: 'one' });
  });

  it('audits unpublishing, and a restore can bring an unpublished flow back live', async () => {
    expect((await sys.request('POST', '/api/flows/stamped/unpublish')).status).toBe(200);
    expect((await versions()).some((v) => v.published)).toBe(false);
    expect((await sys.request('POST', '/hooks/stamped/hook', {})).status).toBe(404);
    const last = await sys.db.query(`SELECT action, details FROM audit_log WHERE entity = 'flow' ORDER BY id DESC LIMIT 1`);
    expect(last.rows[0]).toEqual({ action: 'flow.unpublished', details: { previous: 3 } });
    expect((await sys.request('POST', '/api/flows/nope/unpublish')).status).toBe(404);

    const res = await sys.request('POST', '/api/flows/stamped/versions/3/restore', { publish: true });
    expect(res.body).toMatchObject({ version: 5, restoredFrom: 3, publishedVersion: 5 });
    expect(await deliver()).toEqual({ flowVersion: 5, stamp: 'one' });
  });

  it('refuses bad requests and an old version that no longer validates, leaving nothing behind', async () => {
    expect((await sys.request('POST', '/api/flows/stamped/versions/99/restore', {})).status).toBe(404);
    expect((await sys.request('POST', '/api/flows/nope/versions/1/restore', {})).status).toBe(404);
    const bad = await sys.request('POST', '/api/flows/stamped/versions/zero/restore', {});
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_version');
    expect((await sys.request('POST', '/api/flows/stamped/versions/1/restore', { publish: 'yes' })).status).toBe(400);

    // A stored version whose node type has since gone from the catalogue.
    const gone = { ...flow('gone'), nodes: [flow('gone').nodes[0], { id: 'stamp', type: 'core.retired', version: 1, config: {} }] };
    await sys.db.query(`UPDATE flows SET latest_version = 6 WHERE id = 'stamped'`);
    await sys.db.query(`INSERT INTO flow_versions (flow_id, version, document) VALUES ('stamped', 6, $1)`, [gone]);
    const auditBefore = (await sys.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'flow'`)).rows[0].n;
    const refused = await sys.request('POST', '/api/flows/stamped/versions/6/restore', { publish: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('flow_invalid');
    expect(JSON.stringify(refused.body.error.details)).toMatch(/stamp/);
    expect((await versions())[0]!.version).toBe(6);
    expect((await sys.request('GET', '/api/flows/stamped')).body.publishedVersion).toBe(5);
    expect((await sys.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'flow'`)).rows[0].n).toBe(auditBefore);
  });
});
