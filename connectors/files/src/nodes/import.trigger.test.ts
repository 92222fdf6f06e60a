import { describe, expect, it } from '@jest/globals';
import { checkNodeConfig } from '@tributary/engine';
import { describeNodeContract, runNode } from '@tributary/node-sdk';
import { importTrigger } from './import.trigger.js';

await describeNodeContract(importTrigger);

describe('files.import', () => {
  it('is a manual trigger: the import service starts its runs, and items pass through', async () => {
    expect(importTrigger.trigger).toEqual({ kind: 'manual' });
    const item = { name: '张三', phone: '13912345678', _import: { id: 'i', file: 'a.csv', line: 2 } };
    expect(await runNode(importTrigger, { config: {}, items: [item] })).toEqual({ out: [item] });
  });

  it('fills in the reading defaults and refuses unknown settings', () => {
    const ok = checkNodeConfig(importTrigger, {});
    expect(ok.schemaIssues).toEqual([]);
    expect(ok.config).toMatchObject({ format: 'auto', encoding: 'auto', delimiter: 'auto', headerRow: 1, defaultHeaderMap: true, skipEmptyRows: true, maxErrors: 1000 });
    expect(checkNodeConfig(importTrigger, { encoding: 'latin9' }).schemaIssues).not.toEqual([]);
    expect(checkNodeConfig(importTrigger, { headerMap: { 手机: 42 } }).schemaIssues).not.toEqual([]);
    expect(checkNodeConfig(importTrigger, { surprise: true }).schemaIssues).not.toEqual([]);
  });
});
