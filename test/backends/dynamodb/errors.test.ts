import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { createDynamoClient } from '../../../src/backends/dynamodb/client.js';
import { ensureTable } from '../../../src/backends/dynamodb/create-table.js';
import { mapAwsError, redactEndpoint } from '../../../src/backends/dynamodb/errors.js';
import { DynamoTablePort } from '../../../src/backends/dynamodb/table-port.js';
import { freePort } from '../../../src/backends/dynamodb-local/free-port.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../src/backends/dynamodb-local/server.js';

const ctx = { operation: 'PutItem', region: 'us-east-1', tableName: 'T', endpoint: 'http://127.0.0.1:1' };
const named = (name: string, message = 'boom', extra: object = {}) => Object.assign(new Error(message), { name }, extra);

describe('mapAwsError', () => {
  it.each([
    ['ResourceNotFoundException', /table T not found at http:\/\/127\.0\.0\.1:1/],
    ['UnknownOperationException', /does not support PutItem/],
    ['CredentialsProviderError', /no AWS credentials/],
    ['UnrecognizedClientException', /rejected the credentials/],
    ['ProvisionedThroughputExceededException', /still throttled/],
    ['TimeoutError', /did not answer PutItem in time/],
  ])('turns %s into a one-line EnvironmentError', (name, pattern) => {
    const mapped = mapAwsError(named(name), ctx);
    expect(mapped).toBeInstanceOf(EnvironmentError);
    expect(mapped.message).toMatch(pattern);
    expect(mapped.message).not.toContain('\n');
  });

  it('recognises a refused connection by its code', () => {
    const mapped = mapAwsError(named('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }), ctx);
    expect(mapped).toBeInstanceOf(EnvironmentError);
    expect(mapped.message).toContain('ECONNREFUSED');
  });

  it('turns an answer geosim did not expect into one line naming the exception, hidden attributes redacted', () => {
    const original = named('ValidationException', 'path one: [s], path two: [aws:rep:updateregion]\nmore', { $metadata: { httpStatusCode: 400 } });
    const mapped = mapAwsError(original, ctx);
    expect(mapped).toBeInstanceOf(EnvironmentError);
    expect(mapped.message).toBe('DynamoDB at http://127.0.0.1:1 (region us-east-1) refused PutItem on table T: ValidationException: path one: [s], path two: [(a geosim replication attribute)]');
  });

  it('leaves an error that did not come from the SDK alone: that is a bug', () => {
    const original = new TypeError('x is undefined');
    expect(mapAwsError(original, ctx)).toBe(original);
  });

  it('redacts a password in an endpoint URL', () => {
    expect(redactEndpoint('http://bob:s3cret@127.0.0.1:8000/x')).toBe('http://***@127.0.0.1:8000/x');
    expect(redactEndpoint('http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000');
    expect(mapAwsError(named('ResourceNotFoundException'), { ...ctx, endpoint: 'https://u:p@db.example' }).message).toContain('https://***@db.example (region');
  });

  it('names real AWS by region when no endpoint is given', () => {
    expect(mapAwsError(named('ResourceNotFoundException'), { operation: 'GetItem', region: 'eu-west-1', tableName: 'T' }).message).toContain(
      'AWS region eu-west-1',
    );
  });
});

describe('errors from a real request', () => {
  let server: DynamoDbLocal;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports a missing table as an EnvironmentError', async () => {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
    const port = new DynamoTablePort({ client, tableName: 'NoSuchTable', region: 'us-east-1', endpoint: server.endpoint });
    await expect(port.get('x')).rejects.toThrow(/table NoSuchTable not found/);
    await expect(port.get('x')).rejects.toBeInstanceOf(EnvironmentError);
    client.destroy();
  });

  it('reports an existing table with the wrong key schema instead of using it', async () => {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
    const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
    await client.send(
      new CreateTableCommand({
        TableName: 'WrongShape',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await expect(ensureTable(client, { tableName: 'WrongShape', region: 'us-east-1' })).rejects.toThrow(/does not fit geosim's schema/);
    client.destroy();
  });

  it('reports an endpoint nobody listens on as unreachable', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const client = createDynamoClient({ region: 'us-east-1', endpoint, localCredentials: true });
    const port = new DynamoTablePort({ client, tableName: 'T', region: 'us-east-1', endpoint });
    await expect(port.get('x')).rejects.toThrow(/cannot reach DynamoDB at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\) \(ECONNREFUSED\)/);
    client.destroy();
  });
});
