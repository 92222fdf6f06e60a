import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { CustomerStoreError } from '../customer-store.errors.js';
import { SegmentService } from './segment.service.js';

describe('SegmentService (real Postgres)', () => {
  let ds: DataSource;
  let segments: SegmentService;
  const ids: string[] = [];

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('seg_service'));
    segments = new SegmentService(ds);
    // 25 customers, scores 0, 4, 8, …, 96; every fifth is a VIP.
    for (let i = 0; i < 25; i++) {
      const id = `018f0000-0000-7000-8000-${String(i).padStart(12, '0')}`;
      ids.push(id);
      await ds.query(`INSERT INTO customers (id, display_name, score, tags) VALUES ($1, $2, $3, $4)`, [id, `客户${i}`, i * 4, i % 5 === 0 ? ['vip'] : []]);
      await ds.query(`INSERT INTO customer_identities (customer_id, type, value, source) VALUES ($1, 'phone', $2, 'test')`, [id, `+8613912340${String(i).padStart(3, '0')}`]);
    }
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const error = async (p: Promise<unknown>): Promise<CustomerStoreError> => {
    try {
      await p;
    } catch (err) {
      if (err instanceof CustomerStoreError) return err;
      throw err;
    }
    throw new Error('expected a CustomerStoreError');
  };

  it('creates a segment with its members counted at once', async () => {
    const seg = await segments.create({ id: 'high-score', name: ' High score ', description: 'score ≥ 60', definition: { field: 'score', op: 'gte', value: 60 } });
    expect(seg).toMatchObject({ id: 'high-score', name: 'High score', description: 'score ≥ 60', enabled: true, memberCount: 10 });
    expect(seg.evaluatedAt).not.toBeNull();
    const changes = await ds.query(`SELECT count(*)::int AS n FROM segment_changes WHERE segment_id = 'high-score' AND change = 'entered'`);
    expect(changes[0].n).toBe(10);
  });

  it('generates an id when none is given, and refuses a taken one', async () => {
    const seg = await segments.create({ name: 'VIP', definition: { field: 'tags', op: 'contains', value: 'vip' } });
    expect(seg.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(seg.memberCount).toBe(5);
    const taken = await error(segments.create({ id: 'high-score', name: 'again', definition: { all: [] } }));
    expect(taken.code).toBe('conflict');
  });

  it('refuses bad input with the paths of every problem', async () => {
    const bad = await error(segments.create({ name: 'x', definition: { all: [{ field: 'score', op: 'gt', value: 'high' }, { field: 'nope', op: 'eq', value: 1 }] } }));
    expect(bad.code).toBe('invalid_input');
    expect(bad.message).toMatch(/\/definition\/all\/0\/value must be a number/);
    expect(bad.details).toEqual([
      { path: '/definition/all/0/value', message: 'must be a number for "gt"' },
      { path: '/definition/all/1/field', message: expect.stringMatching(/customer column/) },
    ]);
    expect((await error(segments.create({ name: '', definition: { all: [] } }))).details).toEqual([{ path: '/name', message: expect.any(String) }]);
    expect((await error(segments.create({ name: 'n' } as never))).details).toEqual([{ path: '/definition', message: 'is required' }]);
    expect((await error(segments.create({ id: 'Bad Id!', name: 'n', definition: { all: [] } }))).code).toBe('invalid_input');
    expect((await error(segments.create({ name: 'n', definition: { all: [] }, enabled: 'yes' as never }))).details).toEqual([{ path: '/enabled', message: 'must be true or false' }]);
  });

  it('lists and gets segments with their counts', async () => {
    const list = await segments.list();
    expect(list.map((s) => [s.name, s.memberCount])).toEqual([
      ['High score', 10],
      ['VIP', 5],
    ]);
    expect(await segments.get('high-score')).toMatchObject({ memberCount: 10, definition: { field: 'score', op: 'gte', value: 60 } });
    expect(await segments.get('nope')).toBeUndefined();
  });

  it('pages through members by keyset', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await segments.members('high-score', { limit: 3, cursor });
      seen.push(...r.items.map((m) => m.customerId));
      if (page === 0) expect(r.items[0]).toMatchObject({ displayName: '客户15', score: 60, stage: 'lead', identities: [{ type: 'phone', value: '+8613912340015' }] });
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    expect(seen).toEqual(ids.slice(15));
    expect((await error(segments.members('high-score', { cursor: 'garbage' }))).code).toBe('invalid_cursor');
    expect((await error(segments.members('nope'))).code).toBe('not_found');
  });

  it('re-evaluates on update and records who left and who entered', async () => {
    const before = await ds.query(`SELECT coalesce(max(id), 0) AS id FROM segment_changes`);
    const seg = await segments.update('high-score', { name: 'Very high score', definition: { field: 'score', op: 'gte', value: 80 } });
    expect(seg).toMatchObject({ name: 'Very high score', memberCount: 5 });
    const changes: { change: string; n: number }[] = await ds.query(
      `SELECT change, count(*)::int AS n FROM segment_changes WHERE segment_id = 'high-score' AND id > $1 GROUP BY change`,
      [before[0].id],
    );
    expect(changes).toEqual([{ change: 'left', n: 5 }]);
    expect((await error(segments.update('nope', { name: 'n', definition: { all: [] } }))).code).toBe('not_found');
    expect((await error(segments.update('high-score', { id: 'other', name: 'n', definition: { all: [] } }))).code).toBe('invalid_input');
  });

  it('freezes a disabled segment and catches up when enabled again', async () => {
    await segments.update('high-score', { name: 'Very high score', definition: { field: 'score', op: 'gte', value: 90 }, enabled: false });
    expect(await segments.get('high-score')).toMatchObject({ enabled: false, memberCount: 5 });
    const seg = await segments.update('high-score', { name: 'Very high score', definition: { field: 'score', op: 'gte', value: 90 }, enabled: true });
    expect(seg.memberCount).toBe(2);
  });

  it('previews a definition without saving it', async () => {
    const before = (await segments.list()).length;
    const p = await segments.preview({ all: [{ field: 'tags', op: 'contains', value: 'vip' }, { field: 'score', op: 'gte', value: 40 }] });
    expect(p.count).toBe(3);
    expect(p.sample).toHaveLength(3);
    expect((await segments.list()).length).toBe(before);
    expect((await error(segments.preview({ field: 'score' }))).code).toBe('invalid_input');
  });

  it('deletes a segment with its members and changes', async () => {
    expect(await segments.remove('high-score')).toBe(true);
    expect(await segments.remove('high-score')).toBe(false);
    const [{ m }] = await ds.query(`SELECT count(*)::int AS m FROM segment_members WHERE segment_id = 'high-score'`);
    const [{ c }] = await ds.query(`SELECT count(*)::int AS c FROM segment_changes WHERE segment_id = 'high-score'`);
    expect([m, c]).toEqual([0, 0]);
  });
});
