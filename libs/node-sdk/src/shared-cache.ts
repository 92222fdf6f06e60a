import type { SharedCache } from '@tributary/engine';

/** A SharedCache in one process's memory, for tests and `tributary run`. */
export class InMemorySharedCache implements SharedCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly clock: () => number = Date.now) {}

  private live(key: string): { value: string; expiresAt: number } | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.clock() + ttlSeconds * 1000 });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlSeconds);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const e = this.live(key);
    const n = e ? Number(e.value) + 1 : 1;
    this.entries.set(key, { value: String(n), expiresAt: e?.expiresAt ?? this.clock() + ttlSeconds * 1000 });
    return n;
  }
}
