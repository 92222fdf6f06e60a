import { describe, expect, it } from '@jest/globals';
import { DEFAULT_TRUST_PROXY, loadConfig, parseTrustProxy } from './config.js';

describe('TRIBUTARY_TRUST_PROXY', () => {
  it('believes proxies on this machine and private networks unless told otherwise', () => {
    expect(parseTrustProxy(undefined)).toBe(DEFAULT_TRUST_PROXY);
    expect(parseTrustProxy('  ')).toBe(DEFAULT_TRUST_PROXY);
  });

  it('takes true, false, or addresses and CIDRs', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.7')).toBe('10.0.0.0/8, 192.168.1.7');
    expect(() => parseTrustProxy('everyone; drop table')).toThrow(/TRIBUTARY_TRUST_PROXY/);
  });

  it('is part of the loaded configuration', () => {
    const env = { DATABASE_URL: 'postgres://x', TRIBUTARY_ADMIN_TOKEN: 't', TRIBUTARY_SECRET_KEY: 'a'.repeat(64), TRIBUTARY_TRUST_PROXY: 'false' };
    expect(loadConfig(env).trustProxy).toBe(false);
  });
});
