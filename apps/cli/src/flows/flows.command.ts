import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiClient, describeError } from '../api-client.js';

const USAGE = `usage:
  tributary flows import <file.flow.json>... [--publish]   create each flow (or save a new version when its id exists)
  tributary flows export <id> [--version N]                 print a flow's document as JSON`;

export async function flowsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'import') return importFlows(rest);
  if (sub === 'export') return exportFlow(rest);
  console.error(USAGE);
  return 2;
}

async function importFlows(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { publish: { type: 'boolean', default: false } } });
  if (positionals.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const api = new ApiClient();
  let failures = 0;
  for (const file of positionals) {
    let doc: { id?: string };
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      console.error(`${file}: not a JSON file (${(err as Error).message})`);
      failures++;
      continue;
    }
    let res = await api.call('POST', '/api/flows', doc);
    if (res.status === 409 && doc.id) res = await api.call('PUT', `/api/flows/${encodeURIComponent(doc.id)}`, doc);
    if (res.status !== 200 && res.status !== 201) {
      console.error(`${file}: ${describeError(res.body)}`);
      failures++;
      continue;
    }
    const { id, version } = res.body as { id: string; version: number };
    let line = `${file}: ${id} version ${version}`;
    if (values.publish) {
      const p = await api.call('POST', `/api/flows/${encodeURIComponent(id)}/publish`, { version });
      if (p.status !== 200) {
        console.error(`${file}: saved but not published: ${describeError(p.body)}`);
        failures++;
        continue;
      }
      line += ' (published)';
    }
    console.log(line);
  }
  return failures ? 1 : 0;
}

async function exportFlow(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { version: { type: 'string' } } });
  const id = positionals[0];
  if (!id) {
    console.error(USAGE);
    return 2;
  }
  const api = new ApiClient();
  const res = await api.call('GET', `/api/flows/${encodeURIComponent(id)}${values.version ? `?version=${values.version}` : ''}`);
  if (res.status !== 200) {
    console.error(describeError(res.body));
    return 1;
  }
  process.stdout.write(JSON.stringify((res.body as { document: unknown }).document, null, 2) + '\n');
  return 0;
}
