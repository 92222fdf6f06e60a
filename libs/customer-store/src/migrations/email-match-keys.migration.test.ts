import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { EmailMatchKeys1764260000000 } from './1764260000000-email-match-keys.migration.js';

describe('EmailMatchKeys1764260000000', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_migration_email_keys'));
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('computes the e-mail match keys written before again, and touches nothing else', async () => {
    // Rows as the earlier normalizer wrote them: no key for a mistyped provider domain.
    await ds.query(`INSERT INTO customers (id) VALUES ('019d0000-0000-7000-8000-000000000001')`);
    const rows: [string, string, string | null][] = [
      ['email', 'zhang@163.con', null],
      ['email', 'z.hang+x@gmial.com', 'z.hang+x@gmial.com'],
      ['email', 'a.b+shop@gmail.com', 'ab@gmail.com'],
      ['email', 'plain@corp-mail.cn', null],
      ['phone', '+8613924680101', null],
    ];
    for (const [type, value, key] of rows) {
      await ds.query(`INSERT INTO customer_identities (customer_id, type, value, match_key, source) VALUES ('019d0000-0000-7000-8000-000000000001', $1, $2, $3, 'test')`, [type, value, key]);
    }
    const q = ds.createQueryRunner();
    try {
      await new EmailMatchKeys1764260000000().up(q);
    } finally {
      await q.release();
    }
    const after: { value: string; match_key: string | null }[] = await ds.query(`SELECT value, match_key FROM customer_identities ORDER BY value`);
    expect(after).toEqual([
      { value: '+8613924680101', match_key: null },
      { value: 'a.b+shop@gmail.com', match_key: 'ab@gmail.com' },
      { value: 'plain@corp-mail.cn', match_key: null },
      { value: 'z.hang+x@gmial.com', match_key: 'zhang@gmail.com' },
      { value: 'zhang@163.con', match_key: 'zhang@163.com' },
    ]);
  });
});
