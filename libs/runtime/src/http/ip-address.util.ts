import { isIP } from 'node:net';

// Address ranges a node must not reach unless its flow explicitly allows the private
// network: the host itself, the LAN, cloud metadata (169.254.169.254) and anything
// that is not a routable unicast destination.

type Range = [base: bigint, prefix: number, reason: string];

const V4_RANGES: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private network'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private network'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'private network'],
  ['198.18.0.0', 15, 'benchmarking network'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RANGES: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

// IPv6 forms that carry an IPv4 address, which is then what gets reached.
const V6_EMBEDDING_V4: Array<[string, number, (v: bigint) => bigint]> = [
  ['::ffff:0:0', 96, (v) => v & 0xffffffffn], // IPv4-mapped
  ['::', 96, (v) => v & 0xffffffffn], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96, (v) => v & 0xffffffffn], // NAT64
  ['2002::', 16, (v) => (v >> 80n) & 0xffffffffn], // 6to4
];

function parseV4(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(ip: string): bigint {
  let s = ip.replace(/%.*$/, ''); // zone id
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v4 = parseV4(dotted[1]!);
    s = s.slice(0, -dotted[1]!.length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const v4Ranges: Range[] = V4_RANGES.map(([base, prefix, reason]) => [parseV4(base), prefix, reason]);
const v6Ranges: Range[] = V6_RANGES.map(([base, prefix, reason]) => [parseV6(base), prefix, reason]);
const v6Embeddings = V6_EMBEDDING_V4.map(([base, prefix, extract]) => [parseV6(base), prefix, extract] as const);

function inRange(value: bigint, bits: number, base: bigint, prefix: number): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
}

/**
 * Why `ip` must not be reached without `allowPrivateNetwork`, or undefined when it is a
 * public unicast address. Anything that is not a valid IP literal is refused too.
 */
export function blockedAddressReason(ip: string): string | undefined {
  const family = isIP(ip.replace(/%.*$/, ''));
  if (family === 4) {
    const v = parseV4(ip);
    if (v === 0xffffffffn) return 'broadcast';
    return v4Ranges.find(([base, prefix]) => inRange(v, 32, base, prefix))?.[2];
  }
  if (family === 6) {
    const v = parseV6(ip);
    const direct = v6Ranges.find(([base, prefix]) => inRange(v, 128, base, prefix));
    if (direct) return direct[2];
    for (const [base, prefix, extract] of v6Embeddings) {
      if (!inRange(v, 128, base, prefix)) continue;
      const v4 = extract(v);
      const reason = v4 === 0xffffffffn ? 'broadcast' : v4Ranges.find(([b, p]) => inRange(v4, 32, b, p))?.[2];
      if (reason) return `${reason} (IPv4 embedded in IPv6)`;
    }
    return undefined;
  }
  return 'not an IP address';
}
