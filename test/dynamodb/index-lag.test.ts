import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/dynamodb/database.js';
import { deleteItem, putItem, updateItem } from '../../src/dynamodb/operations/items.js';
import { query, scan } from '../../src/dynamodb/operations/query.js';
import { createTableInput } from './differential.js';
import { failure, setup } from './operations/setup.js';

const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });

function lagged(indexLagMs: number) {
  const clock = { now: 1000 };
  const db = new Database({ now: () => clock.now, indexLagMs });
  db.createTable(createTableInput('Orders') as Record<string, unknown>);
  const byG = (g: string) => (query(db, { TableName: 'Orders', IndexName: 'ByG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S(g) } }).Items as Record<string, unknown>[]).map((i) => i.v);
  const table = () => (scan(db, { TableName: 'Orders' }).Items as Record<string, unknown>[]).map((i) => i.v);
  return { db, clock, byG, table };
}

describe('eventually consistent GSIs (indexLagMs)', () => {
  it('a write becomes visible in the index indexLagMs after it, in the table at once', () => {
    const { db, clock, byG, table } = lagged(100);
    putItem(db, { TableName: 'Orders', Item: { pk: S('a'), sk: N(1), g: S('x'), v: N(1) } });
    expect(table()).toEqual([N(1)]);
    expect(byG('x')).toEqual([]);
    clock.now += 99;
    expect(byG('x')).toEqual([]);
    clock.now += 1;
    expect(byG('x')).toEqual([N(1)]);
  });

  it('shows the old version of a modified or deleted item until the lag has passed, and a moved index key in its old place', () => {
    const { db, clock, byG } = lagged(100);
    putItem(db, { TableName: 'Orders', Item: { pk: S('a'), sk: N(1), g: S('x'), v: N(1) } });
    putItem(db, { TableName: 'Orders', Item: { pk: S('b'), sk: N(1), g: S('x'), v: N(1) } });
    clock.now += 100;
    updateItem(db, { TableName: 'Orders', Key: { pk: S('a'), sk: N(1) }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': N(2) } });
    clock.now += 10;
    updateItem(db, { TableName: 'Orders', Key: { pk: S('a'), sk: N(1) }, UpdateExpression: 'SET v = :v, g = :g', ExpressionAttributeValues: { ':v': N(3), ':g': S('y') } });
    deleteItem(db, { TableName: 'Orders', Key: { pk: S('b'), sk: N(1) } });
    expect(byG('x')).toEqual([N(1), N(1)]);
    expect(byG('y')).toEqual([]);
    clock.now += 90; // the first update is visible, the second and the delete are not
    expect(byG('x')).toEqual([N(2), N(1)]);
    clock.now += 10;
    expect(byG('x')).toEqual([]);
    expect(byG('y')).toEqual([N(3)]);
  });

  it('with lag 0 the index is current at once', () => {
    const { db, byG } = lagged(0);
    putItem(db, { TableName: 'Orders', Item: { pk: S('a'), sk: N(1), g: S('x'), v: N(1) } });
    expect(byG('x')).toEqual([N(1)]);
  });

  it('refuses indexLagMs that is not a number >= 0', () => {
    expect(() => new Database({ now: () => 0, indexLagMs: -1 })).toThrow('indexLagMs must be a number >= 0');
  });

  it('ConsistentRead on a GSI is a ValidationException (Query and Scan, as DynamoDB Local answers)', async () => {
    const { client } = await setup();
    const message = 'Consistent reads are not supported on global secondary indexes';
    expect(await failure(client.send(new QueryCommand({ TableName: 'Orders', IndexName: 'ByG', ConsistentRead: true, KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('x') } })))).toMatchObject({ name: 'ValidationException', message });
    expect(await failure(client.send(new ScanCommand({ TableName: 'Orders', IndexName: 'ByG', ConsistentRead: true })))).toMatchObject({ name: 'ValidationException', message });
    await client.send(new ScanCommand({ TableName: 'Orders', ConsistentRead: true }));
  });
});
