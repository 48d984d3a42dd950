import { spawnSync } from 'node:child_process';
import { DescribeTableCommand, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../src/backends/dynamodb/client.js';
import { dropCreatedTable, ensureTable } from '../../src/backends/dynamodb/create-table.js';
import { createRoundTripCounter } from '../../src/backends/dynamodb/round-trips.js';
import { runOnDynamoDb, SharedLocal } from '../../src/pipeline/run-on-dynamodb.js';
import type { DynamoRunOptions } from '../../src/backends/dynamodb/run-options.js';
import { DynamoTablePort } from '../../src/backends/dynamodb/table-port.js';
import { freePort } from '../../src/backends/dynamodb-local/free-port.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/backends/dynamodb-local/server.js';
import { EnvironmentError, UserError } from '../../src/errors.js';
import type { Scenario } from '../../src/scenario/model.js';
import { scenarioFromYaml } from '../helpers/scenario.js';
import { javaAvailable } from '../helpers/dynamodb-local.js';

/** A small scenario: two regions, one event each on one item inside the lag window. */
const scenario: Scenario = {
  name: 'run test',
  file: 'run-test.yaml',
  seed: 7,
  mode: 'mrec',
  regions: ['us-east-1', 'eu-west-1'],
  replication: {
    links: [
      { from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'fixed', ms: 300 } },
      { from: 'eu-west-1', to: 'us-east-1', lag: { distribution: 'fixed', ms: 300 } },
    ],
    coalesce: false,
    tieBreak: 'higher-region',
  },
  clockSkew: {},
  application: { strategy: 'service-lww', idempotency: 'local', idempotencyTtlSeconds: 3600, maxRetries: 3, consumerDelay: 50 },
  steps: [
    { at: 0, index: 0, kind: 'event', event: { id: 'e1', region: 'us-east-1', key: 'k1', item: 'ORDER#1', data: { status: 'a' }, type: 't', domain: 'd', priority: '5', correlationId: 'c1' } },
    { at: 100, index: 1, kind: 'event', event: { id: 'e2', region: 'eu-west-1', key: 'k2', item: 'ORDER#1', data: { status: 'b' }, type: 't', domain: 'd', priority: '5', correlationId: 'c2' } },
  ],
  expect: { converged: true, items: { 'ORDER#1': { Data: { status: 'b' } } } },
};

const base = (over: Partial<DynamoRunOptions>): DynamoRunOptions => ({ seed: 7, endpoints: undefined, local: false, replication: 'emulate', timeScale: 10, ...over });

describe('runOnDynamoDb: refusals before any server or request', () => {
  it('refuses native replication on DynamoDB Local, which has no global tables', async () => {
    await expect(runOnDynamoDb(scenario, base({ local: true, replication: 'native' }))).rejects.toThrow(UserError);
  });

  it('refuses a time scale that is not positive', async () => {
    await expect(runOnDynamoDb(scenario, base({ timeScale: 0, endpoints: 'http://127.0.0.1:1' }))).rejects.toThrow('--time-scale must be a positive number, got 0');
  });

  it('refuses --local together with --endpoint', async () => {
    await expect(runOnDynamoDb(scenario, base({ local: true, endpoints: 'http://127.0.0.1:1' }))).rejects.toThrow('--local starts its own server: leave out --endpoint');
  });

  it('refuses a table prefix DynamoDB would reject', async () => {
    await expect(runOnDynamoDb(scenario, base({ endpoints: 'http://127.0.0.1:1', tablePrefix: 'bad name/' }))).rejects.toThrow(/is not valid in DynamoDB/);
  });

  it('reports an endpoint nobody listens on as an environment failure', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    await expect(runOnDynamoDb(scenario, base({ endpoints: endpoint }))).rejects.toThrow(EnvironmentError);
  });
});

