import * as OpenCC from 'opencc-js';

// Built once: OpenCC compiles its dictionaries into a trie on first use (~15 ms).
// Traditional (Taiwan/Hong Kong variants included) → mainland simplified.
let converter: ((text: string) => string) | undefined;

/** Traditional → simplified Chinese (張偉 → 张伟, 臺北 → 台北); other text passes through. */
export function toSimplified(text: string): string {
  if (!HAN.test(text)) return text;
  const convert = converter ?? (converter = OpenCC.Converter({ from: 'hk', to: 'cn' }));
  return convert(text);
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Whether the text contains a CJK ideograph. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}
