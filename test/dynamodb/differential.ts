/**
 * The differential harness of the model's DynamoDB endpoint against DynamoDB Local: a fast-check
 * generator of operation sequences on a table with a sort key and a GSI, run through the same SDK
 * client code against both, and a comparison of what each answered (items, errors by name and
 * message, cancellation reasons, LastEvaluatedKey, ConsumedCapacity) and of the records the
 * table's stream holds after the sequence (`readStream`).
 */
import * as sdk from '@aws-sdk/client-dynamodb';
import * as streamsSdk from '@aws-sdk/client-dynamodb-streams';
import fc from 'fast-check';
import { createInProcessRequestHandler } from '../../src/dynamodb/sdk-request-handler.js';
import { ModelEndpoint } from '../../src/dynamodb/model-endpoint.js';

type Av = sdk.AttributeValue;
export interface Op {
  op: string;
  input: Record<string, unknown>;
  /** Query / Scan: follow LastEvaluatedKey up to this many pages. */
  pages?: number;
}

const CREDENTIALS = { accessKeyId: 'geosim', secretAccessKey: 'x' };

export function modelClient(now: () => number = () => 0): { client: sdk.DynamoDBClient; endpoint: ModelEndpoint } {
  const endpoint = new ModelEndpoint({ now });
  // DynamoDB Local takes a Time to Live change at once after another; the service (and the model)
  // refuses one within the hour. The harness lets the hour pass for TTL only, so the rest compares.
  const call = endpoint.call.bind(endpoint);
  endpoint.call = (operation, input) => {
    if (operation === 'UpdateTimeToLive' && typeof input.TableName === 'string') {
      const table = endpoint.database.tableIfExists(input.TableName);
      if (table !== undefined) table.ttlChangedAt = undefined;
    }
    return call(operation, input);
  };
  const client = new sdk.DynamoDBClient({ region: 'us-east-1', requestHandler: createInProcessRequestHandler({ endpointFor: () => endpoint }), credentials: CREDENTIALS });
  return { client, endpoint };
}

export function localClient(url: string): sdk.DynamoDBClient {
  return new sdk.DynamoDBClient({ region: 'us-east-1', endpoint: url, credentials: CREDENTIALS });
}

/** A DynamoDB Streams client on the model endpoint (in-process) or on DynamoDB Local (a URL). */
export function streamsClient(target: ModelEndpoint | string): streamsSdk.DynamoDBStreamsClient {
  return typeof target === 'string'
    ? new streamsSdk.DynamoDBStreamsClient({ region: 'us-east-1', endpoint: target, credentials: CREDENTIALS })
    : new streamsSdk.DynamoDBStreamsClient({ region: 'us-east-1', requestHandler: createInProcessRequestHandler({ endpointFor: () => target }), credentials: CREDENTIALS });
}

/** The table input of the differential with a NEW_AND_OLD_IMAGES stream, so streams are compared too. */
export function createStreamTableInput(name: string): sdk.CreateTableCommandInput {
  return { ...createTableInput(name), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } };
}

/**
 * Every record of a table's stream from TRIM_HORIZON, read `limit` at a time following
 * NextShardIterator, as comparable values: what differs by nature between two servers (eventID,
 * SequenceNumber, ApproximateCreationDateTime, awsRegion: Local says `ddblocal`) is left out, after
 * checking that sequence numbers increase.
 */
