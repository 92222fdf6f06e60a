import { NodeError, VendorApiError, type SharedCache } from '@tributary/node-sdk';

// A notification must reach its recipient once even though steps run at least once: a retried
// step (a later item failed, the worker died) meets the items it already sent. Each item's send
// is recorded in the shared cache under the step's idempotency key, guarded by a short lock
// so two workers never send the same item at the same time, and marked "pending" while in
// flight so that a crash or timeout mid-send is known on the next attempt.

/** What a sent notification left behind; a retried step emits it unchanged. */
export interface SentNotification {
  channel: 'webhook' | 'email' | 'wecom' | 'sms';
  /** The id the vendor gave the message (or the one we gave it where the vendor gives none). */
  messageId: string;
  /** UTC ISO time of the send. */
  sentAt: string;
  [detail: string]: unknown;
}

/** An item the vendor refused for good: it goes to the node's `error` port with this reason. */
export interface SendRefusal {
  code: string;
  message: string;
  details?: unknown;
}

export type SendOutcome<T extends SentNotification> = { sent: T } | { refused: SendRefusal };

export type Delivery<T extends SentNotification> = { sent: T; replayed: boolean } | { refused: SendRefusal };

export interface DeliverOnceOptions<T extends SentNotification> {
  cache: SharedCache;
  now(): Date;
  /** `ctx.idempotencyKey(index)`: stable across retries of the step. */
  key: string;
  /** How long a sent record is kept (and a retry skips the item). */
  keepSeconds: number;
  /** The longest one send may take (timeouts and in-call retries included): the lock's life. */
  lockSeconds: number;
  send(): Promise<SendOutcome<T>>;
  /**
   * Asked before sending again when an earlier attempt's outcome is unknown (it crashed, or the
   * vendor never answered): returns the message if the vendor has it. Without it, the message is
   * sent again and the vendor-side key (webhook-id, Message-ID, duplicate check) has to catch it.
   */
  reconcile?(startedAt: string): Promise<T | undefined>;
}

const sentKey = (key: string) => `notify:sent:${key}`;
const lockKey = (key: string) => `notify:lock:${key}`;
const pendingKey = (key: string) => `notify:pending:${key}`;

/** True when the vendor answered the call, so nothing is left in flight (a refusal, a 4xx, an SMTP reply). */
function vendorAnswered(err: unknown): boolean {
  if (err instanceof VendorApiError) return err.status !== undefined && err.status < 500;
  const e = err as { responseCode?: unknown; details?: { responseCode?: unknown } } | null;
  const code = e?.responseCode ?? e?.details?.responseCode;
  return typeof code === 'number' && code >= 400;
}

/** Sends one item at most once per idempotency key; see the file comment. */
export async function deliverOnce<T extends SentNotification>(opts: DeliverOnceOptions<T>): Promise<Delivery<T>> {
  const { cache, key } = opts;
  const recorded = await cache.get(sentKey(key));
  if (recorded) return { sent: JSON.parse(recorded) as T, replayed: true };

  const until = opts.now().getTime() + opts.lockSeconds * 1000;
  if (!(await cache.setIfAbsent(lockKey(key), String(until), opts.lockSeconds))) {
    const held = Number(await cache.get(lockKey(key)));
    const retryAfterMs = Number.isFinite(held) ? Math.max(1000, held - opts.now().getTime()) : opts.lockSeconds * 1000;
    throw new NodeError('send_in_progress', 'another attempt of this step is sending the same notification; trying again once it is done', {
      retryable: true,
      details: { retryAfterMs },
    });
  }
  try {
    // The other attempt may have finished between our read and taking the lock.
    const again = await cache.get(sentKey(key));
    if (again) return { sent: JSON.parse(again) as T, replayed: true };

    const startedAt = await cache.get(pendingKey(key));
    if (startedAt && opts.reconcile) {
      const found = await opts.reconcile(startedAt);
      if (found) {
        await cache.set(sentKey(key), JSON.stringify(found), opts.keepSeconds);
        await cache.delete(pendingKey(key));
        return { sent: found, replayed: true };
      }
    }
    await cache.set(pendingKey(key), startedAt ?? opts.now().toISOString(), opts.keepSeconds);
    let outcome: SendOutcome<T>;
    try {
      outcome = await opts.send();
    } catch (err) {
      if (vendorAnswered(err)) await cache.delete(pendingKey(key));
      throw err;
    }
    if ('sent' in outcome) await cache.set(sentKey(key), JSON.stringify(outcome.sent), opts.keepSeconds);
    await cache.delete(pendingKey(key));
    return 'sent' in outcome ? { sent: outcome.sent, replayed: false } : outcome;
  } finally {
    await cache.delete(lockKey(key));
  }
}
