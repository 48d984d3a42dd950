import { CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { ModelEndpoint } from '../../src/dynamodb/model-endpoint.js';
import { createInProcessRequestHandler } from '../../src/dynamodb/sdk-request-handler.js';
import { failure } from './operations/setup.js';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });

async function setup(options: { globalTables?: boolean; viewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' | undefined } = { viewType: 'NEW_AND_OLD_IMAGES' }) {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const endpoint = new ModelEndpoint({ now: () => clock.now, region: 'eu-west-1', ...(options.globalTables ? { globalTables: true } : {}) });
  const requestHandler = createInProcessRequestHandler({ endpointFor: () => endpoint });
  const client = new DynamoDBClient({ region: 'eu-west-1', requestHandler, credentials });
  const streams = new DynamoDBStreamsClient({ region: 'eu-west-1', requestHandler, credentials });
  const create = await client.send(
    new CreateTableCommand({
      TableName: 'Orders',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ...(options.viewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: options.viewType } } : {}),
    }),
  );
  const arn = create.TableDescription!.LatestStreamArn;
  return { clock, endpoint, client, streams, arn };
}

async function trimHorizon(streams: DynamoDBStreamsClient, arn: string): Promise<string> {
  const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: d.StreamDescription!.Shards![0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  return it.ShardIterator!;
}

async function writeThree(client: DynamoDBClient): Promise<void> {
  await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('a'), v: N(1) } }));
  await client.send(new UpdateItemCommand({ TableName: 'Orders', Key: { pk: S('a') }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': N(2) } }));
  await client.send(new DeleteItemCommand({ TableName: 'Orders', Key: { pk: S('a') } }));
}

describe('DynamoDB Streams API (through @aws-sdk/client-dynamodb-streams, in-process)', () => {
  it('CreateTable with a StreamSpecification: DescribeTable shows it, ListStreams and DescribeStream find the stream', async () => {
    const { client, streams, arn, clock } = await setup();
    const label = new Date(clock.now).toISOString().slice(0, -1);
    expect(arn).toBe(`arn:aws:dynamodb:eu-west-1:000000000000:table/Orders/stream/${label}`);
    const table = (await client.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table!;
    expect(table).toMatchObject({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }, LatestStreamArn: arn, LatestStreamLabel: label });
    expect((await streams.send(new ListStreamsCommand({}))).Streams).toEqual([{ StreamArn: arn, TableName: 'Orders', StreamLabel: label }]);
    expect((await streams.send(new ListStreamsCommand({ TableName: 'Other' }))).Streams).toEqual([]);
    const d = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    expect(d).toMatchObject({ StreamArn: arn, StreamLabel: label, StreamStatus: 'ENABLED', StreamViewType: 'NEW_AND_OLD_IMAGES', TableName: 'Orders', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] });
    expect(d.Shards).toHaveLength(1);
    expect(d.Shards![0]!.SequenceNumberRange).toEqual({ StartingSequenceNumber: '000000000000000000001' });
  });

  it('a table without StreamSpecification has no stream; globalTables gives every table NEW_AND_OLD_IMAGES', async () => {
    const plain = await setup({ viewType: undefined });
    expect(plain.arn).toBeUndefined();
    expect((await plain.streams.send(new ListStreamsCommand({}))).Streams).toEqual([]);
    const global = await setup({ globalTables: true, viewType: undefined });
    expect((await global.client.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('records INSERT, MODIFY, REMOVE in order with images, sizes and sequence numbers as DynamoDB Local shapes them', async () => {
    const { client, streams, arn, clock } = await setup();
    await writeThree(client);
    // a put that changes nothing and a delete of a missing item write no record (Local, and the Developer Guide)
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('b') } }));
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('b') } }));
    await client.send(new DeleteItemCommand({ TableName: 'Orders', Key: { pk: S('zz') } }));
    const { Records, NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!) }));
    expect(NextShardIterator).toBeDefined();
    expect(Records!.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE', 'INSERT']);
    const [insert, modify, remove] = Records! as [_Record, _Record, _Record];
    expect(insert).toMatchObject({ eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'eu-west-1' });
    expect(insert.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(insert.userIdentity).toBeUndefined();
    expect(insert.dynamodb).toEqual({
      ApproximateCreationDateTime: new Date(Math.floor(clock.now / 1000) * 1000),
      Keys: { pk: S('a') },
      NewImage: { pk: S('a'), v: N(1) },
      SequenceNumber: '000000000000000000001',
      SizeBytes: 9, // as Local sizes it: Keys 3 + NewImage 6 (pk 1+1, v 1+2)
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(modify.dynamodb).toMatchObject({ NewImage: { pk: S('a'), v: N(2) }, OldImage: { pk: S('a'), v: N(1) }, SizeBytes: 15 });
    expect(remove.dynamodb).toMatchObject({ OldImage: { pk: S('a'), v: N(2) }, SizeBytes: 9 });
    expect(remove.dynamodb!.NewImage).toBeUndefined();
    const seqs = Records!.map((r) => r.dynamodb!.SequenceNumber!);
    expect([...seqs].sort()).toEqual(seqs);
    expect(new Set(Records!.map((r) => r.eventID)).size).toBe(4);
  });

  it('sizes a record as DynamoDB Local does: list and map elements 1 byte more, zero 1 byte, a negative number 1 byte more (in a number set too)', async () => {
    const { client, streams, arn } = await setup({ viewType: 'NEW_IMAGE' });
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('a'), z: N(0), neg: { N: '-2.5' }, l: { L: [S('x')] }, m: { M: { x: S('x') } } } }));
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!) }));
    // Keys 3; image: pk 3, z 1+1, neg 3+4, l 1+(3+1+1), m 1+(3+1+1+1)
    expect(Records![0]!.dynamodb!.SizeBytes).toBe(28);
    // in a number set too: 1 byte more for each of -1, -2, -3 (the model counted 14)
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('b'), ns: { NS: ['-1', '-2', '-3'] } } }));
    const more = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!) }));
    // Keys 3; image: pk 3, ns 2+(3+3+3)
    expect(more.Records![1]!.dynamodb!.SizeBytes).toBe(17);
  });

  it.each([
    ['KEYS_ONLY', [], 3],
    ['NEW_IMAGE', ['NewImage'], 9],
    ['OLD_IMAGE', ['OldImage'], 9],
  ] as const)('view type %s carries %j', async (viewType, images, modifySize) => {
    const { client, streams, arn } = await setup({ viewType });
    await writeThree(client);
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!) }));
    const modify = Records![1]!.dynamodb!;
    expect(Object.keys(modify).filter((k) => k.endsWith('Image'))).toEqual(images);
    expect(modify).toMatchObject({ StreamViewType: viewType, SizeBytes: modifySize });
  });

  it('iterators: Limit and NextShardIterator, AT / AFTER_SEQUENCE_NUMBER, LATEST', async () => {
    const { client, streams, arn } = await setup();
    await writeThree(client);
    const first = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!), Limit: 1 }));
    expect(first.Records!.map((r) => r.eventName)).toEqual(['INSERT']);
    const rest = await streams.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator!, Limit: 5 }));
    expect(rest.Records!.map((r) => r.eventName)).toEqual(['MODIFY', 'REMOVE']);
    const empty = await streams.send(new GetRecordsCommand({ ShardIterator: rest.NextShardIterator! }));
    expect(empty.Records).toEqual([]);
    const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId;
    const seq = rest.Records![0]!.dynamodb!.SequenceNumber!;
    const at = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seq }));
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator! }))).Records!.map((r) => r.eventName)).toEqual(['MODIFY', 'REMOVE']);
    const after = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: seq }));
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: after.ShardIterator! }))).Records!.map((r) => r.eventName)).toEqual(['REMOVE']);
    const latest = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }));
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator! }))).Records).toEqual([]);
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('c') } }));
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator! }))).Records!.map((r) => r.dynamodb!.Keys)).toEqual([{ pk: S('c') }]);
    // the next iterator after an empty read stays where it was
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator! }))).Records!.map((r) => r.eventName)).toEqual(['INSERT']);
  });

  it('GetRecords stops at 1 MB of records', async () => {
    const { client, streams, arn } = await setup({ viewType: 'NEW_IMAGE' });
    const big = 'x'.repeat(300 * 1024);
    for (const id of ['a', 'b', 'c', 'd']) await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S(id), big: S(big) } }));
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!) }));
    expect(page.Records).toHaveLength(3);
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator! }))).Records).toHaveLength(1);
  });

  it('records of every origin: request, replication, and TTL (marked as the service only where it expired)', async () => {
    const { client, streams, arn, endpoint, clock } = await setup();
    const origins: string[] = [];
    endpoint.onChange((_t, _k, _o, _n, origin) => origins.push(origin));
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('a'), exp: N(Math.floor(clock.now / 1000) + 60) } }));
    endpoint.applyReplicated('Orders', { pk: S('r') }, { pk: S('r') });
    // the same item replicated again changes nothing: no record, as for a request (it was a MODIFY of equal images)
    endpoint.applyReplicated('Orders', { pk: S('r') }, { pk: S('r') });
    endpoint.applyReplicated('Orders', undefined, { pk: S('r') });
    endpoint.database.updateTimeToLive({ TableName: 'Orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } });
    clock.now += 60_000;
    expect(endpoint.database.expireDue()).toBe(1);
    expect(origins).toEqual(['request', 'replication', 'replication', 'replication', 'ttl']);
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!) }));
    expect(Records!.map((r) => [r.eventName, r.userIdentity])).toEqual([
      ['INSERT', undefined],
      ['INSERT', undefined],
      ['REMOVE', undefined],
      ['REMOVE', { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }],
    ]);
  });

  it('a deleted table closes its stream: DISABLED, an ending sequence number, no next iterator at the end', async () => {
    const { client, streams, arn } = await setup();
    await writeThree(client);
    const iterator = await trimHorizon(streams, arn!);
    await client.send(new DeleteTableCommand({ TableName: 'Orders' }));
    const d = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    expect(d.StreamStatus).toBe('DISABLED');
    expect(d.Shards![0]!.SequenceNumberRange).toEqual({ StartingSequenceNumber: '000000000000000000001', EndingSequenceNumber: '000000000000000000003' });
    const read = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    expect(read.Records).toHaveLength(3);
    expect(read.NextShardIterator).toBeUndefined();
    expect((await streams.send(new ListStreamsCommand({}))).Streams).toHaveLength(1);
  });

  it('a table re-created at the same model time gets a stream with its own ARN', async () => {
    const { client, streams, arn } = await setup();
    await client.send(new DeleteTableCommand({ TableName: 'Orders' }));
    const again = await client.send(new CreateTableCommand({ TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const arn2 = again.TableDescription!.LatestStreamArn!;
    expect(arn2).not.toBe(arn);
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('new') } }));
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn2) }));
    expect(Records!.map((r) => [r.dynamodb!.Keys, r.dynamodb!.StreamViewType])).toEqual([[{ pk: S('new') }, 'KEYS_ONLY']]);
    expect((await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.StreamStatus).toBe('DISABLED');
  });

  it('iterators expire after 15 minutes of model time; records are kept 24 hours', async () => {
    const { client, streams, arn, clock } = await setup();
    await writeThree(client);
    const iterator = await trimHorizon(streams, arn!);
    clock.now += 15 * 60_000;
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records).toHaveLength(3);
    clock.now += 1;
    expect(await failure(streams.send(new GetRecordsCommand({ ShardIterator: iterator })))).toMatchObject({ name: 'ExpiredIteratorException', message: 'The provided iterator exceeds the maximum age allowed.' });
    const old = await trimHorizon(streams, arn!);
    const seq = (await streams.send(new GetRecordsCommand({ ShardIterator: old }))).Records![0]!.dynamodb!.SequenceNumber!;
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('late') } }));
    clock.now += 24 * 3600_000 - 15 * 60_000;
    // the first three records are now older than 24 hours; the last one is not
    const fresh = await streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!) }));
    expect(fresh.Records!.map((r) => r.dynamodb!.Keys)).toEqual([{ pk: S('late') }]);
    const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId;
    expect(await failure(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seq })))).toMatchObject({ name: 'TrimmedDataAccessException' });
  });

  it('answers errors as DynamoDB Local does', async () => {
    const { client, streams, arn } = await setup();
    await writeThree(client);
    const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
    const base = { StreamArn: arn, ShardId: shardId };
    const cases: [Promise<unknown>, string, string][] = [
      [streams.send(new ListStreamsCommand({ Limit: 0 })), 'ValidationException', "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      [streams.send(new ListStreamsCommand({ Limit: 101 })), 'ValidationException', 'One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100'],
      [streams.send(new DescribeStreamCommand({ StreamArn: `${arn}x` })), 'ResourceNotFoundException', `Requested resource not found: Stream: ${arn}x not found`],
      [streams.send(new DescribeStreamCommand({ StreamArn: arn, Limit: 0 })), 'ValidationException', "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      [streams.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })), 'ValidationException', 'One or more parameter values were invalid: Invalid SequenceNumber'],
      [streams.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: 'TRIM_HORIZON', SequenceNumber: '000000000000000000001' })), 'ValidationException', 'One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type'],
      [streams.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: 'abc' })), 'ValidationException', "1 validation error detected: Value 'abc' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to 21"],
      [streams.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '999999999999999999999' })), 'ValidationException', 'One or more parameter values were invalid: Invalid SequenceNumber'],
      [streams.send(new GetShardIteratorCommand({ ...base, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'TRIM_HORIZON' })), 'ResourceNotFoundException', 'Shard does not exist'],
      [streams.send(new GetShardIteratorCommand({ ...base, StreamArn: `${arn}x`, ShardIteratorType: 'TRIM_HORIZON' })), 'ResourceNotFoundException', 'Stream does not exist'],
      [streams.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: 'FOO' as 'LATEST' })), 'ValidationException', "1 validation error detected: Value 'FOO' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]"],
      [streams.send(new GetRecordsCommand({ ShardIterator: 'garbage' })), 'ValidationException', 'Invalid ShardIterator'],
      [streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!), Limit: 0 })), 'ValidationException', "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      [streams.send(new GetRecordsCommand({ ShardIterator: await trimHorizon(streams, arn!), Limit: 1001 })), 'ValidationException', 'One or more parameter values were invalid: Limit should be less than or equal to 1000'],
    ];
    for (const [promise, name, message] of cases) expect(await failure(promise)).toMatchObject({ name, message });
  });

  it('validates StreamSpecification in CreateTable as DynamoDB Local does (and the view type enum as the service does)', async () => {
    const { client } = await setup();
    const base = { BillingMode: 'PAY_PER_REQUEST' as const, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }] };
    expect(await failure(client.send(new CreateTableCommand({ ...base, TableName: 'T-1', StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } })))).toMatchObject({
      message: 'Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present.',
    });
    expect(await failure(client.send(new CreateTableCommand({ ...base, TableName: 'T-2', StreamSpecification: { StreamEnabled: true } })))).toMatchObject({
      message: 'Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams.',
    });
    expect(await failure(client.send(new CreateTableCommand({ ...base, TableName: 'T-3', StreamSpecification: { StreamEnabled: true, StreamViewType: 'FOO' as 'KEYS_ONLY' } })))).toMatchObject({
      message: expect.stringContaining("Value 'FOO' at 'streamSpecification.streamViewType' failed to satisfy constraint"),
    });
    const disabled = await client.send(new CreateTableCommand({ ...base, TableName: 'T-4', StreamSpecification: { StreamEnabled: false } }));
    expect(disabled.TableDescription!.LatestStreamArn).toBeUndefined();
  });
});