describe('runOnDynamoDb on DynamoDB Local', () => {
  let server: DynamoDbLocal;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('runs the scenario, replicates, reports like the model, counts round trips and removes its tables', async () => {
    const roundTrips = createRoundTripCounter();
    const report = await runOnDynamoDb(scenario, base({ endpoints: server.endpoint, roundTrips }));
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    expect(report.final['us-east-1']!['ORDER#1']).toEqual(report.final['eu-west-1']!['ORDER#1']);
    expect(JSON.stringify(report.final)).not.toContain('aws:rep:');
    const kinds = report.trace.map((e) => e.kind);
    expect(kinds).toContain('replication-applied');
    expect(kinds).toContain('replication-discarded');
    expect(report.trace.map((e) => e.seq)).toEqual(report.trace.map((_, i) => i + 1));
    const times = report.trace.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(report.counts).toMatchObject({ events: 2, applied: 2, conflicts: 1, discardedWrites: 1 });
    // one TransactWriteItems per event; replication is a PutItem per replicated item
    expect(roundTrips.byOperation['TransactWriteItemsCommand']).toBe(2);
    expect(roundTrips.byOperation['GetRecordsCommand']).toBeGreaterThan(0);
    for (const region of scenario.regions) {
      const client = createDynamoClient({ region, endpoint: server.endpoint, localCredentials: true });
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      client.destroy();
    }
  }, 60_000);

  it('with native replication, names a missing table instead of creating one', async () => {
    await expect(runOnDynamoDb(scenario, base({ endpoints: server.endpoint, replication: 'native', tableName: 'NoGlobalTable' }))).rejects.toThrow(
      /^table NoGlobalTable not found at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\)/,
    );
  });

  it('with native replication, refuses a table that is not a global table', async () => {
    for (const region of scenario.regions) {
      const client = createDynamoClient({ region, endpoint: server.endpoint, localCredentials: true });
      await ensureTable(client, { tableName: 'NotGlobal', region });
      client.destroy();
    }
    await expect(runOnDynamoDb(scenario, base({ endpoints: server.endpoint, replication: 'native', tableName: 'NotGlobal' }))).rejects.toThrow(
      'table NotGlobal in us-east-1 is not a global table with replicas in eu-west-1: deploy infra/template.yaml or use --replication emulate',
    );
    // and it left the table it found alone
    const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
    expect((await client.send(new DescribeTableCommand({ TableName: 'NotGlobal' }))).Table?.TableStatus).toBe('ACTIVE');
    client.destroy();
  });

  // Issue 13: a scenario's own tables, one per declared table and region, named per run.
  const declared = (name: string) =>
    scenarioFromYaml(
      [
        `name: ${name}`,
        'regions: [us-east-1, eu-west-1]',
        'replication: { lag: { distribution: fixed, ms: 300 } }',
        'tables:',
        '  - { TableName: Orders, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: sk, KeyType: RANGE }], AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }, { AttributeName: sk, AttributeType: S }] }',
        '  - { TableName: Audit, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] }',
        'steps:',
        '  - { at: 0, put: { region: us-east-1, item: { pk: A, sk: "1", n: 1 }, condition: "attribute_not_exists(pk)" } }',
        '  - { at: 0, put: { region: eu-west-1, table: Audit, item: { id: a-1 }, condition: "attribute_not_exists(id)" } }',
        'expect:',
        '  items: { "A|1": { n: 1 } }',
      ].join('\n'),
    );

  it('creates every declared table in every region under the run\'s names, replicates each, and removes them all', async () => {
    const report = await runOnDynamoDb(declared('own tables'), base({ endpoints: server.endpoint, tablePrefix: 'own-' }));
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    expect(report.tables!.Audit).toEqual({ 'us-east-1': { 'a-1': { id: 'a-1' } }, 'eu-west-1': { 'a-1': { id: 'a-1' } } });
    expect(report.trace.filter((e) => e.kind === 'replication-applied').map((e) => [e.itemId, (e as { table?: string }).table])).toEqual([['A|1', undefined], ['a-1', 'Audit']]);
    for (const region of scenario.regions) {
      const client = createDynamoClient({ region, endpoint: server.endpoint, localCredentials: true });
      // (other tests of this server leave tables of their own)
      expect((await client.send(new ListTablesCommand({}))).TableNames?.filter((t) => /own-|Orders|Audit/.test(t))).toEqual([]);
      client.destroy();
    }
  }, 60_000);

  it('with native replication, looks for the declared tables under their own names', async () => {
    await expect(runOnDynamoDb(declared('native own'), base({ endpoints: server.endpoint, replication: 'native' }))).rejects.toThrow(/^table Orders not found at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\)/);
  });

  it('never deletes a table it did not create', async () => {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
    const mine = await ensureTable(client, { tableName: 'SomeoneElses', region: 'us-east-1' });
    const found = await ensureTable(client, { tableName: 'SomeoneElses', region: 'us-east-1' });
    expect(mine.created).toBe(true);
    expect(found.created).toBe(false);
    expect(await dropCreatedTable(found)).toBe(false);
    expect((await client.send(new DescribeTableCommand({ TableName: 'SomeoneElses' }))).Table?.TableStatus).toBe('ACTIVE');
    expect(await dropCreatedTable(mine)).toBe(true);
    client.destroy();
  });

  it('keeps the replication attributes in the table but hidden from what the application reads', async () => {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: server.endpoint, localCredentials: true });
    const handle = await ensureTable(client, { tableName: 'Stamped', region: 'us-east-1' });
    const port = new DynamoTablePort({ client, tableName: 'Stamped', region: 'us-east-1', stamp: () => ({ ts: 42, region: 'us-east-1' }) });
    await port.write({ kind: 'put', item: { Id: 'A', v: 1 } });
    const raw = await client.send(new GetItemCommand({ TableName: 'Stamped', Key: { Id: { S: 'A' } } }));
    expect(raw.Item?.['aws:rep:updatetime']).toEqual({ N: '42' });
    expect(raw.Item?.['aws:rep:updateregion']).toEqual({ S: 'us-east-1' });
    expect(await port.get('A')).toEqual({ Id: 'A', v: 1 });
    await dropCreatedTable(handle);
    client.destroy();
  });
});

