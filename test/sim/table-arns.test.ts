import { BatchGetItemCommand, BatchWriteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { GlobalTables } from '../../src/index.js';

const A = 'us-east-1';
const B = 'eu-west-1';
const TABLE = 'GlobalEventTable';

/** DynamoDB takes a table's ARN wherever it takes its name (CDK's `table.tableArn` in a handler's environment). */
describe('a table named by its ARN', () => {
  const setup = async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 100 });
    const client = (region: string) => new DynamoDBClient({ region, requestHandler: model.requestHandler, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const arnOf = async (region: string) => (await client(region).send(new DescribeTableCommand({ TableName: TABLE }))).Table!.TableArn!;
    return { model, client, arnOf };
  };

  it('is the table in every request that names one: a put, a get, a query, a transaction, a batch (keyed by name in the answer, as DynamoDB Local keys it), traced by the item’s id', async () => {
    const { model, client, arnOf } = await setup();
    const arn = await arnOf(A);
    expect(arn).toBe(`arn:aws:dynamodb:${A}:000000000000:table/${TABLE}`);
    const c = client(A);
    await c.send(new PutItemCommand({ TableName: arn, Item: { Id: { S: 'o-1' }, n: { N: '1' } }, ConditionExpression: 'attribute_not_exists(Id)' }));
    expect((await c.send(new GetItemCommand({ TableName: arn, Key: { Id: { S: 'o-1' } } }))).Item).toEqual({ Id: { S: 'o-1' }, n: { N: '1' } });
    expect((await c.send(new QueryCommand({ TableName: arn, KeyConditionExpression: 'Id = :id', ExpressionAttributeValues: { ':id': { S: 'o-1' } } }))).Count).toBe(1);
    await c.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: { TableName: arn, Key: { Id: { S: 'o-1' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }, { Put: { TableName: TABLE, Item: { Id: { S: 'o-2' } } } }] }));
    const batch = await c.send(new BatchGetItemCommand({ RequestItems: { [arn]: { Keys: [{ Id: { S: 'o-1' } }, { Id: { S: 'o-2' } }] } }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(Object.keys(batch.Responses!)).toEqual([TABLE]);
    expect(batch.ConsumedCapacity?.[0]?.TableName).toBe(TABLE);
    // the scenario's table, named in no write's event (as by its name)
    const writes = model.trace.filter((e) => e.kind === 'local-write');
    expect(writes.map((e) => e.itemId)).toEqual(['o-1', 'o-1', 'o-2']);
    expect(writes.map((e) => e.table)).toEqual([undefined, undefined, undefined]);
    // a refused write named by its ARN is traced as any other
    await expect(c.send(new PutItemCommand({ TableName: arn, Item: { Id: { S: 'o-1' } }, ConditionExpression: 'attribute_not_exists(Id)' }))).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(model.trace.filter((e) => e.kind === 'condition-failed').map((e) => e.itemId)).toEqual(['o-1']);
    await model.settle();
    expect((await client(B).send(new GetItemCommand({ TableName: await arnOf(B), Key: { Id: { S: 'o-1' } } }))).Item).toEqual({ Id: { S: 'o-1' }, n: { N: '2' } });
  });

  it('and by its name in one batch is refused (the two entries became one: the first one’s requests were dropped, the answer a success)', async () => {
    const { client, arnOf } = await setup();
    const arn = await arnOf(A);
    const write = client(A).send(new BatchWriteItemCommand({ RequestItems: { [arn]: [{ PutRequest: { Item: { Id: { S: 'x1' } } } }], [TABLE]: [{ PutRequest: { Item: { Id: { S: 'y1' } } } }] } }));
    await expect(write).rejects.toMatchObject({ name: 'ValidationException', message: `RequestItems names the table ${TABLE} twice (by its name and by its ARN): give each table once` });
    const read = client(A).send(new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [{ Id: { S: 'y1' } }] }, [arn]: { Keys: [{ Id: { S: 'a' } }] } } }));
    await expect(read).rejects.toMatchObject({ name: 'ValidationException' });
    expect((await client(A).send(new GetItemCommand({ TableName: TABLE, Key: { Id: { S: 'y1' } } }))).Item).toBeUndefined();
  });

  it('of another region is not found at this region’s endpoint; one that is no table’s ARN is refused with DynamoDB Local’s message', async () => {
    const { client, arnOf } = await setup();
    const other = await arnOf(B);
    await expect(client(A).send(new PutItemCommand({ TableName: other, Item: { Id: { S: 'x' } } }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client(A).send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: other, Item: { Id: { S: 'x' } } } }] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client(A).send(new GetItemCommand({ TableName: `arn:aws:dynamodb:${A}:000000000000:table/Missing`, Key: { Id: { S: 'x' } } }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client(A).send(new GetItemCommand({ TableName: 'arn:aws:dynamodb:us-east-1:table/GlobalEventTable', Key: { Id: { S: 'x' } } }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType\/resourceName'/) });
  });
});
