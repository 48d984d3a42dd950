import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import type { ScenarioProblem } from '../../src/scenario/problems.js';

// Issue 13: a scenario declares its own tables (`tables:`), checked at load time as DynamoDB's
// CreateTable would check them, each problem at its line and column.

function problems(yaml: string): ScenarioProblem[] {
  const result = loadScenarioText(yaml, 'bad.yaml');
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.problems;
}
const brief = (ps: ScenarioProblem[]) => ps.map((p) => `${p.line}:${p.col} ${p.code}: ${p.message}`);

const ORDERS = `  - TableName: Orders
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: S}]
`;
const PUT = `  - at: 0
    put: {region: us-east-1, item: {pk: a, sk: b}, condition: attribute_not_exists(pk)}
`;
const scenario = (tables: string, steps: string = PUT, more = '') => `regions: [us-east-1, eu-west-1]\n${more}tables:\n${tables}steps:\n${steps}`;

describe('tables: at load time', () => {
  it('accepts a table in CreateTable shape with the keys a CloudFormation copy carries, and defaults expression steps to the first table', () => {
    const yaml = scenario(`${ORDERS}    StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_AND_OLD_IMAGES}
    SSESpecification: {SSEEnabled: true}
    TableClass: STANDARD
    DeletionProtectionEnabled: true
    Tags: [{Key: team, Value: orders}]
    TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
  - TableName: Audit
    ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: N}]
`);
    const result = loadScenarioText(yaml, 'ok.yaml');
    expect(result.ok ? [] : brief(result.problems)).toEqual([]);
    if (!result.ok) return;
    expect(result.scenario.tables).toEqual([
      {
        name: 'Orders',
        keyNames: ['pk', 'sk'],
        ttlAttribute: 'expiresAt',
        // only what the model's CreateTable reads; the stream is the run's to decide
        definition: { TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST', KeySchema: expect.any(Array), AttributeDefinitions: expect.any(Array) },
      },
      { name: 'Audit', keyNames: ['id'], definition: expect.objectContaining({ ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }) },
    ]);
    expect(result.scenario.steps[0]).toMatchObject({ kind: 'request', request: { operation: 'PutItem', input: { TableName: 'Orders' } } });
  });

  it('refuses a key schema DynamoDB refuses, at the field its message names', () => {
    const ps = problems(
      scenario(`  - TableName: Orders
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
`),
    );
    expect(brief(ps)).toEqual(['6:27 dynamodb-refuses: DynamoDB refuses this table (ValidationException): Range Key not specified in Attribute Definitions.  Type unknown.']);
  });

  it('refuses a table without billing mode or throughput, with the fix in the hint', () => {
    const ps = problems(scenario(`  - TableName: Orders
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
`, `  - at: 0
    put: {region: us-east-1, item: {pk: a}, condition: attribute_not_exists(pk)}
`));
    expect(brief(ps)).toEqual(['3:5 dynamodb-refuses: DynamoDB refuses this table (ValidationException): No provisioned throughput specified for the table']);
    expect(ps[0]!.hint).toMatch(/BillingMode: PAY_PER_REQUEST/);
  });

  it('names an unknown key with its near miss', () => {
    const ps = problems(scenario(ORDERS.replace('BillingMode', 'BilingMode')));
    expect(brief(ps)).toEqual(['4:5 unknown-key: unknown key "BilingMode" in tables[0]']);
    expect(ps[0]!.hint).toMatch(/did you mean "BillingMode"/);
  });

  it('refuses a TableName declared twice (that entry is checked no further) and local secondary indexes (not modeled)', () => {
    const ps = problems(
      scenario(`${ORDERS}${ORDERS.replace('    BillingMode: PAY_PER_REQUEST\n', `    BillingMode: PAY_PER_REQUEST
    StreamSpecification: {StreamViewType: KEYS_ONLY}
`)}  - TableName: Third
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: S}, {AttributeName: at, AttributeType: N}]
    LocalSecondaryIndexes:
      - {IndexName: ByTime, KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}], Projection: {ProjectionType: ALL}}
`),
    );
    expect(brief(ps)).toEqual([
      '7:16 duplicate-table: table "Orders" is already declared by tables[0]',
      '16:5 not-modeled: the model has no local secondary indexes yet',
    ]);
  });

  it('refuses a stream view other than NEW_AND_OLD_IMAGES', () => {
    const ps = problems(scenario(`${ORDERS}    StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_IMAGE}\n`));
    expect(brief(ps)).toEqual(['7:5 global-table-stream: a global table replicates through a NEW_AND_OLD_IMAGES stream, found StreamViewType NEW_IMAGE']);
  });

  it('refuses event and retry steps without a module (the built-in application needs GlobalEventTable), and short forms', () => {
    const ps = problems(
      scenario(
        ORDERS,
        `  - at: 0
    event: {id: e1, region: us-east-1, item: o-1, data: {a: 1}}
  - at: 1
    retry: {of: e1, region: eu-west-1}
  - at: 2
    update: {region: us-east-1, id: o-1, set: {a: 2}}
`,
      ),
    );
    expect(brief(ps)).toEqual([
      "9:5 needs-global-event-table: an event step runs geosim's built-in application, which needs GlobalEventTable, and the scenario declares its own tables",
      "11:5 needs-global-event-table: a retry step runs geosim's built-in application, which needs GlobalEventTable, and the scenario declares its own tables",
      '13:5 short-form-table: the short form of update names items by Id in GlobalEventTable, and the scenario declares its own tables',
    ]);
    expect(ps[0]!.hint).toMatch(/application\.module/);
  });

  it('a mistake under a team’s application is the one error, not one more per event step (it was read as the built-in application)', () => {
    const app = `application:\n  module: ./h.ts\n  streamHandler: onChange\n  stream: {maximumBatchingWindow: 301s}\n`;
    const steps = `  - at: 0\n    event: {id: e1, region: us-east-1, item: o-1, data: {a: 1}}\n  - at: 1\n    event: {id: e2, region: us-east-1, item: o-2, data: {a: 1}}\n`;
    expect(problems(scenario(ORDERS, steps, app)).map((p) => p.code)).toEqual(['wrong-value']);
  });

  it('refuses application.stream.table naming no declared table', () => {
    const app = `application:\n  module: ./h.ts\n  streamHandler: onChange\n  stream: {table: Audit}\n`;
    const ps = problems(scenario(ORDERS, PUT, app));
    expect(brief(ps)).toEqual(['5:19 unknown-table: application.stream.table names "Audit", which the scenario does not declare']);
    expect(ps[0]!.hint).toBe('declared tables: Orders');
    // without tables: the stream handler reads GlobalEventTable's stream, named by no `table`
    const without = problems(`regions: [us-east-1, eu-west-1]\n${app}steps:\n  - at: 0\n    event: {id: e1, region: us-east-1, item: o-1, data: {a: 1}}\n`);
    expect(brief(without)).toEqual(['5:19 unknown-table: application.stream.table names "Audit", and the scenario declares no tables']);
  });

  it('reads a put of an item keyed `id` (a declared table\'s key) as DynamoDB syntax, not as a short form missing Id', () => {
    const sessions = `  - TableName: Sessions
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
`;
    const result = loadScenarioText(scenario(sessions, `  - at: 0\n    put: {region: us-east-1, item: {id: s1, n: 1}}\n`), 'ok.yaml');
    expect(result.ok ? [] : brief(result.problems)).toEqual([]);
    if (!result.ok) return;
    expect(result.scenario.steps[0]).toMatchObject({ kind: 'request', request: { operation: 'PutItem', input: { TableName: 'Sessions' } } });
    // a key spelt in another case than the table's is named in the hint, as a near miss of Id is
    const ps = problems(scenario(ORDERS, `  - at: 0\n    put: {region: us-east-1, item: {PK: a, sk: b}}\n`));
    expect(brief(ps)).toEqual(['9:36 dynamodb-refuses: DynamoDB refuses this put (ValidationException): One of the required keys was not given a value']);
    expect(ps[0]!.hint).toBe('the table is Orders (key pk, sk); found "PK" (keys are case-sensitive)');
  });

  it('refuses an expectation naming an item without its sort key (it could only fail at the end, as "got null")', () => {
    const steps = `${PUT}  - at: 1\n    check: { items: { "a|b": { pk: a }, a: { pk: a } } }\n`;
    const ps = problems(scenario(ORDERS, steps, '') + 'expect:\n  regions: { eu-west-1: { a: null } }\n');
    expect(brief(ps)).toEqual([
      '11:41 key-string: "a" names no item of Orders: its items are named by pk|sk, the partition and the sort key',
      '13:27 key-string: "a" names no item of Orders: its items are named by pk|sk, the partition and the sort key',
    ]);
    expect(ps[0]!.hint).toBe('add the item\'s sk after a |: "a|<sk>"');
    // a table without a sort key names items by the partition key alone, `|` or not
    const single = `  - TableName: Things\n    BillingMode: PAY_PER_REQUEST\n    KeySchema: [{AttributeName: pk, KeyType: HASH}]\n    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n`;
    const result = loadScenarioText(scenario(single, `  - at: 0\n    put: {region: us-east-1, item: {pk: a}}\n`) + 'expect:\n  items: { a: { pk: a }, "x|y": null }\n', 'ok.yaml');
    expect(result.ok ? [] : brief(result.problems)).toEqual([]);
  });

  it('checks expression steps against the declared tables, with hints that name them', () => {
    const ps = problems(
      scenario(
        ORDERS,
        `  - at: 0
    update: {region: us-east-1, key: {pk: a, sk: b}, expression: "SET sk = :v", values: {':v': 1}}
  - at: 1
    query: {region: us-east-1, index: IdempotencyIndex, key: "pk = :p", values: {':p': a}}
  - at: 2
    read: {region: us-east-1, table: GlobalEventTable, key: {Id: a}}
`,
      ),
    );
    expect(brief(ps)).toEqual([
      '9:66 dynamodb-refuses: DynamoDB refuses this update (ValidationException): One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key',
      '11:39 dynamodb-refuses: DynamoDB refuses this query (ValidationException): The table does not have the specified index: IdempotencyIndex',
      '13:38 dynamodb-refuses: DynamoDB refuses this read (ResourceNotFoundException): Cannot do operations on a non-existent table',
    ]);
    expect(ps[1]!.hint).toBe('the table is Orders (key pk, sk)');
    expect(ps[2]!.hint).toBe('the scenario declares Orders (key pk, sk); `table` defaults to Orders');
  });
});
