import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { request } from 'node:http';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, startDynamoDBHttpServer, type DynamoDBHttpServer } from '../../src/dynamodb/http-server.js';
import { fakeRegions } from './fake-endpoint.js';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What `curl -X POST -H ... --data ...` would send. */
function raw(port: number, method: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: '/', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A SigV4-looking header written by hand: only the credential scope matters to the server. */
const sigv4 = (region: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/${region}/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef`;
const target = (op: string) => ({ 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${op}` });

describe('HTTP server (node:http on 127.0.0.1)', () => {
  const fake = fakeRegions('us-east-1', 'eu-west-1');
  const internalErrors: unknown[] = [];
  let server: DynamoDBHttpServer;
  beforeAll(async () => {
    server = await startDynamoDBHttpServer({ endpointFor: fake.endpointFor, port: 0, onInternalError: (e) => internalErrors.push(e) });
  });
  afterAll(async () => {
    await server?.close();
  });
  const client = (region: string) => new DynamoDBClient({ region, endpoint: server.url, credentials });

  it('binds 127.0.0.1 on a free port when asked for port 0, and says which', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('serves the SDK over HTTP: put, get, DocumentClient', async () => {
    const c = client('us-east-1');
    await c.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'h-1' }, N: { N: '1' } } }));
    expect((await c.send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'h-1' } } }))).Item).toEqual({ Id: { S: 'h-1' }, N: { N: '1' } });
    const docs = DynamoDBDocumentClient.from(c);
    await docs.send(new PutCommand({ TableName: 'Orders', Item: { Id: 'h-2', Tags: new Set(['a']) } }));
    expect((await docs.send(new GetCommand({ TableName: 'Orders', Key: { Id: 'h-2' } }))).Item).toEqual({ Id: 'h-2', Tags: new Set(['a']) });
  });

  it("gives the SDK DynamoDB's typed exceptions over HTTP, Item included", async () => {
    const c = client('us-east-1');
    const missing = await c.send(new GetItemCommand({ TableName: 'Missing', Key: { Id: { S: 'a' } } })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Cannot do operations on a non-existent table');
    await c.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'h-3' }, V: { N: '2' } } }));
    const failed = await c
      .send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'h-3' } }, ConditionExpression: 'attribute_not_exists(Id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failed as ConditionalCheckFailedException).Item).toEqual({ Id: { S: 'h-3' }, V: { N: '2' } });
  });

  it("routes by the SigV4 credential scope of the SDK's signature: one port, two regions", async () => {
    await client('eu-west-1').send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'eu-only' } } }));
    expect(fake.endpoints.get('eu-west-1')!.calls.some((c) => (c.input.Item as { Id: { S: string } } | undefined)?.Id.S === 'eu-only')).toBe(true);
    expect((await client('us-east-1').send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'eu-only' } } }))).Item).toBeUndefined();
    expect((await client('eu-west-1').send(new GetItemCommand({ TableName: 'Orders', Key: { Id: { S: 'eu-only' } } }))).Item).toEqual({ Id: { S: 'eu-only' } });
  });

  it('answers a curl-like request with a hand-written SigV4 header, routed by its credential scope', async () => {
    const body = JSON.stringify({ TableName: 'Orders', Item: { Id: { S: 'curl-1' } } });
    const put = await raw(server.port, 'POST', { ...target('PutItem'), Authorization: sigv4('eu-west-1') }, body);
    expect(put.status).toBe(200);
    expect(put.body).toBe('{}');
    const got = await raw(server.port, 'POST', { ...target('GetItem'), Authorization: sigv4('eu-west-1') }, JSON.stringify({ TableName: 'Orders', Key: { Id: { S: 'curl-1' } } }));
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toEqual({ Item: { Id: { S: 'curl-1' } } });
    // DynamoDB Local's success headers: JSON 1.0 content type, a request id, the body's CRC32
    expect(got.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(got.headers['x-amzn-requestid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(got.headers['x-amz-crc32']).toBe(String(crc32(Buffer.from(got.body))));
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength(got.body)));
  });

  it('routes an unsigned request (plain curl) to the default region', async () => {
    const got = await raw(server.port, 'POST', target('ListTables'), '{}');
    expect(got.status).toBe(200);
    expect(fake.endpoints.get('us-east-1')!.calls.at(-1)!.operation).toBe('ListTables');
  });

  it('answers a malformed body with 400 SerializationException (the service; Local answers 500 InternalFailure)', async () => {
    for (const body of ['{"TableName": ', '', '[]', 'null', '"x"']) {
      const answer = await raw(server.port, 'POST', { ...target('GetItem'), Authorization: sigv4('us-east-1') }, body);
      expect(answer.status).toBe(400);
      expect(answer.headers['x-amz-crc32']).toBeUndefined();
      expect(JSON.parse(answer.body).__type).toBe('com.amazon.coral.service#SerializationException');
    }
    const invalidUtf8 = await raw(server.port, 'POST', { ...target('GetItem'), Authorization: sigv4('us-east-1') }, Buffer.from([0x7b, 0xff, 0x7d]));
    expect(JSON.parse(invalidUtf8.body).__type).toBe('com.amazon.coral.service#SerializationException');
  });

  it('answers unknown targets, another service and a bare GET as DynamoDB Local does', async () => {
    const auth = { Authorization: sigv4('us-east-1') };
    const unknown = await raw(server.port, 'POST', { ...target('FooBar'), ...auth }, '{}');
    expect([unknown.status, JSON.parse(unknown.body)]).toEqual([400, { __type: 'com.amazonaws.dynamodb.v20120810#UnknownOperationException', Message: 'An unknown operation was requested.' }]);
    const otherService = await raw(server.port, 'POST', { 'X-Amz-Target': 'Foo_20120810.ListTables', ...auth }, '{}');
    expect([otherService.status, JSON.parse(otherService.body).__type]).toEqual([400, 'com.amazonaws.dynamodb.v20120810#InvalidAction']);
    const health = await raw(server.port, 'GET', {});
    expect([health.status, JSON.parse(health.body)]).toEqual([
      400,
      { __type: 'com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken', Message: 'Request must contain either a valid (registered) AWS access key ID or X.509 certificate.' },
    ]);
    const noTarget = await raw(server.port, 'POST', auth, '{}');
    expect([noTarget.status, JSON.parse(noTarget.body).__type]).toEqual([400, 'com.amazonaws.dynamodb.v20120810#UnknownOperationException']);
  });

  it('answers a bug behind an endpoint with 500 InternalFailure and reports it', async () => {
    const answer = await raw(server.port, 'POST', { ...target('Explode'), Authorization: sigv4('us-east-1') }, '{}');
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#InternalFailure',
      Message: 'The request processing has failed because of an unknown error, exception or failure.',
    });
    expect(internalErrors).toEqual([new TypeError('a bug behind the endpoint')]);
  });

  it('refuses a body larger than DynamoDB accepts (16 MB) without keeping it', async () => {
    const answer = await raw(server.port, 'POST', { ...target('PutItem'), Authorization: sigv4('us-east-1') }, Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ __type: 'com.amazon.coral.validate#ValidationException', Message: `Request size exceeded ${MAX_REQUEST_BYTES} bytes` });
  });
});

