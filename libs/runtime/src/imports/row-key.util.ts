import { createHash } from 'node:crypto';

/**
 * The content of a row, independent of column order: sha256 over its fields sorted by name.
 * Rows with the same values under the same fields hash alike wherever they sit in the file.
 */
export function rowDigest(item: Record<string, string>): Buffer {
  const keys = Object.keys(item).sort();
  const h = createHash('sha256');
  for (const k of keys) h.update(`${k.length}:${k}=${item[k]!.length}:${item[k]}\n`);
  return h.digest();
}

/**
 * The run dedupe key of a row: its digest and how many identical rows came before it in
 * the file. Importing the same file again, or a re-export whose rows moved, gives every row
 * the key it had; two genuinely repeated rows (two identical purchases) stay two runs.
 */
export function rowDedupeKey(digest: Buffer, occurrence: number): string {
  return `row:${digest.toString('base64url')}:${occurrence}`;
}

/**
 * How often each row digest has been seen, in ~12 bytes per distinct row (a 64-bit
 * fingerprint and a count in typed arrays) instead of a Map of strings: a million-row file
 * costs about 24 MB, not hundreds.
 */
export class OccurrenceCounter {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private counts: Uint32Array;
  private used = 0;

  constructor(initialSlots = 1 << 14) {
    this.hi = new Uint32Array(initialSlots);
    this.lo = new Uint32Array(initialSlots);
    this.counts = new Uint32Array(initialSlots);
  }

  /** The number of earlier rows with this digest (0 for the first), counting this one in. */
  next(digest: Buffer): number {
    if ((this.used + 1) * 2 > this.counts.length) this.grow();
    const hi = digest.readUInt32BE(0);
    const lo = digest.readUInt32BE(4);
    const slot = this.find(hi, lo);
    const seen = this.counts[slot]!;
    if (seen === 0) {
      this.hi[slot] = hi;
      this.lo[slot] = lo;
      this.used++;
    }
    this.counts[slot] = seen + 1;
    return seen;
  }

  private find(hi: number, lo: number): number {
    const mask = this.counts.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      if (this.counts[i] === 0 || (this.hi[i] === hi && this.lo[i] === lo)) return i;
    }
  }

  private grow(): void {
    const { hi, lo, counts } = this;
    this.hi = new Uint32Array(counts.length * 2);
    this.lo = new Uint32Array(counts.length * 2);
    this.counts = new Uint32Array(counts.length * 2);
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      const slot = this.find(hi[i]!, lo[i]!);
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.counts[slot] = counts[i]!;
    }
  }
}
