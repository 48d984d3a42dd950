/**
 * Attribute values that are not well formed, as a program in any language can send them over HTTP
 * (geosim serve): the model answers what DynamoDB answers and stores nothing, instead of storing
 * the value and failing later (an item no read could return). The messages are DynamoDB Local's,
 * seen with Local 3.3.0; where Local itself fails (500) the model answers the service's
 * SerializationException. The second block checks the model against a running DynamoDB Local.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDBHttpServer, type DynamoDBHttpServer } from '../../src/dynamodb/http-server.js';
import { ModelEndpoint } from '../../src/dynamodb/model-endpoint.js';
import { javaAvailable, useDynamoDbLocal } from '../helpers/dynamodb-local.js';

interface Answer {
  status: number;
  type?: string;
  message?: string;
  body: Record<string, unknown>;
}

function post(url: string, operation: string, body: unknown): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const headers = {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      Authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
    };
    const req = request({ host: hostname, port, method: 'POST', path: '/', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        const type = typeof parsed.__type === 'string' ? parsed.__type.split('#')[1] : undefined;
        resolve({ status: res.statusCode!, ...(type ? { type, message: parsed.Message as string } : {}), body: parsed });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const TABLE = 'Values';
const CREATE = {
  TableName: TABLE,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'B' },
    { AttributeName: 'g', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [{ IndexName: 'gidx', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
};
const bytes = (n: number) => Buffer.alloc(n, 1).toString('base64');
const put = (x: unknown, extra: Record<string, unknown> = {}) => ({ TableName: TABLE, Item: { pk: { S: 'p' }, sk: { B: bytes(1) }, x, ...extra } });
const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';

/** Refused requests: [name, operation, body, exception, message]. `local` marks what DynamoDB Local answers the same (400). */
const REFUSED: { name: string; operation: string; body: unknown; type: string; message: string; local: boolean }[] = [
  { name: 'a value with no type', operation: 'PutItem', body: put({}), type: 'ValidationException', message: EMPTY, local: true },
  { name: 'a type DynamoDB does not have', operation: 'PutItem', body: put({ Q: '1' }), type: 'ValidationException', message: EMPTY, local: true },
  { name: 'a type member that is null', operation: 'PutItem', body: put({ S: null }), type: 'ValidationException', message: EMPTY, local: true },
  { name: 'two types', operation: 'PutItem', body: put({ S: 'a', N: '1' }), type: 'ValidationException', message: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes', local: true },
  { name: 'NULL false', operation: 'PutItem', body: put({ NULL: false }), type: 'ValidationException', message: 'One or more parameter values were invalid: Null attribute value types must have the value of true', local: true },
  { name: 'a null attribute', operation: 'PutItem', body: put(null), type: 'ValidationException', message: 'The supplied Item contains a null AttributeValue: x is null', local: true },
  { name: 'a null in a map', operation: 'PutItem', body: put({ M: { z: null } }), type: 'ValidationException', message: 'The supplied Item contains a null AttributeValue: z is null', local: true },
  { name: 'an empty value in a map', operation: 'PutItem', body: put({ M: { z: {} } }), type: 'ValidationException', message: EMPTY, local: true },
  { name: 'a null in a list', operation: 'PutItem', body: put({ L: [null] }), type: 'ValidationException', message: 'The supplied Item contains a null AttributeValue', local: true },
  { name: 'a null in a string set', operation: 'PutItem', body: put({ SS: ['a', null] }), type: 'ValidationException', message: 'One or more parameter values were invalid: An string set may not have a null string as a member', local: true },
  { name: 'a key with no type', operation: 'GetItem', body: { TableName: TABLE, Key: { pk: {}, sk: { B: bytes(1) } } }, type: 'ValidationException', message: EMPTY, local: true },
  { name: 'a null key', operation: 'GetItem', body: { TableName: TABLE, Key: { pk: null, sk: { B: bytes(1) } } }, type: 'ValidationException', message: 'The supplied Item contains a null AttributeValue: pk is null', local: true },
  {
    name: 'an expression value with no type',
    operation: 'UpdateItem',
    body: { TableName: TABLE, Key: { pk: { S: 'p' }, sk: { B: bytes(2) } }, UpdateExpression: 'SET q = :v', ExpressionAttributeValues: { ':v': {} } },
    type: 'ValidationException',
    message: `ExpressionAttributeValues contains invalid value: ${EMPTY} for key :v`,
    local: true,
  },
  {
    name: 'a null expression value',
    operation: 'UpdateItem',
    body: { TableName: TABLE, Key: { pk: { S: 'p' }, sk: { B: bytes(2) } }, UpdateExpression: 'SET q = :v', ExpressionAttributeValues: { ':v': null } },
    type: 'ValidationException',
    message: 'ExpressionAttributeValues contains invalid value: The supplied Item contains a null AttributeValue for key :v',
    local: true,
  },
  {
    name: 'a partition key over 2048 bytes (UTF-8)',
    operation: 'PutItem',
    body: { TableName: TABLE, Item: { pk: { S: 'é'.repeat(1025) }, sk: { B: bytes(1) } } },
    type: 'ValidationException',
    message: 'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes',
    local: true,
  },
  {
    name: 'a sort key over 1024 bytes',
    operation: 'PutItem',
    body: { TableName: TABLE, Item: { pk: { S: 'p' }, sk: { B: bytes(1025) } } },
    type: 'ValidationException',
    message: 'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes',
    local: true,
  },
  {
    name: 'a GetItem key over 2048 bytes',
    operation: 'GetItem',
    body: { TableName: TABLE, Key: { pk: { S: 'x'.repeat(2049) }, sk: { B: bytes(1) } } },
    type: 'ValidationException',
    message: 'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes',
    local: true,
  },
  {
    name: 'an index key over 2048 bytes',
    operation: 'PutItem',
    body: put({ S: 'v' }, { g: { S: 'x'.repeat(2049) } }),
    type: 'ValidationException',
    message: 'One or more parameter values were invalid: Size limit exceeded',
    local: true,
  },
  // DynamoDB Local answers these with a 500 (its own failure); the service refuses them as JSON it cannot read
  { name: 'BOOL given a string', operation: 'PutItem', body: put({ BOOL: 'yes' }), type: 'SerializationException', message: 'STRING_VALUE can not be converted to a Boolean', local: false },
  { name: 'B that is not base64', operation: 'PutItem', body: put({ B: '!!notbase64' }), type: 'SerializationException', message: 'Invalid base64 in a binary value: "!!notbase64"', local: false },
  { name: 'S given a map', operation: 'PutItem', body: put({ S: { a: 1 } }), type: 'SerializationException', message: 'Start of structure or map found where not expected', local: false },
  { name: 'an attribute that is a bare string', operation: 'PutItem', body: put('abc'), type: 'SerializationException', message: 'STRING_VALUE can not be converted to an AttributeValue', local: false },
  {
    name: 'an expression value of the wrong JSON kind (as in an Item)',
    operation: 'UpdateItem',
    body: { TableName: TABLE, Key: { pk: { S: 'p' }, sk: { B: bytes(2) } }, UpdateExpression: 'SET q = :v', ExpressionAttributeValues: { ':v': { BOOL: 'yes' } } },
    type: 'SerializationException',
    message: 'STRING_VALUE can not be converted to a Boolean',
    local: false,
  },
  // the request is parsed into doubles: a number a double changed is refused, never stored as another number
  { name: 'a JSON number of more digits than a double holds', operation: 'PutItem', body: put({ N: 12345678901234567890123 }), type: 'SerializationException', message: 'NUMBER_VALUE 1.2345678901234568e+22 can not be converted to a String digit for digit; send it as a string', local: false },
  { name: 'a fraction where a string goes (its spelling is lost)', operation: 'PutItem', body: put({ S: 1.1 }), type: 'SerializationException', message: 'NUMBER_VALUE 1.1 can not be converted to a String digit for digit; send it as a string', local: false },
  { name: 'an Item that is a list', operation: 'PutItem', body: { TableName: TABLE, Item: [{ S: 'a' }] }, type: 'SerializationException', message: 'Start of list found where not expected', local: false },
];

/** Accepted requests whose value DynamoDB reads otherwise than sent: [name, sent, stored]. */
const READ_AS: { name: string; sent: unknown; stored: unknown }[] = [
  { name: 'a member DynamoDB does not know is ignored', sent: { S: 'v', Q: 1 }, stored: { S: 'v' } },
  { name: 'a null member is ignored', sent: { S: 'v', N: null }, stored: { S: 'v' } },
  { name: 'a JSON number where a string goes is its text', sent: { N: 5 }, stored: { N: '5' } },
  { name: 'a JSON number a double holds digit for digit is the number', sent: { N: 1.25 }, stored: { N: '1.25' } },
  { name: 'a whole JSON number where a string goes is its text', sent: { S: 42 }, stored: { S: '42' } },
  { name: 'a JSON boolean where a string goes is its text', sent: { S: true }, stored: { S: 'true' } },
  { name: "DynamoDB's largest number", sent: { N: '9.9999999999999999999999999999999999999E+125' }, stored: { N: `99999999999999999999999999999999999999${'0'.repeat(88)}` } },
];

function suite(url: () => string, only: (c: { local: boolean }) => boolean): void {
  it.each(REFUSED.filter(only))('$name: $type, nothing stored', async ({ operation, body, type, message }) => {
    const answer = await post(url(), operation, body);
    expect({ status: answer.status, type: answer.type, message: answer.message }).toEqual({ status: 400, type, message });
    if (operation === 'PutItem') {
      const key = (body as { Item: Record<string, unknown> }).Item;
      const read = await post(url(), 'GetItem', { TableName: TABLE, Key: { pk: key.pk, sk: key.sk } });
      // nothing was written: the item is absent, or its key was refused before any read
      if (read.status === 200) expect(read.body.Item).toBeUndefined();
    }
  });

  it.each(READ_AS)('$name', async ({ sent, stored }) => {
    const sk = { B: bytes(3) };
    expect((await post(url(), 'PutItem', { TableName: TABLE, Item: { pk: { S: 'read-as' }, sk, x: sent } })).status).toBe(200);
    const read = await post(url(), 'GetItem', { TableName: TABLE, Key: { pk: { S: 'read-as' }, sk } });
    expect(read.status).toBe(200);
    expect((read.body.Item as Record<string, unknown>).x).toEqual(stored);
  });
}

describe('malformed attribute values: the model over HTTP', () => {
  let server: DynamoDBHttpServer;
  beforeAll(async () => {
    const endpoint = new ModelEndpoint({ now: () => 0, region: 'us-east-1' });
    server = await startDynamoDBHttpServer({ endpointFor: () => endpoint, port: 0 });
    expect((await post(server.url, 'CreateTable', CREATE)).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });
  suite(() => server.url, () => true);
});

describe.skipIf(!javaAvailable())('malformed attribute values: DynamoDB Local answers the same (skipped when Java 17 is not installed; CI installs it)', () => {
  const local = useDynamoDbLocal();
  beforeAll(async () => {
    expect((await post(local().endpoint, 'CreateTable', CREATE)).status).toBe(200);
  });
  suite(() => local().endpoint, (c) => c.local);
});
