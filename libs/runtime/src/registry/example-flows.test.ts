import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateFlow } from '@tributary/engine';
import { createCatalog } from './catalog.js';

const FLOWS = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../../../flows');

describe('example flows in flows/', () => {
  const { registry } = createCatalog();
  const files = readdirSync(FLOWS).filter((f) => f.endsWith('.flow.json'));

  it('includes lead-intake', () => {
    expect(files).toContain('lead-intake.flow.json');
  });

  it.each(files)('%s is a valid flow with a stable id', (file) => {
    const doc = JSON.parse(readFileSync(join(FLOWS, file), 'utf8'));
    const res = validateFlow(doc, registry);
    expect(res.ok ? [] : res.problems).toEqual([]);
    expect(doc.id).toBe(file.replace(/\.flow\.json$/, ''));
  });
});
