import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInProcessRequestHandler, inProcessClientConfig } from '../../src/dynamodb/sdk-request-handler.js';
import { fakeRegions } from './fake-endpoint.js';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

function setup(...regions: string[]) {
  const fake = fakeRegions(...regions);
  const requestHandler = createInProcessRequestHandler({ endpointFor: fake.endpointFor });
  const client = (region: string) => new DynamoDBClient({ region, requestHandler, credentials });
  return { ...fake, requestHandler, client };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('in-process SDK v3 request handler', () => {
  it('puts and gets an item through DynamoDBClient, with the response metadata the SDK reads', async () => {
    const { client, endpoints } = setup('us-east-1');
    const c = client('us-east-1');
    const put = await c.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'o-1' }, Total: { N: '12.50' }, Tags: { SS: ['a', 'b'] } } }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(put.$metadata.requestId).toBe('00000000-0000-4000-8000-000000000001');
    const got = await c.send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'o-1' } } }));
    expect(got.Item).toEqual({ Id: { S: 'o-1' }, Total: { N: '12.50' }, Tags: { SS: ['a', 'b'] } });
    expect(endpoints.get('us-east-1')!.calls.map((c) => c.operation)).toEqual(['PutItem', 'GetItem']);
    // The endpoint receives the wire shape, exactly what the SDK sent.
    expect(endpoints.get('us-east-1')!.calls[1]!.input).toEqual({ TableName: 'Orders', Key: { Id: { S: 'o-1' } } });
  });

  it('serves DynamoDBDocumentClient (native values marshalled and unmarshalled by the SDK)', async () => {
    const { client } = setup('us-east-1');
    const docs = DynamoDBDocumentClient.from(client('us-east-1'));
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { Id: 'o-2', Total: 7, Lines: [{ sku: 'x', qty: 2 }], Gift: true } }));
    const got = await docs.send(new GetCommand({ TableName: 'Orders', Key: { Id: 'o-2' } }));
    expect(got.Item).toEqual({ Id: 'o-2', Total: 7, Lines: [{ sku: 'x', qty: 2 }], Gift: true });
  });

  it("surfaces a DynamoDBError as the SDK's typed exception with DynamoDB's message", async () => {
    const { client } = setup('us-east-1');
    const error = await client('us-east-1')
      .send(new GetItemCommand({ TableName: 'Missing', Key: { Id: { S: 'a' } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).message).toBe('Cannot do operations on a non-existent table');
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(400);
    expect((error as ResourceNotFoundException).$fault).toBe('client');
  });

  it('gives ConditionalCheckFailedException its Item when the request asked for ALL_OLD, and none otherwise', async () => {
    const { client } = setup('us-east-1');
    const c = client('us-east-1');
    await c.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'o-3' }, V: { N: '1' } } }));
    const conditional = (extra: object) =>
      c.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'o-3' } }, ConditionExpression: 'attribute_not_exists(Id)', ...extra })).catch((e: unknown) => e);
    const withItem = await conditional({ ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    expect(withItem).toBeInstanceOf(ConditionalCheckFailedException);
    expect((withItem as ConditionalCheckFailedException).message).toBe('The conditional request failed');
    expect((withItem as ConditionalCheckFailedException).Item).toEqual({ Id: { S: 'o-3' }, V: { N: '1' } });
    const without = await conditional({});
    expect(without).toBeInstanceOf(ConditionalCheckFailedException);
    expect((without as ConditionalCheckFailedException).Item).toBeUndefined();
  });

  it("routes each request to the endpoint of the client's region (one handler, two regions)", async () => {
    const { client, endpoints } = setup('us-east-1', 'eu-west-1');
    await client('us-east-1').send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'only-us' } } }));
    await client('eu-west-1').send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'only-eu' } } }));
    expect(endpoints.get('us-east-1')!.calls.map((c) => (c.input.Item as { Id: { S: string } }).Id.S)).toEqual(['only-us']);
    expect(endpoints.get('eu-west-1')!.calls.map((c) => (c.input.Item as { Id: { S: string } }).Id.S)).toEqual(['only-eu']);
    const fromEu = await client('eu-west-1').send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'only-us' } } }));
    expect(fromEu.Item).toBeUndefined();
  });

  it('sends every request to its fixed region when given one, whatever the client signed for', async () => {
    const fake = fakeRegions('us-east-1', 'eu-west-1');
    const requestHandler = createInProcessRequestHandler({ endpointFor: fake.endpointFor, region: 'eu-west-1' });
    // signed for us-east-1 (and for a region nobody serves): both land in eu-west-1
    for (const region of ['us-east-1', 'ap-south-1']) {
      await new DynamoDBClient({ region, requestHandler, credentials }).send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: `from-${region}` } } }));
    }
    expect(fake.endpoints.get('eu-west-1')!.calls.map((c) => (c.input.Item as { Id: { S: string } }).Id.S)).toEqual(['from-us-east-1', 'from-ap-south-1']);
    expect(fake.endpoints.get('us-east-1')!.calls).toEqual([]);
  });

  it('answers a region nobody serves with the error the resolver throws', async () => {
    const { client } = setup('us-east-1');
    await expect(client('ap-south-1').send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'a' } } }))).rejects.toThrow(ResourceNotFoundException);
  });

  it('passes an operation the endpoint does not serve back as UnknownOperationException', async () => {
    const { client } = setup('us-east-1');
    const error = await client('us-east-1').send(new DescribeTableCommand({ TableName: 'Orders' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamoDBServiceException);
    expect((error as Error).name).toBe('UnknownOperationException');
    expect((error as Error).message).toBe('An unknown operation was requested.');
  });

  it('serves the DynamoDB Streams client too (DynamoDBStreams_20120810 target)', async () => {
    const { endpointFor, endpoints, requestHandler } = setup('us-east-1');
    const streams = new DynamoDBStreamsClient({ region: 'us-east-1', requestHandler, credentials });
    expect((await streams.send(new ListStreamsCommand({}))).Streams).toEqual([]);
    expect(endpointFor('us-east-1')).toBe(endpoints.get('us-east-1'));
    expect(endpoints.get('us-east-1')!.calls.map((c) => c.operation)).toEqual(['ListStreams']);
  });

  it('lets a bug behind the endpoint surface as itself, once (no retry, no 500 dressing)', async () => {
    const { client, endpoints } = setup('us-east-1');
    const c = client('us-east-1');
    const explode = { name: 'Explode', input: {} };
    // A command for an operation the SDK does not have: reuse GetItem's pipeline with another target.
    c.middlewareStack.add((next) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      request.headers['x-amz-target'] = `DynamoDB_20120810.${explode.name}`;
      return next(args);
    }, { step: 'build' });
    const error = await c.send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'a' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('a bug behind the endpoint');
    expect((error as { $metadata: { attempts: number } }).$metadata.attempts).toBe(1);
    expect(endpoints.get('us-east-1')!.calls.filter((call) => call.operation === explode.name)).toHaveLength(1);
  });

  it('opens no socket', async () => {
    const connect = vi.spyOn(Socket.prototype, 'connect');
    const { client } = setup('us-east-1');
    const c = client('us-east-1');
    await c.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'quiet' } } }));
    await c.send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'quiet' } } }));
    await c.send(new GetItemCommand({ TableName: 'Missing', Key: { Id: { S: 'quiet' } } })).catch(() => undefined);
    expect(connect).not.toHaveBeenCalled();
  });

  it('honours an abort signal that fired before the request', async () => {
    const { client } = setup('us-east-1');
    const controller = new AbortController();
    controller.abort();
    await expect(client('us-east-1').send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'a' } } }), { abortSignal: controller.signal })).rejects.toThrow();
  });
});

