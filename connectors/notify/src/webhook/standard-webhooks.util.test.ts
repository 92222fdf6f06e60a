import { describe, expect, it } from '@jest/globals';
import { signStandardWebhook, webhookMessageId, webhookSecretProblem, webhookSigningKey } from './standard-webhooks.util.js';

describe('Standard Webhooks signing', () => {
  // The spec's v1 vector (standard-webhooks library tests; docs/research connectors.md §9).
  it('matches the official v1 vector', () => {
    expect(signStandardWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('reads the key with or without the whsec_ prefix', () => {
    expect(webhookSigningKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toEqual(webhookSigningKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'));
    expect(webhookSigningKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toHaveLength(24);
  });

  it('signs the exact body: another byte, timestamp or id changes the signature', () => {
    const s = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const base = signStandardWebhook(s, 'msg_1', 1700000000, '{"a":1}');
    expect(signStandardWebhook(s, 'msg_1', 1700000000, '{"a": 1}')).not.toBe(base);
    expect(signStandardWebhook(s, 'msg_1', 1700000001, '{"a":1}')).not.toBe(base);
    expect(signStandardWebhook(s, 'msg_2', 1700000000, '{"a":1}')).not.toBe(base);
  });

  it('gives each idempotency key its own stable message id', () => {
    expect(webhookMessageId('run-1:notify:0')).toBe(webhookMessageId('run-1:notify:0'));
    expect(webhookMessageId('run-1:notify:0')).not.toBe(webhookMessageId('run-1:notify:1'));
    expect(webhookMessageId('run-1:notify:0')).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
  });

  it('explains unusable secrets', () => {
    expect(webhookSecretProblem('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBeUndefined();
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(32, 7).toString('base64')}`)).toBeUndefined();
    expect(webhookSecretProblem(undefined)).toMatch(/needs "secret"/);
    expect(webhookSecretProblem(' whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toMatch(/whitespace/);
    expect(webhookSecretProblem('whsec_not base64!')).toMatch(/not base64/);
    expect(webhookSecretProblem('whsec_c2hvcnQ=')).toMatch(/decodes to 5 bytes/);
  });
});
