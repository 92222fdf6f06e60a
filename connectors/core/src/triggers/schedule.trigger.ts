import { CronExpressionParser } from 'cron-parser';
import { defineNode, type ConfigIssue, type Item } from '@tributary/node-sdk';
import { scheduleTriggerLocales } from './schedule.trigger.locale.js';

export interface ScheduleConfig {
  cron: string;
  timezone: string;
  items?: Item[];
}

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly'];

/** Why a cron expression is unusable, or undefined: 5 fields (minute first), 6 (seconds first), or a macro like @daily. */
export function cronProblem(cron: string): string | undefined {
  const trimmed = cron.trim();
  const fields = trimmed.split(/\s+/).filter(Boolean);
  if (!MACROS.includes(trimmed.toLowerCase()) && fields.length !== 5 && fields.length !== 6) {
    return `cron "${cron}" has ${fields.length} field(s); use 5 (minute hour day month weekday), 6 (with seconds first) or a macro like @daily`;
  }
  try {
    CronExpressionParser.parse(trimmed, { tz: 'UTC' });
    return undefined;
  } catch (err) {
    return `cron "${cron}" is invalid: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Why a time zone name is unusable, or undefined (IANA names such as Asia/Shanghai, or UTC). */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `unknown time zone "${timezone}"; use an IANA name such as Asia/Shanghai or UTC`;
  }
}

/** The next `n` times the schedule fires strictly after `from`. */
export function nextFireTimes(cron: string, timezone: string, from: Date, n: number): Date[] {
  const problem = cronProblem(cron) ?? timezoneProblem(timezone);
  if (problem) throw new Error(problem);
  const it = CronExpressionParser.parse(cron.trim(), { currentDate: from, tz: timezone });
  const out: Date[] = [];
  for (let i = 0; i < n; i++) out.push(it.next().toDate());
  return out;
}

export const scheduleTrigger = defineNode<ScheduleConfig>({
  id: 'core.schedule',
  version: 1,
  title: 'Schedule',
  description: 'Starts a run on a cron schedule, in the time zone given.',
  category: 'trigger',
  locales: scheduleTriggerLocales,
  pure: true,
  icon: 'clock',
  inputs: [],
  outputs: ['out'],
  configSchema: {
    type: 'object',
    required: ['cron'],
    properties: {
      cron: {
        type: 'string',
        minLength: 1,
        title: 'Cron expression',
        description: '5 fields (minute hour day-of-month month day-of-week), 6 with seconds first, or @hourly/@daily/@weekly/@monthly/@yearly. Example: `0 9 * * 1-5` (weekdays at 09:00).',
        examples: ['0 9 * * 1-5', '*/15 * * * *', '@daily'],
      },
      timezone: { type: 'string', minLength: 1, default: 'UTC', title: 'Time zone', description: 'IANA time zone the cron is read in, e.g. Asia/Shanghai.' },
      items: {
        type: 'array',
        items: { type: 'object' },
        title: 'Items',
        description: 'Items each run starts with. Default: one item `{ "firedAt": "<ISO time>" }`.',
      },
    },
    additionalProperties: false,
  },
  checkConfig(config) {
    const issues: ConfigIssue[] = [];
    const cron = cronProblem(config.cron);
    if (cron) issues.push({ path: '/cron', message: cron });
    const tz = timezoneProblem(config.timezone);
    if (tz) issues.push({ path: '/timezone', message: tz });
    return issues;
  },
  sample: { config: { cron: '0 9 * * 1-5', timezone: 'Asia/Shanghai' }, input: [] },
  trigger: { kind: 'schedule' },
  // The scheduler may pass the fire time as `[{ firedAt }]`; configured items win.
  async run(ctx, items) {
    if (ctx.config.items?.length) return { out: structuredClone(ctx.config.items) };
    if (items.length) return { out: items };
    return { out: [{ firedAt: ctx.now().toISOString() }] };
  },
});
