import { defineNode, errorItem, waitUntil, type Item } from '@tributary/node-sdk';
import { delayNodeLocales } from './delay.node.locale.js';

export interface DelayConfig {
  mode: 'duration' | 'until';
  amount: number;
  unit: 'seconds' | 'minutes' | 'hours' | 'days';
  untilField?: string;
}

const UNIT_MS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
/** The longest pause accepted: a run waiting longer is more likely a mistake than a plan. */
export const MAX_DELAY_MS = 366 * UNIT_MS.days;

function fieldTime(item: Item, field: string): number | undefined {
  let v: unknown = item;
  for (const seg of field.split('.')) v = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[seg] : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e12 ? v * 1000 : v;
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

export const delayNode = defineNode<DelayConfig>({
  id: 'core.delay',
  version: 1,
  title: 'Delay',
  description:
    'Pauses the run for a while (e.g. 3 days) or until a time taken from the items, then passes the items on. No worker is held while it waits: the run is stored as `waiting` and scheduled, so it survives restarts; cancelling the run cancels the wait.',
  category: 'logic',
  locales: delayNodeLocales,
  icon: 'clock',
  outputs: ['out', 'error'],
  configSchema: {
    type: 'object',
    properties: {
      mode: { type: 'string', enum: ['duration', 'until'], default: 'duration', title: 'Wait', description: 'duration: a fixed time from now. until: until the time in an item field.' },
      amount: { type: 'number', exclusiveMinimum: 0, default: 1, title: 'Amount' },
      unit: { type: 'string', enum: ['seconds', 'minutes', 'hours', 'days'], default: 'hours', title: 'Unit' },
      untilField: {
        type: 'string',
        minLength: 1,
        title: 'Time field',
        description: 'With mode until: the item field (dot path) holding the time to wait for (ISO 8601 or epoch). With several items, the latest time; items without a valid time go to `error`.',
      },
    },
    allOf: [{ if: { properties: { mode: { const: 'until' } }, required: ['mode'] }, then: { required: ['untilField'] } }],
    additionalProperties: false,
  },
  sample: { config: { mode: 'duration', amount: 3, unit: 'days' }, input: [{ customerId: 'c1', taskId: 't1' }] },
  checkConfig(config) {
    if (config.mode === 'duration' && config.amount * UNIT_MS[config.unit] > MAX_DELAY_MS) return [{ path: '/amount', message: 'a delay may not be longer than 366 days' }];
    return [];
  },
  async run(ctx, items) {
    const now = ctx.now().getTime();
    if (ctx.config.mode === 'duration') return waitUntil(new Date(now + ctx.config.amount * UNIT_MS[ctx.config.unit]), { out: items });
    const out: Item[] = [];
    const error: Item[] = [];
    let until = now;
    for (const item of items) {
      const t = fieldTime(item, ctx.config.untilField!);
      if (t === undefined) error.push(errorItem(item, 'invalid_time', `field ${ctx.config.untilField} is not a time: ${JSON.stringify(item[ctx.config.untilField!] ?? null)}`));
      else if (t - now > MAX_DELAY_MS) error.push(errorItem(item, 'delay_too_long', `${new Date(t).toISOString()} is more than 366 days away`));
      else {
        until = Math.max(until, t);
        out.push(item);
      }
    }
    if (out.length === 0) return { out, error };
    return waitUntil(new Date(until), { out, error });
  },
});
