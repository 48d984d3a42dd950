import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

  it('unchangedWrites: a put of what the item holds replicates and wins by default; with skip it sends nothing and the later write elsewhere wins', async () => {
    for (const unchangedWrites of [undefined, 'skip'] as const) {
      const model = new GlobalTables({ regions: [A, B], lag: 500, ...(unchangedWrites ? { unchangedWrites } : {}) });
      const { docs } = clients(model);
      await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'x', v: 1 } }));
      await model.advance(1000);
      await docs(B).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'x', v: 2 } }));
      await model.advance(10);
      await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'x', v: 1 } }));
      await model.settle();
      const got = await Promise.all([A, B].map(async (r) => (await docs(r).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'x' } }))).Item));
      expect(got).toEqual(unchangedWrites === 'skip' ? [{ Id: 'x', v: 2 }, { Id: 'x', v: 2 }] : [{ Id: 'x', v: 1 }, { Id: 'x', v: 1 }]);
    }
    expect(() => new GlobalTables({ regions: [A, B], unchangedWrites: 'never' as 'skip' })).toThrow(new RangeError(`unchangedWrites takes 'replicate' or 'skip', got "never"`));
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

  it('refuses to pause or resume a link that is not two regions of the model (a misspelt region paused nothing, silently)', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 100 });
    const { docs } = clients(model);
    expect(() => model.pauseReplication(A, 'eu-west-2')).toThrow(new RangeError('pauseReplication takes two different regions of this model (us-east-1, eu-west-1), got "us-east-1" to "eu-west-2"'));
    expect(() => model.pauseReplication(A, A)).toThrow(RangeError);
    expect(() => model.resumeReplication('us-east-2', B)).toThrow(new RangeError('resumeReplication takes two different regions of this model (us-east-1, eu-west-1), got "us-east-2" to "eu-west-1"'));
    // nothing was paused: a write replicates as usual
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'x' } }));
    await model.advance(100);
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'x' } }))).Item).toEqual({ Id: 'x' });
  });

  it('refuses to advance by a number of ms that is not finite (advance(Infinity) left the clock at Infinity)', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 100 });
    for (const ms of [Infinity, -1, Number.NaN]) await expect(model.advance(ms)).rejects.toThrow(new RangeError(`advance takes a finite number of ms >= 0, got ${ms}`));
    expect(model.now).toBe(0);
    await model.advance(100);
    expect(model.now).toBe(100);
  });

  it('creates a table in every region and refuses a region it does not model', async () => {
    const model = new GlobalTables({ regions: [A, B] });
    const { raw } = clients(model);
    await raw(B).send(new CreateTableCommand({ TableName: 'Orders', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    expect((await raw(A).send(new ListTablesCommand({}))).TableNames).toEqual(['GlobalEventTable', 'Orders']);
    await expect(raw('ap-south-1').send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: expect.stringContaining('ap-south-1 is not a region of this model') });
  });

  it('traces a program’s reads: a query with its values, a legacy one as the expressions it stands for, a malformed one refused as DynamoDB refuses it', async () => {
    const model = new GlobalTables({ regions: [A, B] });
    const endpoint = model.endpoint(A);
    await endpoint.handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' }, n: { N: '1' } } });
    await endpoint.handle('Query', { TableName: 'GlobalEventTable', KeyConditionExpression: 'Id = :id', ExpressionAttributeValues: { ':id': { S: 'A' } } });
    await endpoint.handle('Query', { TableName: 'GlobalEventTable', KeyConditions: { Id: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'A' }] } } });
    await endpoint.handle('GetItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'A' } }, AttributesToGet: ['n'] });
    // not a TypeError of the trace's: the request is DynamoDB's to refuse
    await expect(endpoint.handle('Query', { TableName: 'GlobalEventTable', KeyConditionExpression: 'Id = :id', ExpressionAttributeValues: { ':id': {} } })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(endpoint.handle('Query', { TableName: 'GlobalEventTable', KeyConditionExpression: 'Id = :id', ExpressionAttributeValues: { ':id': null } })).rejects.toMatchObject({ name: 'ValidationException' });
    const reads = model.trace.filter((e) => e.kind === 'read').map((e) => [e.itemId, e.request, 'items' in e ? e.items?.length : e.item, e.error?.name]);
    expect(reads).toEqual([
      ['GlobalEventTable: Id = :id', { operation: 'Query', table: 'GlobalEventTable', keyCondition: 'Id = :id', values: { ':id': 'A' } }, 1, undefined],
      ['GlobalEventTable: Id = "A"', { operation: 'Query', table: 'GlobalEventTable', keyCondition: 'Id = "A"' }, 1, undefined],
      ['A', { operation: 'GetItem', table: 'GlobalEventTable', projection: 'n' }, { n: 1 }, undefined],
      ['GlobalEventTable: Id = :id', { operation: 'Query', table: 'GlobalEventTable', keyCondition: 'Id = :id' }, 0, 'ValidationException'],
      ['GlobalEventTable: Id = :id', { operation: 'Query', table: 'GlobalEventTable', keyCondition: 'Id = :id' }, 0, 'ValidationException'],
    ]);
  });

  it('refuses options that make no model', () => {
    expect(() => new GlobalTables({ regions: [] })).toThrow(RangeError);
    expect(() => new GlobalTables({ regions: [A, A] })).toThrow(/distinct/);
    // as a scenario's: the SDK refused such a name later, inside a request ("Region not accepted")
    expect(() => new GlobalTables({ regions: [A, 'Europe West'] })).toThrow(new RangeError('regions must be AWS region names such as us-east-1 or eu-west-1, got "Europe West"'));
    // from JavaScript, where the type does not stop it: a misspelt tie-break made the lower region win
    expect(() => new GlobalTables({ regions: [A, B], tieBreak: 'highest' as 'higher-region' })).toThrow(new RangeError(`tieBreak takes 'higher-region' or 'lower-region', got "highest"`));
    expect(new GlobalTables({ regions: [A, B], tieBreak: 'lower-region' }).regions).toEqual([A, B]);
  });
});