describe('runOnDynamoDb on a -sharedDb server', () => {
  let server: DynamoDbLocal;
  beforeAll(async () => {
    server = await startDynamoDbLocal({ extraArgs: ['-sharedDb'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('notices that the regions would share one table and stops', async () => {
    await expect(runOnDynamoDb(scenario, base({ endpoints: server.endpoint }))).rejects.toThrow(/share one table namespace/);
  });
});

describe('runOnDynamoDb --local', () => {
  it('starts DynamoDB Local itself, runs, and stops it', async () => {
    // the probe does see a JVM this process started
    const probe = await startDynamoDbLocal();
    expect(javaProcesses()).toContain(String(probe.pid));
    await probe.stop();
    const before = javaProcesses();
    const report = await runOnDynamoDb(scenario, base({ local: true }));
    expect(report.backend).toBe('dynamodb (DynamoDB Local, emulate replication, idle time skipped)');
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(javaProcesses()).toEqual(before);
  }, 90_000);
});

/** DynamoDB Local JVMs whose parent is this test process. */
function javaProcesses(): string[] {
  const out = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === String(process.pid) && f.some((a) => a.endsWith('DynamoDBLocal.jar')))
    .map((f) => f[0]!);
}

const namedScenario = (name: string) =>
  scenarioFromYaml(`name: ${name}\nregions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, put: { region: us-east-1, item: { Id: A, n: 1 } } }\nexpect:\n  items: { A: { n: 1 } }\n`);

describe.skipIf(!javaAvailable())('SharedLocal: one DynamoDB Local for the scenarios of one run (skipped when Java 17 is not installed; CI installs it)', () => {
  it('starts one server for several scenarios, each on its own tables, and stops it once', async () => {
    const shared = new SharedLocal();
    try {
      const options = { seed: 1, endpoints: undefined, local: true, replication: 'emulate' as const, timeScale: 1 };
      const first = await runOnDynamoDb(namedScenario('first'), options, shared);
      const server = await shared.server();
      const second = await runOnDynamoDb(namedScenario('second'), options, shared);
      expect(await shared.server()).toBe(server);
      for (const report of [first, second]) {
        expect(report.backend).toBe('dynamodb (DynamoDB Local, emulate replication, idle time skipped)');
        expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
      }
      // still up after both runs: the caller stops it
      expect((await fetch(server.endpoint, { method: 'POST' })).status).toBeGreaterThan(0);
      await shared.stop();
      await expect(fetch(server.endpoint, { method: 'POST' })).rejects.toThrow();
    } finally {
      await shared.stop();
    }
  }, 120_000);
});