describe('HTTP server lifecycle', () => {
  it('closes cleanly with a keep-alive SDK connection open, frees the port, and close() is idempotent', async () => {
    const fake = fakeRegions('us-east-1');
    const server = await startDynamoDBHttpServer({ endpointFor: fake.endpointFor });
    const c = new DynamoDBClient({ region: 'us-east-1', endpoint: server.url, credentials });
    await c.send(new PutItemCommand({ TableName: 'Orders', Item: { Id: { S: 'k' } } }));
    await server.close();
    await server.close();
    const refused = await raw(server.port, 'POST', target('ListTables'), '{}').catch((e: NodeJS.ErrnoException) => e.code);
    expect(refused).toBe('ECONNREFUSED');
    c.destroy();
  });

  it('listens on the port it was given', async () => {
    const first = await startDynamoDBHttpServer({ endpointFor: fakeRegions('us-east-1').endpointFor });
    const port = first.port;
    await first.close();
    const second = await startDynamoDBHttpServer({ endpointFor: fakeRegions('us-east-1').endpointFor, port });
    try {
      expect(second.port).toBe(port);
    } finally {
      await second.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const first = await startDynamoDBHttpServer({ endpointFor: fakeRegions('us-east-1').endpointFor });
    try {
      await expect(startDynamoDBHttpServer({ endpointFor: fakeRegions('us-east-1').endpointFor, port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
