import { describe, expect, it } from 'vitest';
import { and, equals, exists, lessThan, notExists, or, type Condition } from '../../src/app/condition.js';
import type { WriteOp } from '../../src/app/table-port.js';
import { compileExpressions } from '../../src/dynamodb/expressions/index.js';
import { expressionInput } from '../../src/dynamodb/operations/items.js';
import { precompiledFor } from '../../src/dynamodb/operations/precompiled.js';
import { requestFor } from '../../src/sim/app-requests.js';

/** The request app-requests builds for `op`, and the trees it carries (undefined: left to the compiler). */
function built(op: WriteOp) {
  const { input } = requestFor(op);
  return { input, carried: precompiledFor(input) };
}

const clientLww: Condition = or(notExists('Id'), lessThan('Timestamp', 5), and(equals('Timestamp', 5), lessThan('LastUpdatedRegion', 'us-east-1')));

describe("app requests carry their expressions compiled, equal to the compiler's", () => {
  const trusted: [string, WriteOp][] = [
    ['an idempotency put', { kind: 'put', item: { Id: 'IDEMPOTENCY#k', IdempotencyKey: 'k', ExpiresAt: 3600 }, condition: notExists('Id') }],
    ['a client-lww update', { kind: 'update', id: 'a', set: { Data: { v: 1 }, Timestamp: 5, Id: 'ignored' }, add: { Version: 1 }, condition: clientLww }],
    ['an update without condition', { kind: 'update', id: 'a', set: { Status: 'x' } }],
    ['a version check', { kind: 'update', id: 'a', add: { Version: 1 }, condition: equals('Version', 3) }],
    ['empty AND and OR', { kind: 'delete', id: 'a', condition: and(or(), and(), exists('Id')) }],
    ['values of every type', { kind: 'update', id: 'a', set: { S: 's', N: 1.5, L: [1, 'x'], M: { a: { b: null } }, T: true, SS: { $SS: ['b', 'a'] } }, condition: equals('M', { a: 1 }) }],
  ];
  it.each(trusted)('%s', (_name, op) => {
    const { input, carried } = built(op);
    expect(carried).toBeDefined();
    expect(JSON.stringify(carried)).toBe(JSON.stringify(compileExpressions(expressionInput(input))));
  });

  it('the same shape with other values is trusted again, with its own values', () => {
    const first = built({ kind: 'update', id: 'a', set: { Timestamp: 7 }, condition: lessThan('Timestamp', 7) });
    const second = built({ kind: 'update', id: 'b', set: { Timestamp: 9 }, condition: lessThan('Timestamp', 9) });
    expect(JSON.stringify(second.carried)).toBe(JSON.stringify(compileExpressions(expressionInput(second.input))));
    expect(JSON.stringify(second.carried)).not.toBe(JSON.stringify(first.carried));
  });

  it('leaves to the compiler what it refuses: overlapping paths, a map compared with <', () => {
    const overlap = built({ kind: 'update', id: 'a', set: { Version: 2 }, add: { Version: 1 } });
    expect(overlap.carried).toBeUndefined();
    expect(() => compileExpressions(expressionInput(overlap.input))).toThrow(/overlap/);
    const mapLess = built({ kind: 'update', id: 'a', set: { X: 1 }, condition: lessThan('X', { a: 1 } as unknown as string) });
    expect(mapLess.carried).toBeUndefined();
    expect(() => compileExpressions(expressionInput(mapLess.input))).toThrow(/Incorrect operand type/);
  });
});
