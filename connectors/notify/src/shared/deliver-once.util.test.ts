import { describe, expect, it, jest } from '@jest/globals';
import { InMemorySharedCache, NodeError, VendorApiError } from '@tributary/node-sdk';
import { deliverOnce, type SentNotification } from './deliver-once.util.js';

const now = () => new Date('2026-03-02T08:00:00.000Z');
const sent = (id: string): SentNotification => ({ channel: 'webhook', messageId: id, sentAt: now().toISOString() });

describe('deliverOnce', () => {
  it('sends once and replays the record afterwards', async () => {
    const cache = new InMemorySharedCache();
    const send = jest.fn(async () => ({ sent: sent('m1') }));
    expect(await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send })).toEqual({ sent: sent('m1'), replayed: false });
    expect(await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send })).toEqual({ sent: sent('m1'), replayed: true });
    expect(send).toHaveBeenCalledTimes(1);
    expect(await cache.get('notify:lock:k')).toBeUndefined();
    expect(await cache.get('notify:pending:k')).toBeUndefined();
  });

  it('does not record refusals, so nothing is replayed for them', async () => {
    const cache = new InMemorySharedCache();
    const send = jest.fn(async () => ({ refused: { code: 'x', message: 'no' } }));
    await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send });
    await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send });
    expect(send).toHaveBeenCalledTimes(2);
    expect(await cache.get('notify:pending:k')).toBeUndefined();
  });

  it('keeps the in-flight mark when the vendor never answered, and asks the vendor before sending again', async () => {
    const cache = new InMemorySharedCache();
    const lost = jest.fn(async (): Promise<{ sent: SentNotification }> => {
      throw new VendorApiError('x', 'timeout', undefined, { retryable: true });
    });
    await expect(deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send: lost })).rejects.toThrow('timeout');
    expect(await cache.get('notify:pending:k')).toBe(now().toISOString());
    expect(await cache.get('notify:lock:k')).toBeUndefined();

    const reconcile = jest.fn(async (startedAt: string) => (startedAt === now().toISOString() ? sent('found') : undefined));
    const send = jest.fn(async () => ({ sent: sent('again') }));
    expect(await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send, reconcile })).toEqual({ sent: sent('found'), replayed: true });
    expect(send).not.toHaveBeenCalled();
    expect(await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send, reconcile })).toEqual({ sent: sent('found'), replayed: true });
    expect(reconcile).toHaveBeenCalledTimes(1);
  });

  it('clears the in-flight mark when the vendor answered with an error', async () => {
    const cache = new InMemorySharedCache();
    for (const err of [new VendorApiError('x', 'busy', 429, { retryable: true }), new NodeError('smtp', '451', { details: { responseCode: 451 } })]) {
      await expect(deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send: () => Promise.reject(err) })).rejects.toBe(err);
      expect(await cache.get('notify:pending:k')).toBeUndefined();
    }
    const reconcile = jest.fn(async () => undefined);
    await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 10, send: async () => ({ sent: sent('m') }), reconcile });
    expect(reconcile).not.toHaveBeenCalled();
  });

  it('leaves an item another attempt is sending alone, saying when to try again', async () => {
    const cache = new InMemorySharedCache();
    let release!: () => void;
    const slow = deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 20, send: () => new Promise<{ sent: SentNotification }>((r) => (release = () => r({ sent: sent('slow') }))) });
    await new Promise((r) => setTimeout(r, 10));
    const err = (await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 20, send: async () => ({ sent: sent('fast') }) }).catch((e: unknown) => e)) as NodeError;
    expect(err).toMatchObject({ code: 'send_in_progress', retryable: true, details: { retryAfterMs: 20_000 } });
    release();
    expect(await slow).toEqual({ sent: sent('slow'), replayed: false });
    expect(await deliverOnce({ cache, now, key: 'k', keepSeconds: 60, lockSeconds: 20, send: async () => ({ sent: sent('fast') }) })).toEqual({ sent: sent('slow'), replayed: true });
  });
});