export async function readStream(client: sdk.DynamoDBClient, streams: streamsSdk.DynamoDBStreamsClient, table: string, limit: number): Promise<unknown[]> {
  const arn = (await client.send(new sdk.DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn;
  if (arn === undefined) throw new Error(`table ${table} has no stream`);
  const shard = (await streams.send(new streamsSdk.DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId;
  let iterator = (await streams.send(new streamsSdk.GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const out: unknown[] = [];
  let last = -1n;
  while (iterator !== undefined) {
    const page = await streams.send(new streamsSdk.GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    for (const r of page.Records ?? []) {
      const seq = BigInt(r.dynamodb!.SequenceNumber!);
      if (seq <= last) throw new Error(`stream sequence numbers do not increase: ${seq} after ${last}`);
      last = seq;
      const { eventID: _id, awsRegion: _region, ...record } = r;
      const { SequenceNumber: _seq, ApproximateCreationDateTime: _at, ...dynamodb } = r.dynamodb!;
      out.push(plain({ ...record, dynamodb }));
    }
    if ((page.Records ?? []).length === 0) break;
    iterator = page.NextShardIterator;
  }
  return out;
}

/** An on-demand table keyed by `pk` (S) and `sk` (N), nothing else. */
export function keyedTableInput(name: string): sdk.CreateTableCommandInput & { AttributeDefinitions: sdk.AttributeDefinition[] } {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  };
}

export function createTableInput(name: string): sdk.CreateTableCommandInput {
  const keyed = keyedTableInput(name);
  return {
    ...keyed,
    AttributeDefinitions: [...keyed.AttributeDefinitions, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'ByG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
  };
}

// ---- generator ----
const S = (s: string): Av => ({ S: s });
const N = (n: number | string): Av => ({ N: String(n) });
const pkArb = fc.constantFrom('a', 'b', 'c');
const skArb = fc.constantFrom(1, 2, 3, 10);
const keyArb = fc.record({ pk: pkArb.map(S), sk: skArb.map(N) });
const scalarArb: fc.Arbitrary<Av> = fc.oneof(
  fc.constantFrom('x', 'y', '', 'héllo').map(S),
  fc.constantFrom('0', '1', '-2.5', '12345678901234567890').map(N),
  fc.boolean().map((b) => ({ BOOL: b })),
  fc.constant({ NULL: true } as Av),
  fc.constantFrom('AQI=', 'AA==').map((b) => ({ B: Buffer.from(b, 'base64') }) as Av),
);
const valueArb: fc.Arbitrary<Av> = fc.oneof(
  { weight: 4, arbitrary: scalarArb },
  { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom('p', 'q', 'r'), { minLength: 1, maxLength: 3 }).map((SS) => ({ SS }) as Av) },
  // a negative number too: a stream record's SizeBytes counts it 1 byte more, in a set as elsewhere
  { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom('1', '2', '3.5', '-4'), { minLength: 1, maxLength: 3 }).map((NS) => ({ NS }) as Av) },
  { weight: 1, arbitrary: fc.array(scalarArb, { maxLength: 3 }).map((L) => ({ L }) as Av) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('x', 'y', 'z'), scalarArb, { maxKeys: 3 }).map((M) => ({ M }) as Av) },
);
const itemArb = fc
  .record(
    { key: keyArb, g: fc.option(fc.constantFrom('x', 'y').map(S), { nil: undefined }), attrs: fc.dictionary(fc.constantFrom('n', 's', 'm', 'l', 'ss', 'v'), valueArb, { maxKeys: 4 }) },
    { requiredKeys: ['key', 'attrs'] },
  )
  .map(({ key, g, attrs }) => ({ ...attrs, ...key, ...(g ? { g } : {}) }) as Record<string, Av>);
// 'NONE' is left out: DynamoDB Local answers ConsumedCapacity for it (the service does not), see docs/dynamodb-local-deviations.md
const capacityArb = fc.constantFrom(undefined, 'TOTAL', 'INDEXES');

const CONDITIONS: { expr: string; names?: Record<string, string>; values?: Record<string, Av> }[] = [
  { expr: 'attribute_not_exists(pk)' },
  { expr: 'attribute_exists(pk)' },
  { expr: 'n < :v', values: { ':v': N(5) } },
  { expr: '#s = :s OR attribute_not_exists(#s)', names: { '#s': 's' }, values: { ':s': S('x') } },
  { expr: 'size(l) > :z', values: { ':z': N(0) } },
  { expr: 'contains(ss, :p)', values: { ':p': S('p') } },
  { expr: 'begins_with(s, :h)', values: { ':h': S('h') } },
  { expr: 'attribute_type(v, :t)', values: { ':t': S('N') } },
  { expr: 'NOT n BETWEEN :lo AND :hi', values: { ':lo': N(0), ':hi': N(2) } },
  { expr: 'v IN (:a, :b)', values: { ':a': S('x'), ':b': N(1) } },
];
const conditionArb = fc.option(fc.constantFrom(...CONDITIONS), { nil: undefined });

const UPDATES: { expr: string; names?: Record<string, string>; values?: Record<string, Av> }[] = [
  { expr: 'SET n = if_not_exists(n, :zero) + :one', values: { ':zero': N(0), ':one': N(1) } },
  { expr: 'SET #s = :s', names: { '#s': 's' }, values: { ':s': S('y') } },
  { expr: 'ADD ss :ss', values: { ':ss': { SS: ['p', 'z'] } } },
  { expr: 'DELETE ss :ss', values: { ':ss': { SS: ['p'] } } },
  { expr: 'REMOVE s, v' },
  { expr: 'SET l = list_append(if_not_exists(l, :e), :l)', values: { ':e': { L: [] }, ':l': { L: [N(7)] } } },
  { expr: 'SET m.x = :v', values: { ':v': S('deep') } },
  { expr: 'ADD n :v', values: { ':v': N('0.5') } },
  { expr: 'SET g = :g', values: { ':g': S('y') } },
  { expr: 'REMOVE g' },
  { expr: 'SET v = n - :one', values: { ':one': N(1) } },
  { expr: 'ADD s :one', values: { ':one': N(1) } },
];

// Legacy parameters (Expected, AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter, ScanFilter,
// ConditionalOperator): the model rewrites them as expressions (src/dynamodb/legacy.ts). Every
// AttributeUpdates entry names its Action: Local ignores an entry without one (the service PUTs it),
// see docs/dynamodb-local-deviations.md.
type Conditions = Record<string, Record<string, unknown>>;
const LEGACY_EXPECTED: Conditions[] = [
  { pk: { Exists: false } },
  { n: { Value: N(1) } },
  { n: { Exists: true, Value: N(1) }, s: { Exists: false } },
  { n: { ComparisonOperator: 'LT', AttributeValueList: [N(5)] } },
  { s: { ComparisonOperator: 'NE', AttributeValueList: [S('x')] } },
  { ss: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('p')] } },
  { ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('p')] }, v: { ComparisonOperator: 'NULL' } },
  { s: { ComparisonOperator: 'BEGINS_WITH', Value: S('h') } },
  { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(0), N(2)] } },
  { v: { ComparisonOperator: 'IN', AttributeValueList: [N(1), N('-2.5')] } },
  { l: { ComparisonOperator: 'NOT_NULL' } },
];
const LEGACY_FILTERS: Conditions[] = [
  { n: { ComparisonOperator: 'GE', AttributeValueList: [N(0)] } },
  { ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('q')] } },
  { s: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('x')] }, v: { ComparisonOperator: 'NOT_NULL' } },
  { v: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } },
];
const LEGACY_UPDATES: Conditions[] = [
  { n: { Action: 'ADD', Value: N(1) } },
  { s: { Action: 'PUT', Value: S('y') }, v: { Action: 'DELETE' } },
  { ss: { Action: 'ADD', Value: { SS: ['p', 'z'] } } },
  { ss: { Action: 'DELETE', Value: { SS: ['p'] } } },
  { l: { Action: 'ADD', Value: { L: [N(7)] } } },
  { g: { Action: 'PUT', Value: S('x') } },
  { s: { Action: 'ADD', Value: N(1) } },
  {},
];
const legacyConditionArb = fc.option(
  fc.constantFrom(...LEGACY_EXPECTED).chain((expected) => (Object.keys(expected).length > 1 ? fc.constantFrom<Record<string, unknown>>({ Expected: expected }, { Expected: expected, ConditionalOperator: 'OR' }) : fc.constant({ Expected: expected }))),
  { nil: undefined },
);

