import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { GlobalTables } from '../../src/index.js';

const A = 'us-east-1';
const B = 'eu-west-1';

function clients(model: GlobalTables) {
  const raw = (region: string) => new DynamoDBClient({ region, requestHandler: model.requestHandler, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  return { raw, docs: (region: string) => DynamoDBDocumentClient.from(raw(region)) };
}

describe("GlobalTables: the model as a library (import { GlobalTables } from 'geosim')", () => {
  it('replicates a DocumentClient write to the other region after the lag, in virtual time', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 500 });
    const { docs } = clients(model);
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'o-1', status: 'new', tags: new Set(['a', 'b']) } }));
    await docs(A).send(new UpdateCommand({ TableName: 'GlobalEventTable', Key: { Id: 'o-1' }, UpdateExpression: 'SET #s = :s ADD #v :one', ConditionExpression: 'attribute_exists(Id)', ExpressionAttributeNames: { '#s': 'status', '#v': 'Views' }, ExpressionAttributeValues: { ':s': 'paid', ':one': 1 } }));
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'o-1' } }))).Item).toBeUndefined();
    await model.advance(499);
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'o-1' } }))).Item).toBeUndefined();
    await model.advance(1);
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'o-1' } }))).Item).toEqual({ Id: 'o-1', status: 'paid', Views: 1, tags: new Set(['a', 'b']) });
    expect(model.now).toBe(500);
    expect(model.trace.filter((e) => e.kind === 'replication-applied')).toHaveLength(2);
  });

  it('holds writes on a paused link and delivers them on resume', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 100 });
    const { docs } = clients(model);
    model.pauseReplication(A, B);
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'x' } }));
    await model.advance(10_000);
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'x' } }))).Item).toBeUndefined();
    model.resumeReplication(A, B);
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'x' } }))).Item).toEqual({ Id: 'x' });
  });

  it('creates a table in every region and refuses a region it does not model', async () => {
    const model = new GlobalTables({ regions: [A, B] });
    const { raw } = clients(model);
    await raw(B).send(new CreateTableCommand({ TableName: 'Orders', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    expect((await raw(A).send(new ListTablesCommand({}))).TableNames).toEqual(['GlobalEventTable', 'Orders']);
    await expect(raw('ap-south-1').send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: expect.stringContaining('ap-south-1 is not a region of this model') });
  });

  it('refuses options that make no model', () => {
    expect(() => new GlobalTables({ regions: [] })).toThrow(RangeError);
    expect(() => new GlobalTables({ regions: [A, A] })).toThrow(/distinct/);
  });
});
