/** True when an RFC 8288 `Link` header has a `rel="next"` entry (Freshdesk sets it while pages remain). */
export function hasNextLink(link: string | undefined): boolean {
  if (!link) return false;
  return link.split(',').some((part) => /;\s*rel\s*=\s*"?next"?/i.test(part));
}
