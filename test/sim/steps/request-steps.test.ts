import { describe, expect, it } from 'vitest';
import { performRequestStep, type DynamoDBCaller, type RequestStep } from '../../../src/sim/steps/request-steps.js';
import { ModelEndpoint } from '../../../src/dynamodb/model-endpoint.js';
import { SCENARIO_TABLE_DEFINITION } from '../../../src/sim/replica.js';
import type { TraceEventInput } from '../../../src/trace/events.js';
import type { AssertionResult } from '../../../src/trace/report.js';
import { stepChecks } from '../../../src/check/step-checks.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

/**
 * The step interpreter over one model endpoint per region, without replication: what each step
 * sends and how reads and queries are checked. The global-table layer (World.call) is tested end
 * to end with scenarios/dynamodb-syntax.yaml.
 */
function harness() {
  const endpoints = new Map(['us-east-1', 'eu-west-1'].map((r) => [r, new ModelEndpoint({ now: () => 0, region: r })]));
  for (const e of endpoints.values()) e.call('CreateTable', SCENARIO_TABLE_DEFINITION);
  const calls: Array<[string, string]> = [];
  const caller: DynamoDBCaller = {
    send: async (region, operation, input) => {
      calls.push([region, operation]);
      return endpoints.get(region)!.call(operation, input);
    },
  };
  const trace: TraceEventInput[] = [];
  const assertions: AssertionResult[] = [];
  const causes: Array<string | undefined> = [];
  const run = async (yaml: string) => {
    const scenario = scenarioFromYaml(`regions: [us-east-1, eu-west-1]\nsteps:\n${yaml}`);
    for (const step of scenario.steps) {
      await performRequestStep(step as RequestStep, { caller, now: () => step.at, emit: (e) => trace.push(e), setCause: (c) => causes.push(c), assertions, checks: stepChecks });
    }
  };
  return { run, calls, trace, assertions, causes, endpoints };
}

const PUT = `  - { at: 0, put: { region: us-east-1, item: { Id: A, status: new, Views: 0, IdempotencyKey: k-1, tags: { $SS: [b, a] } }, condition: "attribute_not_exists(Id)" } }\n`;

