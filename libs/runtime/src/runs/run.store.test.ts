import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { StepRecord } from '@tributary/engine';
import { createTestDatabase } from '../../../../test/support/services.js';
import { createDataSource, runMigrations } from '../db/data-source.js';
import { sql } from '../db/sql.js';
import { RunStore } from './run.store.js';

const step = (nodeId: string, seq: number, status: StepRecord['status'] = 'succeeded'): StepRecord => ({
  nodeId,
  seq,
  status,
  attempts: 1,
  input: [{ phone: '13912345670' }],
  output: { out: [{ phone: '13912345670' }] },
  error: null,
  startedAt: new Date().toISOString(),
  finishedAt: new Date().toISOString(),
});

describe('RunStore (real Postgres)', () => {
  let ds: DataSource;
  let runs: RunStore;
  const base = { flowId: 'f', flowVersion: 1, triggerNode: 'hook', triggerKind: 'webhook' as const };

  beforeAll(async () => {
    ds = createDataSource({ url: await createTestDatabase('runstore'), poolSize: 8 });
    await ds.initialize();
    await runMigrations(ds);
    runs = new RunStore(ds);
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it('stores one run per dedupe key, however many concurrent deliveries carry it', async () => {
    const accepted = await Promise.all(Array.from({ length: 50 }, (_, i) => runs.accept({ ...base, dedupeKey: `k${i % 5}`, items: [{ i }] })));
    const ids = new Set(accepted.map((a) => a.runId));
    expect(ids.size).toBe(5);
    expect(accepted.filter((a) => !a.duplicate)).toHaveLength(5);
    const [{ n }] = await sql(ds, `SELECT count(*)::int AS n FROM runs WHERE flow_id = 'f'`);
    expect(n).toBe(5);
    // Without a key every delivery is its own run.
    const a = await runs.accept({ ...base, items: [] });
    const b = await runs.accept({ ...base, items: [] });
    expect(a.runId).not.toBe(b.runId);
  });

  it('stores text Postgres cannot hold cleaned, and a payload too deep to write fails only its own call, not the batch it joined', async () => {
    const nested = JSON.parse('{"x":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}');
    const calls = [
      runs.accept({ ...base, dedupeKey: 'nul', items: [{ name: 'a\u0000b', ['ke\u0000y']: 'x\uD800' }] }),
      runs.accept({ ...base, dedupeKey: 'deep', items: [nested] }),
      ...Array.from({ length: 20 }, (_, i) => runs.accept({ ...base, dedupeKey: `fine-${i}`, items: [{ i }] })),
    ];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', ...Array(20).fill('fulfilled')]);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'PayloadError' });
    const nul = (settled[0] as PromiseFulfilledResult<{ runId: string }>).value.runId;
    expect((await runs.get(nul)).trigger.items).toEqual([{ name: 'ab', key: 'x\uFFFD' }]);

    // Step checkpoints likewise: a node's output with a NUL is stored, one too deep refused alone.
    await runs.saveSteps(nul, [{ ...step('map', 1), output: { out: [{ note: 'n\u0000ote' }] } }]);
    await expect(runs.saveStep(nul, { ...step('deep', 2), output: { out: [nested] } })).rejects.toMatchObject({ name: 'PayloadError' });
    expect((await runs.get(nul)).steps.map((s) => [s.nodeId, s.output])).toEqual([['map', { out: [{ note: 'note' }] }]]);
  });

  it('claims a run once it is queued, returns its checkpoints, and never claims a finished one', async () => {
    const { runId } = await runs.accept({ ...base, dedupeKey: 'claim', items: [{ x: 1 }] });
    const first = await runs.claim(runId);
    expect(first).toMatchObject({ id: runId, status: 'running', input: [{ x: 1 }] });
    expect(first!.checkpoints.size).toBe(0);
    await runs.saveSteps(runId, [step('hook', 0), step('map', 1)]);
    const again = await runs.claim(runId);
    expect([...again!.checkpoints.keys()]).toEqual(expect.arrayContaining(['hook', 'map']));
    expect(await runs.finish(runId, 'succeeded', undefined, [step('save', 2)])).toBe(true);
    expect(await runs.claim(runId)).toBeNull();
    const view = await runs.get(runId);
    expect(view.status).toBe('succeeded');
    expect(view.steps.map((s) => s.nodeId)).toEqual(['hook', 'map', 'save']);
  });

  it('does not let a finishing worker overwrite an operator cancel', async () => {
    const { runId } = await runs.accept({ ...base, dedupeKey: 'cancel', items: [] });
    await runs.claim(runId);
    await runs.cancel(runId);
    expect(await runs.finish(runId, 'succeeded')).toBe(false);
    expect((await runs.get(runId)).status).toBe('cancelled');
    await expect(runs.cancel(runId)).rejects.toMatchObject({ status: 409 });
    const retried = await runs.retry(runId);
    expect(retried.jobId).toBe(`${runId}-r1`);
    expect((await runs.get(runId)).status).toBe('queued');
  });

  it('pages through runs newest first with a cursor, filtered by status', async () => {
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await runs.list({ flowId: 'f', limit: 3, cursor });
      all.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const [{ n }] = await sql(ds, `SELECT count(*)::int AS n FROM runs WHERE flow_id = 'f'`);
    expect(all).toHaveLength(n);
    expect(new Set(all).size).toBe(n);
    const succeeded = await runs.list({ status: 'succeeded' });
    expect(succeeded.items.every((r) => r.status === 'succeeded')).toBe(true);
    await expect(runs.list({ status: 'bogus' })).rejects.toMatchObject({ status: 400 });
    const two = await runs.list({ status: 'succeeded,queued', limit: 500 });
    expect(new Set(two.items.map((r) => r.status))).toEqual(new Set(['succeeded', 'queued']));
  });

  it('moves the list mark on each change the runs page shows, and only then', async () => {
    const marks = new Set<string>();
    const moved = async (what: string) => {
      const m = await runs.listMark();
      expect({ what, seen: marks.has(m) }).toEqual({ what, seen: false });
      marks.add(m);
      expect(await runs.listMark()).toBe(m); // nothing changed: the same mark
    };
    await moved('start');
    const { runId } = await runs.accept({ ...base, dedupeKey: 'mark', items: [] });
    await moved('a new run');
    await runs.claim(runId);
    await moved('the run started');
    await runs.finish(runId, 'failed', { message: 'boom' });
    await moved('the run finished');
    await runs.retry(runId);
    await moved('the run was retried');
    await runs.cancel(runId);
    await moved('the run was cancelled');
    // One flow's mark follows that flow's runs.
    const before = await runs.listMark('other-flow');
    await runs.accept({ ...base, flowId: 'other-flow', dedupeKey: 'mark-other', items: [] });
    expect(await runs.listMark('other-flow')).not.toBe(before);
  });

  it('prunes the payloads of old finished runs and erases payloads on request', async () => {
    const { runId } = await runs.accept({ ...base, dedupeKey: 'old', items: [{ phone: '13912345670' }] });
    await runs.claim(runId);
    await runs.finish(runId, 'succeeded', undefined, [step('hook', 0)]);
    expect(await runs.prunePayloads(1)).toBe(0); // finished just now: kept
    await sql(ds, `UPDATE runs SET finished_at = now() - interval '3 days' WHERE id = $1`, [runId]);
    expect(await runs.prunePayloads(1)).toBe(1);
    const pruned = await runs.get(runId);
    expect(pruned.trigger.items).toBeNull();
    expect(pruned.steps[0]!.input).toBeNull();
    expect(pruned.steps[0]!.output).toBeNull();
    expect(pruned.status).toBe('succeeded'); // the record itself stays

    const other = await runs.accept({ ...base, dedupeKey: 'erase', items: [{ phone: '13912345670' }] });
    await runs.claim(other.runId);
    await runs.finish(other.runId, 'succeeded', undefined, [step('hook', 0)]);
    expect(await runs.erasePayloads([other.runId])).toBe(1);
    const erased = await runs.get(other.runId);
    expect(JSON.stringify(erased)).not.toContain('13912345670');
  });

  it('finds unfinished runs that nobody touched for a while', async () => {
    const { runId } = await runs.accept({ ...base, dedupeKey: 'stale', items: [] });
    await sql(ds, `UPDATE runs SET updated_at = now() - interval '1 minute' WHERE id = $1`, [runId]);
    const stale = await runs.stale(30_000, 100);
    expect(stale.map((s) => s.id)).toContain(runId);
    await runs.touch([runId]);
    expect((await runs.stale(30_000, 100)).map((s) => s.id)).not.toContain(runId);
  });
});
