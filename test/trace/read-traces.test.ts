import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../src/dynamodb/errors.js';
import { readTraces, type ReadContext } from '../../src/trace/read-traces.js';

/** Items named by their `Id` (S); `Other` is a second table, any other table none. */
const name: ReadContext['name'] = (table, keyOrItem) => {
  const id = (keyOrItem as { Id?: { S?: string } } | null)?.Id?.S;
  if (id === undefined || (table !== 'T' && table !== 'Other')) return undefined;
  return table === 'Other' ? { itemId: id, table: 'Other' } : { itemId: id };
};
const plain = (item: unknown) => Object.fromEntries(Object.entries(item as Record<string, { S: string }>).map(([k, v]) => [k, v.S]));
const ctx: ReadContext = { t: 7, region: 'eu-west-1', cause: 'e1', name, plain, primary: 'T' };
const key = (id: string) => ({ Id: { S: id } });

describe('readTraces: what a read request adds to the trace', () => {
  it('a BatchGetItem: one read per key asked, matched to the answer by key whatever its order; an unprocessed key was not read', () => {
    const input = { RequestItems: { T: { Keys: [key('a'), key('b'), key('c')], ConsistentRead: true }, Other: { Keys: [key('x')] } } };
    const answer = { Responses: { T: [{ Id: { S: 'b' }, v: { S: '2' } }], Other: [{ Id: { S: 'x' } }] }, UnprocessedKeys: { T: { Keys: [key('c')] } } };
    const events = readTraces('BatchGetItem', input, answer, ctx);
    expect(events.map((e) => [e.itemId, e.table ?? '-', e.consistency, e.item])).toEqual([
      ['a', '-', 'strong', null],
      ['b', '-', 'strong', { Id: 'b', v: '2' }],
      ['x', 'Other', 'eventual', { Id: 'x' }],
    ]);
    expect(events[0]).toEqual({ kind: 'read', t: 7, region: 'eu-west-1', consistency: 'strong', request: { operation: 'BatchGetItem', table: 'T' }, itemId: 'a', item: null, cause: 'e1' });
  });

  it('each item of a multi-item read takes the cause its key gives (an SQS batch: the record it names), else the request’s', () => {
    const causeOf = (k: unknown) => ((k as { Id: { S: string } }).Id.S === 'b' ? 'e2' : undefined);
    const events = readTraces('BatchGetItem', { RequestItems: { T: { Keys: [key('a'), key('b')] } } }, { Responses: { T: [] } }, { ...ctx, causeOf });
    expect(events.map((e) => [e.itemId, e.cause])).toEqual([
      ['a', 'e1'],
      ['b', 'e2'],
    ]);
    const gets = readTraces('TransactGetItems', { TransactItems: [{ Get: { TableName: 'T', Key: key('b') } }] }, { Responses: [{}] }, { ...ctx, causeOf });
    expect(gets.map((e) => e.cause)).toEqual(['e2']);
  });

  it('a BatchGetItem whose projection left the key out: the table’s keys are one read listing what came back (which key found it is unknown)', () => {
    const input = { RequestItems: { T: { Keys: [key('a'), key('b')], ProjectionExpression: 'v' } } };
    const events = readTraces('BatchGetItem', input, { Responses: { T: [{ v: { S: '2' } }] } }, ctx);
    expect(events).toEqual([{ kind: 'read', t: 7, region: 'eu-west-1', consistency: 'eventual', request: { operation: 'BatchGetItem', table: 'T', projection: 'v' }, itemId: 'T: a, b', item: null, items: [{ v: '2' }], cause: 'e1' }]);
  });

  it('a TransactGetItems: one strongly consistent read per Get, its answer in request order', () => {
    const input = { TransactItems: [{ Get: { TableName: 'T', Key: key('a'), ProjectionExpression: 'v' } }, { Get: { TableName: 'T', Key: key('b') } }] };
    const events = readTraces('TransactGetItems', input, { Responses: [{ Item: { v: { S: '1' } } }, {}] }, ctx);
    expect(events.map((e) => [e.itemId, e.consistency, e.item, e.request])).toEqual([
      ['a', 'strong', { v: '1' }, { operation: 'TransactGetItems', table: 'T', projection: 'v' }],
      ['b', 'strong', null, { operation: 'TransactGetItems', table: 'T' }],
    ]);
  });

  it('a refused read carries DynamoDB’s error on each item it named, even a key of no table the run has or of the wrong shape', () => {
    const refused = new DynamoDBError('ResourceNotFoundException', 'Cannot do operations on a non-existent table');
    const events = readTraces('TransactGetItems', { TransactItems: [{ Get: { TableName: 'T', Key: key('a') } }, { Get: { TableName: 'Nope', Key: { Pk: { N: '7' }, Sk: { S: 's' } } } }] }, refused, ctx);
    expect(events.map((e) => [e.itemId, e.table ?? '-', e.error, e.item])).toEqual([
      ['a', '-', { name: 'ResourceNotFoundException', message: 'Cannot do operations on a non-existent table' }, null],
      ['7|s', 'Nope', { name: 'ResourceNotFoundException', message: 'Cannot do operations on a non-existent table' }, null],
    ]);
    const wrongKey = readTraces('GetItem', { TableName: 'T', Key: { Other: { S: 'x' } } }, new DynamoDBError('ValidationException', 'The provided key element does not match the schema'), ctx);
    expect(wrongKey.map((e) => [e.itemId, e.error?.name])).toEqual([['x', 'ValidationException']]);
    // answered reads name only what the run has
    expect(readTraces('GetItem', { TableName: 'Nope', Key: key('a') }, {}, ctx)).toEqual([]);
  });

  it('a Query: one read labelled by its condition, with its items and the values it gave', () => {
    const input = { TableName: 'T', IndexName: 'ByKey', KeyConditionExpression: 'K = :k', ExpressionAttributeValues: { ':k': { S: 'k1' } } };
    const [event] = readTraces('Query', input, { Items: [{ Id: { S: 'a' } }] }, ctx);
    expect(event).toEqual({ kind: 'read', t: 7, region: 'eu-west-1', consistency: 'eventual', request: { operation: 'Query', table: 'T', index: 'ByKey', keyCondition: 'K = :k', values: { ':k': 'k1' } }, itemId: 'ByKey: K = :k', item: null, items: [{ Id: 'a' }], cause: 'e1' });
  });

  it('a Scan: one read per page, labelled by its table or index and its segment of a parallel scan, with its items (it was not traced)', async () => {
    const [page] = readTraces('Scan', { TableName: 'T', FilterExpression: 'v > :v', ExpressionAttributeValues: { ':v': { S: '1' } }, ConsistentRead: true }, { Items: [{ Id: { S: 'a' }, v: { S: '2' } }] }, ctx);
    expect(page).toEqual({ kind: 'read', t: 7, region: 'eu-west-1', consistency: 'strong', request: { operation: 'Scan', table: 'T', filter: 'v > :v', values: { ':v': '1' } }, itemId: 'T where v > :v', item: null, items: [{ Id: 'a', v: '2' }], cause: 'e1' });
    const [segment] = readTraces('Scan', { TableName: 'T', IndexName: 'ByKey', Segment: 1, TotalSegments: 4 }, { Items: [] }, ctx);
    expect([segment!.itemId, segment!.request, segment!.items]).toEqual(['ByKey (segment 1 of 4)', { operation: 'Scan', table: 'T', index: 'ByKey' }, []]);
    // Select COUNT: how many matched, not an empty list read as nothing found
    const [counted] = readTraces('Scan', { TableName: 'T', Select: 'COUNT' }, { Count: 5, ScannedCount: 5 }, ctx);
    expect([counted!.items, counted!.count]).toEqual([[], 5]);
    const { stepView } = await import('../../src/render/step-view.js');
    expect(stepView({ ...counted!, seq: 1 }).text).toBe('T (eventual) for e1 → count 5');
    const refused = readTraces('Scan', { TableName: 'Nope' }, new DynamoDBError('ResourceNotFoundException', 'Requested resource not found'), ctx);
    expect(refused.map((e) => [e.itemId, e.error?.name])).toEqual([['Nope', 'ResourceNotFoundException']]);
  });

  it('a request the substrate cannot read (values or a key that are not DynamoDB’s) is still traced, never thrown on', () => {
    const throwing: ReadContext = { ...ctx, name: () => { throw new TypeError('not a key'); }, plain: () => { throw new TypeError('not a value'); } };
    const refused = new DynamoDBError('ValidationException', 'bad');
    const [query] = readTraces('Query', { TableName: 'T', KeyConditionExpression: 'Id = :id', ExpressionAttributeValues: { ':id': {} } }, refused, throwing);
    expect(query?.request).toEqual({ operation: 'Query', table: 'T', keyCondition: 'Id = :id' });
    expect(readTraces('GetItem', { TableName: 'T', Key: { Id: { S: 'a' } } }, refused, throwing).map((e) => e.itemId)).toEqual(['a']);
    // no TableName: the scenario's table, as a real table's run reads it
    expect(readTraces('GetItem', { Key: key('a') }, { Item: { Id: { S: 'a' } } }, ctx).map((e) => [e.itemId, e.table])).toEqual([['a', undefined]]);
  });

  it('a read without a cause (a program’s, through geosim serve) has none', () => {
    const [event] = readTraces('GetItem', { TableName: 'T', Key: key('a') }, { Item: { Id: { S: 'a' } } }, { t: 1, region: 'us-east-1', name, plain, primary: 'T' });
    expect(event).toEqual({ kind: 'read', t: 1, region: 'us-east-1', consistency: 'eventual', request: { operation: 'GetItem', table: 'T' }, itemId: 'a', item: { Id: 'a' } });
  });
});
