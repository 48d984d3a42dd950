import { DescribeTableCommand, DescribeTimeToLiveCommand, PutItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../src/backends/dynamodb/client.js';
import { ensureTable, type TableHandle } from '../../../src/backends/dynamodb/create-table.js';
import { StreamReader, type ChangeRecordRaw } from '../../../src/backends/dynamodb/stream-reader.js';
import { DynamoTablePort } from '../../../src/backends/dynamodb/table-port.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../src/backends/dynamodb-local/server.js';
import { toTableSpec } from '../../../src/scenario/table-checks.js';
import type { TableDefinitionYaml } from '../../../src/scenario/schema.js';

/** Waits (polling, no fixed sleep) until `done` holds; fails the test after 20 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for stream records');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('StreamReader on DynamoDB Local', () => {
  let server: DynamoDbLocal;
  let streams: DynamoDBStreamsClient;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
    streams = new DynamoDBStreamsClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'geosim', secretAccessKey: 'geosim' } });
  });
  afterAll(async () => {
    streams?.destroy();
    await server?.stop();
  });

  async function table(name: string): Promise<{ handle: TableHandle; port: DynamoTablePort }> {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
    const handle = await ensureTable(client, { tableName: name, region: 'us-east-1' });
    return { handle, port: new DynamoTablePort({ client, tableName: name, region: 'us-east-1' }) };
  }

  it('reads every change from the start, in order, with old and new images', async () => {
    const { handle, port } = await table('StreamAll');
    const records: ChangeRecordRaw[] = [];
    const reader = new StreamReader({ client: streams, streamArn: handle.streamArn!, region: 'us-east-1', startAt: 'TRIM_HORIZON', onRecord: (r) => records.push(r), onError: (e) => { throw e; } });
    reader.start();
    await port.write({ kind: 'put', item: { Id: 'A', v: 1 } });
    await port.write({ kind: 'update', id: 'A', set: { v: 2 } });
    await port.write({ kind: 'put', item: { Id: 'B', tags: ['x'] } });
    await port.write({ kind: 'delete', id: 'A' });
    await until(() => records.length >= 4);
    await reader.stop();
    expect(records.map((r) => [r.eventName, r.itemId, r.oldImage ?? null, r.newImage ?? null])).toEqual([
      ['INSERT', 'A', null, { Id: 'A', v: 1 }],
      ['MODIFY', 'A', { Id: 'A', v: 1 }, { Id: 'A', v: 2 }],
      ['INSERT', 'B', null, { Id: 'B', tags: ['x'] }],
      ['REMOVE', 'A', { Id: 'A', v: 2 }, null],
    ]);
    expect(records.every((r) => r.region === 'us-east-1' && r.sequenceNumber !== '')).toBe(true);
  });

  it('from LATEST, skips what was written before it started', async () => {
    const { handle, port } = await table('StreamLatest');
    await port.write({ kind: 'put', item: { Id: 'old', v: 0 } });
    const records: ChangeRecordRaw[] = [];
    const reader = new StreamReader({ client: streams, streamArn: handle.streamArn!, region: 'us-east-1', startAt: 'LATEST', onRecord: (r) => records.push(r), onError: (e) => { throw e; } });
    reader.start();
    await until(() => reader.idle);
    await port.write({ kind: 'put', item: { Id: 'new', v: 1 } });
    await until(() => records.length >= 1);
    await reader.stop();
    expect(records.map((r) => r.itemId)).toEqual(['new']);
  });

  it('from LATEST on a table that had no shard yet, still reads the first writes', async () => {
    const { handle, port } = await table('StreamFresh');
    const records: ChangeRecordRaw[] = [];
    const reader = new StreamReader({ client: streams, streamArn: handle.streamArn!, region: 'us-east-1', startAt: 'LATEST', onRecord: (r) => records.push(r), onError: (e) => { throw e; } });
    reader.start();
    await until(() => reader.idle);
    await port.write({ kind: 'put', item: { Id: 'first', v: 1 } });
    await port.write({ kind: 'put', item: { Id: 'second', v: 2 } });
    await until(() => records.length >= 2);
    await reader.stop();
    expect(records.map((r) => r.itemId)).toEqual(['first', 'second']);
  });

  // Issue 13: a scenario's own table, as a team's template declares it (provisioned, a sort key, a GSI, TTL).
  const orders = toTableSpec({
    TableName: 'Orders',
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'st', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'ByStatus', KeySchema: [{ AttributeName: 'st', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }],
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
  } as TableDefinitionYaml);

  it('creates a declared table as declared (keys, GSI, TTL), on demand with a stream, and refuses an existing one of another shape', async () => {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
    const handle = await ensureTable(client, { tableName: 'run-Orders', region: 'us-east-1' }, { shape: orders, requireStream: true });
    const table = (await client.send(new DescribeTableCommand({ TableName: 'run-Orders' }))).Table!;
    expect(table.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    expect(table.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['ByStatus']);
    // Capacity is not modeled: the run's table never throttles where the model does not.
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect((await client.send(new DescribeTimeToLiveCommand({ TableName: 'run-Orders' }))).TimeToLiveDescription).toMatchObject({ AttributeName: 'ttl', TimeToLiveStatus: 'ENABLED' });
    expect(handle.created).toBe(true);
    // GlobalEventTable's shape is not Orders': an existing table of the wrong key is named, not used.
    await expect(ensureTable(client, { tableName: 'run-Orders', region: 'us-east-1' })).rejects.toThrow("table run-Orders in us-east-1 does not fit geosim's schema: partition key must be Id with no sort key; GSI IdempotencyIndex is missing");
    await expect(ensureTable(client, { tableName: 'StreamAll', region: 'us-east-1' }, { shape: orders })).rejects.toThrow('partition key must be pk with sort key sk; GSI ByStatus is missing');
    client.destroy();
  });

  it('names the records of a declared table by key string (pk|sk, numbers as DynamoDB prints them) and keeps their key', async () => {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
    const handle = await ensureTable(client, { tableName: 'run-Orders2', region: 'us-east-1' }, { shape: orders });
    const records: ChangeRecordRaw[] = [];
    const reader = new StreamReader({
      client: streams,
      streamArn: handle.streamArn!,
      region: 'us-east-1',
      table: { tableName: 'run-Orders2', name: 'Orders', keyNames: orders.keyNames, keyTypes: { pk: 'S', sk: 'N' } },
      startAt: 'TRIM_HORIZON',
      onRecord: (r) => records.push(r),
      onError: (e) => { throw e; },
    });
    reader.start();
    await client.send(new PutItemCommand({ TableName: 'run-Orders2', Item: { pk: { S: 'o|1' }, sk: { N: '1.50' }, v: { N: '1' } } }));
    await client.send(new DeleteItemCommand({ TableName: 'run-Orders2', Key: { pk: { S: 'o|1' }, sk: { N: '1.5' } } }));
    await until(() => records.length >= 2);
    await reader.stop();
    expect(records.map((r) => [r.table, r.eventName, r.itemId, r.key])).toEqual([
      ['Orders', 'INSERT', 'o|1|1.5', { pk: { S: 'o|1' }, sk: { N: '1.5' } }],
      ['Orders', 'REMOVE', 'o|1|1.5', { pk: { S: 'o|1' }, sk: { N: '1.5' } }],
    ]);
    client.destroy();
  });
});
