import { describe, expect, it } from 'vitest';
import { compileExpressions, project } from '../../../src/dynamodb/expressions/index.js';
import type { Item } from '../../../src/dynamodb/values.js';

const ITEM: Item = {
  Id: { S: 'a' },
  Data: { S: 'reserved' },
  L: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] },
  M: { M: { a: { L: [{ M: { x: { S: 'x' }, y: { S: 'y' } } }] }, b: { S: 'b' } } },
};

const projected = (expr: string, names?: Record<string, string>) => project(compileExpressions({ ProjectionExpression: expr, ExpressionAttributeNames: names }).projection!, ITEM);

describe('projections', () => {
  it('keeps the item shape for nested paths', () => {
    expect(projected('M.a[0].y, Id')).toEqual({ M: { M: { a: { L: [{ M: { y: { S: 'y' } } }] } } }, Id: { S: 'a' } });
  });
  it('closes up list elements in list order', () => {
    expect(projected('L[3], L[1]')).toEqual({ L: { L: [{ N: '1' }, { N: '3' }] } });
  });
  it('leaves out paths that lead nowhere; reserved names through placeholders', () => {
    expect(projected('Nope, L[9], M.b.c, #d', { '#d': 'Data' })).toEqual({ Data: { S: 'reserved' } });
  });
});