describe('GlobalTables: Time to Live, streams and index lag', () => {
  const epochMs = Date.UTC(2026, 0, 1);

  it('settles what is in flight, an expiry due meanwhile included, without moving the clock to a later expiry (it jumped a day ahead and deleted the item)', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 1000, epochMs });
    const { docs } = clients(model);
    const get = async (region: string, Id: string) => (await docs(region).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id } }))).Item;
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'soon', ExpiresAt: epochMs / 1000 } }));
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'in-a-day', ExpiresAt: epochMs / 1000 + 86_400 } }));
    await model.settle();
    // 'soon' expired at 0 in us-east-1, its delete reached eu-west-1 at 1000: both settled
    expect(model.now).toBe(1000);
    for (const region of [A, B]) {
      expect(await get(region, 'soon')).toBeUndefined();
      expect(await get(region, 'in-a-day')).toEqual({ Id: 'in-a-day', ExpiresAt: epochMs / 1000 + 86_400 });
    }
    await model.advance(86_400_000);
    expect(await get(A, 'in-a-day')).toBeUndefined();
    await model.settle();
    expect(await get(B, 'in-a-day')).toBeUndefined();
  });

  it('expires an item in the run time, in one region, and replicates the delete', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 200, epochMs });
    const { docs } = clients(model);
    const expiresAt = epochMs / 1000 + 10; // epoch seconds, 10 s into the run
    await docs(B).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'IDEMPOTENCY#k', ExpiresAt: expiresAt } }));
    await model.advance(9_999);
    expect((await docs(A).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'IDEMPOTENCY#k' } }))).Item).toBeDefined();
    await model.advance(1);
    expect((await docs(A).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'IDEMPOTENCY#k' } }))).Item).toBeUndefined();
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'IDEMPOTENCY#k' } }))).Item).toBeDefined();
    await model.advance(200);
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'IDEMPOTENCY#k' } }))).Item).toBeUndefined();
    const expired = model.trace.filter((e) => e.kind === 'local-write' && e.expired);
    expect(expired).toMatchObject([{ t: 10_000, region: A, op: 'delete', cause: 'TTL', after: null }]);

    // The Streams API of each replica: the service's delete only where it happened.
    const records = async (region: string) => {
      const endpoint = model.endpoint(region);
      const { Streams } = (await endpoint.handle('ListStreams', { TableName: 'GlobalEventTable' })) as { Streams: { StreamArn: string }[] };
      const { StreamDescription } = (await endpoint.handle('DescribeStream', { StreamArn: Streams[0]!.StreamArn })) as { StreamDescription: { Shards: { ShardId: string }[] } };
      const { ShardIterator } = (await endpoint.handle('GetShardIterator', { StreamArn: Streams[0]!.StreamArn, ShardId: StreamDescription.Shards[0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' })) as { ShardIterator: string };
      return ((await endpoint.handle('GetRecords', { ShardIterator })) as { Records: { eventName: string; userIdentity?: unknown }[] }).Records;
    };
    expect((await records(A)).map((r) => [r.eventName, r.userIdentity])).toEqual([
      ['INSERT', undefined],
      ['REMOVE', { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }],
    ]);
    expect((await records(B)).map((r) => [r.eventName, r.userIdentity])).toEqual([
      ['INSERT', undefined],
      ['REMOVE', undefined],
    ]);
  });

  it('lets a GSI query miss a write for the index lag', async () => {
    const model = new GlobalTables({ regions: [A, B], indexLagMs: 100 });
    const { raw } = clients(model);
    const query = async () =>
      (await model.endpoint(A).handle('Query', { TableName: 'GlobalEventTable', IndexName: 'IdempotencyIndex', KeyConditionExpression: 'IdempotencyKey = :k', ExpressionAttributeValues: { ':k': { S: 'k-1' } } })).Count;
    await raw(A).send(new CreateTableCommand({ TableName: 'Other', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await model.endpoint(A).handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'x' }, IdempotencyKey: { S: 'k-1' } } });
    expect(await query()).toBe(0);
    await model.advance(100);
    expect(await query()).toBe(1);
  });
});

