import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { failure, setup } from './setup.js';

describe('GetItem / PutItem / UpdateItem / DeleteItem', () => {
  it('puts, reads back canonical numbers, projects', async () => {
    const { docs, client } = await setup();
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1, n: 1.5, m: { x: 'y' } } }));
    const { Item } = await docs.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, ProjectionExpression: 'n, m.x' }));
    expect(Item).toEqual({ n: 1.5, m: { x: 'y' } });
    const raw = await client.send(new (await import('@aws-sdk/client-dynamodb')).GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'a' }, sk: { N: '1.0' } }, ReturnConsumedCapacity: 'INDEXES' }));
    expect(raw.ConsumedCapacity).toEqual({ TableName: 'Orders', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } });
  });

  it('key errors are worded as DynamoDB Local words them', async () => {
    const { docs } = await setup();
    expect(await failure(docs.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'a' } })))).toMatchObject({ name: 'ValidationException', message: 'The number of conditions on the keys is invalid' });
    expect(await failure(docs.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'a', other: 1 } })))).toMatchObject({ message: 'One of the required keys was not given a value' });
    expect(await failure(docs.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1, other: 1 } })))).toMatchObject({ message: 'The number of conditions on the keys is invalid' });
    expect(await failure(docs.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'a', sk: '1' } })))).toMatchObject({ message: 'One or more parameter values were invalid: Type mismatch for key' });
    expect(await failure(docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a' } })))).toMatchObject({ message: 'One of the required keys was not given a value' });
    expect(await failure(docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: '', sk: 1 } })))).toMatchObject({
      message: 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    });
    expect(await failure(docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1, g: 5 } })))).toMatchObject({ message: 'One or more parameter values were invalid: Type mismatch for Index Key' });
    expect(await failure(docs.send(new PutCommand({ TableName: 'Nope', Item: { pk: 'a', sk: 1 } })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'Cannot do operations on a non-existent table' });
    expect(await failure(docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1, big: 'x'.repeat(400 * 1024) } })))).toMatchObject({ message: 'Item size has exceeded the maximum allowed size' });
  });

  it('UpdateItem refuses a result nested past 32 levels, through a path into a deep attribute too; other attributes of a deep item update', async () => {
    const { docs } = await setup();
    const nested = (depth: number): Record<string, unknown> | string => (depth === 0 ? 'leaf' : { m: nested(depth - 1) });
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1, m: nested(31) } }));
    expect(await failure(docs.send(new UpdateCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET m.m = :v', ExpressionAttributeValues: { ':v': nested(31) } })))).toMatchObject({ name: 'ValidationException', message: 'Nesting Levels have exceeded supported limits' });
    expect(await failure(docs.send(new UpdateCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET deep = :v', ExpressionAttributeValues: { ':v': nested(32) } })))).toMatchObject({ message: 'Nesting Levels have exceeded supported limits' });
    await docs.send(new UpdateCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET n = :n, m.m = :v', ExpressionAttributeValues: { ':n': 1, ':v': nested(30) } }));
    expect((await docs.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, ProjectionExpression: 'n' }))).Item).toEqual({ n: 1 });
  });

  it('conditions fail with the old item when asked (ReturnValuesOnConditionCheckFailure ALL_OLD)', async () => {
    const { docs } = await setup();
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1, v: 1 } }));
    const error = await failure(docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1 }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })));
    expect(error).toMatchObject({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed' });
    expect(error.extra.Item).toEqual({ pk: { S: 'a' }, sk: { N: '1' }, v: { N: '1' } });
  });

  it('UpdateItem: expressions, ReturnValues, key updates refused, GSI capacity', async () => {
    const { docs } = await setup();
    const first = await docs.send(new UpdateCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET n = if_not_exists(n, :z) + :one, g = :g', ExpressionAttributeValues: { ':z': 0, ':one': 1, ':g': 'x' }, ReturnValues: 'UPDATED_NEW', ReturnConsumedCapacity: 'INDEXES' }));
    expect(first.Attributes).toEqual({ n: 1, g: 'x' });
    expect(first.ConsumedCapacity).toEqual({ TableName: 'Orders', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { ByG: { CapacityUnits: 1 } } });
    const moved = await docs.send(new UpdateCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': 'y' }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'INDEXES' }));
    expect(moved.Attributes).toEqual({ pk: 'a', sk: 1, n: 1, g: 'x' });
    expect(moved.ConsumedCapacity?.GlobalSecondaryIndexes).toEqual({ ByG: { CapacityUnits: 2 } });
    expect(await failure(docs.send(new UpdateCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET sk = :v', ExpressionAttributeValues: { ':v': 2 } })))).toMatchObject({
      message: 'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key',
    });
    expect(await failure(docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1 }, ReturnValues: 'ALL_NEW' as 'ALL_OLD' })))).toMatchObject({ message: 'Return values set to invalid value' });
  });

  it('DeleteItem returns the old item and tells the change listeners, in order', async () => {
    const { docs, endpoint } = await setup();
    const changes: unknown[] = [];
    endpoint.onChange((table, key, oldImage, newImage) => changes.push([table, key.pk, oldImage?.v, newImage?.v]));
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'a', sk: 1, v: 1 } }));
    const { Attributes } = await docs.send(new DeleteCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 }, ReturnValues: 'ALL_OLD' }));
    expect(Attributes).toEqual({ pk: 'a', sk: 1, v: 1 });
    await docs.send(new DeleteCommand({ TableName: 'Orders', Key: { pk: 'a', sk: 1 } }));
    endpoint.applyReplicated('Orders', { pk: { S: 'b' }, sk: { N: '2' }, v: { N: '9' } }, { pk: { S: 'b' }, sk: { N: '2' } });
    expect(changes).toEqual([
      ['Orders', { S: 'a' }, undefined, { N: '1' }],
      ['Orders', { S: 'a' }, { N: '1' }, undefined],
      ['Orders', { S: 'b' }, undefined, { N: '9' }],
    ]);
    expect((await docs.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'b', sk: 2 } }))).Item).toEqual({ pk: 'b', sk: 2, v: 9 });
  });

  it('an unknown operation answers UnknownOperationException', async () => {
    const { endpoint } = await setup();
    await expect(endpoint.handle('RestoreTableFromBackup', {})).rejects.toMatchObject({ name: 'UnknownOperationException', message: 'An unknown operation was requested.' });
  });
});
