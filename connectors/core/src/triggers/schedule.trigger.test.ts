import { describe, expect, it } from '@jest/globals';
import { ConfigError, runNode } from '@tributary/node-sdk';
import { cronProblem, nextFireTimes, scheduleTrigger, timezoneProblem } from './schedule.trigger.js';

describe('core.schedule', () => {
  it('accepts 5- and 6-field crons and macros', () => {
    for (const cron of ['0 9 * * 1-5', '*/15 * * * *', '30 0 9 * * *', '@daily', ' 0 0 1 * * ']) expect(cronProblem(cron)).toBeUndefined();
  });

  it('rejects crons with the wrong number of fields or bad values', () => {
    expect(cronProblem('* * *')).toMatch(/3 field\(s\)/);
    expect(cronProblem('0 0 0 * * * *')).toMatch(/7 field\(s\)/);
    expect(cronProblem('61 * * * *')).toMatch(/invalid/);
    expect(cronProblem('@sometimes')).toMatch(/field|invalid/);
  });

  it('rejects unknown time zones', () => {
    expect(timezoneProblem('Asia/Shanghai')).toBeUndefined();
    expect(timezoneProblem('Mars/Olympus')).toMatch(/unknown time zone/);
  });

  it('reports cron and time zone problems as config errors at their paths', async () => {
    await expect(runNode(scheduleTrigger, { config: { cron: '* *' } })).rejects.toBeInstanceOf(ConfigError);
    const err = await runNode(scheduleTrigger, { config: { cron: '99 * * * *', timezone: 'Nowhere/City' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.path)).toEqual(['/cron', '/timezone']);
  });

  it('computes the next fire times in the configured time zone', () => {
    const from = new Date('2025-01-03T00:00:00Z'); // a Friday, 08:00 in Shanghai
    expect(nextFireTimes('0 9 * * 1-5', 'Asia/Shanghai', from, 3).map((d) => d.toISOString())).toEqual([
      '2025-01-03T01:00:00.000Z',
      '2025-01-06T01:00:00.000Z',
      '2025-01-07T01:00:00.000Z',
    ]);
    expect(nextFireTimes('0 9 * * *', 'UTC', from, 1)[0]!.toISOString()).toBe('2025-01-03T09:00:00.000Z');
    expect(() => nextFireTimes('bad', 'UTC', from, 1)).toThrow(/field/);
  });

  it('emits {firedAt} by default, the scheduler’s items when given, configured items first', async () => {
    const now = new Date('2025-01-03T01:00:00Z');
    expect(await runNode(scheduleTrigger, { config: { cron: '@hourly' }, items: [], now })).toEqual({ out: [{ firedAt: '2025-01-03T01:00:00.000Z' }] });
    expect(await runNode(scheduleTrigger, { config: { cron: '@hourly' }, items: [{ firedAt: 'x' }], now })).toEqual({ out: [{ firedAt: 'x' }] });
    expect(await runNode(scheduleTrigger, { config: { cron: '@hourly', items: [{ report: 'daily' }, { report: 'weekly' }] }, items: [{ firedAt: 'x' }], now })).toEqual({
      out: [{ report: 'daily' }, { report: 'weekly' }],
    });
  });
});
