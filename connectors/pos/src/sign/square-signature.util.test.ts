import { describe, expect, it } from '@jest/globals';
import { squareEscapedVector, squareRejections, squareUnescapedVector, squareVector } from '../__fixtures__/square-vectors.js';
import { squareSignature, verifySquareSignature } from './square-signature.util.js';

describe('Square signature (official SDK vectors)', () => {
  it('reproduces the published signatures', () => {
    for (const v of [squareVector, squareEscapedVector, squareUnescapedVector]) {
      expect(squareSignature(v.signatureKey, v.notificationUrl, v.body)).toBe(v.signature);
      expect(verifySquareSignature(v.signature, v.signatureKey, v.notificationUrl, Buffer.from(v.body))).toBe(true);
    }
  });

  it('refuses the SDK’s rejection cases', () => {
    const v = squareVector;
    expect(verifySquareSignature(v.signature, v.signatureKey, squareRejections.urlOffByOne, v.body)).toBe(false);
    expect(verifySquareSignature(v.signature, squareRejections.wrongKey, v.notificationUrl, v.body)).toBe(false);
    expect(verifySquareSignature(squareRejections.wrongHeader, v.signatureKey, v.notificationUrl, v.body)).toBe(false);
    expect(verifySquareSignature(v.signature, v.signatureKey, v.notificationUrl, squareRejections.changedCreatedAt)).toBe(false);
    expect(verifySquareSignature(v.signature, v.signatureKey, v.notificationUrl, squareRejections.prettyPrinted)).toBe(false);
  });
});
