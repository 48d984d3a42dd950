import { describe, expect, it } from 'vitest';
import { applyUpdate, compileExpressions } from '../../../src/dynamodb/expressions/index.js';
import type { AttributeValue, Item } from '../../../src/dynamodb/values.js';

const ITEM: Item = {
  Pk: { S: 'a' },
  Hits: { N: '1' },
  Tags: { SS: ['x', 'y'] },
  Lst: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] },
  Doc: { M: { n: { N: '1' } } },
};
const KEY = { Pk: { S: 'a' } };

const apply = (expr: string, values?: Record<string, AttributeValue>, item: Item | 'missing' = ITEM, names?: Record<string, string>) =>
  applyUpdate(compileExpressions({ UpdateExpression: expr, ExpressionAttributeValues: values, ExpressionAttributeNames: names }).update!, item === 'missing' ? undefined : item, KEY, ['Pk']);

describe('updates', () => {
  it('SET with placeholders and + / -, ADD on a counter', () => {
    const out = apply('SET #s = :s, Hits = Hits + :one ADD Doc.n :one', { ':s': { S: 'done' }, ':one': { N: '1' } }, ITEM, { '#s': 'Status' });
    expect(out.Status).toEqual({ S: 'done' });
    expect(out.Hits).toEqual({ N: '2' });
    expect(out.Doc).toEqual({ M: { n: { N: '2' } } });
  });

  it('reads every SET value from the item before the update', () => {
    const out = apply('SET Hits = :v, Prev = Hits', { ':v': { N: '9' } });
    expect(out.Prev).toEqual({ N: '1' });
    expect(out.Hits).toEqual({ N: '9' });
  });

  it('creates the item from its key when it does not exist', () => {
    expect(apply('SET Hits = if_not_exists(Hits, :z) + :one', { ':z': { N: '0' }, ':one': { N: '1' } }, 'missing')).toEqual({ Pk: { S: 'a' }, Hits: { N: '1' } });
  });

  it('list_append at either end; SET past the end appends', () => {
    expect(apply('SET Lst = list_append(:f, Lst)', { ':f': { L: [{ S: 'z' }] } }).Lst).toEqual({ L: [{ S: 'z' }, { S: 'a' }, { S: 'b' }, { S: 'c' }] });
    expect(apply('SET Lst[7] = :v', { ':v': { S: 'd' } }).Lst).toEqual({ L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] });
  });

  it('REMOVE list elements by their index before the update', () => {
    expect(apply('REMOVE Lst[0], Lst[2]').Lst).toEqual({ L: [{ S: 'b' }] });
    expect(Object.hasOwn(apply('REMOVE Nope, Doc.nope'), 'Hits')).toBe(true);
  });

  it('ADD and DELETE on sets; an emptied set goes away', () => {
    expect(apply('ADD Tags :t', { ':t': { SS: ['y', 'z'] } }).Tags).toEqual({ SS: ['x', 'y', 'z'] });
    expect(apply('DELETE Tags :t', { ':t': { SS: ['x'] } }).Tags).toEqual({ SS: ['y'] });
    expect(Object.hasOwn(apply('DELETE Tags :t', { ':t': { SS: ['x', 'y'] } }), 'Tags')).toBe(false);
  });

  it('leaves the input item unchanged and returns an item that inherits no names', () => {
    const before = JSON.stringify(ITEM);
    const out = apply('SET Doc.n = :v REMOVE Lst[0]', { ':v': { N: '5' } });
    expect(JSON.stringify(ITEM)).toBe(before);
    // emptyMap's prototype is itself prototype-less and empty: `toString`, `__proto__` are data or absent
    expect('toString' in out).toBe(false);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(out))).toBeNull();
  });

  it('shares what it does not change with the item and copies what it changes, however deep', () => {
    const item: Item = { Pk: { S: 'a' }, Doc: { M: { Xa: { M: { n: { N: '1' } } }, Xb: { M: { k: { S: 'x' } } } } }, Lst: { L: [{ L: [{ S: 'a' }] }, { S: 'b' }] } };
    const before = JSON.stringify(item);
    const once = applyUpdate(compileExpressions({ UpdateExpression: 'SET Doc.Xa.n = :v, Lst[0][1] = :s ADD Doc.Xa.c :v', ExpressionAttributeValues: { ':v': { N: '2' }, ':s': { S: 'z' } } }).update!, item, KEY, ['Pk']);
    const twice = applyUpdate(compileExpressions({ UpdateExpression: 'REMOVE Doc.Xa.n, Lst[0][0]' }).update!, once, KEY, ['Pk']);
    expect(JSON.stringify(item)).toBe(before);
    expect(JSON.stringify(once)).toBe('{"Pk":{"S":"a"},"Doc":{"M":{"Xa":{"M":{"n":{"N":"2"},"c":{"N":"2"}}},"Xb":{"M":{"k":{"S":"x"}}}}},"Lst":{"L":[{"L":[{"S":"a"},{"S":"z"}]},{"S":"b"}]}}');
    expect(JSON.stringify(twice)).toBe('{"Pk":{"S":"a"},"Doc":{"M":{"Xa":{"M":{"c":{"N":"2"}}},"Xb":{"M":{"k":{"S":"x"}}}}},"Lst":{"L":[{"L":[{"S":"z"}]},{"S":"b"}]}}');
    // untouched parts are the same objects, changed ones new
    expect((once.Doc as { M: Item }).M.Xb).toBe((item.Doc as { M: Item }).M.Xb);
    expect((once.Doc as { M: Item }).M.Xa).not.toBe((item.Doc as { M: Item }).M.Xa);
  });

  it('exact decimal arithmetic', () => {
    expect(apply('SET Hits = Hits + :v', { ':v': { N: '0.1' } }).Hits).toEqual({ N: '1.1' });
    expect(apply('SET Hits = Hits - :v', { ':v': { N: '0.30000000000000000000000000000000000001' } }).Hits).toEqual({ N: '0.69999999999999999999999999999999999999' });
  });
});
