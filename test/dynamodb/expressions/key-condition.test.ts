import { describe, expect, it } from 'vitest';
import { compileExpressions, keyConditionFor } from '../../../src/dynamodb/expressions/index.js';
import type { AttributeValue } from '../../../src/dynamodb/values.js';

const split = (expr: string, values: Record<string, AttributeValue>, names?: Record<string, string>) =>
  keyConditionFor(compileExpressions({ KeyConditionExpression: expr, ExpressionAttributeValues: values, ExpressionAttributeNames: names }).keyCondition!, {
    partitionKey: 'pk',
    sortKey: 'sk',
  });

describe('keyConditionFor', () => {
  it('partition key alone', () => {
    expect(split('pk = :p', { ':p': { S: 'a' } })).toEqual({ partition: { S: 'a' } });
  });
  it('each sort key operator, in either operand order', () => {
    const v = { ':p': { S: 'a' }, ':a': { N: '1' } };
    expect(split('pk = :p AND sk BETWEEN :a AND :b', { ...v, ':b': { N: '2' } }).sort).toEqual({ op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] });
    expect(split(':a < sk AND :p = pk', v).sort).toEqual({ op: '>', values: [{ N: '1' }] });
    expect(split('#k = :p AND begins_with(sk, :s)', { ':p': { S: 'a' }, ':s': { S: 'x' } }, { '#k': 'pk' }).sort).toEqual({ op: 'begins_with', values: [{ S: 'x' }] });
    for (const op of ['=', '<', '<=', '>', '>='] as const) expect(split(`pk = :p AND sk ${op} :a`, v).sort?.op).toBe(op);
  });
});