function withExpressions(input: Record<string, unknown>, parts: ({ expr: string; names?: Record<string, string>; values?: Record<string, Av> } & { field: string })[]): Record<string, unknown> {
  const names: Record<string, string> = {};
  const values: Record<string, Av> = {};
  for (const p of parts) {
    input[p.field] = p.expr;
    Object.assign(names, p.names);
    Object.assign(values, p.values);
  }
  if (Object.keys(names).length > 0) input.ExpressionAttributeNames = names;
  if (Object.keys(values).length > 0) input.ExpressionAttributeValues = values;
  return input;
}

/** The item a transaction entry addresses (entries on one item are left out: see the Local deviation on duplicates). */
function entryKey(entry: Record<string, unknown>): string {
  const body = Object.values(entry)[0] as { Key?: Record<string, Av>; Item?: Record<string, Av> };
  const key = body.Key ?? body.Item!;
  return JSON.stringify([key.pk, key.sk]);
}

/**
 * Makes the generator's ClientRequestTokens unique to one run: DynamoDB Local remembers a token for
 * 10 minutes across tables, the model's fresh endpoint of each run does not.
 */
export function tokensOfRun(ops: Op[], run: number): Op[] {
  return ops.map((o) => (typeof o.input.ClientRequestToken === 'string' ? { ...o, input: { ...o.input, ClientRequestToken: `${o.input.ClientRequestToken}-${run}` } } : o));
}

