// The data the matching benches measure on: the synthetic generator's own invariants (same
// seed same file, every kind of noise present, rates overridable only to sane values), run
// here so a change to the generator that breaks what docs/performance.md relies on fails CI.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './support/system.js';

const run = promisify(execFile);
const generator = join(REPO_ROOT, 'bench/match/synthetic/generate.js');

describe('synthetic Chinese customer generator', () => {
  it('passes its self-check', async () => {
    const r = await run(process.execPath, [generator, '--check'], { cwd: REPO_ROOT });
    expect(r.stdout).toMatch(/^check passed: 1000 people, \d+ records/);
  });

  it('refuses a rate it does not know or a value outside 0..1, naming it', async () => {
    for (const [rates, reason] of [
      ['commonNames=0.1', /unknown rate "commonNames=0\.1"/],
      ['commonName=1.5', /rate commonName must be a number from 0 to 1, got "1\.5"/],
    ] as const) {
      const r = await run(process.execPath, [generator, '--people', '10', '--out', '/tmp/never-written', '--rates', rates]).catch((e: { code: number; stderr: string }) => e);
      expect('code' in r && r.code).toBe(2);
      expect(r.stderr).toMatch(reason);
    }
  });
});
