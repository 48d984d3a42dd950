import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '../../src/app/item.js';
import { checkExpectation, checkRead, matchesSubset } from '../../src/check/expectations.js';
import type { RunCounts } from '../../src/trace/report.js';

type Attrs = Record<string, AttributeValue>;
const matches = (expected: Attrs, actual: Attrs) => matchesSubset(expected, actual);

// README "items: {Id: {...}}": every expected attribute is present with that value; nested maps
// match as subsets. Everything else (lists, sets, scalars, null) must be equal.
describe('matchesSubset', () => {
  const order: Attrs = {
    Id: 'ORDER#1',
    status: 'shipped',
    n: 3,
    paid: true,
    note: null,
    address: { city: 'Dublin', zip: 'D02', geo: { lat: 53.3, lon: -6.2 } },
    lines: [{ sku: 'a', qty: 1 }, 'gift'],
    tags: { $SS: ['gift', 'priority'] },
  };

  it('matches any subset of the attributes, the empty one included', () => {
    expect(matches({}, order)).toBe(true);
    expect(matches({ status: 'shipped', n: 3 }, order)).toBe(true);
    expect(matches(order, order)).toBe(true);
  });

  it('refuses a different value, a different type, or an attribute the item lacks', () => {
    expect(matches({ status: 'new' }, order)).toBe(false);
    expect(matches({ n: '3' }, order)).toBe(false);
    expect(matches({ paid: 1 }, order)).toBe(false);
    expect(matches({ missing: 'x' }, order)).toBe(false);
  });

  it('matches nested maps as subsets, at every depth', () => {
    expect(matches({ address: { city: 'Dublin' } }, order)).toBe(true);
    expect(matches({ address: { geo: { lat: 53.3 } } }, order)).toBe(true);
    expect(matches({ address: {} }, order)).toBe(true);
    expect(matches({ address: { city: 'Cork' } }, order)).toBe(false);
    expect(matches({ address: { geo: { lat: 53.3, alt: 10 } } }, order)).toBe(false);
    // A map is not a subset of a scalar, nor of a list.
    expect(matches({ status: {} }, order)).toBe(false);
    expect(matches({ lines: {} }, order)).toBe(false);
  });

  it('compares lists whole: same length, same order, and maps inside a list exactly', () => {
    expect(matches({ lines: [{ sku: 'a', qty: 1 }, 'gift'] }, order)).toBe(true);
    expect(matches({ lines: [{ qty: 1, sku: 'a' }, 'gift'] }, order)).toBe(true); // key order is no difference
    expect(matches({ lines: ['gift', { sku: 'a', qty: 1 }] }, order)).toBe(false);
    expect(matches({ lines: [{ sku: 'a', qty: 1 }] }, order)).toBe(false);
    expect(matches({ lines: [{ sku: 'a' }, 'gift'] }, order)).toBe(false);
  });

  it('compares a set (tagged $SS, sorted as the loader and the trace write it) whole, never as a subset', () => {
    expect(matches({ tags: { $SS: ['gift', 'priority'] } }, order)).toBe(true);
    expect(matches({ tags: { $SS: ['gift'] } }, order)).toBe(false);
    expect(matches({ tags: { $SS: ['gift', 'priority', 'tracked'] } }, order)).toBe(false);
    expect(matches({ tags: { $NS: ['gift', 'priority'] } }, order)).toBe(false);
    expect(matches({ tags: ['gift', 'priority'] }, order)).toBe(false);
  });

  it('reads an expected null as the NULL value, not as "absent"', () => {
    expect(matches({ note: null }, order)).toBe(true);
    expect(matches({ missing: null }, order)).toBe(false);
    expect(matches({ status: null }, order)).toBe(false);
    expect(matches({ note: 'x' }, order)).toBe(false);
  });

  it('sees only the item’s own attributes: names like constructor or __proto__ are data', () => {
    expect(matches({ constructor: 'x' }, order)).toBe(false);
    expect(matches({ toString: {} }, order)).toBe(false);
    // An inherited __proto__ is a map (Object.prototype) that every subset of nothing would match.
    expect(matches(JSON.parse('{"__proto__": {}}') as Attrs, order)).toBe(false);
    const item = JSON.parse('{"constructor": "x", "__proto__": {"a": 1}}') as Attrs; // both own keys
    expect(matches({ constructor: 'x' }, item)).toBe(true);
    expect(matches(JSON.parse('{"__proto__": {"a": 1}}') as Attrs, item)).toBe(true);
    expect(matches(JSON.parse('{"__proto__": {"a": 2}}') as Attrs, item)).toBe(false);
  });
});

// The model and DynamoDB answer an item's attributes in different orders: the `actual` a report
// shows must not depend on that (the JSON output is the same bytes on every backend).
describe('checkRead and checkExpectation', () => {
  const fromBackend = { Version: 1, Data: { b: 1, a: 2 }, Id: 'ORDER#1', IdempotencyKey: 'k' };
  const canonical = ['Id', 'Data', 'IdempotencyKey', 'Version'];

  it("show a read's actual item in the canonical order (Id first, then by name, nested maps too)", () => {
    const result = checkRead('read us-east-1 ORDER#1 (eventual)', { Version: 1 }, fromBackend, 0);
    expect(result.passed).toBe(true);
    expect(Object.keys(result.actual as object)).toEqual(canonical);
    expect(Object.keys((result.actual as { Data: object }).Data)).toEqual(['a', 'b']);
  });

  it("show an items expectation's actual item in the canonical order", () => {
    const [result] = checkExpectation({ items: { 'ORDER#1': { Version: 1 } } }, { items: { 'us-east-1': { 'ORDER#1': fromBackend } }, counts: {} as RunCounts }, { source: 'expectation' });
    expect(result!.passed).toBe(true);
    expect(Object.keys(result!.actual as object)).toEqual(canonical);
  });
});
