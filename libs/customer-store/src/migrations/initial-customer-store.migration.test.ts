import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';

describe('InitialCustomerStore1732200000000', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_migration'));
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('creates the tables', async () => {
    const rows: { table_name: string }[] = await ds.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'accounts', 'audit_log', 'customer_events', 'customer_identities', 'customer_merges', 'customers', 'migrations',
        'match_reviews', 'customer_separations', 'customer_match_keys', 'customer_identity_shares',
      ]),
    );
  });

  it('agrees with the entities: TypeORM sees nothing to synchronize', async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('goes down and up again', async () => {
    // The rematch-progress, rematch-watermark, review-score, rarity-key, e-mail key, name-search, reports, segment-evaluation, assignment, scoring, engagement and resolution migrations first, then the initial one.
    await ds.undoLastMigration();
    const [{ rp }] = await ds.query(`SELECT count(*)::int AS rp FROM information_schema.tables WHERE table_name = 'rematch_progress'`);
    expect(rp).toBe(0);
    await ds.undoLastMigration();
    const [{ wm }] = await ds.query(`SELECT count(*)::int AS wm FROM information_schema.tables WHERE table_name = 'rematch_watermarks'`);
    expect(wm).toBe(0);
    await ds.undoLastMigration();
    const [{ rs }] = await ds.query(`SELECT count(*)::int AS rs FROM pg_indexes WHERE indexname = 'ix_match_reviews_score'`);
    expect(rs).toBe(0);
    await ds.undoLastMigration();
    await ds.undoLastMigration();
    await ds.undoLastMigration();
    const [{ ns }] = await ds.query(`SELECT count(*)::int AS ns FROM pg_indexes WHERE indexname = 'ix_customers_name_chars'`);
    expect(ns).toBe(0);
    await ds.undoLastMigration();
    const [{ ri }] = await ds.query(`SELECT count(*)::int AS ri FROM pg_indexes WHERE indexname IN ('ix_customers_live', 'ix_customer_events_time')`);
    expect(ri).toBe(0);
    await ds.undoLastMigration();
    const [{ s }] = await ds.query(`SELECT count(*)::int AS s FROM information_schema.tables WHERE table_name = 'segment_evaluation_state'`);
    expect(s).toBe(0);
    await ds.undoLastMigration();
    const [{ a }] = await ds.query(`SELECT count(*)::int AS a FROM pg_indexes WHERE indexname = 'ix_customers_owner_open'`);
    expect(a).toBe(0);
    await ds.undoLastMigration();
    const [{ sr }] = await ds.query(`SELECT count(*)::int AS sr FROM information_schema.tables WHERE table_name = 'customer_score_rules'`);
    expect(sr).toBe(0);
    await ds.undoLastMigration();
    const [{ o }] = await ds.query(`SELECT count(*)::int AS o FROM information_schema.tables WHERE table_name = 'owners'`);
    expect(o).toBe(0);
    await ds.undoLastMigration();
    const [{ r }] = await ds.query(`SELECT count(*)::int AS r FROM information_schema.tables WHERE table_name = 'match_reviews'`);
    expect(r).toBe(0);
    await ds.undoLastMigration();
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'customers'`);
    expect(n).toBe(0);
    await ds.runMigrations();
    const [{ m }] = await ds.query(`SELECT count(*)::int AS m FROM information_schema.tables WHERE table_name = 'customers'`);
    expect(m).toBe(1);
  });
});
