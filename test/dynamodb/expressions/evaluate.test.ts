import { describe, expect, it } from 'vitest';
import { compileExpressions, evaluateCondition } from '../../../src/dynamodb/expressions/index.js';
import type { AttributeValue, Item } from '../../../src/dynamodb/values.js';

const ITEM: Item = {
  Pk: { S: 'a' },
  Version: { N: '3' },
  Tags: { SS: ['x', 'y'] },
  Doc: { M: { arr: { L: [{ N: '1' }, { M: { deep: { S: 'yes' } } }] } } },
};

const holds = (expr: string, values?: Record<string, AttributeValue>, item: Item | 'missing' = ITEM, names?: Record<string, string>) =>
  evaluateCondition(compileExpressions({ ConditionExpression: expr, ExpressionAttributeValues: values, ExpressionAttributeNames: names }).condition!, item === 'missing' ? undefined : item);

describe('conditions', () => {
  it('the usual optimistic-locking condition', () => {
    const expr = 'attribute_not_exists(Pk) OR Version < :v';
    expect(holds(expr, { ':v': { N: '4' } })).toBe(true);
    expect(holds(expr, { ':v': { N: '3' } })).toBe(false);
    expect(holds(expr, { ':v': { N: '0' } }, 'missing')).toBe(true);
  });

  it('precedence: NOT over AND over OR, parentheses first', () => {
    const t = { ':t': { N: '3' } };
    // true OR (false AND false) = true; (true OR false) AND false = false
    expect(holds('Version = :t OR Version < :t AND Version > :t', t)).toBe(true);
    expect(holds('(Version = :t OR Version < :t) AND Version > :t', t)).toBe(false);
    // (NOT false) AND true
    expect(holds('NOT Version > :t AND Version = :t', t)).toBe(true);
    expect(holds('NOT (Version > :t OR Version = :t)', t)).toBe(false);
  });

  it('nested paths, list indexes and placeholders', () => {
    expect(holds('#d.#l[1].deep = :v', { ':v': { S: 'yes' } }, ITEM, { '#d': 'Doc', '#l': 'arr' })).toBe(true);
    expect(holds('attribute_exists(Doc.arr[2])')).toBe(false);
    expect(holds('attribute_exists(Doc.arr[0].x)')).toBe(false);
  });

  it('comparisons with a missing attribute are false, except <>', () => {
    const v = { ':v': { N: '1' } };
    for (const op of ['=', '<', '<=', '>', '>=']) expect(holds(`Nope ${op} :v`, v)).toBe(false);
    expect(holds('Nope <> :v', v)).toBe(true);
    expect(holds('Nope IN (:v)', v)).toBe(false);
  });

  it('BETWEEN and IN', () => {
    expect(holds('Version BETWEEN :a AND :b', { ':a': { N: '3' }, ':b': { N: '3' } })).toBe(true);
    expect(holds('Pk IN (:a, :b)', { ':a': { S: 'b' }, ':b': { S: 'a' } })).toBe(true);
  });

  it('functions', () => {
    expect(holds('attribute_type(Tags, :t)', { ':t': { S: 'SS' } })).toBe(true);
    expect(holds('contains(Tags, :t) AND size(Tags) = :n', { ':t': { S: 'y' }, ':n': { N: '2' } })).toBe(true);
    expect(holds('begins_with(Pk, :p)', { ':p': { S: 'a' } })).toBe(true);
    expect(holds('size(Version) = :n', { ':n': { N: '1' } })).toBe(false);
  });
});