describe('steps in DynamoDB syntax on the model', () => {
  it('a write goes to its region as one request, tagged with its step; a failed condition does not stop the run', async () => {
    const h = harness();
    await h.run(PUT + PUT + `  - { at: 1, update: { region: us-east-1, key: { Id: A }, expression: "SET #s = :s ADD #v :one", names: { '#s': status, '#v': Views }, values: { ':s': shipped, ':one': 1 } } }\n`);
    expect(h.calls).toEqual([
      ['us-east-1', 'PutItem'],
      ['us-east-1', 'PutItem'],
      ['us-east-1', 'UpdateItem'],
    ]);
    expect(h.causes).toEqual(['steps[0]', undefined, 'steps[1]', undefined, 'steps[2]', undefined]);
    const item = h.endpoints.get('us-east-1')!.call('GetItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'A' } } }).Item;
    expect(item).toMatchObject({ status: { S: 'shipped' }, Views: { N: '1' }, tags: { SS: ['b', 'a'] } });
  });

  it('a read with projection is traced as a read with its request, and its expectation passes or fails', async () => {
    const h = harness();
    await h.run(
      PUT +
        `  - { at: 1, read: { region: us-east-1, key: { Id: A }, projection: "#s, tags", names: { '#s': status }, consistent: true, expect: { status: new, tags: { $SS: [a, b] } } } }\n` +
        `  - { at: 2, read: { region: us-east-1, key: { Id: A }, projection: "#s", names: { '#s': status }, expect: { status: shipped } } }\n` +
        `  - { at: 3, read: { region: eu-west-1, key: { Id: A }, expect: null } }\n`,
    );
    expect(h.trace[0]).toEqual({
      kind: 'read',
      t: 1,
      region: 'us-east-1',
      itemId: 'A',
      consistency: 'strong',
      item: { status: 'new', tags: { $SS: ['a', 'b'] } },
      request: { operation: 'GetItem', table: 'GlobalEventTable', projection: '#s, tags' },
    });
    expect(h.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['read us-east-1 A (strong)', true],
      ['read us-east-1 A (eventual)', false],
      ['read eu-west-1 A (eventual)', true],
    ]);
    expect(h.assertions[1]!.actual).toEqual({ status: 'new' });
  });

  it("a read's actual item is in the canonical order, not the projection's (the same bytes on every backend)", async () => {
    const h = harness();
    await h.run(PUT + `  - { at: 1, read: { region: us-east-1, key: { Id: A }, projection: "#s, #v", names: { '#s': status, '#v': Views }, expect: { status: new } } }\n`);
    expect(Object.keys(h.assertions[0]!.actual as object)).toEqual(['Views', 'status']);
  });

  it('a query on the index: count and items, each a subset match in order; every page unless limit', async () => {
    const h = harness();
    const puts = [1, 2, 3].map((i) => `  - { at: 0, put: { region: us-east-1, item: { Id: "O${i}", IdempotencyKey: k, n: ${i} }, condition: "attribute_not_exists(Id)" } }\n`).join('');
    await h.run(
      puts +
        `  - { at: 1, query: { region: us-east-1, index: IdempotencyIndex, key: "IdempotencyKey = :k", values: { ':k': k }, expect: { count: 3 } } }\n` +
        `  - { at: 2, query: { region: us-east-1, index: IdempotencyIndex, key: "IdempotencyKey = :k", filter: "n > :one", values: { ':k': k, ':one': 1 }, expect: { count: 2 } } }\n` +
        `  - { at: 3, query: { region: us-east-1, key: "Id = :id", values: { ':id': O2 }, projection: "n", expect: { items: [{ n: 2 }] } } }\n` +
        `  - { at: 4, query: { region: us-east-1, key: "Id = :id", values: { ':id': O2 }, expect: { count: 0 } } }\n` +
        `  - { at: 5, query: { region: eu-west-1, index: IdempotencyIndex, key: "IdempotencyKey = :k", values: { ':k': k }, limit: 1, expect: { count: 0, items: [] } } }\n`,
    );
    expect(h.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['query us-east-1 IdempotencyIndex: IdempotencyKey = :k (eventual) count', true],
      ['query us-east-1 IdempotencyIndex: IdempotencyKey = :k (eventual) count', true],
      ['query us-east-1 GlobalEventTable: Id = :id (eventual) items', true],
      ['query us-east-1 GlobalEventTable: Id = :id (eventual) count', false],
      ['query eu-west-1 IdempotencyIndex: IdempotencyKey = :k (eventual) count', true],
      ['query eu-west-1 IdempotencyIndex: IdempotencyKey = :k (eventual) items', true],
    ]);
    const query = h.trace.find((e) => e.kind === 'read' && e.t === 3);
    expect(query).toMatchObject({ itemId: 'GlobalEventTable: Id = :id', item: null, items: [{ n: 2 }], request: { operation: 'Query', keyCondition: 'Id = :id', projection: 'n' } });
  });

  it('follows LastEvaluatedKey across pages without a limit, asks one page with it', async () => {
    const pages = [
      { Items: [{ Id: { S: 'O1' } }], Count: 1, LastEvaluatedKey: { Id: { S: 'O1' } } },
      { Items: [{ Id: { S: 'O2' } }], Count: 1 },
    ];
    const sent: Array<Record<string, unknown>> = [];
    const caller: DynamoDBCaller = {
      send: async (_region, _operation, input) => {
        sent.push(input);
        return pages[sent.length - 1]!;
      },
    };
    const [step] = scenarioFromYaml(`regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, query: { region: us-east-1, key: "Id = :id", values: { ':id': O1 }, expect: { items: [{ Id: O1 }, { Id: O2 }] } } }\n`).steps;
    const assertions: AssertionResult[] = [];
    const ctx = { caller, now: () => 0, emit: () => {}, setCause: () => {}, assertions, checks: stepChecks };
    await performRequestStep(step as RequestStep, ctx);
    expect(sent.map((i) => i.ExclusiveStartKey)).toEqual([undefined, { Id: { S: 'O1' } }]);
    expect(assertions.map((a) => a.passed)).toEqual([true]);

    sent.length = 0;
    const [limited] = scenarioFromYaml(`regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, query: { region: us-east-1, key: "Id = :id", values: { ':id': O1 }, limit: 1, expect: { count: 1 } } }\n`).steps;
    await performRequestStep(limited as RequestStep, ctx);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.Limit).toBe(1);
    expect(assertions.map((a) => a.passed)).toEqual([true, true]);
  });
});
