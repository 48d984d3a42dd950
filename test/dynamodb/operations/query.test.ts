import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { failure, setup } from './setup.js';

async function seeded() {
  const s = await setup();
  for (const [pk, sk, g] of [['a', 1, 'x'], ['a', 2, undefined], ['a', 10, 'x'], ['b', 1, 'x']] as const) {
    await s.docs.send(new PutCommand({ TableName: 'Orders', Item: { pk, sk, ...(g ? { g } : {}) } }));
  }
  return s;
}

describe('Query / Scan', () => {
  // They answered items without the attribute ([{}]) or filtered on its absence: Local refuses, in these words
  it('refuses a projection or a Query filter naming an attribute a KEYS_ONLY or INCLUDE index does not project', async () => {
    const { endpoint } = await setup();
    endpoint.call('CreateTable', {
      TableName: 'Narrow',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: 'gidx', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        { IndexName: 'ginc', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['n'] } },
      ],
    });
    endpoint.call('PutItem', { TableName: 'Narrow', Item: { pk: { S: 'a' }, g: { S: 'x' }, n: { N: '1' }, s: { S: 'q' }, m: { M: { a: { N: '1' } } } } });
    const query = (index: string, extra: Record<string, unknown>, values: Record<string, unknown> = {}) => () =>
      endpoint.call('Query', { TableName: 'Narrow', IndexName: index, KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' }, ...values }, ...extra });
    expect(query('gidx', { ProjectionExpression: 'n, s, pk' })).toThrow('One or more parameter values were invalid: Global secondary index gidx does not project [s, n]');
    expect(query('gidx', { ProjectionExpression: 'm.a' })).toThrow('Global secondary index gidx does not project [m]');
    expect(query('ginc', { ProjectionExpression: 's' })).toThrow('Global secondary index ginc does not project [s]');
    expect(query('gidx', { FilterExpression: 'n > :n' }, { ':n': { N: '0' } })).toThrow('One or more parameter values were invalid: Secondary index gidx does not project one or more filter attributes: [n]');
    expect(() => endpoint.call('Scan', { TableName: 'Narrow', IndexName: 'gidx', ProjectionExpression: 'n' })).toThrow('Global secondary index gidx does not project [n]');
    // what the index holds answers
    expect(query('ginc', { ProjectionExpression: 'n, pk, g' })()).toMatchObject({ Items: [{ n: { N: '1' }, pk: { S: 'a' }, g: { S: 'x' } }] });
  });

  it('orders by sort key numerically, pages with Limit and LastEvaluatedKey, reverses', async () => {
    const { docs } = await seeded();
    const q = { TableName: 'Orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a' }, Limit: 2 };
    const first = await docs.send(new QueryCommand(q));
    expect(first.Items?.map((i) => i.sk)).toEqual([1, 2]);
    expect(first.LastEvaluatedKey).toEqual({ pk: 'a', sk: 2 });
    const second = await docs.send(new QueryCommand({ ...q, ExclusiveStartKey: first.LastEvaluatedKey }));
    expect(second.Items?.map((i) => i.sk)).toEqual([10]);
    expect(second.LastEvaluatedKey).toBeUndefined();
    const back = await docs.send(new QueryCommand({ ...q, Limit: undefined, ScanIndexForward: false }));
    expect(back.Items?.map((i) => i.sk)).toEqual([10, 2, 1]);
  });

  it('queries the GSI (items without its key are absent) and counts', async () => {
    const { docs } = await seeded();
    const r = await docs.send(new QueryCommand({ TableName: 'Orders', IndexName: 'ByG', KeyConditionExpression: 'g = :g AND sk < :s', ExpressionAttributeValues: { ':g': 'x', ':s': 5 }, Select: 'COUNT' }));
    expect(r).toMatchObject({ Count: 2, ScannedCount: 2 });
    expect(r.Items).toBeUndefined();
  });

  it('an index Query reaching Limit answers a LastEvaluatedKey even at the end of its range, an index Scan only when entries follow (as Local)', async () => {
    const { docs } = await seeded();
    const q = { TableName: 'Orders', IndexName: 'ByG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'x' }, Limit: 3 };
    for (const ScanIndexForward of [true, false]) {
      const r = await docs.send(new QueryCommand({ ...q, ScanIndexForward }));
      expect(r.Count).toBe(3);
      expect(r.LastEvaluatedKey).toEqual(ScanIndexForward ? { g: 'x', sk: 10, pk: 'a' } : { g: 'x', sk: 1, pk: 'a' });
      const next = await docs.send(new QueryCommand({ ...q, ScanIndexForward, ExclusiveStartKey: r.LastEvaluatedKey }));
      expect(next).toMatchObject({ Count: 0, ScannedCount: 0 });
      expect(next.LastEvaluatedKey).toBeUndefined();
    }
    const scan = await docs.send(new ScanCommand({ TableName: 'Orders', IndexName: 'ByG', Limit: 3 }));
    expect(scan.Count).toBe(3);
    expect(scan.LastEvaluatedKey).toBeUndefined();
  });

  it('errors as DynamoDB Local words them', async () => {
    const { docs } = await seeded();
    const base = { TableName: 'Orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a' } };
    expect(await failure(docs.send(new QueryCommand({ ...base, Limit: 0 })))).toMatchObject({ message: 'Limit must be greater than or equal to 1' });
    expect(await failure(docs.send(new QueryCommand({ ...base, IndexName: 'Nope' })))).toMatchObject({ message: 'The table does not have the specified index: Nope' });
    expect(await failure(docs.send(new QueryCommand({ ...base, FilterExpression: 'sk > :p' })))).toMatchObject({ message: 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk' });
    expect(await failure(docs.send(new QueryCommand({ ...base, ExclusiveStartKey: { pk: 'a' } })))).toMatchObject({ message: "Exclusive Start Key must have same size as table's key schema" });
    expect(await failure(docs.send(new ScanCommand({ TableName: 'Orders', Segment: 1 })))).toMatchObject({ message: 'If segment is specified, total segment must also be specified' });
  });

  it('Scan segments partition the table', async () => {
    const { docs } = await seeded();
    const all = await docs.send(new ScanCommand({ TableName: 'Orders' }));
    const parts = await Promise.all([0, 1, 2].map((Segment) => docs.send(new ScanCommand({ TableName: 'Orders', Segment, TotalSegments: 3 }))));
    expect(parts.reduce((n, p) => n + (p.Count ?? 0), 0)).toBe(all.Count);
    expect(all.Count).toBe(4);
  });

  it('reads a fractional Limit as its whole part, as DynamoDB Local does (Limit 1.5 answered 2 items)', async () => {
    const { docs } = await seeded();
    const page = await docs.send(new ScanCommand({ TableName: 'Orders', Limit: 1.5 }));
    expect([page.Count, page.LastEvaluatedKey !== undefined]).toEqual([1, true]);
  });

  it('a segment refuses a start key of another segment, as DynamoDB Local does (it answered an empty page, and the segment was skipped)', async () => {
    const { docs } = await seeded();
    const pages = await Promise.all([0, 1, 2].map((Segment) => docs.send(new ScanCommand({ TableName: 'Orders', Segment, TotalSegments: 3, Limit: 1 }))));
    const from = pages.findIndex((p) => p.LastEvaluatedKey !== undefined);
    expect(from).toBeGreaterThanOrEqual(0);
    const cursor = pages[from]!.LastEvaluatedKey!;
    const next = await docs.send(new ScanCommand({ TableName: 'Orders', Segment: from, TotalSegments: 3, ExclusiveStartKey: cursor }));
    expect(next.Items).toBeDefined();
    const other = (from + 1) % 3;
    expect(await failure(docs.send(new ScanCommand({ TableName: 'Orders', Segment: other, TotalSegments: 3, ExclusiveStartKey: cursor })))).toMatchObject({ name: 'ValidationException', message: 'Exclusive start key must lie within the segment' });
  });
});
