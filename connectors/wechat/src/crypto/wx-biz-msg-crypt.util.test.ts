import { describe, expect, it } from '@jest/globals';
import { createDecipheriv } from 'node:crypto';
import { wecomPythonVectors, wecomVectors, wechatVectors } from '../__fixtures__/official-vectors.js';
import { aesKeyOf, decryptWxMessage, encodingAesKeyProblem, encryptWxMessage, isWxSignature, sealWxReply, wxSignature, WxCryptError } from './wx-biz-msg-crypt.util.js';

describe('WeChat message push vectors (official worked example)', () => {
  const v = wechatVectors;

  it('signs the URL verification as sha1 of the sorted token, timestamp and nonce', () => {
    const q = v.urlVerify.query;
    expect([v.token, q.timestamp, q.nonce].sort().join('')).toBe(v.urlVerify.sortedInput);
    expect(wxSignature(v.token, q.timestamp, q.nonce)).toBe(q.signature);
    expect(isWxSignature(q.signature, [v.token, q.timestamp, q.nonce])).toBe(true);
    expect(isWxSignature(q.signature.toUpperCase(), [v.token, q.timestamp, q.nonce])).toBe(true);
    expect(isWxSignature(q.signature, ['BBBBB', q.timestamp, q.nonce])).toBe(false);
  });

  it('signs the plain-mode push the same way (the body is not covered)', () => {
    const q = v.plainPost.query;
    expect(wxSignature(v.token, q.timestamp, q.nonce)).toBe(q.signature);
  });

  it('checks msg_signature over the ciphertext, not signature', () => {
    const q = v.safePost.query;
    expect(wxSignature(v.token, q.timestamp, q.nonce, v.safePost.encrypt)).toBe(q.msg_signature);
    expect(wxSignature(v.token, q.timestamp, q.nonce)).toBe(q.signature);
    expect(isWxSignature(q.signature, [v.token, q.timestamp, q.nonce, v.safePost.encrypt])).toBe(false);
  });

  it('decrypts the safe-mode push: 224 bytes, pad 19, frame 205, random16, msg_len 167, appid', () => {
    const key = aesKeyOf(v.encodingAesKey);
    expect(key).toHaveLength(32);
    expect(Buffer.from(v.safePost.encrypt, 'base64')).toHaveLength(v.safePost.ciphertextBytes);
    const opened = decryptWxMessage(v.safePost.encrypt, key);
    expect(opened.random.toString('latin1')).toBe(v.safePost.random);
    expect(Buffer.byteLength(opened.message)).toBe(v.safePost.msgLen);
    expect(opened.message).toBe(v.safePost.message);
    expect(opened.receiveId).toBe(v.appId);
    expect(20 + v.safePost.msgLen + v.appId.length).toBe(v.safePost.frameBytes);
    expect(v.safePost.ciphertextBytes - v.safePost.frameBytes).toBe(v.safePost.pad);
  });

  it('reproduces the documented encrypted reply exactly once random16 is fixed', () => {
    const key = aesKeyOf(v.encodingAesKey);
    const r = v.reply;
    const encrypt = encryptWxMessage(r.message, v.appId, key, Buffer.from(r.random, 'latin1'));
    expect(encrypt).toBe(r.encrypt);
    expect(Buffer.from(encrypt, 'base64')).toHaveLength(64);
    expect(sealWxReply(r.message, { token: v.token, aesKey: key, receiveId: v.appId, timestamp: r.timestamp, nonce: r.nonce, random: Buffer.from(r.random, 'latin1') })).toEqual({
      Encrypt: r.encrypt,
      MsgSignature: r.msgSignature,
      TimeStamp: r.timestamp,
      Nonce: r.nonce,
    });
    expect(decryptWxMessage(r.encrypt, key)).toMatchObject({ message: r.message, receiveId: v.appId });
  });

  it('needs manual unpadding: Node’s own PKCS#7 check rejects the 32-byte padding', () => {
    const key = aesKeyOf(v.encodingAesKey);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    expect(() => Buffer.concat([decipher.update(Buffer.from(v.safePost.encrypt, 'base64')), decipher.final()])).toThrow(/bad decrypt/i);
  });
});