export function opArb(table: string): fc.Arbitrary<Op> {
  const put = fc.record({ item: itemArb, cond: conditionArb, rv: fc.constantFrom('NONE', 'ALL_OLD'), fail: fc.boolean(), cap: capacityArb }).map(({ item, cond, rv, fail, cap }) => ({
    op: 'PutItem',
    input: withExpressions({ TableName: table, Item: item, ReturnValues: rv, ReturnConsumedCapacity: cap, ...(fail ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } : {}) }, cond ? [{ ...cond, field: 'ConditionExpression' }] : []),
  }));
  const update = fc
    .record({ key: keyArb, upd: fc.constantFrom(...UPDATES), cond: conditionArb, rv: fc.constantFrom('NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'), cap: capacityArb })
    .map(({ key, upd, cond, rv, cap }) => {
      const parts = [{ ...upd, field: 'UpdateExpression' }];
      // placeholders shared by name: keep the condition only when it does not clash
      if (cond && !Object.keys(cond.values ?? {}).some((k) => Object.hasOwn(upd.values ?? {}, k))) parts.push({ ...cond, field: 'ConditionExpression' });
      return { op: 'UpdateItem', input: withExpressions({ TableName: table, Key: key, ReturnValues: rv, ReturnConsumedCapacity: cap }, parts) };
    });
  const del = fc.record({ key: keyArb, cond: conditionArb, rv: fc.constantFrom('NONE', 'ALL_OLD'), cap: capacityArb }).map(({ key, cond, rv, cap }) => ({
    op: 'DeleteItem',
    input: withExpressions({ TableName: table, Key: key, ReturnValues: rv, ReturnConsumedCapacity: cap }, cond ? [{ ...cond, field: 'ConditionExpression' }] : []),
  }));
  const get = fc.record({ key: keyArb, proj: fc.constantFrom(undefined, 'pk, n', 'm.x, l[0]'), consistent: fc.boolean(), cap: capacityArb }).map(({ key, proj, consistent, cap }) => ({
    op: 'GetItem',
    input: { TableName: table, Key: key, ConsistentRead: consistent, ReturnConsumedCapacity: cap, ...(proj ? { ProjectionExpression: proj } : {}) },
  }));
  const query = fc
    .record({
      index: fc.boolean(),
      p: pkArb,
      g: fc.constantFrom('x', 'y'),
      sort: fc.constantFrom(undefined, 'sk > :s', 'sk BETWEEN :s AND :t', 'sk = :s'),
      filter: fc.boolean(),
      limit: fc.constantFrom(undefined, 1, 2),
      forward: fc.boolean(),
      cap: capacityArb,
      count: fc.boolean(),
    })
    .map(({ index, p, g, sort, filter, limit, forward, cap, count }) => {
      const partition = index ? 'g = :p' : 'pk = :p';
      const values: Record<string, Av> = { ':p': S(index ? g : p) };
      if (sort) values[':s'] = N(1);
      if (sort?.includes(':t')) values[':t'] = N(3);
      if (filter) values[':f'] = N(0);
      const input: Record<string, unknown> = {
        TableName: table,
        KeyConditionExpression: sort ? `${partition} AND ${sort}` : partition,
        ExpressionAttributeValues: values,
        ScanIndexForward: forward,
        ReturnConsumedCapacity: cap,
      };
      if (index) input.IndexName = 'ByG';
      if (filter) input.FilterExpression = 'attribute_exists(n) OR n > :f';
      if (limit) input.Limit = limit;
      if (count) input.Select = 'COUNT';
      return { op: 'Query', input, pages: 20 };
    });
  const scan = fc.record({ limit: fc.constantFrom(undefined, 2, 5), index: fc.boolean(), cap: capacityArb }).map(({ limit, index, cap }) => ({
    op: 'Scan',
    input: { TableName: table, ReturnConsumedCapacity: cap, ...(limit ? { Limit: limit } : {}), ...(index ? { IndexName: 'ByG' } : {}) },
    pages: 50,
  }));
  const batchWrite = fc.array(fc.oneof(itemArb.map((Item) => ({ PutRequest: { Item } })), keyArb.map((Key) => ({ DeleteRequest: { Key } }))), { minLength: 1, maxLength: 4 }).chain((requests) =>
    capacityArb.map((cap) => ({ op: 'BatchWriteItem', input: { RequestItems: { [table]: requests }, ReturnConsumedCapacity: cap } })),
  );
  const batchGet = fc.record({ keys: fc.array(keyArb, { minLength: 1, maxLength: 4 }), cap: capacityArb }).map(({ keys, cap }) => ({ op: 'BatchGetItem', input: { RequestItems: { [table]: { Keys: keys } }, ReturnConsumedCapacity: cap } }));
  const transactEntry = fc.oneof(
    fc.record({ item: itemArb, cond: conditionArb }).map(({ item, cond }) => ({ Put: withExpressions({ TableName: table, Item: item }, cond ? [{ ...cond, field: 'ConditionExpression' }] : []) })),
    fc.record({ key: keyArb, upd: fc.constantFrom(...UPDATES) }).map(({ key, upd }) => ({ Update: withExpressions({ TableName: table, Key: key }, [{ ...upd, field: 'UpdateExpression' }]) })),
    fc.record({ key: keyArb, cond: conditionArb }).map(({ key, cond }) => ({ Delete: withExpressions({ TableName: table, Key: key }, cond ? [{ ...cond, field: 'ConditionExpression' }] : []) })),
    fc.record({ key: keyArb, cond: fc.constantFrom(...CONDITIONS), fail: fc.boolean() }).map(({ key, cond, fail }) => ({
      ConditionCheck: withExpressions({ TableName: table, Key: key, ...(fail ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } : {}) }, [{ ...cond, field: 'ConditionExpression' }]),
    })),
  );
  const transactWrite = fc.record({ items: fc.uniqueArray(transactEntry, { minLength: 1, maxLength: 3, selector: entryKey }), cap: capacityArb }).map(({ items, cap }) => ({ op: 'TransactWriteItems', input: { TransactItems: items, ReturnConsumedCapacity: cap } }));
  const transactGet = fc.record({ keys: fc.uniqueArray(keyArb, { minLength: 1, maxLength: 3, selector: (k) => JSON.stringify(k) }), cap: capacityArb }).map(({ keys, cap }) => ({
    op: 'TransactGetItems',
    input: { TransactItems: keys.map((Key) => ({ Get: { TableName: table, Key } })), ReturnConsumedCapacity: cap },
  }));
  const invalid = fc.constantFrom<Op>(
    { op: 'GetItem', input: { TableName: table, Key: { pk: S('a') } } },
    { op: 'GetItem', input: { TableName: table, Key: { pk: S('a'), sk: S('1') } } },
    { op: 'GetItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1), x: S('1') } } },
    { op: 'GetItem', input: { TableName: table, Key: { pk: S('a'), other: N(1) } } },
    { op: 'GetItem', input: { TableName: table, Key: { pk: S('a'), sk: { L: [N(1)] } } } },
    { op: 'TransactWriteItems', input: { TransactItems: [{ Put: { TableName: table, Item: { pk: S('a'), sk: N(1), g: { M: {} } } } }, { Put: { TableName: table, Item: { pk: S('a'), sk: N(2) }, ConditionExpression: 'attribute_exists(pk)' } }] } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a') } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S(''), sk: N(1) } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1), g: N(1) } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, ReturnValues: 'ALL_NEW' } },
    { op: 'PutItem', input: { TableName: 'Missing', Item: { pk: S('a'), sk: N(1) } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, ConditionExpression: 'n = :v' } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, UpdateExpression: 'SET sk = :v', ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, UpdateExpression: 'SET n = :v', ExpressionAttributeValues: { ':v': N(1), ':w': N(2) } } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, UpdateExpression: 'SET n = :v, n = :v', ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, UpdateExpression: 'SET g = :v', ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'DeleteItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, ReturnValues: 'ALL_NEW' } },
    { op: 'Query', input: { TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Limit: 0 } },
    { op: 'Query', input: { TableName: table, IndexName: 'Nope', KeyConditionExpression: 'g = :p', ExpressionAttributeValues: { ':p': S('a') } } },
    { op: 'Query', input: { TableName: table, KeyConditionExpression: 'pk = :p', FilterExpression: 'sk = :p', ExpressionAttributeValues: { ':p': S('a') } } },
    { op: 'Query', input: { TableName: table, KeyConditionExpression: 'pk < :p', ExpressionAttributeValues: { ':p': S('a') } } },
    { op: 'Query', input: { TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': N(1) } } },
    { op: 'Scan', input: { TableName: table, Segment: 1 } },
    { op: 'Scan', input: { TableName: table, Segment: 2, TotalSegments: 2 } },
    { op: 'TransactWriteItems', input: { TransactItems: [{ Put: { TableName: table, Item: { pk: S('a'), sk: N(1) } } }, { Delete: { TableName: table, Key: { pk: S('a'), sk: N(1) } } }] } },
    { op: 'BatchWriteItem', input: { RequestItems: { [table]: [{ PutRequest: { Item: { pk: S('a'), sk: N(1) } } }, { DeleteRequest: { Key: { pk: S('a'), sk: N(1) } } }] } } },
    { op: 'BatchGetItem', input: { RequestItems: { [table]: { Keys: [{ pk: S('a'), sk: N(1) }, { pk: S('a'), sk: N(1) }] } } } },
    // names or values without an expression that could use them (stray-placeholders.ts); empty maps beside none are accepted
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, ExpressionAttributeNames: {}, ExpressionAttributeValues: {} } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'DeleteItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, ExpressionAttributeNames: { '#n': 'n' } } },
    { op: 'GetItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, ExpressionAttributeNames: {} } },
    { op: 'Query', input: { TableName: table, ProjectionExpression: 'pk', ExpressionAttributeValues: { ':v': S('a') } } },
    { op: 'Scan', input: { TableName: table, ProjectionExpression: 'pk', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':v': S('a') } } },
    { op: 'TransactWriteItems', input: { TransactItems: [{ Delete: { TableName: table, Key: { pk: S('a'), sk: N(1) }, ExpressionAttributeValues: { ':v': N(1) } } }] } },
    { op: 'TransactGetItems', input: { TransactItems: [{ Get: { TableName: table, Key: { pk: S('a'), sk: N(1) }, ExpressionAttributeNames: { '#n': 'n' } } }] } },
    { op: 'BatchGetItem', input: { RequestItems: { [table]: { Keys: [{ pk: S('a'), sk: N(1) }], ExpressionAttributeNames: { '#n': 'n' } } } } },
    { op: 'DescribeTimeToLive', input: { TableName: table } },
    { op: 'UpdateTimeToLive', input: { TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'n' } } },
    { op: 'UpdateTimeToLive', input: { TableName: table, TimeToLiveSpecification: { Enabled: false, AttributeName: 'n' } } },
    { op: 'DescribeTable', input: { TableName: 'Missing' } },
    { op: 'DeleteTable', input: { TableName: 'Missing' } },
  );
  // ClientRequestToken: the same token and request again writes nothing and answers the
  // ConsumedCapacity it asks for (of reading the item); the same token with another request is
  // IdempotentParameterMismatchException.
  const tokenEntries = (n: number) => [{ Update: { TableName: table, Key: { pk: S('t'), sk: N(n) }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': N(1) } } }];
  const tokened = fc.constantFrom<Op>(
    { op: 'TransactWriteItems', input: { TransactItems: tokenEntries(1), ClientRequestToken: 'token-a' } },
    { op: 'TransactWriteItems', input: { TransactItems: tokenEntries(2), ClientRequestToken: 'token-a' } },
    { op: 'TransactWriteItems', input: { TransactItems: tokenEntries(1), ClientRequestToken: 'token-b' } },
    { op: 'TransactWriteItems', input: { TransactItems: tokenEntries(1), ClientRequestToken: 'token-a', ReturnConsumedCapacity: 'TOTAL' } },
    { op: 'TransactWriteItems', input: { TransactItems: tokenEntries(1), ClientRequestToken: 'token-b', ReturnConsumedCapacity: 'INDEXES' } },
  );
  const legacyWrite = fc
    .record({ kind: fc.constantFrom('PutItem', 'UpdateItem', 'DeleteItem'), item: itemArb, key: keyArb, cond: legacyConditionArb, upd: fc.constantFrom(...LEGACY_UPDATES), rv: fc.constantFrom('NONE', 'ALL_OLD') })
    .map(({ kind, item, key, cond, upd, rv }) => ({
      op: kind,
      input: { TableName: table, ...(kind === 'PutItem' ? { Item: item } : { Key: key }), ...(kind === 'UpdateItem' ? { AttributeUpdates: upd, ReturnValues: 'ALL_NEW' } : { ReturnValues: rv }), ...(cond ?? {}) },
    }));
  const legacyRead = fc
    .record({ kind: fc.constantFrom('GetItem', 'Query', 'Scan', 'BatchGetItem'), key: keyArb, attrs: fc.constantFrom(undefined, ['pk', 'n'], ['s', 'ss', 'zz']), filter: fc.option(fc.constantFrom(...LEGACY_FILTERS), { nil: undefined }), or: fc.boolean(), sort: fc.constantFrom(undefined, 'GT', 'BETWEEN', 'EQ', 'LE') })
    .map(({ kind, key, attrs, filter, or, sort }): Op => {
      const project = attrs ? { AttributesToGet: attrs } : {};
      const filtered = (name: string) => (filter ? { [name]: filter, ...(or && Object.keys(filter).length > 1 ? { ConditionalOperator: 'OR' } : {}) } : {});
      if (kind === 'GetItem') return { op: kind, input: { TableName: table, Key: key, ...project } };
      if (kind === 'BatchGetItem') return { op: kind, input: { RequestItems: { [table]: { Keys: [key], ...project } } } };
      if (kind === 'Scan') return { op: kind, input: { TableName: table, ...project, ...filtered('ScanFilter') }, pages: 50 };
      const conditions: Conditions = { pk: { ComparisonOperator: 'EQ', AttributeValueList: [key.pk] } };
      if (sort) conditions.sk = { ComparisonOperator: sort, AttributeValueList: sort === 'BETWEEN' ? [N(1), N(3)] : [N(1)] };
      return { op: kind, input: { TableName: table, KeyConditions: conditions, ...project, ...filtered('QueryFilter') }, pages: 20 };
    });
  const legacyInvalid = fc.constantFrom<Op>(
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, Expected: { n: { Value: N(1) } }, ConditionExpression: 'attribute_exists(n)' } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, Expected: { n: { Exists: false, Value: N(1) } } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, Expected: { n: { Exists: true } } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, Expected: { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(1)] } } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, Expected: { n: { ComparisonOperator: 'LT', AttributeValueList: [{ SS: ['a'] }] } } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, Expected: { n: { ComparisonOperator: 'IN', AttributeValueList: [N(1), S('1')] } } } },
    { op: 'PutItem', input: { TableName: table, Item: { pk: S('a'), sk: N(1) }, ConditionalOperator: 'OR' } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, AttributeUpdates: { sk: { Action: 'PUT', Value: N(2) } } } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, AttributeUpdates: { n: { Action: 'ADD', Value: S('x') } } } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, AttributeUpdates: { n: { Action: 'PUT' } } } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, AttributeUpdates: { n: { Action: 'ADD', Value: N(1) } }, UpdateExpression: 'SET n = :v', ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'GetItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, AttributesToGet: ['n', 'n'] } },
    { op: 'Query', input: { TableName: table, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } }, QueryFilter: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [N(1)] } } } },
    { op: 'Scan', input: { TableName: table, AttributesToGet: ['n'], Select: 'ALL_ATTRIBUTES' } },
    { op: 'Scan', input: { TableName: table, ScanFilter: { n: { ComparisonOperator: 'NULL' } }, ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'Query', input: { TableName: table, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } }, ExpressionAttributeValues: { ':v': N(1) } } },
    { op: 'UpdateItem', input: { TableName: table, Key: { pk: S('a'), sk: N(1) }, AttributeUpdates: { n: { Action: 'PUT', Value: N(1) } }, ExpressionAttributeValues: { ':v': N(1) } } },
  );
  return fc.oneof(
    { weight: 6, arbitrary: put },
    { weight: 6, arbitrary: update },
    { weight: 2, arbitrary: del },
    { weight: 3, arbitrary: get },
    { weight: 4, arbitrary: query },
    { weight: 2, arbitrary: scan },
    { weight: 2, arbitrary: batchWrite },
    { weight: 1, arbitrary: batchGet },
    { weight: 3, arbitrary: transactWrite },
    { weight: 1, arbitrary: transactGet },
    { weight: 3, arbitrary: invalid },
    { weight: 1, arbitrary: tokened },
    { weight: 3, arbitrary: legacyWrite },
    { weight: 2, arbitrary: legacyRead },
    { weight: 1, arbitrary: legacyInvalid },
  );
}

