import { describe, expect, it } from '@jest/globals';
import { ConfigError, runNode } from '@tributary/node-sdk';
import { manualTrigger } from './manual.trigger.js';

describe('core.manual', () => {
  it('passes the given items through', async () => {
    expect(await runNode(manualTrigger, { config: {}, items: [{ a: 1 }, { a: 2 }] })).toEqual({ out: [{ a: 1 }, { a: 2 }] });
  });
  it('takes no config', async () => {
    await expect(runNode(manualTrigger, { config: { surprise: true }, items: [] })).rejects.toBeInstanceOf(ConfigError);
  });
});
