import { BatchGetItemCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { withoutLegacy } from '../../../src/dynamodb/legacy.js';
import { failure, setup } from './setup.js';

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
const key = { pk: S('a'), sk: N(1) };

/** Table Orders (pk, sk) holding a:1 with n = 2, s = hello, ss = {p, q}. */
async function seeded() {
  const t = await setup();
  await t.client.send(new PutItemCommand({ TableName: 'Orders', Item: { ...key, n: N(2), s: S('hello'), ss: { SS: ['p', 'q'] } } }));
  return t;
}

// Older code and libraries still send these; the service honours them. The model ignored them
// (HTTP 200, a condition never checked). The differential test checks them against DynamoDB Local.
describe('legacy parameters, as the expressions they stand for', () => {
  it('Expected refuses a write its condition does not hold for, and lets one through that it does', async () => {
    const { client } = await seeded();
    const put = (Expected: Record<string, unknown>) => client.send(new PutItemCommand({ TableName: 'Orders', Item: { ...key, n: N(9) }, Expected: Expected as never }));
    expect((await failure(put({ pk: { Exists: false } }))).name).toBe('ConditionalCheckFailedException');
    expect((await failure(put({ n: { Value: N(3) } }))).name).toBe('ConditionalCheckFailedException');
    // NOT_CONTAINS is false for a missing attribute (the expression NOT contains() would be true)
    expect((await failure(put({ zz: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('x')] } }))).name).toBe('ConditionalCheckFailedException');
    // two conditions are both needed (AND) unless ConditionalOperator is OR
    expect((await failure(put({ n: { Value: N(100) }, s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('he')] } }))).name).toBe('ConditionalCheckFailedException');
    expect((await client.send(new GetItemCommand({ TableName: 'Orders', Key: key }))).Item?.n).toEqual(N(2));
    // NE is true for a missing attribute
    await put({ zz: { ComparisonOperator: 'NE', AttributeValueList: [N(1)] } });
    expect((await client.send(new GetItemCommand({ TableName: 'Orders', Key: key }))).Item?.n).toEqual(N(9));
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { ...key, n: N(10) }, Expected: { n: { Value: N(100) }, nope: { Exists: false } }, ConditionalOperator: 'OR' }));
    expect((await client.send(new GetItemCommand({ TableName: 'Orders', Key: key }))).Item?.n).toEqual(N(10));
  });

  it('DeleteItem keeps the item when Expected fails', async () => {
    const { client } = await seeded();
    expect((await failure(client.send(new DeleteItemCommand({ TableName: 'Orders', Key: key, Expected: { n: { Value: N(999) } } })))).name).toBe('ConditionalCheckFailedException');
    expect((await client.send(new GetItemCommand({ TableName: 'Orders', Key: key }))).Item).toBeDefined();
  });

  it('AttributeUpdates PUTs (its default), ADDs to numbers, sets and lists, and DELETEs', async () => {
    const { client } = await seeded();
    const out = await client.send(
      new UpdateItemCommand({
        TableName: 'Orders',
        Key: key,
        AttributeUpdates: { n: { Action: 'ADD', Value: N(5) }, s: { Value: S('bye') }, ss: { Action: 'DELETE', Value: { SS: ['p'] } }, l: { Action: 'ADD', Value: { L: [N(1)] } }, gone: { Action: 'DELETE' } },
        Expected: { n: { ComparisonOperator: 'EQ', AttributeValueList: [N(2)] } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes).toEqual({ ...key, n: N(7), s: S('bye'), ss: { SS: ['q'] }, l: { L: [N(1)] } });
  });

  it('AttributesToGet, ScanFilter, KeyConditions and QueryFilter read as their expressions', async () => {
    const { client } = await seeded();
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: S('a'), sk: N(2), n: N(50) } }));
    expect((await client.send(new GetItemCommand({ TableName: 'Orders', Key: key, AttributesToGet: ['s', 'nope'] }))).Item).toEqual({ s: S('hello') });
    const scan = await client.send(new ScanCommand({ TableName: 'Orders', ScanFilter: { n: { ComparisonOperator: 'GT', AttributeValueList: [N(10)] } }, AttributesToGet: ['sk'] }));
    expect(scan.Items).toEqual([{ sk: N(2) }]);
    const query = await client.send(
      new QueryCommand({
        TableName: 'Orders',
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(1), N(3)] } },
        QueryFilter: { ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('q')] } },
      }),
    );
    expect(query.Items?.map((i) => i.sk)).toEqual([N(1)]);
    const batch = await client.send(new BatchGetItemCommand({ RequestItems: { Orders: { Keys: [key], AttributesToGet: ['n'] } } }));
    expect(batch.Responses?.Orders).toEqual([{ n: N(2) }]);
  });

  it.each([
    [{ Expected: { n: { Value: N(1) } }, ConditionExpression: 'attribute_exists(n)' }, 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}'],
    [{ Expected: { n: { Exists: false, Value: N(1) } } }, 'One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: n'],
    [{ Expected: { n: { Exists: true } } }, 'One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: n'],
    [{ Expected: { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(1)] } } }, 'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator'],
    [{ Expected: { n: { ComparisonOperator: 'LT', AttributeValueList: [{ SS: ['a'] }] } } }, 'One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type'],
    [{ Expected: { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(5), N(1)] } } }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ Expected: { n: { ComparisonOperator: 'NOPE', AttributeValueList: [N(1)] } } }, 'Comparison type does not exist in DynamoDB'],
    [{ ConditionalOperator: 'OR' }, 'ConditionalOperator cannot be used without Filter or Expected'],
    [{ Expected: { n: { Value: N(1) } }, ExpressionAttributeNames: { '#n': 'n' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
  ])('a malformed or mixed legacy request is DynamoDB’s ValidationException (%j)', async (extra, message) => {
    const { client } = await seeded();
    expect(await failure(client.send(new PutItemCommand({ TableName: 'Orders', Item: key, ...(extra as object) })))).toMatchObject({ name: 'ValidationException', message });
  });

  it.each([
    [{ Expected: { n: { Value: N(1), AttributeValueList: [N(2)] } } }, 'One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: n'],
    [{ Expected: { zz: { Exists: false, AttributeValueList: [N(2)] } } }, 'One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: zz'],
    [{ Expected: { '': { Exists: false } } }, 'Empty attribute name'],
    [{ Expected: {}, ConditionalOperator: 'OR' }, 'ConditionalOperator cannot be used without Filter or Expected'],
    // the bad value's own complaint, not the rewrite's placeholder (":l0") nor ExpressionAttributeValues, which the request never had
    [{ Expected: { n: { Value: { N: 'abc' } } } }, 'A value provided cannot be converted into a number'],
  ])('refuses what DynamoDB refuses in Expected, in its words (%j)', async (extra, message) => {
    const { client } = await seeded();
    expect(await failure(client.send(new PutItemCommand({ TableName: 'Orders', Item: key, ...(extra as object) })))).toMatchObject({ name: 'ValidationException', message });
  });

  it('takes an IN of more than the 100 operands an expression takes, as DynamoDB does', async () => {
    const { client } = await seeded();
    const many = Array.from({ length: 250 }, (_, i) => N(i + 10));
    expect((await failure(client.send(new PutItemCommand({ TableName: 'Orders', Item: key, Expected: { n: { ComparisonOperator: 'IN', AttributeValueList: many } } })))).name).toBe('ConditionalCheckFailedException');
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { ...key, n: N(7) }, Expected: { n: { ComparisonOperator: 'IN', AttributeValueList: [...many, N(2)] } } }));
    expect((await client.send(new GetItemCommand({ TableName: 'Orders', Key: key }))).Item?.n).toEqual(N(7));
  });

  it('holds legacy parameters to no limit of an expression a caller writes: their rewrites of 4 KB and more, and of more than 300 operators, are taken, as DynamoDB Local takes them (they were refused)', async () => {
    const { endpoint } = await seeded();
    const each = (n: number, condition: unknown) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, condition]));
    const eq = { ComparisonOperator: 'EQ', AttributeValueList: [N(1)] };
    const names = Array.from({ length: 1000 }, (_, i) => `a${i}`);
    // each rewrite is over 4 KB as an expression (7.7 KB and 799 operators for the ScanFilter)
    expect(endpoint.call('Scan', { TableName: 'Orders', ScanFilter: each(400, eq) })).toMatchObject({ Count: 0 });
    expect(endpoint.call('Query', { TableName: 'Orders', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } }, QueryFilter: each(400, eq), ConditionalOperator: 'OR' })).toMatchObject({ Count: 0 });
    endpoint.call('PutItem', { TableName: 'Orders', Item: { ...key, n: N(5) }, Expected: each(400, { Exists: false }) });
    endpoint.call('UpdateItem', { TableName: 'Orders', Key: key, AttributeUpdates: each(600, { Action: 'PUT', Value: N(1) }) });
    expect(endpoint.call('GetItem', { TableName: 'Orders', Key: key, AttributesToGet: names })).toMatchObject({ Item: { a0: N(1), a599: N(1) } });
    expect(endpoint.call('BatchGetItem', { RequestItems: { Orders: { Keys: [key], AttributesToGet: names } } })).toMatchObject({ Responses: { Orders: [{ a0: N(1), a599: N(1) }] } });
    // the same limit still holds for the expression a caller writes
    expect(() => endpoint.call('GetItem', { TableName: 'Orders', Key: key, ProjectionExpression: names.join(', ') })).toThrow('Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;');
  });

  it('reads a legacy member sent as JSON null, or an empty ExpressionAttributeNames, as absent (DynamoDB’s JSON protocol)', async () => {
    const { endpoint } = await seeded();
    expect(endpoint.call('GetItem', { TableName: 'Orders', Key: key, AttributesToGet: null })).toMatchObject({ Item: { n: N(2) } });
    endpoint.call('PutItem', { TableName: 'Orders', Item: { ...key, n: N(3) }, Expected: null, ConditionalOperator: null, ConditionExpression: 'attribute_exists(pk)' });
    endpoint.call('PutItem', { TableName: 'Orders', Item: { ...key, n: N(4) }, Expected: { n: { Value: N(3) }, zz: { Exists: false, Value: null } }, ExpressionAttributeNames: {} });
    expect(endpoint.call('GetItem', { TableName: 'Orders', Key: key })).toMatchObject({ Item: { n: N(4) } });
  });

  it('refuses an empty attribute name anywhere, as DynamoDB does (one was stored)', async () => {
    const { endpoint } = await seeded();
    expect(() => endpoint.call('PutItem', { TableName: 'Orders', Item: { ...key, '': N(1) } })).toThrow('Empty attribute name');
    expect(() => endpoint.call('PutItem', { TableName: 'Orders', Item: { ...key, m: { M: { '': N(1) } } } })).toThrow('Empty attribute name');
    expect(() => endpoint.call('UpdateItem', { TableName: 'Orders', Key: key, UpdateExpression: 'SET #e = :v', ExpressionAttributeNames: { '#e': '' }, ExpressionAttributeValues: { ':v': N(1) } })).toThrow('ExpressionAttributeNames contains invalid value: Empty attribute name for key #e');
    expect(() => endpoint.call('UpdateItem', { TableName: 'Orders', Key: key, AttributeUpdates: { '': { Action: 'PUT', Value: N(1) } } })).toThrow('Empty attribute name');
    // a null expression member (raw JSON) is no expression: it answered 500 with a TypeError
    expect(endpoint.call('PutItem', { TableName: 'Orders', Item: { ...key, n: N(8) }, ConditionExpression: null })).toEqual({});
    expect(endpoint.call('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Orders', Item: { ...key, n: N(9) }, ConditionExpression: null } }] })).toEqual({});
  });

  it('words KeyConditions, Select and BatchGetItem mistakes as DynamoDB Local does', async () => {
    const { endpoint } = await seeded();
    const refused = (operation: string, input: Record<string, unknown>) => {
      try {
        endpoint.call(operation, input);
      } catch (error) {
        return (error as Error).message;
      }
      return 'answered';
    };
    const eq = (v: AttributeValue) => ({ ComparisonOperator: 'EQ', AttributeValueList: [v] });
    expect(refused('Query', { TableName: 'Orders', KeyConditions: { pk: eq(S('a')), sk: eq(N(1)), n: eq(N(2)) } })).toBe('Conditions can be of length 1 or 2 only');
    expect(refused('Query', { TableName: 'Orders', KeyConditions: { pk: eq(S('a')), sk: { ComparisonOperator: 'IN', AttributeValueList: [N(1)] } } })).toBe('Attempted conditional constraint is not an indexable operation');
    expect(refused('Query', { TableName: 'Orders', KeyConditions: { pk: eq(S('a')) }, AttributesToGet: ['n'], Select: 'COUNT' })).toBe('Cannot specify the AttributesToGet when choosing to get only the Count');
    expect(refused('BatchGetItem', { RequestItems: { Orders: { Keys: [key], AttributesToGet: ['n', 'n'] } } })).toBe('One or more parameter values were invalid: Duplicate value in attribute name: n');
    expect(refused('Query', { TableName: 'Orders', KeyConditions: { pk: eq(S('a')) }, QueryFilter: { n: eq(N(2)) }, FilterExpression: 'n = :n', ExpressionAttributeValues: { ':n': N(2) } })).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {FilterExpression}',
    );
    // KeyConditions alone beside a filter: refused as the service refuses it, naming it (the list read `{}`)
    expect(refused('Query', { TableName: 'Orders', KeyConditions: { pk: eq(S('a')) }, FilterExpression: 'n = :n', ExpressionAttributeValues: { ':n': N(2) } })).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {FilterExpression}',
    );
  });

  it('words a refusal of the rewritten request in the legacy parameters’ terms', async () => {
    const { client } = await seeded();
    const update = (AttributeUpdates: Record<string, unknown>) => failure(client.send(new UpdateItemCommand({ TableName: 'Orders', Key: key, AttributeUpdates: AttributeUpdates as never })));
    expect((await update({ sk: { Action: 'PUT', Value: N(2) } })).message).toBe('One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key');
    expect((await update({ s: { Action: 'ADD', Value: N(1) } })).message).toBe('Type mismatch for attribute to update');
    expect((await update({ s: { Action: 'ADD', Value: S('x') } })).message).toBe('One or more parameter values were invalid: ADD action is not supported for the type STRING');
    const filter = failure(client.send(new QueryCommand({ TableName: 'Orders', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } }, QueryFilter: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [N(1)] } } })));
    expect((await filter).message).toBe('QueryFilter can only contain non-primary key attributes: Primary key attribute: sk');
  });

  it('leaves a request without legacy parameters as it is (the same object)', () => {
    const input = { TableName: 'Orders', Item: key, ConditionExpression: 'attribute_not_exists(pk)' };
    expect(withoutLegacy('PutItem', input)).toBe(input);
    expect(withoutLegacy('PutItem', { TableName: 'Orders', Item: key, Expected: { pk: { Exists: false } } })).toEqual({
      TableName: 'Orders',
      Item: key,
      ConditionExpression: 'attribute_not_exists(#l0)',
      ExpressionAttributeNames: { '#l0': 'pk' },
    });
  });
});
