import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '@tributary/runtime';

const MARK = 'example_flows_imported';

/** On first start, imports the example flows of `flows/` as drafts (once per database). */
export async function importExampleFlows(rt: Runtime, dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return rt.ds.transaction(async (m) => {
    // Several API instances may boot together: the row lock makes one of them import.
    await m.query(`SELECT pg_advisory_xact_lock(7474)`);
    const done = await m.query(`SELECT 1 FROM system_state WHERE key = $1`, [MARK]);
    if (done.length) return [];
    const imported: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.flow.json')).sort()) {
      try {
        const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        const { id } = await rt.flows.create(doc);
        imported.push(id);
      } catch (err) {
        rt.log.warn('example flow not imported', { file, error: err instanceof Error ? err.message : String(err) });
      }
    }
    await m.query(`INSERT INTO system_state (key, value) VALUES ($1, $2)`, [MARK, JSON.stringify({ imported, at: new Date().toISOString() })]);
    if (imported.length) rt.log.info('example flows imported as drafts', { flows: imported });
    return imported;
  });
}
