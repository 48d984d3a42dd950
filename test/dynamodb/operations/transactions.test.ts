import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { failure, setup } from './setup.js';

describe('TransactWriteItems / TransactGetItems / batches', () => {
  it('cancels with reasons in order and writes nothing', async () => {
    const { docs } = await setup();
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1 } }));
    const error = await failure(
      docs.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'Orders', Item: { pk: 'b', sk: 1 } } }, { ConditionCheck: { TableName: 'Orders', Key: { pk: 'a', sk: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } }] })),
    );
    expect(error).toMatchObject({ name: 'TransactionCanceledException', message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]' });
    expect(error.extra.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed.' }]);
    expect((await docs.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'b', sk: 1 } }))).Item).toBeUndefined();
  });

  it('refuses an entry that is null or no object with DynamoDB’s error, not a TypeError (geosim serve takes any JSON)', async () => {
    const { ModelEndpoint } = await import('../../../src/dynamodb/model-endpoint.js');
    const endpoint = new ModelEndpoint({ now: () => 0 });
    endpoint.call('CreateTable', { TableName: 'Tab', AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
    const put = { Put: { TableName: 'Tab', Item: { Id: { S: 'a' } } } };
    expect(() => endpoint.call('TransactWriteItems', { TransactItems: [put, null] })).toThrow(expect.objectContaining({ name: 'ValidationException', message: "1 validation error detected: Value null at 'transactItems.2.member' failed to satisfy constraint: Member must not be null" }));
    expect(() => endpoint.call('TransactWriteItems', { TransactItems: ['x'] })).toThrow(expect.objectContaining({ name: 'SerializationException' }));
    expect(endpoint.call('Scan', { TableName: 'Tab' })).toMatchObject({ Count: 0 });
  });

  it('refuses a ConditionCheck without a ConditionExpression, a legacy Expected included (it passed, checking nothing)', async () => {
    const { endpoint } = await setup();
    const check = (ConditionCheck: Record<string, unknown>) => () => endpoint.call('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Orders', Item: { pk: { S: 'b' }, sk: { N: '1' } } } }, { ConditionCheck: { TableName: 'Orders', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ...ConditionCheck } }] });
    const message = "Value null at 'transactItems.2.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null";
    expect(check({})).toThrow(message);
    expect(check({ Expected: { pk: { Exists: false } } })).toThrow(message);
    expect(endpoint.call('GetItem', { TableName: 'Orders', Key: { pk: { S: 'b' }, sk: { N: '1' } } })).toEqual({});
  });

  it('writes all at twice the capacity; one item once; idempotent for 10 minutes of now()', async () => {
    const { docs, clock } = await setup();
    const items = [{ Put: { TableName: 'Orders', Item: { pk: 'a', sk: 1, g: 'x' } } }, { Update: { TableName: 'Orders', Key: { pk: 'a', sk: 2 }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 1 } } }];
    const r = await docs.send(new TransactWriteCommand({ TransactItems: items, ReturnConsumedCapacity: 'INDEXES', ClientRequestToken: 't1' }));
    expect(r.ConsumedCapacity).toEqual([{ TableName: 'Orders', CapacityUnits: 6, Table: { CapacityUnits: 4 }, GlobalSecondaryIndexes: { ByG: { CapacityUnits: 2 } } }]);
    // a replay answers the capacity it asks for, of reading each item (2 units each: a transactional
    // read), not the first call's (Local counts the two items of equal units once: a Local deviation)
    expect((await docs.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: 't1' }))).ConsumedCapacity).toBeUndefined();
    expect((await docs.send(new TransactWriteCommand({ TransactItems: items, ReturnConsumedCapacity: 'INDEXES', ClientRequestToken: 't1' }))).ConsumedCapacity).toEqual([{ TableName: 'Orders', CapacityUnits: 4, Table: { CapacityUnits: 4 } }]);
    const other = [{ Delete: { TableName: 'Orders', Key: { pk: 'a', sk: 1 } } }];
    expect(await failure(docs.send(new TransactWriteCommand({ TransactItems: other, ClientRequestToken: 't1' })))).toMatchObject({ name: 'IdempotentParameterMismatchException' });
    clock.now += 10 * 60 * 1000;
    await docs.send(new TransactWriteCommand({ TransactItems: other, ClientRequestToken: 't1' }));
    expect(await failure(docs.send(new TransactWriteCommand({ TransactItems: [...other, ...other] })))).toMatchObject({ message: 'Transaction request cannot include multiple operations on one item' });
  });

  it('takes a retry with the same token whose JSON members come in another order as the same request (Go’s SDK marshals maps in any order; it was refused with IdempotentParameterMismatchException)', async () => {
    const { endpoint } = await setup();
    const first = { ClientRequestToken: 't1', TransactItems: [{ Update: { TableName: 'Orders', Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }] };
    const reordered = { TransactItems: [{ Update: { ExpressionAttributeValues: { ':one': { N: '1' } }, UpdateExpression: 'ADD n :one', Key: { sk: { N: '1' }, pk: { S: 'a' } }, TableName: 'Orders' } }], ClientRequestToken: 't1' };
    endpoint.call('TransactWriteItems', first);
    endpoint.call('TransactWriteItems', reordered);
    // applied once
    expect(endpoint.call('GetItem', { TableName: 'Orders', Key: { pk: { S: 'a' }, sk: { N: '1' } } })).toEqual({ Item: { pk: { S: 'a' }, sk: { N: '1' }, n: { N: '1' } } });
    // the order of the transaction's entries still matters, as their values do
    const two = (a: string, b: string) => ({ ClientRequestToken: 't2', TransactItems: [a, b].map((pk) => ({ Put: { TableName: 'Orders', Item: { pk: { S: pk }, sk: { N: '1' } } } })) });
    endpoint.call('TransactWriteItems', two('x', 'y'));
    expect(() => endpoint.call('TransactWriteItems', two('y', 'x'))).toThrow(expect.objectContaining({ name: 'IdempotentParameterMismatchException' }));
  });

  it('charges two writes per action, a ConditionCheck and a Delete of an absent item included (documented; Local charges less)', async () => {
    const { docs } = await setup();
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1 } }));
    const items = [{ ConditionCheck: { TableName: 'Orders', Key: { pk: 'a', sk: 1 }, ConditionExpression: 'attribute_exists(pk)' } }, { Delete: { TableName: 'Orders', Key: { pk: 'z', sk: 1 } } }, { Update: { TableName: 'Orders', Key: { pk: 'b', sk: 1 }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 1 } } }];
    const r = await docs.send(new TransactWriteCommand({ TransactItems: items, ReturnConsumedCapacity: 'TOTAL' }));
    expect(r.ConsumedCapacity).toEqual([{ TableName: 'Orders', CapacityUnits: 6 }]);
  });

  it('TransactGetItems and BatchGetItem read; BatchWriteItem writes and refuses duplicates', async () => {
    const { docs } = await setup();
    await docs.send(new BatchWriteCommand({ RequestItems: { Orders: [{ PutRequest: { Item: { pk: 'a', sk: 1 } } }, { PutRequest: { Item: { pk: 'a', sk: 2 } } }] } }));
    const t = await docs.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: 'Orders', Key: { pk: 'a', sk: 1 } } }, { Get: { TableName: 'Orders', Key: { pk: 'z', sk: 1 } } }], ReturnConsumedCapacity: 'TOTAL' }));
    expect(t.Responses).toEqual([{ Item: { pk: 'a', sk: 1 } }, {}]);
    expect(t.ConsumedCapacity).toEqual([{ TableName: 'Orders', CapacityUnits: 4 }]);
    const b = await docs.send(new BatchGetCommand({ RequestItems: { Orders: { Keys: [{ pk: 'a', sk: 1 }, { pk: 'a', sk: 2 }, { pk: 'q', sk: 1 }] } } }));
    expect(b.Responses?.Orders).toHaveLength(2);
    expect(b.UnprocessedKeys).toEqual({});
    expect(await failure(docs.send(new BatchWriteCommand({ RequestItems: { Orders: [{ PutRequest: { Item: { pk: 'a', sk: 1 } } }, { DeleteRequest: { Key: { pk: 'a', sk: 1 } } }] } })))).toMatchObject({ message: 'Provided list of item keys contains duplicates' });
    const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: 'm', sk: i } } }));
    expect(await failure(docs.send(new BatchWriteCommand({ RequestItems: { Orders: many } })))).toMatchObject({ message: 'Too many items requested for the BatchWriteItem call' });
  });
});
