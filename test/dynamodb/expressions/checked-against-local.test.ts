/**
 * The expressions module checked against DynamoDB Local: every case of cases.ts runs through the
 * model (compileExpressions + evaluateCondition / applyUpdate / project / keyConditionFor, called
 * directly) and through DynamoDB Local (PutItem with ConditionExpression, UpdateItem then GetItem,
 * GetItem with ProjectionExpression, Query), and the outcomes must be the same: pass or fail, the
 * resulting item, or the error's name and message.
 */
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue as SdkValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../src/backends/dynamodb-local/server.js';
import { javaAvailable } from '../../helpers/dynamodb-local.js';
import { DynamoDBError } from '../../../src/dynamodb/errors.js';
import { applyUpdate, compileExpressions, evaluateCondition, keyConditionFor, project, RESERVED_WORDS } from '../../../src/dynamodb/expressions/index.js';
import type { AttributeValue, Item } from '../../../src/dynamodb/values.js';
import { BASE, CASES, type Case } from './cases.js';


type Outcome = { result: unknown } | { error: string; message: string };

const sortedSets = (value: AttributeValue): unknown => {
  if ('SS' in value) return { SS: [...value.SS].sort() };
  if ('NS' in value) return { NS: [...value.NS].sort() };
  if ('BS' in value) return { BS: [...value.BS].sort() };
  if ('L' in value) return { L: value.L.map(sortedSets) };
  if ('M' in value) return { M: plainItem(value.M) };
  return { ...value };
};
const plainItem = (item: Item): Record<string, unknown> => Object.fromEntries(Object.keys(item).map((k) => [k, sortedSets(item[k]!)]));

const toSdk = (value: AttributeValue): SdkValue => {
  if ('B' in value) return { B: Buffer.from(value.B, 'base64') };
  if ('BS' in value) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if ('L' in value) return { L: value.L.map(toSdk) };
  if ('M' in value) return { M: itemToSdk(value.M) };
  return value as SdkValue;
};
const itemToSdk = (item: Item): Record<string, SdkValue> => Object.fromEntries(Object.keys(item).map((k) => [k, toSdk(item[k]!)]));
const fromSdk = (value: SdkValue): AttributeValue => {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(fromSdk) };
  if (value.M !== undefined) return { M: itemFromSdk(value.M) };
  const [type, inner] = Object.entries(value).find(([, v]) => v !== undefined)!;
  return { [type]: inner } as AttributeValue;
};
const itemFromSdk = (item: Record<string, SdkValue>): Item => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromSdk(v)]));

const valuesToSdk = (values?: Record<string, AttributeValue>) => (values === undefined ? undefined : itemToSdk(values));

function caught(error: unknown): Outcome {
  if (error instanceof DynamoDBError || (error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === 'object')) {
    return { error: error.name, message: error.message };
  }
  throw error;
}

/** The model's outcome, from the module called directly. */
function model(c: Case): Outcome {
  try {
    const names = c.names;
    const values = 'values' in c ? c.values : undefined;
    switch (c.kind) {
      case 'condition': {
        const { condition } = compileExpressions({ ConditionExpression: c.expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
        return { result: evaluateCondition(condition!, c.missing ? undefined : BASE) ? 'passed' : 'failed' };
      }
      case 'update': {
        const { update } = compileExpressions({ UpdateExpression: c.expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
        return { result: plainItem(applyUpdate(update!, c.missing ? undefined : BASE, { pk: BASE.pk! }, ['pk'])) };
      }
      case 'projection': {
        const { projection } = compileExpressions({ ProjectionExpression: c.expr, ExpressionAttributeNames: names });
        return { result: plainItem(project(projection!, BASE)) };
      }
      case 'query': {
        const { keyCondition } = compileExpressions({ KeyConditionExpression: c.expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
        keyConditionFor(keyCondition!, { partitionKey: 'pk', sortKey: 'sk', types: { pk: 'S', sk: 'N' } });
        return { result: 'ok' };
      }
    }
  } catch (error) {
    return caught(error);
  }
}

const TABLE = 'Expressions';
const SORTED = 'ExpressionsSorted';
const KEY = { pk: { S: 'a' } };

async function local(client: DynamoDBClient, c: Case): Promise<Outcome> {
  if (c.kind !== 'query') {
    if (c.missing) await client.send(new DeleteItemCommand({ TableName: TABLE, Key: KEY }));
    else await client.send(new PutItemCommand({ TableName: TABLE, Item: itemToSdk(BASE) }));
  }
  const names = c.names;
  const values = 'values' in c ? valuesToSdk(c.values) : undefined;
  try {
    switch (c.kind) {
      case 'condition':
        await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'a' } }, ConditionExpression: c.expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
        return { result: 'passed' };
      case 'update': {
        await client.send(new UpdateItemCommand({ TableName: TABLE, Key: KEY, UpdateExpression: c.expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
        const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: KEY, ConsistentRead: true }));
        return { result: plainItem(itemFromSdk(out.Item ?? {})) };
      }
      case 'projection': {
        const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: KEY, ProjectionExpression: c.expr, ExpressionAttributeNames: names }));
        return { result: plainItem(itemFromSdk(out.Item ?? {})) };
      }
      case 'query':
        await client.send(new QueryCommand({ TableName: SORTED, KeyConditionExpression: c.expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
        return { result: 'ok' };
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return { result: 'failed' };
    return caught(error);
  }
}

describe.skipIf(!javaAvailable())('expressions checked against DynamoDB Local (skipped when Java 17 is not installed)', () => {
  let server: DynamoDbLocal;
  let client: DynamoDBClient;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
    client = new DynamoDBClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'geosim', secretAccessKey: 'x' } });
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await client.send(
      new CreateTableCommand({
        TableName: SORTED,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it(`runs ${CASES.length} cases with the same outcome as DynamoDB Local`, async () => {
    const differences: string[] = [];
    for (const c of CASES) {
      const expected = await local(client, c);
      const actual = model(c);
      try {
        expect(actual).toEqual(expected);
      } catch {
        differences.push(`${c.kind} "${c.name}" (${c.expr})\n  local: ${JSON.stringify(expected)}\n  model: ${JSON.stringify(actual)}`);
      }
    }
    if (differences.length > 0) console.log(differences.join('\n'));
    expect(differences.join('\n')).toBe('');
  }, 120_000);

  it(`reports each of the ${RESERVED_WORDS.size} reserved words as DynamoDB Local does, and accepts the near misses`, async () => {
    const words = [...RESERVED_WORDS, 'contains', 'id', 'reserved', 'this', 'convert', 'Version', 'Pk'];
    const differences: string[] = [];
    for (const word of words) {
      const c: Case = { kind: 'condition', name: word, expr: `${word} = :v`, values: { ':v': { N: '1' } }, missing: true };
      const expected = await local(client, c);
      const actual = model(c);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push(`${word}: local ${JSON.stringify(expected)}, model ${JSON.stringify(actual)}`);
    }
    expect(differences).toEqual([]);
  }, 120_000);
});
