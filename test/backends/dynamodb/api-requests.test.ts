import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSubstrate } from '../../../src/backends/dynamodb/substrate.js';
import { DynamoDBError } from '../../../src/dynamodb/errors.js';
import { Rng } from '../../../src/sim/rng.js';
import type { SendOptions, Substrate } from '../../../src/sim/substrate.js';
import { World } from '../../../src/sim/world.js';
import type { ReadTrace, TraceEvent } from '../../../src/trace/events.js';
import { TraceRecorder } from '../../../src/trace/recorder.js';
import { useDynamoDbLocal } from '../../helpers/dynamodb-local.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

/**
 * Every DynamoDB request a team's handler can make, sent through `Substrate.send` to the model (a
 * fresh World) and to DynamoDB Local (the DynamoDB substrate, emulated replication): the same
 * answers, the same errors, the same write events in the trace, and the same items in every region
 * once replication has run.
 */
const scenario = scenarioFromYaml(`
name: api requests
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: unused } } }
`);

const T = 'GlobalEventTable';
const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });

/** A run of both substrates side by side, each with its own trace. */
interface Side {
  substrate: Substrate;
  trace: TraceRecorder;
}

/** The answer, or the error as DynamoDB names it with what it carries. */
async function outcome(side: Side, region: string, operation: string, input: Record<string, unknown>, options: SendOptions = {}): Promise<unknown> {
  try {
    return { answer: await side.substrate.send(region, operation, input, options) };
  } catch (error) {
    if (!(error instanceof DynamoDBError)) throw error;
    return { error: error.name, message: error.message, ...error.extra };
  }
}

/**
 * The trace events a request's writes make (seq aside), with their fields in the order the JSON
 * trace prints them; an item's attributes are compared as a set, since `--format json` prints
 * them in a canonical order (test/backends/dynamodb/canonical-order.test.ts).
 */
function writeEvents(trace: TraceRecorder): { fields: string[]; event: unknown }[] {
  return trace.events.filter((e) => WRITE_KINDS.has(e.kind)).map(({ seq: _seq, ...e }: TraceEvent) => ({ fields: Object.keys(e), event: e }));
}
const WRITE_KINDS = new Set(['local-write', 'condition-failed', 'operation-failed']);

/**
 * The `read` events (seq aside), with their fields in the order the JSON trace prints them; a
 * query's items in key order (a GSI's items of one key come in an order of DynamoDB Local's own).
 */
function readEvents(trace: TraceRecorder): { fields: string[]; event: unknown }[] {
  return trace.events
    .filter((e): e is ReadTrace => e.kind === 'read')
    .map(({ seq: _seq, ...e }) => ({ fields: Object.keys(e), event: e.items === undefined ? e : { ...e, items: [...e.items].sort((a, b) => String(a.Id).localeCompare(String(b.Id))) } }));
}

/**
 * Scan and BatchGetItem answers with their items in key order: DynamoDB Local answers in an order of
 * its own, the model in key order (docs/dynamodb-local-deviations.md: compared as sets).
 */
function inKeyOrder(outcome: unknown): unknown {
  const answer = (outcome as { answer?: Record<string, unknown> }).answer;
  if (answer === undefined) return outcome;
  const sorted = (items: unknown) => [...(items as { Id: { S: string } }[])].sort((a, b) => (a.Id.S < b.Id.S ? -1 : a.Id.S > b.Id.S ? 1 : 0));
  const out = { ...answer };
  if (Array.isArray(out.Items)) out.Items = sorted(out.Items);
  if (out.Responses !== undefined && !Array.isArray(out.Responses)) {
    out.Responses = Object.fromEntries(Object.entries(out.Responses as Record<string, unknown>).map(([k, v]) => [k, sorted(v)]));
  }
  return { answer: out };
}

/** Runs the agenda (replication) to the end, waiting for the real tables' streams where there are some. */
async function drain(substrate: Substrate): Promise<void> {
  for (;;) {
    await substrate.settle();
    if (!(await substrate.runNext())) {
      await substrate.settle();
      if (substrate.nextTime() === undefined) return;
    }
  }
}

