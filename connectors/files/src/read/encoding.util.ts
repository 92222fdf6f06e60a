import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Encodings a file import can be told to use; `auto` detects one from the bytes. */
export const FILE_ENCODINGS = ['auto', 'utf-8', 'gbk', 'gb18030', 'big5', 'utf-16le', 'utf-16be'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

// Bytes looked at once the first non-ASCII byte shows up: enough text for chardet's statistics.
const SAMPLE_BYTES = 64 * 1024;

// chardet names of encodings that also decode without errors as GB18030 but mean other
// characters: trusted over GB18030 only when chardet is fairly sure.
const OTHER_CJK: Record<string, string> = { Big5: 'big5', Shift_JIS: 'shift_jis', 'EUC-JP': 'euc-jp', 'EUC-KR': 'euc-kr' };

interface Decoder {
  write(b: Buffer): string;
  end(): string | undefined;
}

/**
 * Turns the bytes of a text file into text, chunk by chunk. With `auto`, a BOM decides;
 * otherwise ASCII passes through as is (it reads the same in every candidate encoding) until
 * the first non-ASCII byte, and the 64 KiB from there decide: valid UTF-8 is UTF-8; else
 * GB18030 (a superset of the GBK that Excel and WPS write on Chinese Windows) unless chardet
 * is sure of another East Asian encoding or the bytes are not GB18030 at all.
 */
export class StreamingTextDecoder {
  /** The encoding in use, once decided. */
  encoding?: string;
  private decoder?: Decoder;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Offset in `held` of the first byte that is not plain ASCII; -1 while all is ASCII. */
  private firstNonAscii = -1;
  private bomChecked = false;

  constructor(configured: FileEncoding = 'auto') {
    if (configured !== 'auto') this.use(configured);
  }

  write(chunk: Buffer): string {
    if (this.decoder) return this.decoder.write(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (!this.bomChecked) {
      if (this.heldBytes < 4) return '';
      this.bomChecked = true;
      const bom = bomEncoding(this.concatHeld());
      if (bom) return this.decideAndFlush(bom);
    }
    if (this.firstNonAscii < 0) {
      const at = nonAsciiIndex(chunk);
      if (at < 0) {
        // Still all ASCII: hand it over as is.
        const text = this.concatHeld().toString('latin1');
        this.held = [];
        this.heldBytes = 0;
        return text;
      }
      this.firstNonAscii = this.heldBytes - chunk.length + at;
    }
    if (this.heldBytes - this.firstNonAscii < SAMPLE_BYTES) return '';
    return this.decideAndFlush(detectEncoding(this.concatHeld(), this.firstNonAscii));
  }

  end(): string {
    let text = '';
    if (!this.decoder) {
      const all = this.concatHeld();
      const bom = all.length >= 2 ? bomEncoding(all) : undefined;
      const enc = bom ?? (this.firstNonAscii >= 0 ? detectEncoding(all, this.firstNonAscii) : 'utf-8');
      text = this.decideAndFlush(enc);
    }
    return text + (this.decoder!.end() ?? '');
  }

  private decideAndFlush(encoding: string): string {
    this.use(encoding);
    const all = this.concatHeld();
    this.held = [];
    this.heldBytes = 0;
    return all.length ? this.decoder!.write(all) : '';
  }

  private use(encoding: string): void {
    this.encoding = encoding;
    // iconv-lite strips a UTF-8/UTF-16 BOM by default.
    this.decoder = iconv.getDecoder(encoding) as Decoder;
  }

  private concatHeld(): Buffer {
    if (this.held.length !== 1) this.held = [Buffer.concat(this.held)];
    return this.held[0] ?? Buffer.alloc(0);
  }
}

export function bomEncoding(b: Buffer): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Index of the first byte that is not printable-ASCII-compatible (>= 0x80, or NUL as in UTF-16), -1 when none. */
function nonAsciiIndex(b: Buffer): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c >= 0x80 || c === 0) return i;
  }
  return -1;
}

/**
 * The encoding of the bytes held so far (from the start of the file, or from after an ASCII
 * prefix already passed on), whose first non-ASCII byte is at `from`.
 */
export function detectEncoding(held: Buffer, from = 0): string {
  const utf16 = utf16WithoutBom(held);
  if (utf16) return utf16;
  const sample = held.subarray(from);
  if (isUtf8(sample)) return 'utf-8';
  const matches = chardet.analyse(sample);
  const top = matches[0];
  if (top && OTHER_CJK[top.name] && top.confidence >= 50) return OTHER_CJK[top.name]!;
  if (decodesCleanly(sample, 'gb18030')) return 'gb18030';
  if (top && /^(windows-125\d|ISO-8859-\d+)$/i.test(top.name) && iconv.encodingExists(top.name)) return top.name.toLowerCase();
  return 'gb18030';
}

function isUtf8(sample: Buffer): boolean {
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function decodesCleanly(sample: Buffer, encoding: string): boolean {
  const decoder = iconv.getDecoder(encoding) as Decoder;
  // The last 4 bytes may be a character cut in half by the sample's end.
  const text = decoder.write(sample.subarray(0, Math.max(0, sample.length - 4)));
  return !text.includes('\ufffd');
}

/** UTF-16 text of mostly ASCII characters has a NUL in every other byte. */
export function utf16WithoutBom(sample: Buffer): string | undefined {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}
