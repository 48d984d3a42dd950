import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/app/item.js';
import { createRepairHandler, type RepairHandler } from '../../src/aws/repair-handler.js';
import { createDynamoClient } from '../../src/backends/dynamodb/client.js';
import { ensureTable } from '../../src/backends/dynamodb/create-table.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/backends/dynamodb-local/server.js';

const REGION = 'eu-west-1';
const TABLE = 'GlobalEventTable';
const FAILING_ID = 'ORDER#FAIL';

let sequence = 100;
function streamRecord(oldImage: Item | undefined, newImage: Item | undefined, eventName: DynamoDBRecord['eventName'] = 'MODIFY'): DynamoDBRecord {
  const id = (newImage ?? oldImage)!.Id;
  return {
    eventID: `e${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    eventVersion: '1.1',
    awsRegion: REGION,
    eventSourceARN: `arn:aws:dynamodb:${REGION}:123456789012:table/${TABLE}/stream/2026-03-01T00:00:00.000`,
    dynamodb: {
      Keys: marshall({ Id: id }) as never,
      ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
      ...(newImage ? { NewImage: marshall(newImage) as never } : {}),
      SequenceNumber: String(sequence++),
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const item = (id: string, timestamp: number, region: string, status: string): Item => ({
  Id: id,
  Timestamp: timestamp,
  LastUpdatedRegion: region,
  Data: { status },
});

describe('repair consumer Lambda handler against DynamoDB Local', () => {
  let server: DynamoDbLocal;
  let client: DynamoDBClient;
  let handle: RepairHandler;
  const logs: Record<string, unknown>[] = [];
  const clients: DynamoDBClient[] = [];
  const put = (i: Item) => client.send(new PutItemCommand({ TableName: TABLE, Item: marshall(i) }));
  const get = async (id: string) => {
    const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: marshall({ Id: id }), ConsistentRead: true }));
    return out.Item ? unmarshall(out.Item) : undefined;
  };

  beforeAll(async () => {
    server = await startDynamoDbLocal();
    client = createDynamoClient({ region: REGION, endpoint: server.endpoint, localCredentials: true });
    clients.push(client);
    await ensureTable(client, { tableName: TABLE, region: REGION });
    handle = createRepairHandler({
      env: { TABLE_NAME: TABLE, AWS_REGION: REGION },
      client: (region) => {
        const c = createDynamoClient({ region, endpoint: server.endpoint, localCredentials: true });
        // A write that fails on the wire for one item, so the test can see a failed repair reported.
        c.middlewareStack.add(
          (next) => async (args) => {
            const input = args.input as { Item?: Record<string, { S?: string }> };
            if (input.Item?.['Id']?.S === FAILING_ID) throw Object.assign(new Error('injected failure'), { name: 'InternalServerError', $fault: 'server' });
            return next(args);
          },
          { step: 'initialize', name: 'failOneItem' },
        );
        clients.push(c);
        return c;
      },
      log: (line) => logs.push(line),
    });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('writes the client-newer item back when replication replaced it with a client-older one', async () => {
    const newer = item('ORDER#R1', 2_000, 'us-east-1', 'shipped');
    const older = item('ORDER#R1', 1_000, 'eu-west-1', 'created');
    await put(newer);
    await put(older); // what replication did: the later service timestamp won
    expect(await get('ORDER#R1')).toEqual(older);
    const result = await handle({ Records: [streamRecord(newer, older)] });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await get('ORDER#R1')).toEqual(newer);
    expect(logs.at(-1)).toMatchObject({ itemId: 'ORDER#R1', outcome: 'repaired' });
  });

  it('changes nothing when the new image already wins', async () => {
    const older = item('ORDER#R2', 1_000, 'us-east-1', 'created');
    const newer = item('ORDER#R2', 2_000, 'eu-west-1', 'shipped');
    await put(newer);
    const result = await handle({ Records: [streamRecord(older, newer)] });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await get('ORDER#R2')).toEqual(newer);
    expect(logs.at(-1)).toMatchObject({ itemId: 'ORDER#R2', outcome: 'unchanged' });
  });

  it('skips idempotency records, inserts and removes, even without the event filter', async () => {
    const key = 'IDEMPOTENCY#evt-1';
    const current = { Id: key, IdempotencyKey: 'evt-1', Timestamp: 1_000, LastUpdatedRegion: 'eu-west-1' };
    await put(current);
    const claimed = { ...current, Timestamp: 2_000, LastUpdatedRegion: 'us-east-1' };
    const insertOnly = item('ORDER#R3', 1_000, 'eu-west-1', 'created');
    await put(insertOnly);
    const result = await handle({
      Records: [
        // Were this a data item, the client-newer old image would be written back.
        streamRecord(claimed, current),
        streamRecord(undefined, insertOnly, 'INSERT'),
        streamRecord(item('ORDER#R3', 5_000, 'us-east-1', 'x'), undefined, 'REMOVE'),
      ],
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await get(key)).toEqual(current);
    expect(await get('ORDER#R3')).toEqual(insertOnly);
    expect(logs.slice(-3).map((l) => l['outcome'])).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('leaves a plain change that keeps the client writer, as the latest write (issue 10 item 1)', async () => {
    const before = item('ORDER#R6', 1_000, 'us-east-1', 'new');
    const after = { ...before, note: 'gift' }; // an update by code outside the application
    await put(after);
    const result = await handle({ Records: [streamRecord(before, after)] });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await get('ORDER#R6')).toEqual(after);
    expect(logs.at(-1)).toMatchObject({ itemId: 'ORDER#R6', outcome: 'unchanged' });
  });

  it('reports a failed repair by its sequence number and leaves the records before it done', async () => {
    const first = [item('ORDER#R4', 2_000, 'us-east-1', 'paid'), item('ORDER#R4', 1_000, 'eu-west-1', 'new')] as const;
    const failing = [item(FAILING_ID, 2_000, 'us-east-1', 'paid'), item(FAILING_ID, 1_000, 'eu-west-1', 'new')] as const;
    const after = [item('ORDER#R5', 2_000, 'us-east-1', 'paid'), item('ORDER#R5', 1_000, 'eu-west-1', 'new')] as const;
    for (const [, loser] of [first, failing, after]) await put(loser);
    const records = [streamRecord(...first), streamRecord(...failing), streamRecord(...after)];
    const result = await handle({ Records: records } satisfies DynamoDBStreamEvent);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }] });
    expect(await get('ORDER#R4')).toEqual(first[0]);
    expect(await get(FAILING_ID)).toEqual(failing[1]);
    // Lambda restarts the shard at the reported record, so the one after it waits for that retry.
    expect(await get('ORDER#R5')).toEqual(after[1]);
    expect(logs.at(-1)).toMatchObject({ itemId: FAILING_ID, error: expect.any(String) });
  });
});

describe('repair consumer Lambda handler configuration', () => {
  it('names the missing TABLE_NAME on the first record it must repair', async () => {
    const lines: Record<string, unknown>[] = [];
    const handle = createRepairHandler({ env: { AWS_REGION: REGION }, log: (line) => lines.push(line) });
    const record = streamRecord(item('ORDER#X', 2, 'us-east-1', 'a'), item('ORDER#X', 1, 'eu-west-1', 'b'));
    await expect(handle({ Records: [record] })).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber }] });
    expect(lines.at(-1)?.['message']).toBe("TABLE_NAME is not set in the function's environment");
  });

  // Issue 10 item 1, without DynamoDB Local: a client that fails every request shows that the
  // handler does not even try to write for these records.
  it.each([
    ['the same client writer, other content', item('ORDER#T1', 1_000, 'us-east-1', 'new'), { ...item('ORDER#T1', 1_000, 'us-east-1', 'new'), note: 'gift' }],
    ['no Timestamp on either image', { Id: 'K1', a: 1 }, { Id: 'K1', a: 1, note: 'gift' }],
    ['no Timestamp on the new image', item('K2', 1_000, 'us-east-1', 'new'), { Id: 'K2', a: 1 }],
  ] as const)('writes nothing for a MODIFY record with %s', async (_name, oldImage, newImage) => {
    const lines: Record<string, unknown>[] = [];
    const requests: string[] = [];
    const handle = createRepairHandler({
      env: { TABLE_NAME: TABLE, AWS_REGION: REGION },
      client: (region) => {
        const c = createDynamoClient({ region, endpoint: 'http://127.0.0.1:9', localCredentials: true });
        c.middlewareStack.add(
          (_next, context) => async () => {
            requests.push(String(context.commandName));
            throw Object.assign(new Error('no request expected'), { name: 'UnexpectedRequest' });
          },
          { step: 'initialize', name: 'refuseAll' },
        );
        return c;
      },
      log: (line) => lines.push(line),
    });
    await expect(handle({ Records: [streamRecord(oldImage, newImage)] })).resolves.toEqual({ batchItemFailures: [] });
    expect(requests).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ outcome: 'unchanged' });
  });

  it('still writes the client-newer item back (the request reaches the client)', async () => {
    const requests: string[] = [];
    const handle = createRepairHandler({
      env: { TABLE_NAME: TABLE, AWS_REGION: REGION },
      client: (region) => {
        const c = createDynamoClient({ region, endpoint: 'http://127.0.0.1:9', localCredentials: true });
        c.middlewareStack.add(
          (_next, context) => async () => {
            requests.push(String(context.commandName));
            throw Object.assign(new Error('no server in this test'), { name: 'InternalServerError', $fault: 'server' });
          },
          { step: 'initialize', name: 'refuseAll' },
        );
        return c;
      },
      log: () => undefined,
    });
    const record = streamRecord(item('ORDER#T2', 2_000, 'us-east-1', 'paid'), item('ORDER#T2', 1_000, 'eu-west-1', 'new'));
    await expect(handle({ Records: [record] })).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber }] });
    expect(requests).toEqual(['PutItemCommand']);
  });
});