describe('Substrate.send on DynamoDB Local answers and traces as the model', () => {
  const local = useDynamoDbLocal();
  let model: Side;
  let real: Side & { substrate: DynamoDbSubstrate };

  beforeAll(async () => {
    const modelTrace = new TraceRecorder();
    model = { substrate: new World(scenario, new Rng(1), modelTrace), trace: modelTrace };
    const realTrace = new TraceRecorder();
    const substrate = await DynamoDbSubstrate.open(scenario, { endpoints: local().endpoint, local: false, replication: 'emulate', timeScale: 1 }, new Rng(1), realTrace);
    real = { substrate, trace: realTrace };
  }, 60_000);

  afterAll(async () => {
    await real?.substrate.close();
  });

  /** Sends one request to both at virtual time `t`, as event `cause`; returns both outcomes. */
  async function both(t: number, cause: string, region: string, operation: string, input: Record<string, unknown>, options: SendOptions = {}): Promise<{ model: unknown; real: unknown }> {
    const out: unknown[] = [];
    for (const side of [model, real]) {
      await side.substrate.advanceTo(t);
      side.substrate.cause = cause;
      // as from eu-west-1's Lambda: what it does in us-east-1 carries `caller`, in its own region not
      side.substrate.caller = 'eu-west-1';
      out.push(await outcome(side, region, operation, structuredClone(input), options));
      side.substrate.cause = undefined;
      side.substrate.caller = undefined;
    }
    return { model: out[0], real: out[1] };
  }

  it('single writes, TransactWriteItems and BatchWriteItem: same answers and write events', async () => {
    const steps: [number, string, string, Record<string, unknown>][] = [
      [10, 'e1', 'PutItem', { TableName: T, Item: { Id: S('A'), n: N(1), IdempotencyKey: S('k1') } }],
      [
        20,
        'e2',
        'TransactWriteItems',
        {
          TransactItems: [
            { Put: { TableName: T, Item: { Id: S('B'), s: S('b'), IdempotencyKey: S('k2') }, ConditionExpression: 'attribute_not_exists(Id)' } },
            { Update: { TableName: T, Key: { Id: S('A') }, UpdateExpression: 'ADD n :one SET #t = :t', ExpressionAttributeNames: { '#t': 'tag' }, ExpressionAttributeValues: { ':one': N(1), ':t': S('x') } } },
            { ConditionCheck: { TableName: T, Key: { Id: S('C') }, ConditionExpression: 'attribute_not_exists(Id)' } },
            { Delete: { TableName: T, Key: { Id: S('D') } } },
          ],
        },
      ],
      // cancelled: B exists; the Update's condition holds
      [
        30,
        'e3',
        'TransactWriteItems',
        {
          TransactItems: [
            { Update: { TableName: T, Key: { Id: S('A') }, UpdateExpression: 'SET m = :m', ExpressionAttributeValues: { ':m': S('m') } } },
            { Put: { TableName: T, Item: { Id: S('B') }, ConditionExpression: 'attribute_not_exists(Id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { ConditionCheck: { TableName: T, Key: { Id: S('C') }, ConditionExpression: 'attribute_exists(Id)' } },
          ],
        },
      ],
      // two operations on one item: refused as a whole
      [
        40,
        'e4',
        'TransactWriteItems',
        { TransactItems: [{ Put: { TableName: T, Item: { Id: S('E') } } }, { Delete: { TableName: T, Key: { Id: S('E') } } }] },
      ],
      [
        50,
        'e5',
        'BatchWriteItem',
        {
          RequestItems: {
            [T]: [
              { PutRequest: { Item: { Id: S('E'), bin: { B: 'AQI=' }, IdempotencyKey: S('k1') } } },
              { PutRequest: { Item: { Id: S('F'), l: { L: [N(1), S('x')] } } } },
              { DeleteRequest: { Key: { Id: S('B') } } },
              { DeleteRequest: { Key: { Id: S('nothing') } } },
            ],
          },
        },
      ],
      // duplicate keys: refused as a whole
      [60, 'e6', 'BatchWriteItem', { RequestItems: { [T]: [{ PutRequest: { Item: { Id: S('F') } } }, { DeleteRequest: { Key: { Id: S('F') } } }] } }],
      [70, 'e7', 'UpdateItem', { TableName: T, Key: { Id: S('A') }, UpdateExpression: 'ADD n :one', ConditionExpression: 'n < :z', ExpressionAttributeValues: { ':one': N(1), ':z': N(0) } }],
      [80, 'e8', 'DeleteItem', { TableName: T, Key: { Id: S('F') }, ReturnValues: 'ALL_OLD' }],
      // in the other region: replication comes later
      [90, 'e9', 'TransactWriteItems', { TransactItems: [{ Put: { TableName: T, Item: { Id: S('G'), r: S('eu') } } }] }],
    ];
    for (const [t, cause, operation, input] of steps) {
      const region = cause === 'e9' ? 'eu-west-1' : 'us-east-1';
      const { model: m, real: r } = await both(t, cause, region, operation, input);
      expect({ operation, cause, outcome: r }).toEqual({ operation, cause, outcome: m });
    }
    const modelEvents = writeEvents(model.trace);
    expect(writeEvents(real.trace)).toEqual(modelEvents);
    // the calling Lambda's region where it is not the table's: every write and refusal in us-east-1, none in eu-west-1 (e9)
    expect(model.trace.events.filter((e) => WRITE_KINDS.has(e.kind)).map((e) => ('caller' in e ? e.caller : '-'))).toEqual([...Array(12).fill('eu-west-1'), '-']);
    // what the steps above are meant to exercise, so a change that drops them cannot pass unseen
    const kinds = model.trace.events.filter((e) => WRITE_KINDS.has(e.kind)).map((e) => `${e.kind}:${'transaction' in e ? e.transaction : '-'}`);
    expect(kinds).toEqual([
      'local-write:-',
      'local-write:tx1',
      'local-write:tx1',
      'condition-failed:tx2',
      'condition-failed:tx2',
      'operation-failed:tx3',
      'local-write:-',
      'local-write:-',
      'local-write:-',
      'operation-failed:-',
      'condition-failed:-',
      'local-write:-',
      'local-write:tx4',
    ]);

    // the emulated replication saw every write: both regions end with the model's items
    await drain(model.substrate);
    await drain(real.substrate);
    expect(await real.substrate.snapshot()).toEqual(await model.substrate.snapshot());
  }, 60_000);

  it('Scan, BatchGetItem, TransactGetItems, GetItem and Query: same answers, the scenario table named', async () => {
    const reads: [string, Record<string, unknown>][] = [
      ['Scan', { TableName: T, ConsistentRead: true }],
      ['Scan', { TableName: T, FilterExpression: 'attribute_exists(IdempotencyKey)', ProjectionExpression: 'Id, IdempotencyKey' }],
      ['BatchGetItem', { RequestItems: { [T]: { Keys: [{ Id: S('A') }, { Id: S('missing') }], ConsistentRead: true } } }],
      ['TransactGetItems', { TransactItems: [{ Get: { TableName: T, Key: { Id: S('A') } } }, { Get: { TableName: T, Key: { Id: S('missing') } } }, { Get: { TableName: T, Key: { Id: S('E') }, ProjectionExpression: 'bin' } }] }],
      ['GetItem', { TableName: T, Key: { Id: S('E') } }],
      ['Query', { TableName: T, IndexName: 'IdempotencyIndex', KeyConditionExpression: 'IdempotencyKey = :k', ExpressionAttributeValues: { ':k': S('k1') } }],
      ['GetItem', { TableName: 'NoSuchTable', Key: { Id: S('A') } }],
      ['GetItem', { TableName: T, Key: { Id: N(7) } }],
      // legacy parameters: traced as the expressions they stand for on both
      ['GetItem', { TableName: T, Key: { Id: S('A') }, AttributesToGet: ['n', 'tag'] }],
      ['Query', { TableName: T, KeyConditions: { Id: { ComparisonOperator: 'EQ', AttributeValueList: [S('A')] } } }],
      ['TransactGetItems', { TransactItems: [{ Get: { TableName: T, Key: { Id: S('A') } } }, { Get: { TableName: 'NoSuchTable', Key: { Id: S('Z') } } }] }],
    ];
    expect(readEvents(model.trace)).toEqual([]); // reads are traced only when asked (a team's handler's requests)
    for (const [operation, input] of reads) {
      const { model: m, real: r } = await both(200, 'read', 'us-east-1', operation, input, { traceRead: true });
      expect({ operation, outcome: inKeyOrder(r) }).toEqual({ operation, outcome: inKeyOrder(m) });
    }
    // traced alike, byte for byte (an item's attributes in the canonical order, whatever order the table answers in):
    // one read per GetItem, Query or Scan, one per item a BatchGetItem or TransactGetItems asked for
    expect(JSON.stringify(readEvents(real.trace))).toBe(JSON.stringify(readEvents(model.trace)));
    const traced = readEvents(model.trace).map(({ event }) => event as ReadTrace);
    expect(traced.map((e) => [e.request?.operation, e.itemId, e.consistency, e.item === null ? 'none' : 'item', e.cause])).toEqual([
      ['Scan', T, 'strong', 'none', 'read'],
      ['Scan', `${T} where attribute_exists(IdempotencyKey)`, 'eventual', 'none', 'read'],
      ['BatchGetItem', 'A', 'strong', 'item', 'read'],
      ['BatchGetItem', 'missing', 'strong', 'none', 'read'],
      ['TransactGetItems', 'A', 'strong', 'item', 'read'],
      ['TransactGetItems', 'missing', 'strong', 'none', 'read'],
      ['TransactGetItems', 'E', 'strong', 'item', 'read'],
      ['GetItem', 'E', 'eventual', 'item', 'read'],
      ['Query', 'IdempotencyIndex: IdempotencyKey = :k', 'eventual', 'none', 'read'],
      // refused (these two and the last two): named from the request's own key, with DynamoDB's error
      ['GetItem', 'A', 'eventual', 'none', 'read'],
      ['GetItem', '7', 'eventual', 'none', 'read'],
      // legacy parameters, as the expressions they stand for
      ['GetItem', 'A', 'eventual', 'item', 'read'],
      ['Query', 'GlobalEventTable: Id = "A"', 'eventual', 'none', 'read'],
      ['TransactGetItems', 'A', 'strong', 'none', 'read'],
      ['TransactGetItems', 'Z', 'strong', 'none', 'read'],
    ]);
    expect(new Set(traced.map((e) => e.caller))).toEqual(new Set(['eu-west-1'])); // read in us-east-1 by eu-west-1's Lambda
    const refused = traced.filter((e) => e.error !== undefined);
    expect(refused.map((e) => [e.itemId, e.table ?? '-', e.error?.name])).toEqual([
      ['A', 'NoSuchTable', 'ResourceNotFoundException'],
      ['7', '-', 'ValidationException'],
      ['A', '-', 'ResourceNotFoundException'],
      ['Z', 'NoSuchTable', 'ResourceNotFoundException'],
    ]);
    expect(traced.find((e) => e.request?.projection === 'n, tag')?.item).toEqual({ n: 2, tag: 'x' });
    expect(traced.find((e) => e.request?.operation === 'Query')?.items?.map((i) => i.Id)).toEqual(['A', 'E']);
    expect(traced.find((e) => e.request?.operation === 'TransactGetItems' && e.itemId === 'E')?.item).toEqual({ bin: { $B: 'AQI=' } });
    const batch = await real.substrate.send('us-east-1', 'BatchGetItem', { RequestItems: { [T]: { Keys: [{ Id: S('A') }] } } });
    expect(Object.keys(batch.Responses as object)).toEqual([T]);
    // geosim's replication attributes never reach the caller
    expect(JSON.stringify(await real.substrate.send('us-east-1', 'Scan', { TableName: T }))).not.toContain('aws:rep');
  }, 60_000);

  it('DescribeTable: the scenario table, its key, index and replicas as the model describes them', async () => {
    const pick = (out: unknown) => {
      const table = (out as { answer: { Table: Record<string, unknown> } }).answer.Table;
      const index = (table.GlobalSecondaryIndexes as Record<string, unknown>[])[0]!;
      return {
        name: table.TableName,
        arn: String(table.TableArn).replace(/^arn:aws:dynamodb:[^:]+:\d+:/, ''),
        status: table.TableStatus,
        keys: table.KeySchema,
        attributes: table.AttributeDefinitions,
        index: { name: index.IndexName, keys: index.KeySchema, projection: index.Projection, arn: String(index.IndexArn).replace(/^arn:aws:dynamodb:[^:]+:\d+:/, '') },
        global: table.GlobalTableVersion,
        replicas: table.Replicas,
      };
    };
    const { model: m, real: r } = await both(300, 'describe', 'eu-west-1', 'DescribeTable', { TableName: T });
    expect(pick(r)).toEqual(pick(m));
    expect(pick(r)).toMatchObject({ name: T, arn: `table/${T}`, replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }] });
  });

  it('an update whose names or values map is empty is refused as DynamoDB refuses it: the replication stamp does not fill the map', async () => {
    const updates: [string, string, Record<string, unknown>][] = [
      ['e20', 'UpdateItem', { TableName: T, Key: { Id: S('A') }, UpdateExpression: 'REMOVE tag', ExpressionAttributeValues: {} }],
      ['e21', 'UpdateItem', { TableName: T, Key: { Id: S('A') }, UpdateExpression: 'REMOVE tag', ExpressionAttributeNames: {} }],
      ['e22', 'TransactWriteItems', { TransactItems: [{ Update: { TableName: T, Key: { Id: S('A') }, UpdateExpression: 'REMOVE tag', ExpressionAttributeValues: {} } }] }],
    ];
    for (const [cause, operation, input] of updates) {
      const { model: m, real: r } = await both(400, cause, 'us-east-1', operation, input);
      expect({ cause, outcome: r }).toEqual({ cause, outcome: m });
      expect(m).toMatchObject({ error: 'ValidationException', message: /^ExpressionAttribute(Names|Values) must not be empty$/ });
    }
    // nothing written: A still has its tag
    const get = await both(400, 'check', 'us-east-1', 'GetItem', { TableName: T, Key: { Id: S('A') }, ConsistentRead: true });
    expect(get.real).toEqual(get.model);
    expect(get.model).toMatchObject({ answer: { Item: { tag: S('x') } } });
  });

  it('an operation geosim does not pass on is refused, named', async () => {
    await expect(real.substrate.send('us-east-1', 'CreateTable', { TableName: 'X' })).rejects.toThrow(/^geosim sends CreateTable only to the model: on DynamoDB it passes on GetItem, .*BatchWriteItem$/);
  });
});