// ---- running and comparing ----
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $b64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (k === '$metadata' || (value as Record<string, unknown>)[k] === undefined) continue;
      let v = plain((value as Record<string, unknown>)[k]);
      if ((k === 'SS' || k === 'NS' || k === 'BS') && Array.isArray(v)) v = [...v].map((x) => JSON.stringify(x)).sort();
      out[k] = v;
    }
    return out;
  }
  return value;
}

export type Outcome = { ok: unknown } | { error: string; message: string; extra?: unknown };

async function send(client: sdk.DynamoDBClient, op: string, input: Record<string, unknown>): Promise<Outcome> {
  const Command = (sdk as unknown as Record<string, new (i: unknown) => Parameters<sdk.DynamoDBClient['send']>[0]>)[`${op}Command`]!;
  try {
    return { ok: plain(await client.send(new Command(input))) };
  } catch (error) {
    const e = error as Error & { CancellationReasons?: unknown; Item?: unknown; $metadata?: unknown };
    if (e.$metadata === undefined) throw error;
    const extra = plain({ CancellationReasons: e.CancellationReasons, Item: e.Item });
    return { error: e.name, message: e.message, ...(Object.keys(extra as object).length > 0 ? { extra } : {}) };
  }
}

/** Runs one operation (following pages for Query and Scan); Scan pages are merged and sorted (any stable order is DynamoDB's). */
export async function run(client: sdk.DynamoDBClient, op: Op): Promise<Outcome[]> {
  if (op.pages === undefined) return [await send(client, op.op, op.input)];
  const outcomes: Outcome[] = [];
  let start: unknown;
  for (let page = 0; page < op.pages; page++) {
    const outcome = await send(client, op.op, start === undefined ? op.input : { ...op.input, ExclusiveStartKey: unplainKey(start) });
    outcomes.push(outcome);
    if (!('ok' in outcome)) break;
    start = (outcome.ok as { LastEvaluatedKey?: unknown }).LastEvaluatedKey;
    if (start === undefined) break;
  }
  // Scan order is DynamoDB's own, and so is the order of index entries with equal index keys
  if ((op.op !== 'Scan' && op.input.IndexName === undefined) || outcomes.some((o) => !('ok' in o))) return outcomes;
  // canonical numbers before the items become strings, which normaliseLocal no longer reaches (the model's are canonical already)
  const items = outcomes.flatMap((o) => ((o as { ok: { Items?: unknown[] } }).ok.Items ?? []).map((i) => JSON.stringify(canonicalLocalNumbers(i)))).sort();
  const count = outcomes.reduce((n, o) => n + ((o as { ok: { Count: number } }).ok.Count ?? 0), 0);
  return [{ ok: { items, count } }];
}

