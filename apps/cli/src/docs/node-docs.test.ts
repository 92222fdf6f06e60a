import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCatalog } from '@tributary/runtime';
import { renderNodeDocs } from './node-docs.js';

const DOC = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../../../docs/nodes.md');

describe('docs/nodes.md', () => {
  const text = renderNodeDocs(createCatalog().connectors);

  it('documents every node with its config keys', () => {
    for (const def of createCatalog().registry.list()) {
      expect(text).toContain(`\`${def.id}\` v${def.version}`);
      for (const key of Object.keys((def.configSchema.properties ?? {}) as object)) expect(text).toContain(`\`${key}\``);
    }
  });

  it('is up to date with the node declarations (regenerate: npx tributary docs nodes --out docs/nodes.md)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(text);
  });
});
