import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../src/dynamodb/errors.js';
import type { Item } from '../../src/dynamodb/values.js';
import { checkItemSize, compareValues, emptyMap, equalValues, itemSize, MAX_ITEM_SIZE, normalizeValue, sameItem, UPDATED_ITEM_TOO_LARGE } from '../../src/dynamodb/value-ops.js';

const message = (run: () => unknown) => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof DynamoDBError ? error.message : String(error);
  }
};

describe('emptyMap: a map that inherits no names', () => {
  it('reads JavaScript names as absent and stores them as data, __proto__ included', () => {
    const map = emptyMap();
    expect(map['toString']).toBeUndefined();
    expect('constructor' in map).toBe(false);
    map['__proto__'] = { S: 'x' };
    map['hasOwnProperty'] = { N: '1' };
    expect(Object.keys(map)).toEqual(['__proto__', 'hasOwnProperty']);
    expect(JSON.stringify(map)).toBe('{"__proto__":{"S":"x"},"hasOwnProperty":{"N":"1"}}');
  });
  it('maps made one after the other share no attributes', () => {
    const a = emptyMap();
    a['x'] = { S: '1' };
    expect(Object.keys(emptyMap())).toEqual([]);
  });
});

describe('compareValues: DynamoDB order for S, N, B', () => {
  it('orders strings by UTF-8 bytes, so a character above the BMP sorts after U+FFFF', () => {
    expect(compareValues({ S: '😀' }, { S: '\uffff' })).toBe(1); // UTF-16 order would say -1
    expect(compareValues({ S: 'B' }, { S: 'a' })).toBe(-1);
    expect(compareValues({ S: 'ab' }, { S: 'a' })).toBe(1);
  });
  it('orders numbers numerically and binary bytewise', () => {
    expect(compareValues({ N: '10' }, { N: '9' })).toBe(1);
    expect(compareValues({ N: '-2.5' }, { N: '-2.4' })).toBe(-1);
    expect(compareValues({ B: 'AQI=' }, { B: 'AQID' })).toBe(-1);
  });
  it('does not compare across types or non-scalars', () => {
    expect(compareValues({ N: '1' }, { S: '1' })).toBeUndefined();
    expect(compareValues({ SS: ['a'] }, { SS: ['a'] })).toBeUndefined();
  });
});

describe('equalValues', () => {
  it('compares numbers by value, sets in any order, maps and lists deeply', () => {
    expect(equalValues({ N: '1.50' }, { N: '1.5' })).toBe(true);
    expect(equalValues({ NS: ['1', '2.0'] }, { NS: ['2', '1'] })).toBe(true);
    expect(equalValues({ L: [{ N: '1' }] }, { L: [{ N: '1' }, { N: '1' }] })).toBe(false);
    expect(equalValues({ M: { a: { S: 'x' } } }, { M: { a: { S: 'x' } } })).toBe(true);
    expect(equalValues({ M: { a: { S: 'x' } } }, { M: { b: { S: 'x' } } })).toBe(false);
    expect(equalValues({ S: '1' }, { N: '1' })).toBe(false);
  });
});

