import { describe, expect, it } from 'vitest';
import { Database } from '../../src/dynamodb/database.js';
import { deleteItem, getItem, putItem, updateItem } from '../../src/dynamodb/operations/items.js';
import { expiryOf, TtlIndex, TTL_MAX_AGE_SECONDS } from '../../src/dynamodb/ttl-index.js';

const S = (s: string) => ({ S: s });
const N = (n: number | string) => ({ N: String(n) });
const T0 = Date.UTC(2026, 0, 1); // ms
const t0 = T0 / 1000; // epoch seconds

function db(clock = { now: T0 }) {
  const database = new Database({ now: () => clock.now });
  database.createTable({ TableName: 'Sessions', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
  database.updateTimeToLive({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } });
  const put = (id: string, exp?: unknown) => putItem(database, { TableName: 'Sessions', Item: { id: S(id), ...(exp === undefined ? {} : { exp }) } });
  const has = (id: string) => getItem(database, { TableName: 'Sessions', Key: { id: S(id) } }).Item !== undefined;
  return { database, clock, put, has };
}

describe('Time to Live in the run time', () => {
  it('nextExpiry is the earliest due time in ms; expireDue deletes every item with exp <= now and returns how many', () => {
    const { database, clock, put, has } = db();
    expect(database.nextExpiry()).toBeUndefined();
    put('a', N(t0 + 10));
    put('b', N(t0 + 5));
    put('c', N(t0 + 10));
    put('d', N(t0 + 100));
    expect(database.nextExpiry()).toBe(T0 + 5000);
    clock.now = T0 + 4999;
    expect(database.expireDue()).toBe(0);
    clock.now = T0 + 5000; // exactly due
    expect(database.expireDue()).toBe(1);
    expect(has('b')).toBe(false);
    expect(database.nextExpiry()).toBe(T0 + 10_000);
    clock.now = T0 + 50_000;
    expect(database.expireDue()).toBe(2);
    expect([has('a'), has('c'), has('d')]).toEqual([false, false, true]);
    expect(database.nextExpiry()).toBe(T0 + 100_000);
  });

  it('follows rewrites: an extended, removed or non-number TTL attribute and a deleted item are not expired', () => {
    const { database, clock, put, has } = db();
    put('extended', N(t0 + 1));
    put('removed', N(t0 + 1));
    put('string', N(t0 + 1));
    put('deleted', N(t0 + 1));
    put('set', { NS: [String(t0 + 1)] });
    put('fraction', N(t0 + 1.5));
    updateItem(database, { TableName: 'Sessions', Key: { id: S('extended') }, UpdateExpression: 'SET exp = :e', ExpressionAttributeValues: { ':e': N(t0 + 1000) } });
    updateItem(database, { TableName: 'Sessions', Key: { id: S('removed') }, UpdateExpression: 'REMOVE exp' });
    put('string', S(String(t0 + 1)));
    deleteItem(database, { TableName: 'Sessions', Key: { id: S('deleted') } });
    clock.now = T0 + 1000;
    expect(database.expireDue()).toBe(0);
    clock.now = T0 + 2000;
    expect(database.expireDue()).toBe(1); // 'fraction'
    expect(['extended', 'removed', 'string', 'set'].map(has)).toEqual([true, true, true, true]);
    expect(database.nextExpiry()).toBe(T0 + 1_000_000);
  });

  it('leaves items whose expiry is more than five years in the past, as DynamoDB does', () => {
    const { database, put, has } = db();
    put('ancient', N(t0 - TTL_MAX_AGE_SECONDS - 1));
    put('old', N(t0 - TTL_MAX_AGE_SECONDS + 1));
    expect(database.nextExpiry()).toBe((t0 - TTL_MAX_AGE_SECONDS + 1) * 1000);
    expect(database.expireDue()).toBe(1);
    expect([has('ancient'), has('old')]).toEqual([true, false]);
    expect(database.nextExpiry()).toBeUndefined();
  });

  it('indexes the items already in a table when TTL is enabled, and nothing once disabled', () => {
    const clock = { now: T0 };
    const database = new Database({ now: () => clock.now });
    database.createTable({ TableName: 'Sessions', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    putItem(database, { TableName: 'Sessions', Item: { id: S('a'), exp: N(t0) } });
    expect(database.nextExpiry()).toBeUndefined();
    expect(database.expireDue()).toBe(0);
    database.updateTimeToLive({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } });
    expect(database.nextExpiry()).toBe(T0);
    // a change takes up to an hour, and another before then is refused (the API reference's words; it was taken)
    expect(() => database.updateTimeToLive({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled: false, AttributeName: 'exp' } })).toThrow(expect.objectContaining({ name: 'ValidationException', message: 'Time to live has been modified multiple times within a fixed interval' }));
    expect(database.nextExpiry()).toBe(T0);
    clock.now += 3_600_000;
    database.updateTimeToLive({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled: false, AttributeName: 'exp' } });
    expect(database.nextExpiry()).toBeUndefined();
    expect(database.expireDue()).toBe(0);
  });

  it('deletes through the write path with origin ttl, in expiry order', () => {
    const { database, clock, put } = db();
    const seen: [string, string][] = [];
    database.onChange((_table, key, _old, next, origin) => seen.push([(key.id as { S: string }).S, `${next === undefined ? 'delete' : 'put'}/${origin}`]));
    put('late', N(t0 + 2));
    put('early', N(t0 + 1));
    clock.now = T0 + 3000;
    database.expireDue();
    expect(seen).toEqual([
      ['late', 'put/request'],
      ['early', 'put/request'],
      ['early', 'delete/ttl'],
      ['late', 'delete/ttl'],
    ]);
  });
});

