import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken, sha8 } from '../../src/explore/token.js';
import { UserError } from '../../src/errors.js';

describe('replay tokens', () => {
  it('round-trip: file, seed, run index and file hash', () => {
    const token = { file: 'scenarios/explore/retry-in-lag.yaml', seed: 42, index: 1234, hash: sha8('regions: []') };
    const text = encodeToken(token);
    expect(text).toMatch(/^gx1\.[A-Za-z0-9_-]+$/);
    expect(decodeToken(text)).toEqual(token);
  });

  it('round-trip a file name with spaces and non-ASCII characters', () => {
    const token = { file: 'my scenarios/überweisung.yaml', seed: 0, index: 0, hash: '0123abcd' };
    expect(decodeToken(encodeToken(token))).toEqual(token);
  });

  it('refuse text that is not a token, as bad input', () => {
    for (const bad of ['', 'gx2.abc', 'gx1.!!!', `gx1.${Buffer.from('{"f":"a","s":-1,"i":0,"h":"00000000"}').toString('base64url')}`]) {
      expect(() => decodeToken(bad)).toThrow(UserError);
    }
    expect(() => decodeToken('nope')).toThrow(/not a replay token/);
  });

  it('sha8 is the first 8 hex digits of sha256', () => {
    expect(sha8('')).toBe('e3b0c442');
  });
});
