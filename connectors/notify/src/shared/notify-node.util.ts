import { errorItem, expressionBindings, ExpressionError, type ErrorItem, type Item, type NodeContext, type RetryPolicy } from '@tributary/node-sdk';
import type { SentNotification } from './deliver-once.util.js';

/** Config every notify node shares. */
export interface NotifyCommonConfig {
  resultField: string;
  dedupeHours: number;
}

export const notifyCommonProperties = {
  resultField: {
    type: 'string',
    minLength: 1,
    default: 'notification',
    title: 'Result field',
    description: 'The item field that receives `{channel, messageId, sentAt, …}` once the message is sent.',
  },
  dedupeHours: {
    type: 'integer',
    minimum: 1,
    maximum: 720,
    default: 168,
    title: 'Remember sends for (hours)',
    description: 'A retried step (or a run retried from the API) skips the items it already sent during this period.',
  },
} as const;

/** Step retries for the failures worth another try (vendor down, rate limited, SMTP 4xx). */
export const NOTIFY_RETRY: RetryPolicy = { maxAttempts: 5, backoffMs: 2000, maxBackoffMs: 60_000 };

export const keepSecondsOf = (config: NotifyCommonConfig) => config.dedupeHours * 3600;

/** The item with its send record, as the `out` port carries it. */
export function sentItem(item: Item, config: NotifyCommonConfig, sent: SentNotification): Item {
  return { ...item, [config.resultField]: sent };
}

/**
 * Evaluates a JSONata expression on one item. A runtime failure belongs to the item (its
 * `error` port); syntax and limit errors fail the step like everywhere else.
 */
export async function evaluateForItem(
  ctx: NodeContext<unknown>,
  expression: string,
  item: Item,
  index: number,
): Promise<{ value: unknown } | { error: ErrorItem }> {
  try {
    return { value: await ctx.expr.evaluate(expression, item, expressionBindings(ctx, { item, index })) };
  } catch (err) {
    if (err instanceof ExpressionError && err.code === 'expression_runtime') {
      return { error: errorItem(item, err.code, err.message, err.position !== undefined ? { position: err.position } : undefined) };
    }
    throw err;
  }
}

/** Recipients from a field or a fixed list: an array, or one string separated by `sep`. */
export function listOf(value: unknown, sep: RegExp): string[] {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(sep) : typeof value === 'number' ? [String(value)] : [];
  return parts.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map((v) => String(v).trim()).filter((v) => v !== '');
}
