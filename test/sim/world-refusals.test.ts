import { describe, expect, it } from 'vitest';
import { notExists } from '../../src/app/condition.js';
import { TableOperationError } from '../../src/app/table-errors.js';
import type { Scenario } from '../../src/scenario/model.js';
import { Rng } from '../../src/sim/rng.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { World } from '../../src/sim/world.js';
import { TraceRecorder } from '../../src/trace/recorder.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

const A = 'us-east-1';
const B = 'eu-west-1';
const TYPE_ERROR = { name: 'ValidationException', message: 'An operand in the update expression has an incorrect data type' };

function world() {
  const scenario: Pick<Scenario, 'regions' | 'replication'> = {
    regions: [A, B],
    replication: {
      links: [
        { from: A, to: B, lag: { distribution: 'fixed', ms: 100 } },
        { from: B, to: A, lag: { distribution: 'fixed', ms: 100 } },
      ],
      coalesce: false,
      tieBreak: 'higher-region',
    },
  };
  const trace = new TraceRecorder();
  return { w: new World(scenario, new Rng(1), trace), trace: trace.events };
}

describe('a legacy request (Expected, AttributeUpdates) in a region', () => {
  it('is refused, traced with the condition it stands for, and replicates when it writes', () => {
    const { w, trace } = world();
    w.call(A, 'PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'K1' }, n: { N: '1' } } });
    expect(() => w.call(A, 'PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'K1' } }, Expected: { Id: { Exists: false } } })).toThrow(/conditional request failed/);
    expect(trace.filter((e) => e.kind === 'condition-failed')).toMatchObject([{ region: A, itemId: 'K1', condition: 'attribute_not_exists(Id)', current: { Id: 'K1', n: 1 } }]);
    expect(() => w.call(A, 'PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'K1' } }, Expected: { n: { Value: { N: '5' } }, s: { Value: { S: 'x' } } } })).toThrow(/conditional request failed/);
    expect(trace.filter((e) => e.kind === 'condition-failed').at(-1)).toMatchObject({ condition: '(n = 5) AND (s = "x")' });
    w.call(A, 'UpdateItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'K1' } }, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '2' } } } });
    expect(w.replica(A).item('K1')).toEqual({ Id: 'K1', n: 3 });
    expect(trace.filter((e) => e.kind === 'replication-sent')).toHaveLength(2);
  });
});

describe('writes DynamoDB refuses for what the item holds (issue 10 item 3)', () => {
  it('ADD to a string is refused with ValidationException and leaves the item as it was', () => {
    const { w, trace } = world();
    w.write(A, { kind: 'put', item: { Id: 'K1', s: 'x' } });
    expect(() => w.write(A, { kind: 'update', id: 'K1', add: { s: 1 } })).toThrow(new TableOperationError(TYPE_ERROR));
    expect(w.replica(A).item('K1')).toEqual({ Id: 'K1', s: 'x' });
    const failed = trace.filter((e) => e.kind === 'operation-failed');
    expect(failed).toMatchObject([{ region: A, itemId: 'K1', op: 'update', error: TYPE_ERROR, current: { Id: 'K1', s: 'x' } }]);
    // nothing was written, so nothing replicates
    expect(trace.filter((e) => e.kind === 'local-write')).toHaveLength(1);
  });

  it.each([{ m: {} }, { l: [] }, { b: true }, { n: null }])('ADD to %o is refused too; ADD to a number or a missing attribute is not', (attrs) => {
    const { w } = world();
    w.write(A, { kind: 'put', item: { Id: 'K1', x: 5, ...attrs } });
    const name = Object.keys(attrs)[0]!;
    expect(() => w.write(A, { kind: 'update', id: 'K1', add: { [name]: 1 } })).toThrow(TableOperationError);
    expect(w.write(A, { kind: 'update', id: 'K1', add: { x: 1, missing: 2 } })).toMatchObject({ ok: true, item: { x: 6, missing: 2 } });
  });

  it('a false condition answers first, as on DynamoDB', () => {
    const { w, trace } = world();
    w.write(A, { kind: 'put', item: { Id: 'K1', s: 'x' } });
    expect(w.write(A, { kind: 'update', id: 'K1', add: { s: 1 }, condition: notExists() })).toMatchObject({ ok: false, reason: 'condition-failed' });
    expect(trace.some((e) => e.kind === 'operation-failed')).toBe(false);
  });

  it('in a transaction the refusal fails the whole request, even when another operation’s condition fails', () => {
    const { w, trace } = world();
    w.write(A, { kind: 'put', item: { Id: 'K1', s: 'x' } });
    const ops = [
      { kind: 'put' as const, item: { Id: 'K9' }, condition: { kind: 'attribute-exists' as const, attribute: 'Id' } },
      { kind: 'update' as const, id: 'K1', add: { s: 1 } },
    ];
    expect(() => w.transact(A, ops)).toThrow(new TableOperationError(TYPE_ERROR));
    expect(w.replica(A).item('K9')).toBeUndefined();
    expect(trace.filter((e) => e.kind === 'condition-failed')).toEqual([]);
    expect(trace.filter((e) => e.kind === 'operation-failed')).toMatchObject([{ itemId: 'K1', transaction: 'tx1', error: TYPE_ERROR }]);
  });

  it('a scenario step that is refused becomes a failed step; the run goes on and counts it', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K1, s: x } } }
  - { at: 10, update: { region: us-east-1, id: K1, add: { s: 1 } } }
  - { at: 20, transact: { region: us-east-1, ops: [ { put: { item: { Id: K2 } } }, { update: { id: K1, add: { s: 2 } } } ] } }
expect:
  items: { K1: { s: x }, K2: null }
  counts: { operationFailures: 2 }
`),
      { seed: 1 },
    );
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(report.trace.filter((e) => e.kind === 'operation-failed').map((e) => e.t)).toEqual([10, 20]);
  });
});
