import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { failure, setup } from './setup.js';

describe('control plane', () => {
  it('validates CreateTable as DynamoDB Local does', async () => {
    const { client } = await setup();
    const base = { TableName: 'Other', BillingMode: 'PAY_PER_REQUEST' as const, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }] };
    expect(await failure(client.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }] })))).toMatchObject({
      message: 'The number of attributes in key schema must match the number of attributes defined in attribute definitions.',
    });
    expect(await failure(client.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }] })))).toMatchObject({ message: 'Hash Key not specified in Attribute Definitions.  Type unknown.' });
    expect(await failure(client.send(new CreateTableCommand({ ...base, TableName: 'ab', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] })))).toMatchObject({ message: expect.stringContaining('Invalid table/index name.') });
    expect(await failure(client.send(new CreateTableCommand({ ...base, TableName: 'Orders', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] })))).toMatchObject({ name: 'ResourceInUseException', message: 'Cannot create preexisting table' });
  });

  it('refuses LocalSecondaryIndexes in words of its own (they said the key schema did not match its definitions)', async () => {
    const { client } = await setup();
    const lsi = {
      TableName: 'WithLsi',
      BillingMode: 'PAY_PER_REQUEST' as const,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'N' as const },
        { AttributeName: 'at', AttributeType: 'N' as const },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' as const },
        { AttributeName: 'sk', KeyType: 'RANGE' as const },
      ],
      LocalSecondaryIndexes: [{ IndexName: 'ByAt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'at', KeyType: 'RANGE' as const }], Projection: { ProjectionType: 'ALL' as const } }],
    };
    expect(await failure(client.send(new CreateTableCommand(lsi)))).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^geosim does not model LocalSecondaryIndexes/) });
  });

  it('lists with pagination, describes, deletes; TTL configuration', async () => {
    const { client } = await setup();
    await client.send(new CreateTableCommand({ TableName: 'Accounts', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }] }));
    const first = await client.send(new ListTablesCommand({ Limit: 1 }));
    expect(first).toMatchObject({ TableNames: ['Accounts'], LastEvaluatedTableName: 'Accounts' });
    expect((await client.send(new ListTablesCommand({ ExclusiveStartTableName: 'Accounts' }))).TableNames).toEqual(['Orders']);
    const d = await client.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(d.Table).toMatchObject({ TableStatus: 'ACTIVE', ItemCount: 0, GlobalSecondaryIndexes: [expect.objectContaining({ IndexName: 'ByG', IndexStatus: 'ACTIVE' })] });
    expect((await client.send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    await client.send(new UpdateTimeToLiveCommand({ TableName: 'Orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    expect((await client.send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
    expect(await failure(client.send(new UpdateTimeToLiveCommand({ TableName: 'Orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } })))).toMatchObject({ message: 'TimeToLive is already enabled' });
    await client.send(new DeleteTableCommand({ TableName: 'Accounts' }));
    expect(await failure(client.send(new DescribeTableCommand({ TableName: 'Accounts' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