function unplainKey(key: unknown): Record<string, Av> {
  const out: Record<string, Av> = {};
  for (const [k, v] of Object.entries(key as Record<string, Record<string, unknown>>)) {
    out[k] = ('B' in v ? { B: Buffer.from((v.B as { $b64: string }).$b64, 'base64') } : v) as Av;
  }
  return out;
}

export interface Divergence {
  index: number;
  op: Op;
  model: Outcome[];
  local: Outcome[];
}

/** Runs `ops` against both clients in order, returning where they answered differently. */
export async function compare(model: sdk.DynamoDBClient, local: sdk.DynamoDBClient, ops: Op[]): Promise<Divergence[]> {
  const divergences: Divergence[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const [m, l] = [await run(model, op), await run(local, op)];
    // DynamoDB Local answers DeleteItem with ConsumedCapacity even when not asked (the service does not)
    // BatchGetItem's Responses come in no particular order
    if (op.op === 'BatchGetItem') for (const o of [...m, ...l]) if ('ok' in o) for (const list of Object.values((o.ok as { Responses?: Record<string, unknown[]> }).Responses ?? {})) list.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (op.op === 'DeleteItem' && op.input.ReturnConsumedCapacity === undefined) for (const o of l) if ('ok' in o) delete (o.ok as { ConsumedCapacity?: unknown }).ConsumedCapacity;
    normaliseLocal(op, m, l);
    if (JSON.stringify(m) !== JSON.stringify(l)) divergences.push({ index: i, op, model: m, local: l });
  }
  return divergences;
}

