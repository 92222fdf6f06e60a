import type { NormalizedIdentity } from './normalization/identity.normalizer.js';

/**
 * Default priority of identity types (CONTRACT/issue 3): phone > WeChat unionid > WeCom
 * external user id / POS member id > e-mail > openid / device id > any other. Resolution
 * itself follows the match config's priorities; this order only sorts an input's identities.
 */
const TYPE_PRIORITY: Record<string, number> = {
  phone: 1,
  wechat_unionid: 2,
  wecom_external_userid: 3,
  pos_member_id: 3,
  email: 4,
  wechat_openid: 5,
  device_id: 5,
};

/** Identities deduplicated and ordered by priority; the first is the key identity. */
export function orderIdentities(identities: NormalizedIdentity[]): NormalizedIdentity[] {
  const seen = new Set<string>();
  const unique: NormalizedIdentity[] = [];
  for (const id of identities) {
    const key = identityKey(id.type, id.value);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(id);
  }
  return unique
    .map((id, i) => ({ id, i, p: TYPE_PRIORITY[id.type] ?? 6 }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((x) => x.id);
}

export function identityKey(type: string, value: string): string {
  return `${type}\u0000${value}`;
}