describe('inProcessClientConfig (the fast client settings)', () => {
  it('gives the answers of the default settings, unsigned, to the endpoint of its region', async () => {
    const fake = fakeRegions('us-east-1', 'eu-west-1');
    const config = inProcessClientConfig({ region: 'eu-west-1', endpointFor: fake.endpointFor });
    const seen: Record<string, string>[] = [];
    const handle = config.requestHandler.handle.bind(config.requestHandler);
    config.requestHandler.handle = (request, options) => {
      seen.push({ ...request.headers });
      return handle(request, options);
    };
    const fast = new DynamoDBClient(config);
    const slow = setup('eu-west-1').client('eu-west-1');
    const run = async (c: DynamoDBClient) => {
      const answers: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        answers.push(await c.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'o-1' }, Total: { N: '12.50' } } })));
        answers.push(await c.send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'o-1' } } })));
        const refused = await c
          .send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'o-1' } }, ConditionExpression: 'attribute_not_exists(Id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
          .catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(ConditionalCheckFailedException);
        const { $metadata, ...rest } = refused as ConditionalCheckFailedException;
        answers.push({ name: (refused as Error).name, message: (refused as Error).message, rest, $metadata });
      }
      return answers;
    };
    expect(await run(fast)).toEqual(await run(slow));
    expect(fake.endpoints.get('eu-west-1')!.calls).toHaveLength(6);
    expect(fake.endpoints.get('us-east-1')!.calls).toHaveLength(0);
    expect(seen).toHaveLength(6);
    for (const headers of seen) expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    const docs = DynamoDBDocumentClient.from(fast);
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { Id: 'o-2', Lines: [{ sku: 'x', qty: 2 }] } }));
    expect((await docs.send(new GetCommand({ TableName: 'Orders', Key: { Id: 'o-2' } }))).Item).toEqual({ Id: 'o-2', Lines: [{ sku: 'x', qty: 2 }] });
  });
});
