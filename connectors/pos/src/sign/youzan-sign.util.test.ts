import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { youzanClientId, youzanClientSecret, youzanTradePaidBody } from '../__fixtures__/youzan-pushes.js';
import { verifyYouzanEventSign, youzanEventSign } from './youzan-sign.util.js';

// No published vector: checked against the reported rule computed independently.
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

describe('Youzan Event-Sign', () => {
  it('is MD5 of client_id + raw body + client_secret', () => {
    expect(youzanEventSign(youzanClientId, youzanTradePaidBody, youzanClientSecret)).toBe(md5(youzanClientId + youzanTradePaidBody + youzanClientSecret));
    expect(youzanEventSign('id', Buffer.from('{"a":"中文"}'), 'secret')).toBe(md5('id{"a":"中文"}secret'));
  });

  it('verifies in any case and refuses other bodies, secrets and empty inputs', () => {
    const sign = md5(youzanClientId + youzanTradePaidBody + youzanClientSecret);
    expect(verifyYouzanEventSign(sign.toUpperCase(), youzanClientId, youzanTradePaidBody, youzanClientSecret)).toBe(true);
    expect(verifyYouzanEventSign(sign, youzanClientId, `${youzanTradePaidBody} `, youzanClientSecret)).toBe(false);
    expect(verifyYouzanEventSign(sign, youzanClientId, youzanTradePaidBody, 'other')).toBe(false);
    expect(verifyYouzanEventSign(undefined, youzanClientId, youzanTradePaidBody, youzanClientSecret)).toBe(false);
    expect(verifyYouzanEventSign(md5(youzanTradePaidBody), '', youzanTradePaidBody, '')).toBe(false);
  });
});