describe('normalizeValue: sets non-empty and without duplicates, numbers canonical (PutItem messages of Local)', () => {
  it.each([
    [{ SS: [] }, 'One or more parameter values were invalid: An string set  may not be empty'],
    [{ NS: [] }, 'One or more parameter values were invalid: An number set  may not be empty'],
    [{ BS: [] }, 'One or more parameter values were invalid: Binary sets should not be empty'],
    [{ SS: ['a', 'a'] }, 'One or more parameter values were invalid: Input collection [a, a] contains duplicates'],
    [{ NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
    [{ BS: ['AA==', 'AA=='] }, 'One or more parameter values were invalid: Input collection of type BS contains duplicates.'],
    [{ L: [{ N: 'abc' }] }, 'A value provided cannot be converted into a number'],
    [{ M: { y: { SS: [] } } }, 'One or more parameter values were invalid: An string set  may not be empty'],
  ])('%j', (value, text) => {
    expect(message(() => normalizeValue(value as never))).toBe(text);
  });
  it('canonicalises numbers inside sets, lists and maps', () => {
    expect(normalizeValue({ M: { a: { L: [{ N: '1.50' }, { NS: ['1e3'] }] } } })).toEqual({ M: { a: { L: [{ N: '1.5' }, { NS: ['1000'] }] } } });
  });
});

describe('itemSize: names plus values by DynamoDB rules', () => {
  it('counts strings and names in UTF-8 bytes', () => {
    expect(itemSize({ pk: { S: 'v' }, é: { S: '😀' } })).toBe(2 + 1 + 2 + 4);
  });
  it('counts numbers by significant digits, BOOL/NULL as 1, L/M with 3 bytes overhead, sets by elements', () => {
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ t: { BOOL: true }, z: { NULL: true } })).toBe(2 + 2);
    // a list or map: 3 bytes, and 1 more per element
    expect(itemSize({ l: { L: [{ S: 'ab' }] } })).toBe(1 + 3 + 2 + 1);
    expect(itemSize({ l: { L: [{ NULL: true }, { NULL: true }, { NULL: true }] } })).toBe(1 + 3 + 3 * (1 + 1));
    expect(itemSize({ m: { M: { k: { S: 'ab' } } } })).toBe(1 + 3 + 1 + 2 + 1);
    expect(itemSize({ m: { M: {} }, l: { L: [] } })).toBe(1 + 3 + 1 + 3);
    expect(itemSize({ s: { SS: ['a', 'bc'] }, b: { B: 'AQID' } })).toBe(1 + 3 + 1 + 3);
  });
  it('allows exactly 400 KB and rejects one byte more (as Local does for pk "v" and a string x)', () => {
    const item = (n: number) => ({ pk: { S: 'v' }, x: { S: 'x'.repeat(n) } });
    expect(itemSize(item(MAX_ITEM_SIZE - 4))).toBe(MAX_ITEM_SIZE);
    expect(() => checkItemSize(item(MAX_ITEM_SIZE - 4))).not.toThrow();
    expect(message(() => checkItemSize(item(MAX_ITEM_SIZE - 3)))).toBe('Item size has exceeded the maximum allowed size');
    expect(message(() => checkItemSize(item(MAX_ITEM_SIZE - 3), UPDATED_ITEM_TOO_LARGE))).toBe('Item size to update has exceeded the maximum allowed size');
  });
  it('refuses exactly the items over 400 KB, whatever they hold (multi-byte text, numbers, binary, sets, nesting)', () => {
    // sizes around the limit, where the quick bound of the check is not enough and the exact count decides
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.record({ S: fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀'), maxLength: 40 }) }),
        fc.record({ N: fc.constantFrom('1', '-0.5', '12345678901234567890123456789012345678', '1E+100', '0.000001') }),
        fc.record({ B: fc.constantFrom('AQID', 'AAAAAA==', '') }),
        fc.record({ NS: fc.constantFrom(['1', '22'], ['3.5']) }),
        fc.record({ L: fc.array(tie('v'), { maxLength: 3 }) }),
        fc.record({ M: fc.dictionary(fc.string({ maxLength: 3 }), tie('v'), { maxKeys: 3 }) }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), value, { maxKeys: 4 }), fc.integer({ min: -200, max: 200 }), fc.constantFrom(['x', 1], ['é', 2], ['€', 3], ['😀', 4]), (rest, slack, [unit, bytes]) => {
        const item = { ...rest, pad: { S: '' } } as Item;
        // pad the item to `slack` bytes from the limit, with characters of 1 to 4 bytes
        const padding = MAX_ITEM_SIZE - itemSize(item) - slack;
        fc.pre(padding >= 0);
        item.pad = { S: unit.repeat(Math.floor(padding / bytes)) + 'x'.repeat(padding % bytes) };
        const size = itemSize(item);
        if (size > MAX_ITEM_SIZE) expect(() => checkItemSize(item)).toThrow(/exceeded the maximum allowed size/);
        else expect(() => checkItemSize(item)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('sameItem: a write that changed nothing', () => {
  it('is true for equal items in any attribute order, sets in any order, nested maps; false for any difference', () => {
    const a = { Id: { S: 'A' }, n: { N: '1' }, m: { M: { x: { SS: ['p', 'q'] }, y: { L: [{ BOOL: true }] } } } };
    expect(sameItem(a, { m: { M: { y: { L: [{ BOOL: true }] }, x: { SS: ['q', 'p'] } } }, n: { N: '1' }, Id: { S: 'A' } })).toBe(true);
    expect(sameItem(a, { ...a, n: { N: '2' } })).toBe(false);
    expect(sameItem(a, { ...a, n: { S: '1' } })).toBe(false);
    expect(sameItem(a, { ...a, extra: { NULL: true } })).toBe(false);
    const { n: _n, ...fewer } = a;
    expect(sameItem(a, fewer)).toBe(false);
    expect(sameItem(a, { ...a, m: { M: { x: { SS: ['p'] }, y: { L: [{ BOOL: true }] } } } })).toBe(false);
  });
});