// ---- streams: what the comparison may rely on ----

/**
 * The records in the order a reader may rely on: DynamoDB orders the records of each item; the
 * items written by one BatchWriteItem are written in no defined order (Local writes its puts before
 * its deletes, the model in request order). So after a multi-item BatchWriteItem the records are
 * compared item by item (each item's records in order), otherwise in their full order.
 */
export function streamComparable(records: unknown[], ops: Op[]): unknown {
  const batches = ops.some((o) => o.op === 'BatchWriteItem' && Object.values(o.input.RequestItems as Record<string, unknown[]>).some((r) => r.length > 1));
  if (!batches) return records;
  const byItem = new Map<string, unknown[]>();
  for (const r of records) {
    const key = JSON.stringify((r as { dynamodb: { Keys: unknown } }).dynamodb.Keys);
    byItem.set(key, [...(byItem.get(key) ?? []), r]);
  }
  return [...byItem].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** A value with its objects' keys sorted (as `plain` leaves them), nothing else changed. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

/**
 * Local's stream images drop the `M` of an empty map (`"m": {}`; GetItem answers `{"M": {}}`):
 * restored; its arithmetic numbers are canonicalised as in `normaliseLocal`.
 */
export function normaliseLocalStream(records: unknown[]): unknown[] {
  const value = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 0) return { M: {} };
    if (o.M !== undefined) return { M: map(o.M) };
    if (Array.isArray(o.L)) return { L: o.L.map(value) };
    return o;
  };
  const map = (m: unknown): unknown => Object.fromEntries(Object.entries(m as Record<string, unknown>).map(([k, v]) => [k, value(v)]));
  return records.map((r) => {
    const { dynamodb, ...rest } = r as { dynamodb: Record<string, unknown> };
    const out: Record<string, unknown> = { ...dynamodb };
    // and, as everywhere, Local's arithmetic results keep trailing zeros ("1.0"): canonicalised
    for (const image of ['NewImage', 'OldImage']) if (out[image] !== undefined) out[image] = canonicalLocalNumbers(map(out[image]));
    return sortKeys({ ...rest, dynamodb: out });
  });
}

