import { describe, expect, it } from 'vitest';
import { fromPlain, fromPlainItem, PlainValueError, toPlain, toPlainItem } from '../../src/dynamodb/plain.js';

describe('plain values', () => {
  it('reads JSON-like values as DocumentClient marshals them', () => {
    expect(fromPlainItem({ Id: 'a', n: 1.5, ok: true, none: null, l: [1, 'x'], m: { k: 'v' } })).toEqual({
      Id: { S: 'a' }, n: { N: '1.5' }, ok: { BOOL: true }, none: { NULL: true }, l: { L: [{ N: '1' }, { S: 'x' }] }, m: { M: { k: { S: 'v' } } },
    });
  });
  it('tags the types JSON lacks and round-trips them', () => {
    const wire = { s: { SS: ['b', 'a'] }, n: { NS: ['2', '1'] }, b: { B: 'AAE=' }, bs: { BS: ['AA=='] }, big: { N: '12345678901234567890123456789012345678' } };
    const plain = toPlainItem(wire);
    expect(JSON.parse(JSON.stringify(plain))).toEqual({ s: { $SS: ['a', 'b'] }, n: { $NS: ['1', '2'] }, b: { $B: 'AAE=' }, bs: { $BS: ['AA=='] }, big: { $N: '12345678901234567890123456789012345678' } });
    expect(fromPlainItem(plain)).toEqual({ s: { SS: ['a', 'b'] }, n: { NS: ['1', '2'] }, b: { B: 'AAE=' }, bs: { BS: ['AA=='] }, big: { N: '12345678901234567890123456789012345678' } });
  });
  it('keeps exact decimals as numbers only when a double holds them', () => {
    expect(toPlain({ N: '0.3' })).toBe(0.3);
    expect(toPlain({ N: '0.30000000000000000001' })).toEqual({ $N: '0.30000000000000000001' });
  });
  it('reads a number the same whether its text prints back as itself (the fast path) or not', () => {
    const cases: [string, unknown][] = [
      ['42', 42], ['-7', -7], ['0', 0], ['1.5', 1.5], ['-0.25', -0.25],
      ['1.50', 1.5], ['1E+2', 100], ['-0', -0], ['0.0', 0], // other spellings of exact doubles (-0 as ever: JSON prints it 0)
      ['1000000000000000000000', 1e21], ['0.0000001', 1e-7], // the double prints with an exponent
      ['12345678901234567', { $N: '12345678901234567' }], ['1E+125', 1e125],
    ];
    for (const [text, plain] of cases) expect([text, toPlain({ N: text })]).toEqual([text, plain]);
  });
  it("keeps DynamoDB's largest numbers tagged: their double rounds past the range (1e+126)", () => {
    const largest = `99999999999999999999999999999999999999${'0'.repeat(88)}`;
    expect(toPlain({ N: largest })).toEqual({ $N: largest });
    expect(toPlain({ N: `-${largest}` })).toEqual({ $N: `-${largest}` });
  });

  it('writes a number as DynamoDB’s canonical text, integers (the fast path) and others alike', () => {
    const cases: [number, string][] = [
      [0, '0'], [-0, '0'], [42, '42'], [-7, '-7'], [Number.MAX_SAFE_INTEGER, '9007199254740991'], [-Number.MAX_SAFE_INTEGER, '-9007199254740991'],
      [2 ** 53, '9007199254740992'], [1e21, '1000000000000000000000'], [1.5, '1.5'], [1e-7, '0.0000001'], [-0.25, '-0.25'],
    ];
    for (const [plain, text] of cases) expect([plain, fromPlain(plain)]).toEqual([plain, { N: text }]);
  });
  it('de-duplicates sets and refuses what DynamoDB cannot hold, naming the path', () => {
    expect(fromPlain({ $SS: ['a', 'a'] })).toEqual({ SS: ['a'] });
    expect(() => fromPlainItem({ tags: { $SS: [] } })).toThrow(PlainValueError);
    expect(() => fromPlainItem({ tags: { $SS: [] } })).toThrow(/^tags: \$SS takes a non-empty list/);
    expect(() => fromPlain(Number.NaN)).toThrow(/not a number/);
    expect(() => fromPlain({ $B: 'not base64!' })).toThrow(/not base64/);
  });
  it('leaves maps with other keys as maps', () => {
    expect(fromPlain({ $SS: ['a'], other: 1 })).toEqual({ M: { $SS: { L: [{ S: 'a' }] }, other: { N: '1' } } });
  });
});
