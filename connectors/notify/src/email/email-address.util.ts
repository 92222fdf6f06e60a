// Recipient addresses as items carry them: `ada@example.com`, `Ada <ada@example.com>`, a
// comma-separated string or an array. Checked here so a bad address is the item's error,
// not a refused SMTP session.

const ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]+$/;

/** The bare address of `Name <addr>` or `addr`, or undefined when it is not an address. */
export function bareAddress(value: string): string | undefined {
  const angle = /<([^<>]+)>\s*$/.exec(value);
  const address = (angle ? angle[1]! : value).trim();
  return ADDRESS.test(address) && address.length <= 254 ? address : undefined;
}

/** The domain of the sender, for Message-IDs. */
export function domainOf(address: string): string | undefined {
  const bare = bareAddress(address);
  return bare ? bare.slice(bare.lastIndexOf('@') + 1).toLowerCase() : undefined;
}
