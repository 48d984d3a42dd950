import { describe, expect, it } from 'vitest';
import { and, equals, exists, lessThan, notExists, or, type Condition } from '../../src/app/condition.js';
import type { WriteOp } from '../../src/app/table-port.js';
import { DynamoDBError } from '../../src/dynamodb/errors.js';
import { ModelEndpoint } from '../../src/dynamodb/model-endpoint.js';
import { leanRequestFor, requestFor } from '../../src/sim/app-requests.js';
import { SCENARIO_TABLE, SCENARIO_TABLE_DEFINITION } from '../../src/sim/replica.js';

/** An endpoint holding the scenario's table with one item `a` in it. */
function endpoint(): ModelEndpoint {
  const e = new ModelEndpoint({ now: () => 0 });
  e.call('CreateTable', SCENARIO_TABLE_DEFINITION);
  e.call('PutItem', { TableName: SCENARIO_TABLE, Item: { Id: { S: 'a' }, Timestamp: { N: '5' }, LastUpdatedRegion: { S: 'eu-west-1' }, Version: { N: '3' }, M: { M: { a: { N: '1' } } } } });
  return e;
}

/** What one request does to a fresh endpoint: its answer or error, and the items after. */
function outcome(request: { operation: string; input: Record<string, unknown> }) {
  const e = endpoint();
  let answer: unknown;
  try {
    answer = e.call(request.operation, { ...request.input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  } catch (error) {
    if (!(error instanceof DynamoDBError)) throw error;
    answer = { error: error.name, message: error.message, extra: error.extra };
  }
  const items = (e.call('Scan', { TableName: SCENARIO_TABLE }).Items as unknown[]).map((i) => JSON.stringify(i));
  return { answer, items };
}

const FROZEN_ADD = Object.freeze({ Version: 1 });

const clientLww = (t: number): Condition => or(notExists('Id'), lessThan('Timestamp', t), and(equals('Timestamp', t), lessThan('LastUpdatedRegion', 'us-east-1')));

// Pairs of one shape with other values: the second goes lean once the first has been judged.
const cases: [string, WriteOp, WriteOp][] = [
  ['an idempotency put', { kind: 'put', item: { Id: 'IDEMPOTENCY#k', IdempotencyKey: 'k', ExpiresAt: 3600 }, condition: notExists('Id') }, { kind: 'put', item: { Id: 'a', IdempotencyKey: 'j', ExpiresAt: 7200 }, condition: notExists('Id') }],
  ['a client-lww update that passes, then fails', { kind: 'update', id: 'a', set: { Data: { v: 1 }, Timestamp: 9, Id: 'ignored' }, add: { Version: 1 }, condition: clientLww(9) }, { kind: 'update', id: 'a', set: { Data: { v: 2 }, Timestamp: 4, Id: 'ignored' }, add: { Version: 1 }, condition: clientLww(4) }],
  ['a version check', { kind: 'update', id: 'a', add: { Version: 1 }, condition: equals('Version', 3) }, { kind: 'update', id: 'a', add: { Version: 1 }, condition: equals('Version', 2) }],
  ['a delete with a condition', { kind: 'delete', id: 'a', condition: and(or(), and(), exists('Id')) }, { kind: 'delete', id: 'b', condition: and(or(), and(), exists('Id')) }],
  ['values of every type', { kind: 'update', id: 'a', set: { S: 's', N: 1.5, L: [1, 'x'], T: true }, condition: equals('M', { a: 1 }) }, { kind: 'update', id: 'a', set: { S: 't', N: 2.5, L: [], T: false }, condition: equals('M', { a: 2 }) }],
  ['an update that changes nothing', { kind: 'update', id: 'a' }, { kind: 'update', id: 'new' }],
  // a frozen `add` (the processor's version increment): its ADD actions made once, shared by later requests
  ['a frozen increment, shared', { kind: 'update', id: 'a', set: { X: 1 }, add: FROZEN_ADD }, { kind: 'update', id: 'new', set: { X: 2 }, add: FROZEN_ADD }],
];

describe('lean requests: once a shape is judged, the application sends its writes without expression strings', () => {
  it.each(cases)('%s: the lean request does exactly what the full one does', (_name, first, second) => {
    leanRequestFor(first); // the shape is judged on its first request
    for (const op of [first, second]) {
      const lean = leanRequestFor(op);
      expect(lean.input.ConditionExpression).toBeUndefined();
      expect(lean.input.ExpressionAttributeValues).toBeUndefined();
      expect(outcome(lean)).toEqual(outcome(requestFor(op)));
    }
  });

  it('sends in full what the compiler must judge: a value the trees cannot hold, a shape the compiler refuses', () => {
    leanRequestFor({ kind: 'update', id: 'a', set: { X: 1 }, condition: lessThan('X', 1) });
    const mapLess = leanRequestFor({ kind: 'update', id: 'a', set: { X: 1 }, condition: lessThan('X', { a: 1 } as unknown as string) });
    expect(mapLess.input.ConditionExpression).toBeDefined();
    expect(outcome(mapLess).answer).toMatchObject({ error: 'ValidationException', message: expect.stringMatching(/Incorrect operand type/) });
    for (let i = 0; i < 2; i++) {
      const overlap = leanRequestFor({ kind: 'update', id: 'a', set: { Version: 2 }, add: { Version: 1 } });
      expect(overlap.input.UpdateExpression).toBeDefined();
      expect(outcome(overlap).answer).toMatchObject({ error: 'ValidationException', message: expect.stringMatching(/overlap/) });
    }
  });
});