describe('GlobalTables.settle() with an index lag: the global secondary indexes catch up too', () => {
  const epochMs = Date.UTC(2026, 0, 1);
  /** The Ids a Query on GlobalEventTable's IdempotencyIndex finds for one key, in one region. */
  const indexed = async (model: GlobalTables, region: string, key: string) => {
    const out = await clients(model).docs(region).send(new QueryCommand({ TableName: 'GlobalEventTable', IndexName: 'IdempotencyIndex', KeyConditionExpression: 'IdempotencyKey = :k', ExpressionAttributeValues: { ':k': key } }));
    return (out.Items ?? []).map((item) => item.Id as string).sort();
  };

  it('after settle() a Query on a GSI in every region sees the writes of every region (it missed those of the last indexLagMs)', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 1000, indexLagMs: 500 });
    const { raw, docs } = clients(model);
    // a table of the caller's own, created in one region (so in both), and the scenario table's GSI
    await raw(A).send(
      new CreateTableCommand({
        TableName: 'Orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }, { AttributeName: 'customer', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'ByCustomer', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }),
    );
    await docs(A).send(new PutCommand({ TableName: 'Orders', Item: { Id: 'o-1', customer: 'c-1' } }));
    await docs(B).send(new PutCommand({ TableName: 'Orders', Item: { Id: 'o-2', customer: 'c-1' } }));
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'e-1', IdempotencyKey: 'k-1' } }));
    await docs(B).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'e-2', IdempotencyKey: 'k-1' } }));
    await model.settle();
    for (const region of [A, B]) {
      const byCustomer = await docs(region).send(new QueryCommand({ TableName: 'Orders', IndexName: 'ByCustomer', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': 'c-1' } }));
      expect((byCustomer.Items ?? []).map((item) => item.Id).sort()).toEqual(['o-1', 'o-2']);
      expect(await indexed(model, region, 'k-1')).toEqual(['e-1', 'e-2']);
    }
    // replicated at 1000, in the indexes 500 ms later; settled already, settling again moves nothing
    expect(model.now).toBe(1500);
    await model.settle();
    expect(model.now).toBe(1500);
  });

  it('settle() runs a Time to Live delete due while the indexes catch up, and still does not move the clock to a later expiry', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 1000, indexLagMs: 2000, epochMs });
    const { docs } = clients(model);
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'in-2s', IdempotencyKey: 'k', ExpiresAt: epochMs / 1000 + 2 } }));
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'in-a-day', IdempotencyKey: 'k', ExpiresAt: epochMs / 1000 + 86_400 } }));
    await model.settle();
    // replicated at 1000, indexed by 3000; 'in-2s' expired at 2000 on the way, its delete reached
    // eu-west-1 at 3000 and the indexes at 5000; 'in-a-day' waits for advance
    expect(model.now).toBe(5000);
    for (const region of [A, B]) expect(await indexed(model, region, 'k')).toEqual(['in-a-day']);
    expect(model.trace.filter((e) => e.kind === 'local-write' && e.expired).map((e) => [e.t, e.itemId])).toEqual([[2000, 'in-2s']]);
  });

  it('settle() leaves what a paused link holds held; once resumed, settle() brings it to that region’s indexes', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 100, indexLagMs: 500 });
    const { docs } = clients(model);
    model.pauseReplication(A, B);
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'x', IdempotencyKey: 'k' } }));
    await model.settle();
    expect(model.now).toBe(500);
    expect(await indexed(model, A, 'k')).toEqual(['x']);
    expect(await indexed(model, B, 'k')).toEqual([]);
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'x' } }))).Item).toBeUndefined();
    model.resumeReplication(A, B);
    // delivered at the resume, in eu-west-1's table at once and in its index 500 ms later
    expect((await docs(B).send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'x' } }))).Item).toEqual({ Id: 'x', IdempotencyKey: 'k' });
    expect(await indexed(model, B, 'k')).toEqual([]);
    await model.settle();
    expect(model.now).toBe(1000);
    expect(await indexed(model, B, 'k')).toEqual(['x']);
  });

  it('settle() without an index lag does not move the clock past the last delivery', async () => {
    const model = new GlobalTables({ regions: [A, B], lag: 1000 });
    const { docs } = clients(model);
    await docs(A).send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'x', IdempotencyKey: 'k' } }));
    await model.settle();
    expect(model.now).toBe(1000);
    expect(await indexed(model, B, 'k')).toEqual(['x']);
  });
});

describe('GlobalTables.clientConfig: the fast client of one region', () => {
  it('sends unsigned requests to its own region’s replica, under DocumentClient too', async () => {
    const model = new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], lag: 500 });
    const seen: Array<string | undefined> = [];
    const config = model.clientConfig('eu-west-1');
    const handle = config.requestHandler.handle.bind(config.requestHandler);
    config.requestHandler.handle = (request, options) => {
      seen.push(request.headers.authorization);
      return handle(request, options);
    };
    const docs = DynamoDBDocumentClient.from(new DynamoDBClient(config));
    await docs.send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'o-1', at: 'eu' } }));
    const here = await docs.send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'o-1' } }));
    expect(here.Item).toEqual({ Id: 'o-1', at: 'eu' });
    const there = DynamoDBDocumentClient.from(new DynamoDBClient(model.clientConfig('us-east-1')));
    expect((await there.send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'o-1' } }))).Item).toBeUndefined();
    await model.advance(500);
    expect((await there.send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'o-1' } }))).Item).toEqual({ Id: 'o-1', at: 'eu' });
    expect(seen).toEqual([undefined, undefined]);
  });
});