// ---- Local deviations the harness normalises (docs/dynamodb-local-deviations.md), each as narrowly as it can ----

/** Local returns arithmetic results with trailing fractional zeros (0.5 + 0.5 = "1.0"); the service's numbers are canonical ("1"). */
function canonicalLocalNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalLocalNumbers);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'N' && typeof v === 'string' && /^-?\d+\.\d*0$/.test(v)) out[k] = v.replace(/0+$/, '').replace(/\.$/, '');
    else if (k === 'NS' && Array.isArray(v)) out[k] = v.map((x) => { const n = JSON.parse(x as string) as string; return /^-?\d+\.\d*0$/.test(n) ? JSON.stringify(n.replace(/0+$/, '').replace(/\.$/, '')) : x; }).sort();
    else out[k] = canonicalLocalNumbers(v);
  }
  return out;
}

type Capacity = { TableName?: string; CapacityUnits?: number; Table?: { CapacityUnits: number }; GlobalSecondaryIndexes?: Record<string, { CapacityUnits: number }> };
const capacityShape = (c: Capacity[]) => JSON.stringify(c.map((e) => [e.TableName, e.Table !== undefined, Object.keys(e.GlobalSecondaryIndexes ?? {})]));
const units = (c: Capacity[]) => c.flatMap((e) => [e.CapacityUnits ?? 0, e.Table?.CapacityUnits ?? 0, ...Object.values(e.GlobalSecondaryIndexes ?? {}).map((g) => g.CapacityUnits)]);

/**
 * Makes Local's answer comparable where Local, not the service, is the odd one out:
 * - numbers with trailing fractional zeros (canonicalised);
 * - a successful TransactWriteItems' ConsumedCapacity: Local charges less than the documented two
 *   writes per item (prepare + commit). Taken from the model only when the rest of the answer is
 *   equal, the entries have the same tables and indexes, and Local's every figure is at most the model's;
 * - a table Query with `sk BETWEEN` whose Limit ends exactly on the bound in reading order: Local
 *   answers no LastEvaluatedKey, the service (and model) one followed by an empty last page.
 */
export function normaliseLocal(op: Op, model: Outcome[], local: Outcome[]): void {
  for (const o of local) if ('ok' in o) o.ok = canonicalLocalNumbers(o.ok);
  for (const o of local) if ('extra' in o) o.extra = canonicalLocalNumbers(o.extra);
  if (op.op === 'TransactWriteItems' && model.length === 1 && local.length === 1 && 'ok' in model[0]! && 'ok' in local[0]!) {
    const m = model[0].ok as { ConsumedCapacity?: Capacity[] };
    const l = local[0].ok as { ConsumedCapacity?: Capacity[] };
    if (m.ConsumedCapacity && l.ConsumedCapacity && capacityShape(m.ConsumedCapacity) === capacityShape(l.ConsumedCapacity)) {
      const [mu, lu] = [units(m.ConsumedCapacity), units(l.ConsumedCapacity)];
      const rest = (x: object) => JSON.stringify({ ...x, ConsumedCapacity: undefined });
      if (rest(m) === rest(l) && lu.every((u, i) => u <= mu[i]!)) l.ConsumedCapacity = m.ConsumedCapacity;
    }
  }
  const kc = op.input.KeyConditionExpression;
  if (op.op === 'Query' && op.input.IndexName === undefined && typeof kc === 'string' && kc.includes('sk BETWEEN :s AND :t') && model.length === local.length + 1) {
    const values = op.input.ExpressionAttributeValues as Record<string, { N?: string }>;
    const bound = op.input.ScanIndexForward === false ? values[':s']?.N : values[':t']?.N;
    const last = model[model.length - 1]!;
    const beforeLast = model[model.length - 2]!;
    const emptyLast = 'ok' in last && (last.ok as { Count?: number; ScannedCount?: number; LastEvaluatedKey?: unknown }).ScannedCount === 0 && (last.ok as { LastEvaluatedKey?: unknown }).LastEvaluatedKey === undefined;
    const lek = 'ok' in beforeLast ? (beforeLast.ok as { LastEvaluatedKey?: { sk?: { N?: string } } }).LastEvaluatedKey : undefined;
    if (emptyLast && lek?.sk?.N !== undefined && lek.sk.N === bound) {
      model.pop();
      delete (beforeLast as { ok: { LastEvaluatedKey?: unknown } }).ok.LastEvaluatedKey;
    }
  }
}
