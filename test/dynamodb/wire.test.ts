import { request } from 'node:http';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/backends/dynamodb-local/server.js';
import { DynamoDBError } from '../../src/dynamodb/errors.js';
import { startDynamoDBHttpServer, type DynamoDBHttpServer } from '../../src/dynamodb/http-server.js';
import { errorResponse, errorType, parseRequest, ProtocolError, regionOfAuthorization, successResponse } from '../../src/dynamodb/wire.js';
import { FakeEndpoint } from './fake-endpoint.js';

const sigv4 = (region: string) => `AWS4-HMAC-SHA256 Credential=geosim/20240101/${region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=abcdef`;

describe('JSON 1.0 protocol, request side', () => {
  it('takes the region from the SigV4 credential scope', () => {
    expect(regionOfAuthorization(sigv4('eu-west-1'))).toBe('eu-west-1');
    expect(regionOfAuthorization('AWS4-HMAC-SHA256 Credential=AK/20240101/ap-south-1/dynamodb/aws4_request,SignedHeaders=host,Signature=x')).toBe('ap-south-1');
    expect(regionOfAuthorization(undefined)).toBeUndefined();
    expect(regionOfAuthorization('Bearer abc')).toBeUndefined();
    expect(regionOfAuthorization('AWS4-HMAC-SHA256 Credential=AK/20240101')).toBeUndefined();
  });

  it('reads target, input and region; header names in any case; the default region without a signature', () => {
    const call = parseRequest({ headers: { 'X-Amz-Target': 'DynamoDB_20120810.GetItem', AUTHORIZATION: sigv4('eu-west-1') }, body: '{"TableName":"T"}' }, 'us-east-1');
    expect(call).toEqual({ api: 'DynamoDB_20120810', operation: 'GetItem', input: { TableName: 'T' }, region: 'eu-west-1' });
    const streams = parseRequest({ headers: { 'x-amz-target': 'DynamoDBStreams_20120810.GetRecords' }, body: new TextEncoder().encode('{}') }, 'us-east-1');
    expect(streams).toEqual({ api: 'DynamoDBStreams_20120810', operation: 'GetRecords', input: {}, region: 'us-east-1' });
  });

  // "ConditionExpression": null made the model answer 500 with a TypeError; the service reads it as no condition
  it('reads a request member sent as JSON null as absent; a null inside an Item stays, for the operation to refuse', () => {
    const call = parseRequest({ headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' }, body: '{"TableName":"T","ConditionExpression":null,"Item":{"Id":{"S":"a"},"x":{"L":[null]},"y":null}}' }, 'us-east-1');
    expect(call.input).toEqual({ TableName: 'T', Item: { Id: { S: 'a' }, x: { L: [null] }, y: null } });
  });

  it('takes a fixed region over the signature when given one (the signature is not read)', () => {
    const headers = { 'x-amz-target': 'DynamoDB_20120810.GetItem', authorization: sigv4('eu-west-1') };
    expect(parseRequest({ headers, body: '{}' }, 'us-east-1', 'ap-south-1').region).toBe('ap-south-1');
    expect(parseRequest({ headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem', authorization: 'garbage' }, body: '{}' }, 'us-east-1', 'ap-south-1').region).toBe('ap-south-1');
  });

  it('rejects what the protocol rejects, before any endpoint', () => {
    const attempt = (headers: Record<string, string>, body = '{}') => {
      try {
        parseRequest({ headers, body }, 'us-east-1');
        return 'accepted';
      } catch (error) {
        return error instanceof ProtocolError ? `${error.status} ${error.type}` : `${(error as DynamoDBError).status} ${(error as DynamoDBError).name}`;
      }
    };
    expect(attempt({})).toBe('400 com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken');
    expect(attempt({ authorization: sigv4('us-east-1') })).toBe('400 UnknownOperationException');
    expect(attempt({ 'x-amz-target': 'DynamoDB_20120810' })).toBe('400 UnknownOperationException');
    expect(attempt({ 'x-amz-target': 'DynamoDB_20120810.' })).toBe('400 UnknownOperationException');
    expect(attempt({ 'x-amz-target': 'dynamodb_20120810.ListTables' })).toBe('400 com.amazonaws.dynamodb.v20120810#InvalidAction');
    expect(attempt({ 'x-amz-target': 'DynamoDB_20111205.ListTables' })).toBe('400 com.amazonaws.dynamodb.v20120810#InvalidAction');
    expect(attempt({ 'x-amz-target': 'DynamoDB_20120810.ListTables' }, '{')).toBe('400 SerializationException');
    expect(attempt({ 'x-amz-target': 'DynamoDB_20120810.ListTables' }, '[1]')).toBe('400 SerializationException');
    // each API its own operations, as DynamoDB Local answers (both were served)
    expect(attempt({ 'x-amz-target': 'DynamoDBStreams_20120810.GetItem' })).toBe('400 UnknownOperationException');
    expect(attempt({ 'x-amz-target': 'DynamoDB_20120810.ListStreams' })).toBe('400 UnknownOperationException');
    expect(attempt({ 'x-amz-target': 'DynamoDBStreams_20120810.ListStreams' })).toBe('accepted');
    expect(attempt({ 'x-amz-target': 'DynamoDB_20120810.GetItem' })).toBe('accepted');
  });
});

describe('JSON 1.0 protocol, response side', () => {
  it("writes DynamoDB Local's error shape: __type with the exception's prefix, Message, extra members", () => {
    expect(errorType('ValidationException')).toBe('com.amazon.coral.validate#ValidationException');
    expect(errorType('SerializationException')).toBe('com.amazon.coral.service#SerializationException');
    expect(errorType('ResourceNotFoundException')).toBe('com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
    const reasons = [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }, { Code: 'None' }];
    const response = errorResponse(new DynamoDBError('TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]', { CancellationReasons: reasons }), 'rid');
    expect(response.status).toBe(400);
    expect(response.headers).toEqual({ 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'rid', 'content-length': String(response.body.length) });
    expect(JSON.parse(Buffer.from(response.body).toString())).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
      CancellationReasons: reasons,
    });
    expect(errorResponse(new DynamoDBError('InternalServerError', 'x'), 'rid').status).toBe(500);
  });

  it('signs a success with the CRC32 of its body bytes (non-ASCII included)', () => {
    const response = successResponse({ Item: { Name: { S: 'Zoë 🌍' } } }, 'rid');
    expect(response.status).toBe(200);
    expect(response.headers['x-amz-crc32']).toBe(String(crc32(response.body)));
    expect(Buffer.from(response.body).toString('utf8')).toBe('{"Item":{"Name":{"S":"Zoë 🌍"}}}');
    expect(response.headers['content-length']).toBe(String(response.body.length));
  });
});

interface Answer {
  status: number;
  contentType: string | undefined;
  requestId: boolean;
  crc32: 'valid' | 'invalid' | 'absent';
  body: unknown;
}

function send(port: number, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: '/', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const crc = res.headers['x-amz-crc32'];
        resolve({
          status: res.statusCode!,
          contentType: res.headers['content-type'],
          requestId: typeof res.headers['x-amzn-requestid'] === 'string',
          crc32: crc === undefined ? 'absent' : crc === String(crc32(bytes)) ? 'valid' : 'invalid',
          body: JSON.parse(bytes.toString('utf8')),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (op: string, region = 'us-east-1') => ({ 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${op}`, Authorization: sigv4(region), 'X-Amz-Date': '20240101T000000Z' });
const createOrders = JSON.stringify({ TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }] });

/**
 * The protocol facts, asked of DynamoDB Local and of geosim's server with the same raw requests
 * (the fake endpoint plays the table; what is compared is the protocol around it).
 */
describe('protocol answers, DynamoDB Local vs geosim', () => {
  let local: DynamoDbLocal;
  let geosim: DynamoDBHttpServer;
  const ask = async (method: string, headers: Record<string, string>, body?: string) => ({
    local: await send(local.port, method, headers, body),
    geosim: await send(geosim.port, method, headers, body),
  });

  beforeAll(async () => {
    local = await startDynamoDbLocal();
    const endpoint = new FakeEndpoint('us-east-1', ['Orders']);
    geosim = await startDynamoDBHttpServer({ endpointFor: () => endpoint });
    await send(local.port, 'POST', json('CreateTable'), createOrders);
    const put = JSON.stringify({ TableName: 'Orders', Item: { Id: { S: 'a' }, V: { N: '1' } } });
    await send(local.port, 'POST', json('PutItem'), put);
    await send(geosim.port, 'POST', json('PutItem'), put);
  }, 90_000);
  afterAll(async () => {
    await geosim?.close();
    await local?.stop();
  });

  it('a success: 200, JSON 1.0, a request id and a valid x-amz-crc32', async () => {
    const { local: l, geosim: g } = await ask('POST', json('GetItem'), JSON.stringify({ TableName: 'Orders', Key: { Id: { S: 'a' } } }));
    expect(l).toEqual({ status: 200, contentType: 'application/x-amz-json-1.0', requestId: true, crc32: 'valid', body: { Item: { V: { N: '1' }, Id: { S: 'a' } } } });
    expect(g).toEqual(l);
  });

  it('errors: 400, no crc32, Message with a capital M (ResourceNotFound, ConditionalCheckFailed with Item)', async () => {
    const missing = await ask('POST', json('GetItem'), JSON.stringify({ TableName: 'Nope', Key: { Id: { S: 'a' } } }));
    expect(missing.local).toEqual({
      status: 400,
      contentType: 'application/x-amz-json-1.0',
      requestId: true,
      crc32: 'absent',
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', Message: 'Cannot do operations on a non-existent table' },
    });
    expect(missing.geosim).toEqual(missing.local);
    const failed = await ask('POST', json('PutItem'), JSON.stringify({ TableName: 'Orders', Item: { Id: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(Id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    expect(failed.local.body).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', Message: 'The conditional request failed', Item: { V: { N: '1' }, Id: { S: 'a' } } });
    expect(failed.geosim).toEqual(failed.local);
  });

  it('ValidationException carries the com.amazon.coral.validate prefix', async () => {
    const { local: l, geosim: g } = await ask('POST', json('GetItem'), JSON.stringify({ TableName: 'Orders', Key: { Nope: { S: 'a' } } }));
    expect(l.body).toEqual({ __type: 'com.amazon.coral.validate#ValidationException', Message: 'One of the required keys was not given a value' });
    expect(g).toEqual(l);
  });

  it('an unknown operation of either API: 400 UnknownOperationException', async () => {
    for (const t of ['DynamoDB_20120810.FooBar', 'DynamoDBStreams_20120810.FooBar']) {
      const { local: l, geosim: g } = await ask('POST', { ...json('x'), 'X-Amz-Target': t }, '{}');
      expect(l).toMatchObject({ status: 400, crc32: 'absent', body: { __type: 'com.amazonaws.dynamodb.v20120810#UnknownOperationException', Message: 'An unknown operation was requested.' } });
      expect(g).toEqual(l);
    }
  });

  it('a target of another service (or miscased): 400 InvalidAction', async () => {
    for (const t of ['Foo_20120810.ListTables', 'dynamodb_20120810.ListTables']) {
      const { local: l, geosim: g } = await ask('POST', { ...json('x'), 'X-Amz-Target': t }, '{}');
      expect(l.body).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#InvalidAction', Message: 'The action or operation requested is invalid. Verify that the action is typed correctly.' });
      expect(g).toEqual(l);
    }
  });

  it('GET / without credentials (a health probe): 400 MissingAuthenticationToken', async () => {
    const { local: l, geosim: g } = await ask('GET', {});
    expect(l.body).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken', Message: 'Request must contain either a valid (registered) AWS access key ID or X.509 certificate.' });
    expect(g).toEqual(l);
  });

  it('Content-Type and method are not checked (application/x-amz-json-1.1, text/plain, PUT all work)', async () => {
    for (const [method, type] of [['POST', 'application/x-amz-json-1.1'], ['POST', 'text/plain'], ['PUT', 'application/x-amz-json-1.0']] as const) {
      const { local: l, geosim: g } = await ask(method, { ...json('ListTables'), 'Content-Type': type }, '{}');
      expect([l.status, g.status]).toEqual([200, 200]);
      expect(g.contentType).toBe(l.contentType);
    }
  });

  it('deviation, on purpose: a body that is not a JSON object, or no target, is a 500 InternalFailure on Local and the service’s 400 on geosim', async () => {
    const internalFailure = { __type: 'com.amazonaws.dynamodb.v20120810#InternalFailure', Message: 'The request processing has failed because of an unknown error, exception or failure.' };
    for (const body of ['{"TableName": ', '', '[]', 'null']) {
      const { local: l, geosim: g } = await ask('POST', json('GetItem'), body);
      expect([l.status, l.body]).toEqual([500, internalFailure]);
      expect([g.status, (g.body as { __type: string }).__type]).toEqual([400, 'com.amazon.coral.service#SerializationException']);
    }
    const { local: l, geosim: g } = await ask('POST', { 'Content-Type': 'application/x-amz-json-1.0', Authorization: sigv4('us-east-1') }, '{}');
    expect([l.status, l.body]).toEqual([500, internalFailure]);
    expect([g.status, (g.body as { __type: string }).__type]).toEqual([400, 'com.amazonaws.dynamodb.v20120810#UnknownOperationException']);
  });

  it('deviation, on purpose: a signed request without credentials is refused by Local, routed to the default region by geosim', async () => {
    const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' };
    const { local: l, geosim: g } = await ask('POST', headers, '{}');
    expect([l.status, (l.body as { __type: string }).__type]).toEqual([400, 'com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken']);
    expect(g.status).toBe(200);
  });
});
