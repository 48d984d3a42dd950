import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../src/dynamodb/errors.js';
import { readTraces, type ItemNamer } from '../../src/trace/read-request.js';

/** Items named by their `Id` (S); `Other` is a second table, any other table none. */
const name: ItemNamer = (table, keyOrItem) => {
  const id = (keyOrItem as { Id?: { S?: string } } | null)?.Id?.S;
  if (id === undefined || (table !== 'T' && table !== 'Other')) return undefined;
  return table === 'Other' ? { itemId: id, table: 'Other' } : { itemId: id };
};
const plain = (item: unknown) => Object.fromEntries(Object.entries(item as Record<string, { S: string }>).map(([k, v]) => [k, v.S]));
const at = { t: 7, region: 'eu-west-1', cause: 'e1' };
const key = (id: string) => ({ Id: { S: id } });

describe('readTraces: what a read request adds to the trace', () => {
  it('a BatchGetItem: one read per key asked, matched to the answer by key whatever its order; an unprocessed key was not read', () => {
    const input = { RequestItems: { T: { Keys: [key('a'), key('b'), key('c')], ConsistentRead: true }, Other: { Keys: [key('x')] } } };
    const answer = { Responses: { T: [{ Id: { S: 'b' }, v: { S: '2' } }], Other: [{ Id: { S: 'x' } }] }, UnprocessedKeys: { T: { Keys: [key('c')] } } };
    const events = readTraces('BatchGetItem', input, answer, at, name, plain);
    expect(events.map((e) => [e.itemId, e.table ?? '-', e.consistency, e.item])).toEqual([
      ['a', '-', 'strong', null],
      ['b', '-', 'strong', { Id: 'b', v: '2' }],
      ['x', 'Other', 'eventual', { Id: 'x' }],
    ]);
    expect(events[0]).toEqual({ kind: 'read', t: 7, region: 'eu-west-1', consistency: 'strong', request: { operation: 'BatchGetItem', table: 'T' }, itemId: 'a', item: null, cause: 'e1' });
  });

  it('a BatchGetItem whose projection left the key out: the keys that matched nothing are not traced (which was found is unknown)', () => {
    const input = { RequestItems: { T: { Keys: [key('a'), key('b')], ProjectionExpression: 'v' } } };
    const events = readTraces('BatchGetItem', input, { Responses: { T: [{ v: { S: '2' } }] } }, at, name, plain);
    expect(events).toEqual([]);
  });

  it('a TransactGetItems: one strongly consistent read per Get, its answer in request order', () => {
    const input = { TransactItems: [{ Get: { TableName: 'T', Key: key('a'), ProjectionExpression: 'v' } }, { Get: { TableName: 'T', Key: key('b') } }] };
    const events = readTraces('TransactGetItems', input, { Responses: [{ Item: { v: { S: '1' } } }, {}] }, at, name, plain);
    expect(events.map((e) => [e.itemId, e.consistency, e.item, e.request])).toEqual([
      ['a', 'strong', { v: '1' }, { operation: 'TransactGetItems', table: 'T', projection: 'v' }],
      ['b', 'strong', null, { operation: 'TransactGetItems', table: 'T' }],
    ]);
  });

  it('a refused read carries DynamoDB’s error on each item it asked for; a GetItem of no table the run has is not traced', () => {
    const refused = new DynamoDBError('ValidationException', 'bad');
    const events = readTraces('TransactGetItems', { TransactItems: [{ Get: { TableName: 'T', Key: key('a') } }, { Get: { TableName: 'T', Key: key('b') } }] }, refused, at, name, plain);
    expect(events.map((e) => [e.itemId, e.error, e.item])).toEqual([
      ['a', { name: 'ValidationException', message: 'bad' }, null],
      ['b', { name: 'ValidationException', message: 'bad' }, null],
    ]);
    expect(readTraces('GetItem', { TableName: 'Nope', Key: key('a') }, {}, at, name, plain)).toEqual([]);
    expect(readTraces('Scan', { TableName: 'T' }, { Items: [] }, at, name, plain)).toEqual([]);
  });

  it('a read without a cause (a program’s, through geosim serve) has none', () => {
    const [event] = readTraces('GetItem', { TableName: 'T', Key: key('a') }, { Item: { Id: { S: 'a' } } }, { t: 1, region: 'us-east-1' }, name, plain);
    expect(event).toEqual({ kind: 'read', t: 1, region: 'us-east-1', consistency: 'eventual', request: { operation: 'GetItem', table: 'T' }, itemId: 'a', item: { Id: 'a' } });
  });
});
