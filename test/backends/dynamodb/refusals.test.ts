import { CreateTableCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ADD_TYPE_ERROR } from '../../../src/app/table-errors.js';
import { createDynamoClient } from '../../../src/backends/dynamodb/client.js';
import { dropCreatedTable, ensureTable } from '../../../src/backends/dynamodb/create-table.js';
import { runOnDynamoDb } from '../../../src/pipeline/run-on-dynamodb.js';
import { DynamoTablePort } from '../../../src/backends/dynamodb/table-port.js';
import { useDynamoDbLocal } from '../../helpers/dynamodb-local.js';
import { EnvironmentError } from '../../../src/errors.js';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

/** Updates DynamoDB refuses (issue 10 item 3), checked against DynamoDB Local itself. */
describe('updates DynamoDB refuses, on DynamoDB Local', () => {
  const local = useDynamoDbLocal();

  it('answers with exactly the messages geosim reports', async () => {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: local().endpoint, localCredentials: true });
    await client.send(
      new CreateTableCommand({
        TableName: 'Messages',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }],
      }),
    );
    await client.send(new PutItemCommand({ TableName: 'Messages', Item: { Id: { S: 'K1' }, s: { S: 'x' } } }));
    const update = (expression: string, values: Record<string, { S: string } | { N: string }>) =>
      client.send(new UpdateItemCommand({ TableName: 'Messages', Key: { Id: { S: 'K1' } }, UpdateExpression: expression, ExpressionAttributeValues: values })).then(
        () => 'accepted',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    expect(await update('ADD s :one', { ':one': { N: '1' } })).toBe(`${ADD_TYPE_ERROR.name}: ${ADD_TYPE_ERROR.message}`);
    // the load-time messages quote these (src/scenario/semantic-checks.ts)
    expect(await update('SET s = :x ADD s :one', { ':x': { S: 'y' }, ':one': { N: '1' } })).toBe(
      'ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [s], path two: [s]',
    );
    expect(await update('SET Id = :x', { ':x': { S: 'K2' } })).toBe('ValidationException: One or more parameter values were invalid: Cannot update attribute Id. This attribute is part of the key');
    client.destroy();
  });

  it('ADD to a string: the same failed steps, items and counts as the model', async () => {
    const scenario = scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K1, s: x } } }
  - { at: 10, update: { region: us-east-1, id: K1, add: { s: 1 } } }
  - { at: 20, transact: { region: us-east-1, ops: [ { put: { item: { Id: K2 } } }, { update: { id: K1, add: { s: 2 } } } ] } }
  - { at: 30, update: { region: us-east-1, id: K1, set: { s: y } } }
expect:
  items: { K1: { s: y }, K2: null }
`);
    const failures = (trace: TraceEvent[]) =>
      trace.flatMap((e) => (e.kind === 'operation-failed' ? [{ t: e.t, itemId: e.itemId, op: e.op, error: e.error, current: e.current, inTransaction: e.transaction !== undefined, cause: e.cause }] : []));
    const model = await runScenario(scenario, { seed: 1 });
    const real = await runOnDynamoDb(scenario, { seed: 1, endpoints: local().endpoint, local: false, replication: 'emulate', timeScale: 10 });
    expect(failures(real.trace)).toEqual(failures(model.trace));
    expect(failures(model.trace)).toHaveLength(2);
    expect(real.final).toEqual(model.final);
    expect(real.counts).toEqual(model.counts);
    expect(real.assertions.filter((a) => !a.passed)).toEqual([]);
  }, 90_000);

  it('an answer geosim did not expect is one line, exit 3, without the hidden replication attributes', async () => {
    const client = createDynamoClient({ region: 'us-east-1', endpoint: local().endpoint, localCredentials: true });
    const handle = await ensureTable(client, { tableName: 'Unexpected', region: 'us-east-1' });
    const port = new DynamoTablePort({ client, tableName: 'Unexpected', region: 'us-east-1', endpoint: local().endpoint, stamp: () => ({ ts: 1, region: 'us-east-1' }) });
    // What the loader refuses, sent anyway: the emulation's SET of aws:rep:* makes DynamoDB name them.
    const error = await port.write({ kind: 'update', id: 'K1', set: { s: 'x' }, add: { s: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    const message = (error as Error).message;
    expect(message).toMatch(/^DynamoDB at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\) refused UpdateItem on table Unexpected: ValidationException: Invalid UpdateExpression: Two document paths overlap/);
    expect(message).not.toContain('aws:rep');
    expect(message).not.toContain('\n');
    await dropCreatedTable(handle);
    client.destroy();
  });
});
