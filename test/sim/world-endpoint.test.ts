import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../src/dynamodb/errors.js';
import { createInProcessRequestHandler } from '../../src/dynamodb/sdk-request-handler.js';
import type { Scenario } from '../../src/scenario/model.js';
import { Rng } from '../../src/sim/rng.js';
import { World } from '../../src/sim/world.js';
import { TraceRecorder } from '../../src/trace/recorder.js';

const A = 'us-east-1';
const B = 'eu-west-1';

function world(coalesce = false) {
  const scenario: Pick<Scenario, 'regions' | 'replication'> = {
    regions: [A, B],
    replication: {
      links: [
        { from: A, to: B, lag: { distribution: 'fixed', ms: 1000 } },
        { from: B, to: A, lag: { distribution: 'fixed', ms: 1000 } },
      ],
      coalesce,
      tieBreak: 'higher-region',
    },
  };
  const trace = new TraceRecorder();
  return { w: new World(scenario, new Rng(1), trace), events: trace.events };
}

async function drainUntil(w: World, t: number): Promise<void> {
  while (w.nextTime() !== undefined && w.nextTime()! <= t) await w.runNext();
  w.now = Math.max(w.now, t);
}

const ORDERS = {
  TableName: 'Orders',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

describe('every replica of the model is a DynamoDB endpoint', () => {
  it('has the scenario table in every region from the start', () => {
    const { w } = world();
    for (const region of [A, B]) expect(w.call(region, 'ListTables', {})).toEqual({ TableNames: ['GlobalEventTable'] });
  });

  it('makes a table created in one region a global table with a replica in every region', () => {
    const { w } = world();
    w.call(A, 'CreateTable', ORDERS);
    expect((w.call(B, 'ListTables', {}) as { TableNames: string[] }).TableNames).toContain('Orders');
    w.call(B, 'DeleteTable', { TableName: 'Orders' });
    expect((w.call(A, 'ListTables', {}) as { TableNames: string[] }).TableNames).not.toContain('Orders');
  });

  it('drops a replicated write whose table was deleted while it was on its way, as a deleted replica drops what was arriving', async () => {
    const { w, events } = world();
    w.call(A, 'CreateTable', ORDERS);
    w.call(A, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { N: '1' } } });
    w.call(A, 'DeleteTable', { TableName: 'Orders' });
    // the delivery at 1000 finds no table in B: nothing stored, nothing thrown, its flight ends
    await drainUntil(w, 2000);
    expect(events.map((e) => e.kind)).toEqual(['local-write', 'replication-sent', 'replication-discarded']);
    expect(events[2]).toEqual({
      seq: 3,
      kind: 'replication-discarded',
      t: 1000,
      from: A,
      to: B,
      itemId: 'o-1|1',
      table: 'Orders',
      incoming: { pk: 'o-1', sk: 1 },
      incomingVersion: { ts: 0, region: A },
      reason: 'table-deleted',
      conflict: false,
    });
    w.call(B, 'CreateTable', ORDERS);
    expect(w.call(B, 'Scan', { TableName: 'Orders' })).toMatchObject({ Count: 0 });
  });

  it("never delivers a deleted table's replicated write into the table created again under its name", async () => {
    const { w, events } = world();
    w.call(A, 'CreateTable', ORDERS);
    w.call(A, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { N: '1' } } });
    w.call(A, 'DeleteTable', { TableName: 'Orders' });
    w.call(A, 'CreateTable', ORDERS);
    // the delivery at 1000 belongs to the deleted table: B's new table never gets it
    await drainUntil(w, 2000);
    expect(events.map((e) => e.kind)).toEqual(['local-write', 'replication-sent', 'replication-discarded']);
    expect(events[2]).toMatchObject({ t: 1000, to: B, reason: 'table-deleted' });
    expect(w.call(B, 'Scan', { TableName: 'Orders' })).toMatchObject({ Count: 0 });
    // the new table's own writes replicate as usual
    w.call(A, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-2' }, sk: { N: '1' } } });
    await drainUntil(w, 4000);
    expect(w.call(B, 'Scan', { TableName: 'Orders' })).toMatchObject({ Count: 1, Items: [{ pk: { S: 'o-2' } }] });
  });

  it("forgets a deleted table's versions: the table created again under its name starts with no history", async () => {
    const { w, events } = world();
    const T = 'GlobalEventTable';
    const TABLE = { TableName: T, AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' };
    w.call(A, 'CreateTable', ORDERS);
    w.call(A, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { N: '1' }, v: { S: 'old' } } });
    // the scenario's table keeps a tombstone of a deleted item
    w.call(A, 'PutItem', { TableName: T, Item: { Id: { S: 'x' } } });
    w.call(A, 'DeleteItem', { TableName: T, Key: { Id: { S: 'x' } } });
    await drainUntil(w, 2000); // B stores what A wrote, the tombstone included
    for (const name of ['Orders', T]) w.call(A, 'DeleteTable', { TableName: name });
    w.call(A, 'CreateTable', ORDERS);
    w.call(A, 'CreateTable', TABLE);
    const from = events.length;
    w.call(B, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { N: '1' }, v: { S: 'new' } } });
    w.call(B, 'PutItem', { TableName: T, Item: { Id: { S: 'x' } } });
    await drainUntil(w, 4000);
    const after = events.slice(from);
    // nothing of the deleted tables is what the new ones' first writes replaced, in either region
    expect(after.filter((e) => e.kind === 'local-write').map((e) => e.before)).toEqual([null, null]);
    const applied = after.filter((e) => e.kind === 'replication-applied');
    expect(applied.map((e) => [e.itemId, e.before, 'replacedVersion' in e])).toEqual([
      ['o-1|1', null, false],
      ['x', null, false],
    ]);
  });

  it("delivers the new table's write that coalesced into a deleted table's delivery still in flight", async () => {
    const { w, events } = world(true);
    w.call(A, 'CreateTable', ORDERS);
    w.call(A, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { N: '1' }, v: { S: 'old' } } });
    w.call(A, 'DeleteTable', { TableName: 'Orders' });
    w.call(A, 'CreateTable', ORDERS);
    w.call(A, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { N: '1' }, v: { S: 'new' } } });
    expect(events.map((e) => e.kind)).toEqual(['local-write', 'replication-sent', 'local-write', 'replication-coalesced']);
    // the delivery now carries the new table's write: it lands
    await drainUntil(w, 2000);
    expect(w.call(B, 'Scan', { TableName: 'Orders' })).toMatchObject({ Count: 1, Items: [{ v: { S: 'new' } }] });
  });

  it('an update that changes nothing is a new version in its own region only (the other keeps its own until it arrives)', async () => {
    const { w, events } = world();
    const T = 'GlobalEventTable';
    w.call(A, 'PutItem', { TableName: T, Item: { Id: { S: 'x' }, v: { N: '1' } } });
    await drainUntil(w, 1500); // B stores what A wrote
    w.call(A, 'UpdateItem', { TableName: T, Key: { Id: { S: 'x' } } }); // nothing to change: still a write, a new version in A
    w.call(B, 'PutItem', { TableName: T, Item: { Id: { S: 'x' }, v: { N: '2' } } });
    const writes = events.filter((e) => e.kind === 'local-write');
    expect(writes.map((e) => [e.region, e.t, (e as { version: { ts: number } }).version.ts])).toEqual([
      [A, 0, 0],
      [A, 1500, 1500],
      // B's own write supersedes the version B holds (A's first, at 0), not A's second, which B has not seen:
      // at 1500 itself, not bumped past A's 1500
      [B, 1500, 1500],
    ]);
    // what a read answers carries nothing but the item's attributes
    const read = w.call(B, 'GetItem', { TableName: T, Key: { Id: { S: 'x' } } }).Item as Record<string, unknown>;
    expect(JSON.stringify(read)).toBe('{"Id":{"S":"x"},"v":{"N":"2"}}');
    expect(Object.getOwnPropertySymbols({ ...read })).toEqual([]);
  });

  it('replicates an expression update after the lag, traced with the table and the composite key', async () => {
    const { w, events } = world();
    w.call(A, 'CreateTable', ORDERS);
    const key = { pk: { S: 'o-1' }, sk: { N: '1' } };
    w.call(A, 'UpdateItem', { TableName: 'Orders', Key: key, UpdateExpression: 'SET #s = :s ADD #v :one', ExpressionAttributeNames: { '#s': 'status', '#v': 'Views' }, ExpressionAttributeValues: { ':s': { S: 'new' }, ':one': { N: '1' } } });
    expect(w.call(B, 'GetItem', { TableName: 'Orders', Key: key })).toEqual({});
    await drainUntil(w, 1000);
    expect(w.call(B, 'GetItem', { TableName: 'Orders', Key: key })).toEqual({ Item: { ...key, status: { S: 'new' }, Views: { N: '1' } } });
    const write = events.find((e) => e.kind === 'local-write')!;
    expect(write).toMatchObject({ region: A, itemId: 'o-1|1', table: 'Orders', op: 'update', before: null, after: { pk: 'o-1', sk: 1, status: 'new', Views: 1 } });
    expect(events.find((e) => e.kind === 'replication-applied')).toMatchObject({ from: A, to: B, itemId: 'o-1|1', table: 'Orders' });
  });

  it('checks conditions on the local replica only and traces a failed one with its expression', async () => {
    const { w, events } = world();
    const put = (region: string) => w.call(region, 'PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'x' }, by: { S: region } }, ConditionExpression: 'attribute_not_exists(Id)' });
    put(A);
    put(B); // B has not seen A's write yet: both pass
    await drainUntil(w, 2000);
    expect(() => put(A)).toThrow(DynamoDBError);
    const failed = events.find((e) => e.kind === 'condition-failed')!;
    expect(failed).toMatchObject({ region: A, itemId: 'x', condition: 'attribute_not_exists(Id)' });
    expect(failed).not.toHaveProperty('table');
    // last writer wins on the whole item: both wrote at the same ms; us-east-1 wins the tie (higher-region)
    expect(w.call(A, 'GetItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'x' } } })).toEqual({ Item: { Id: { S: 'x' }, by: { S: A } } });
  });

  it('serves the AWS SDK in-process, region by region', async () => {
    const { w } = world();
    const client = (region: string) => new DynamoDBClient({ region, requestHandler: createInProcessRequestHandler({ endpointFor: (r) => w.endpoint(r) }), credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await client(A).send(new UpdateItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: 'k' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    expect((await client(B).send(new GetItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: 'k' } } }))).Item).toBeUndefined();
    await drainUntil(w, 1000);
    expect((await client(B).send(new GetItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: 'k' } } }))).Item).toEqual({ Id: { S: 'k' }, n: { N: '1' } });
  });
});

describe('Time to Live in a scenario run', () => {
  it('expires items only while other work is pending: a run does not wait for an expiry', async () => {
    const { w, events } = world();
    const put = (id: string, expiresAt: number) => w.call(A, 'PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: id }, ExpiresAt: { N: String(expiresAt) } } });
    put('soon', 1); // epoch 0 in this world: due at 1 s
    put('late', 86_400); // due after a day
    w.schedule(5000, () => undefined); // other work until 5 s
    while (await w.runNext()) {
      /* drain */
    }
    expect(w.now).toBe(5000);
    expect(w.call(B, 'GetItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'soon' } } })).toEqual({});
    expect(w.call(A, 'GetItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'late' } } })).not.toEqual({});
    expect(events.filter((e) => e.kind === 'local-write' && e.expired).map((e) => [e.t, e.itemId])).toEqual([[1000, 'soon']]);
  });
});
