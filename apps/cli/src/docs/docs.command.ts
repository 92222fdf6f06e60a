import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCatalog } from '@tributary/runtime';
import { renderNodeDocs } from './node-docs.js';

/** `tributary docs nodes [--out docs/nodes.md]`: the node reference from the declarations. */
export async function docsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' } } });
  if (positionals[0] !== 'nodes') {
    console.error('usage: tributary docs nodes [--out <file.md>]');
    return 2;
  }
  const text = renderNodeDocs(createCatalog().connectors);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  return 0;
}
