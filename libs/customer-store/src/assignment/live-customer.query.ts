import type { DataSource, QueryRunner } from 'typeorm';

/** asked id → live id, or 'erased'; ids with no row are absent. */
export async function followToSurvivors(q: DataSource | QueryRunner, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const rows: { asked: string; id: string; erased: boolean }[] = await q.query(
    `WITH RECURSIVE chain AS (
       SELECT c.id AS asked, c.id, c.merged_into, c.erased_at, 0 AS hop FROM customers c WHERE c.id = ANY($1::uuid[])
       UNION ALL
       SELECT chain.asked, c.id, c.merged_into, c.erased_at, chain.hop + 1 FROM chain JOIN customers c ON c.id = chain.merged_into WHERE chain.hop < 10
     )
     SELECT asked, id, erased_at IS NOT NULL AS erased FROM chain WHERE merged_into IS NULL`,
    [ids],
  );
  for (const r of rows) out.set(r.asked, r.erased ? 'erased' : r.id);
  return out;
}
