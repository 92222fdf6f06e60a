import { describe, expect, it } from '@jest/globals';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  it('coalesces concurrent submissions into few flushes and keeps results in order', async () => {
    const sizes: number[] = [];
    const b = new Batcher<number, number>({
      maxSize: 50,
      maxWaitMs: 5,
      flush: async (items) => {
        sizes.push(items.length);
        return items.map((i) => i * 2);
      },
    });
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => b.submit(i)));
    expect(results).toEqual(Array.from({ length: 120 }, (_, i) => i * 2));
    expect(sizes.reduce((a, s) => a + s, 0)).toBe(120);
    expect(sizes.length).toBeLessThanOrEqual(4);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
  });

  it('rejects every caller of a failed batch and keeps working afterwards', async () => {
    let fail = true;
    const b = new Batcher<number, number>({
      maxSize: 10,
      maxWaitMs: 1,
      flush: async (items) => {
        if (fail) throw new Error('db down');
        return items;
      },
    });
    await expect(Promise.all([b.submit(1), b.submit(2)])).rejects.toThrow('db down');
    fail = false;
    await expect(b.submit(3)).resolves.toBe(3);
  });

  it('drain waits for in-flight flushes', async () => {
    let done = 0;
    const b = new Batcher<number, number>({
      maxSize: 100,
      maxWaitMs: 50,
      flush: async (items) => {
        await new Promise((r) => setTimeout(r, 20));
        done += items.length;
        return items;
      },
    });
    void b.submit(1);
    void b.submit(2);
    await b.drain();
    expect(done).toBe(2);
  });

  it('with maxWaitMs 0 flushes at once when idle and gathers while flushes are in flight', async () => {
    const sizes: number[] = [];
    let release: () => void = () => undefined;
    const b = new Batcher<number, number>({
      maxSize: 1000,
      maxWaitMs: 0,
      maxConcurrentFlushes: 1,
      flush: async (items) => {
        sizes.push(items.length);
        if (sizes.length === 1) await new Promise<void>((r) => (release = r));
        return items;
      },
    });
    const first = [b.submit(1), b.submit(2)]; // same tick: one batch
    await new Promise((r) => setImmediate(r));
    const later = Array.from({ length: 10 }, (_, i) => b.submit(10 + i)); // the only slot is busy: they wait together
    await new Promise((r) => setTimeout(r, 20));
    expect(sizes).toEqual([2]);
    release();
    await Promise.all([...first, ...later]);
    expect(sizes).toEqual([2, 10]);
  });
});
