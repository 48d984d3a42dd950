import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../src/backends/dynamodb/client.js';
import { ensureTable, type TableHandle } from '../../../src/backends/dynamodb/create-table.js';
import { StreamReader, type ChangeRecordRaw } from '../../../src/backends/dynamodb/stream-reader.js';
import { DynamoTablePort } from '../../../src/backends/dynamodb/table-port.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../src/backends/dynamodb-local/server.js';

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
});