describe('WeCom WXBizMsgCrypt vectors (official example and samples)', () => {
  const v = wecomVectors;
  const key = aesKeyOf(v.encodingAesKey);

  it('VerifyURL: signature over the echostr, plaintext 1616140317555161061 for the corp', () => {
    const q = v.verifyUrl.query;
    expect(wxSignature(v.token, q.timestamp, q.nonce, q.echostr)).toBe(q.msg_signature);
    expect(decryptWxMessage(q.echostr, key)).toMatchObject({ message: v.verifyUrl.plaintext, receiveId: v.corpId });
  });

  it('DecryptMsg (XML): 352 bytes with pad 30 give the text message with its 64-bit MsgId', () => {
    const q = v.decryptXml.query;
    expect(wxSignature(v.token, q.timestamp, q.nonce, v.decryptXml.encrypt)).toBe(q.msg_signature);
    expect(Buffer.from(v.decryptXml.encrypt, 'base64')).toHaveLength(v.decryptXml.ciphertextBytes);
    const opened = decryptWxMessage(v.decryptXml.encrypt, key);
    expect(opened.message).toBe(v.decryptXml.message);
    expect(opened.receiveId).toBe(v.corpId);
    expect(v.decryptXml.ciphertextBytes - (20 + Buffer.byteLength(opened.message) + v.corpId.length)).toBe(v.decryptXml.pad);
  });

  it('DecryptMsg (JSON)', () => {
    const q = v.decryptJson.query;
    const encrypt = (JSON.parse(v.decryptJson.body) as { encrypt: string }).encrypt;
    expect(wxSignature(v.token, q.timestamp, q.nonce, encrypt)).toBe(q.msg_signature);
    expect(decryptWxMessage(encrypt, key)).toMatchObject({ message: v.decryptJson.message, receiveId: v.corpId });
  });

  it('the Python sample’s keys: VerifyURL and a message whose msg_len counts UTF-8 bytes (你好)', () => {
    const p = wecomPythonVectors;
    const pkey = aesKeyOf(p.encodingAesKey);
    const q = p.verifyUrl.query;
    expect(wxSignature(p.token, q.timestamp, q.nonce, q.echostr)).toBe(q.msg_signature);
    expect(decryptWxMessage(q.echostr, pkey)).toMatchObject({ message: p.verifyUrl.plaintext, receiveId: p.corpId });
    const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(p.decryptXml.body)![1]!;
    expect(wxSignature(p.token, p.decryptXml.query.timestamp, p.decryptXml.query.nonce, encrypt)).toBe(p.decryptXml.query.msg_signature);
    expect(decryptWxMessage(encrypt, pkey)).toMatchObject({ message: p.decryptXml.message, receiveId: p.corpId });
  });

  it('round-trips its own encryption for every pad length 1..32', () => {
    for (let n = 0; n < 40; n++) {
      const message = 'x'.repeat(n) + '你好';
      const encrypt = encryptWxMessage(message, v.corpId, key);
      expect(Buffer.from(encrypt, 'base64').length % 32).toBe(0);
      expect(decryptWxMessage(encrypt, key)).toMatchObject({ message, receiveId: v.corpId });
    }
  });
});

describe('failures', () => {
  const key = aesKeyOf(wecomVectors.encodingAesKey);

  it('a wrong key does not decrypt (bad padding or frame), with the library’s code -40007', () => {
    const other = aesKeyOf(wecomPythonVectors.encodingAesKey);
    const err = (() => {
      try {
        decryptWxMessage(wecomVectors.decryptXml.encrypt, other);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(WxCryptError);
    expect(err).toMatchObject({ kind: 'decrypt_failed', code: -40007 });
  });

  it('refuses text that is not base64 or not whole AES blocks', () => {
    expect(() => decryptWxMessage('not base64 at all!', key)).toThrow(/not base64/);
    expect(() => decryptWxMessage(Buffer.alloc(20).toString('base64'), key)).toThrow(/AES blocks/);
    expect(() => decryptWxMessage('', key)).toThrow(WxCryptError);
  });

  it('a flipped ciphertext byte is caught by the padding or frame checks, or changes the text', () => {
    const bytes = Buffer.from(wecomVectors.decryptXml.encrypt, 'base64');
    bytes[bytes.length - 1] ^= 0x01;
    expect(() => decryptWxMessage(bytes.toString('base64'), key)).toThrow(WxCryptError);
  });

  it('validates the EncodingAESKey shape', () => {
    expect(encodingAesKeyProblem(wecomVectors.encodingAesKey)).toBeUndefined();
    expect(encodingAesKeyProblem(undefined)).toMatch(/missing/);
    expect(encodingAesKeyProblem('short')).toMatch(/43 characters, got 5/);
    expect(encodingAesKeyProblem(`${'A'.repeat(42)}!`)).toMatch(/base64 characters/);
    expect(encodingAesKeyProblem(` ${wecomVectors.encodingAesKey.slice(1)}`)).toMatch(/base64 characters/);
    expect(() => aesKeyOf('short')).toThrow(expect.objectContaining({ kind: 'invalid_aes_key', code: -40004 }));
  });
});