describe('TtlIndex', () => {
  it('reads only Number attributes as expiries', () => {
    expect(expiryOf(N('1700000000'))).toBe(1_700_000_000);
    expect(expiryOf(S('1700000000'))).toBeUndefined();
    expect(expiryOf({ NS: ['1'] })).toBeUndefined();
    expect(expiryOf(undefined)).toBeUndefined();
  });

  /** An index over a map of expiries standing for a table's items. */
  function indexOver(expiries: Map<string, number>) {
    const index = new TtlIndex((key) => expiries.get(key), () => expiries.entries());
    const set = (key: string, at: number | undefined) => {
      const before = expiries.get(key);
      if (at === undefined) expiries.delete(key);
      else expiries.set(key, at);
      index.set(key, before, at);
    };
    return { index, set };
  }

  it('keeps the earliest live entry on top through many rewrites (stale entries compacted)', () => {
    const expiries = new Map<string, number>();
    const { index, set } = indexOver(expiries);
    for (let round = 0; round < 5; round++) for (let i = 0; i < 1000; i++) set(`k${i}`, 10_000 - i - round);
    expect(index.size).toBe(1000);
    expect(index.peek()).toEqual({ at: 10_000 - 999 - 4, key: 'k999' });
    const order: number[] = [];
    for (let e = index.shift(); e !== undefined; e = index.shift()) {
      order.push(e.at);
      set(e.key, undefined); // expired: the table deletes it
    }
    expect(order).toHaveLength(1000);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(index.size).toBe(0);
  });

  it('skips entries of items rewritten or deleted since, and counts only items with an expiry', () => {
    const expiries = new Map<string, number>();
    const { index, set } = indexOver(expiries);
    set('a', 5);
    set('b', 7);
    set('a', 9); // a's entry at 5 is stale now
    set('b', undefined); // b is gone
    set('c', 6);
    expect(index.size).toBe(2);
    expect(index.shift()).toEqual({ at: 6, key: 'c' });
    expect(index.shift()).toEqual({ at: 9, key: 'a' });
    expect(index.shift()).toBeUndefined();
  });

  it('asks the table about its top once, and again after the top item is rewritten, deleted or popped', () => {
    const expiries = new Map<string, number>();
    const asked: string[] = [];
    const index = new TtlIndex(
      (key) => (asked.push(key), expiries.get(key)),
      () => expiries.entries(),
    );
    const set = (key: string, at: number | undefined) => {
      const before = expiries.get(key);
      if (at === undefined) expiries.delete(key);
      else expiries.set(key, at);
      index.set(key, before, at);
    };
    set('a', 5);
    set('b', 7); // not the top: a's entry still counts
    expect(index.peek()).toEqual({ at: 5, key: 'a' });
    expect(index.peek()).toEqual({ at: 5, key: 'a' });
    expect(asked).toEqual([]); // the entry pushed last became the top: it is a's expiry now
    set('a', 9); // the top's item moved on: its entry at 5 no longer counts
    expect(index.peek()).toEqual({ at: 7, key: 'b' });
    expect(asked).toEqual(['a', 'b']);
    expect(index.peek()).toEqual({ at: 7, key: 'b' });
    expect(asked).toEqual(['a', 'b']);
    set('b', undefined); // the top's item is gone
    expect(index.peek()).toEqual({ at: 9, key: 'a' });
    set('c', 1); // a new top
    expect(index.shift()).toEqual({ at: 1, key: 'c' });
    expect(index.peek()).toEqual({ at: 9, key: 'a' }); // popped: asked again
    expect(asked.slice(2)).toEqual(['b', 'a', 'a']);
  });
});
