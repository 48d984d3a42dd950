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

  it('round-trip which failure of its run it names, and leave a token of one failure as it was', () => {
    const token = { file: 's.yaml', seed: 1, index: 1, hash: '0123abcd', failure: sha8('count discardedWrites') };
    expect(decodeToken(encodeToken(token))).toEqual(token);
    const { failure: _, ...single } = token;
    expect(encodeToken(single)).toBe(`gx1.${Buffer.from('{"f":"s.yaml","s":1,"i":1,"h":"0123abcd"}').toString('base64url')}`);
    expect(() => decodeToken(`gx1.${Buffer.from('{"f":"a","s":1,"i":0,"h":"00000000","a":"xyz"}').toString('base64url')}`)).toThrow(/a field is missing or wrong/);
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
