import { describe, expect, it } from 'vitest';
import { setup } from './setup.js';

const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });
const key = { pk: S('a'), sk: N(1) };
const VALUES = 'ExpressionAttributeValues can only be specified when using expressions';
const NAMES = 'ExpressionAttributeNames can only be specified when using expressions';

/** The model's answer to a raw request (as serve receives it): the error's name and message, or the answer. */
async function answer(operation: string, input: Record<string, unknown>) {
  const { endpoint } = await setup();
  try {
    return endpoint.call(operation, input);
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
}

// Names or values sent without an expression that could use them. DynamoDB Local (probed
// 2026-11-30) refuses them before it reads the item, naming what the request lacks; the model said
// they were "unused in expressions". The differential test sends the same against Local.
describe('ExpressionAttributeNames and ExpressionAttributeValues without an expression', () => {
  it.each([
    ['PutItem', { TableName: 'Orders', Item: key, ExpressionAttributeValues: { ':v': N(1) } }, `${VALUES}: ConditionExpression is null`],
    ['DeleteItem', { TableName: 'Orders', Key: key, ExpressionAttributeValues: { ':v': N(1) } }, `${VALUES}: ConditionExpression is null`],
    ['UpdateItem', { TableName: 'Orders', Key: key, ExpressionAttributeValues: { ':v': N(1) } }, `${VALUES}: UpdateExpression and ConditionExpression are null`],
    ['Query', { TableName: 'Orders', ProjectionExpression: 'pk', ExpressionAttributeValues: { ':v': N(1) } }, `${VALUES}: FilterExpression and KeyConditionExpression are null`],
    // values are checked before the projection's unused name
    ['Scan', { TableName: 'Orders', ProjectionExpression: 'pk', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':v': N(1) } }, `${VALUES}: FilterExpression is null`],
    ['TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Orders', Item: key, ExpressionAttributeValues: { ':v': N(1) } } }] }, `${VALUES}: ConditionExpression is null`],
    // names first, and before the item's own mistakes (no sort key here)
    ['PutItem', { TableName: 'Orders', Item: { pk: S('a') }, ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':v': N(1) } }, NAMES],
    ['GetItem', { TableName: 'Orders', Key: key, ExpressionAttributeNames: { '#n': 'n' } }, NAMES],
    ['TransactGetItems', { TransactItems: [{ Get: { TableName: 'Orders', Key: key, ExpressionAttributeNames: { '#n': 'n' } } }] }, NAMES],
    ['BatchGetItem', { RequestItems: { Orders: { Keys: [key], ExpressionAttributeNames: { '#n': 'n' } } } }, NAMES],
    // beside legacy parameters, which have no placeholders of their own
    ['UpdateItem', { TableName: 'Orders', Key: key, AttributeUpdates: { n: { Action: 'PUT', Value: N(1) } }, ExpressionAttributeValues: { ':v': N(1) } }, `${VALUES}: UpdateExpression and ConditionExpression are null`],
    ['Scan', { TableName: 'Orders', ScanFilter: { n: { ComparisonOperator: 'NULL' } }, ExpressionAttributeValues: { ':v': N(1) } }, `${VALUES}: FilterExpression is null`],
  ])('%s refuses them, in DynamoDB’s words (%j)', async (operation, input, message) => {
    expect(await answer(operation, input)).toEqual({ name: 'ValidationException', message });
  });

  it('takes empty maps beside no expression as absent, and refuses them beside one', async () => {
    expect(await answer('PutItem', { TableName: 'Orders', Item: key, ExpressionAttributeNames: {}, ExpressionAttributeValues: {} })).toEqual({});
    expect(await answer('GetItem', { TableName: 'Orders', Key: key, ExpressionAttributeNames: {} })).toEqual({});
    expect(await answer('PutItem', { TableName: 'Orders', Item: key, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: {} })).toEqual({ name: 'ValidationException', message: 'ExpressionAttributeValues must not be empty' });
  });

  it('still calls a placeholder unused when an expression that could use it is there', async () => {
    const message = 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}';
    expect(await answer('UpdateItem', { TableName: 'Orders', Key: key, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':v': N(1) } })).toEqual({ name: 'ValidationException', message });
  });
});
