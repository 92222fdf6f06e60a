import { BlockList, isIP } from 'node:net';

// SMTP does not go through the runtime's HTTP client, so it gets its own SSRF guard: the
// same ranges the HTTP client refuses (loopback, private, link-local/cloud metadata, CGNAT,
// multicast, reserved) unless the connection says the server is on a private network.

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True for an address a notification must not reach without allowPrivateNetwork (and for anything that is not an IP). */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  const address = mapped ? mapped[1]! : bare;
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4 && address === '255.255.255.255') return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
