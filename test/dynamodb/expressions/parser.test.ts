import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../../src/dynamodb/errors.js';
import { applyUpdate, compileExpressions, evaluateCondition, isReservedWord, RESERVED_WORDS, type ExpressionInput } from '../../../src/dynamodb/expressions/index.js';

describe('parser', () => {
  it('a syntax error quotes the token and the text from the token before to the token after', () => {
    expect(() => compileExpressions({ ConditionExpression: 'a = :v OR OR b = :v', ExpressionAttributeValues: { ':v': { N: '1' } } })).toThrow(
      'Invalid ConditionExpression: Syntax error; token: "OR", near: "OR OR b"',
    );
  });

  it('keywords in any case; reserved words in any case', () => {
    expect(() => compileExpressions({ UpdateExpression: 'set a = :v remove b add c :v delete d :s', ExpressionAttributeValues: { ':v': { N: '1' }, ':s': { SS: ['x'] } } })).not.toThrow();
    expect(isReservedWord('dAtA')).toBe(true);
    expect(isReservedWord('Id')).toBe(false);
    expect(RESERVED_WORDS.size).toBeGreaterThan(570);
  });

  it('never fails with anything but a DynamoDBError, whatever the text (property)', () => {
    const alphabet = fc.constantFrom(...'ab#:v0 ()[].,=<>+-@_'.split(''), ' AND ', ' OR ', ' NOT ', ' BETWEEN ', ' IN ', 'SET ', 'REMOVE ', 'size(', 'contains(', 'list_append(');
    const text = fc.array(alphabet, { maxLength: 20 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (condition, update) => {
        for (const input of [{ ConditionExpression: condition }, { UpdateExpression: update }, { ProjectionExpression: condition }]) {
          try {
            compileExpressions({ ...input, ExpressionAttributeNames: { '#a': 'x' }, ExpressionAttributeValues: { ':v': { N: '1' } } });
          } catch (error) {
            expect(error).toBeInstanceOf(DynamoDBError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// Parsed trees are cached by kind and source (the same expression strings come again and again):
// what a request's placeholders say must never leak into the next request.
describe('parser cache', () => {
  it('the same update with other placeholders writes other attributes and values', () => {
    const update = (name: string, value: string) =>
      compileExpressions({ UpdateExpression: 'SET #a = :v', ExpressionAttributeNames: { '#a': name }, ExpressionAttributeValues: { ':v': { N: value } } }).update!;
    const key = { Id: { S: 'k' } };
    expect(applyUpdate(update('x', '1'), undefined, key, ['Id'])).toEqual({ Id: { S: 'k' }, x: { N: '1' } });
    expect(applyUpdate(update('y', '2'), undefined, key, ['Id'])).toEqual({ Id: { S: 'k' }, y: { N: '2' } });
  });

  it('the same condition with other values decides by the new values', () => {
    const condition = (value: string) => compileExpressions({ ConditionExpression: 'n > :v', ExpressionAttributeValues: { ':v': { N: value } } }).condition!;
    const item = { n: { N: '5' } };
    expect(evaluateCondition(condition('4'), item)).toBe(true);
    expect(evaluateCondition(condition('6'), item)).toBe(false);
  });

  it('a syntax error is reported again, and names the kind of the expression it was sent as', () => {
    const values = { ExpressionAttributeValues: { ':v': { N: '1' } } };
    for (let i = 0; i < 2; i++) {
      expect(() => compileExpressions({ ConditionExpression: 'a = = :v', ...values })).toThrow('Invalid ConditionExpression: Syntax error');
      expect(() => compileExpressions({ FilterExpression: 'a = = :v', ...values })).toThrow('Invalid FilterExpression: Syntax error');
    }
  });
});

// DynamoDB refuses an expression of more than 300 operators; what counts was measured against
// DynamoDB Local (3.3.0) by the fewest NOTs (or SET sums) beside one construct that it refused.
describe('operator limit', () => {
  const values = { ':v': { N: '1' }, ':w': { N: '2' }, ':s': { S: 'a' }, ':l': { L: [] }, ':ss': { SS: ['x'] }, ':t': { S: 'S' } } as const;
  /** `input` with only the values its expressions use (DynamoDB refuses unused ones). */
  const used = (input: ExpressionInput): ExpressionInput => {
    const text = [input.ConditionExpression, input.FilterExpression, input.KeyConditionExpression, input.UpdateExpression].join(' ');
    const picked = Object.entries(values).filter(([p]) => new RegExp(`${p}\\b`).test(text));
    return picked.length === 0 ? input : { ...input, ExpressionAttributeValues: Object.fromEntries(picked) };
  };
  const nots = (n: number) => 'NOT '.repeat(n);
  /** `n` sums (one operator each) SET on attributes of their own (without spaces: 301 stay within 4 KB). */
  const sums = (n: number) => Array.from({ length: n }, (_, i) => `a${i}=:v+:v`).join(',');
  const refusal = (kind: string) => `Invalid ${kind}: The expression contains too many operators; operator count: 301`;
  const outcome = (input: ExpressionInput) => {
    try {
      compileExpressions(used(input));
      return 'taken';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each(['ConditionExpression', 'FilterExpression', 'KeyConditionExpression'] as const)('a %s of 300 operators is taken, one of 301 refused, naming 301 however many it holds', (kind) => {
    // (a key condition of NOTs passes the count to be refused for its NOT by keyConditionFor, as Local answers)
    const of = (n: number) => outcome({ [kind]: `${nots(n - 1)}pk = :v` });
    expect(of(300)).toBe('taken');
    expect(of(301)).toBe(refusal(kind));
    expect(of(500)).toBe(refusal(kind));
    expect(outcome({ [kind]: Array.from({ length: 151 }, () => 'pk = :v').join(' AND ') })).toBe(refusal(kind));
  });

  it('an UpdateExpression of 300 operators is taken, one of 301 refused, naming 301 however many it holds', () => {
    expect(outcome({ UpdateExpression: `SET ${sums(300)}` })).toBe('taken');
    expect(outcome({ UpdateExpression: `SET ${sums(301)}` })).toBe(refusal('UpdateExpression'));
    expect(outcome({ UpdateExpression: `SET ${sums(350)}` })).toBe(refusal('UpdateExpression'));
  });

  it('a ProjectionExpression has no operator limit: 700 paths are taken', () => {
    expect(outcome({ ProjectionExpression: Array.from({ length: 700 }, (_, i) => `p${i}`).join(',') })).toBe('taken');
  });

  // [construct, operators DynamoDB Local counts in it]: each function call, comparator, BETWEEN
  // (not its AND), IN (whatever its operands), AND, OR and NOT is one; parentheses, paths and placeholders none
  it.each([
    ['attribute_not_exists(pk)', 1], ['attribute_exists(x)', 1], ['attribute_type(x, :t)', 1], ['begins_with(x, :s)', 1], ['contains(x, :s)', 1],
    ['x = :v', 1], ['x <> :v', 1], ['x < :v', 1], ['x <= :v', 1], ['x > :v', 1], ['x >= :v', 1], ['x = y', 1], [':v = :w', 1],
    ['x BETWEEN :v AND :w', 1], ['x IN (:v)', 1], ['x IN (:v, :w)', 1], ['x IN ((:v), :w)', 1],
    ['size(x) = :v', 2], ['size(x) = size(y)', 3], ['size((x)) > :v', 2],
    ['(x = :v)', 1], ['((x) = (:v))', 1], ['a.b.c = :v', 1], ['a[0][1] = :v', 1],
    ['x = :v AND y = :v', 3], ['(x = :v OR y = :v)', 3], ['NOT (x = :v)', 2],
  ] as const)('a condition: %s counts %i', (construct, count) => {
    expect(outcome({ ConditionExpression: `${nots(300 - count)}${construct}` })).toBe('taken');
    expect(outcome({ ConditionExpression: `${nots(301 - count)}${construct}` })).toBe(refusal('ConditionExpression'));
  });

  // `+`, `-`, if_not_exists and list_append are one each; SET, REMOVE, ADD, DELETE, `=` and paths none
  it.each([
    ['SET z = :v - :v', 1], ['SET z = (:v + :v)', 1], ['SET z = (:v) + (:v)', 1], ['SET z = if_not_exists(z, :v)', 1], ['SET z = if_not_exists(z, :v) + :v', 2],
    ['SET z = list_append(z, :l)', 1], ['SET z = list_append(if_not_exists(z, :l), :l)', 2], ['SET z = if_not_exists(z, :v) + if_not_exists(y, :v)', 3],
    ['SET z = :v', 0], ['SET z.y[0] = :v', 0], ['REMOVE z', 0], ['ADD z :v', 0], ['DELETE z :ss', 0],
  ] as const)('an update: %s counts %i', (construct, count) => {
    const beside = (n: number) => (construct.startsWith('SET ') ? `${construct}, ${sums(n)}` : `${construct} SET ${sums(n)}`);
    expect(outcome({ UpdateExpression: beside(300 - count) })).toBe('taken');
    expect(outcome({ UpdateExpression: beside(301 - count) })).toBe(refusal('UpdateExpression'));
  });

  it('counts each expression of a request on its own', () => {
    const condition = `${nots(199)}attribute_not_exists(pk)`;
    expect(outcome({ UpdateExpression: `SET ${sums(200)}`, ConditionExpression: condition })).toBe('taken');
    expect(outcome({ KeyConditionExpression: `${nots(199)}pk = :v`, FilterExpression: condition })).toBe('taken');
  });

  it('a repeated expression is refused again (the parse cache keeps the count)', () => {
    for (let i = 0; i < 2; i++) expect(outcome({ ConditionExpression: `${nots(300)}attribute_not_exists(pk)` })).toBe(refusal('ConditionExpression'));
  });

  it('holds expressions written from legacy parameters to no operator limit (nor size limit)', () => {
    // a ScanFilter of n conditions, as legacy.ts writes it: 151 are 301 operators in 2.7 KB
    const filter = (n: number): ExpressionInput => ({
      FilterExpression: Array.from({ length: n }, (_, i) => `(#l${i} = :v)`).join(' AND '),
      ExpressionAttributeNames: Object.fromEntries(Array.from({ length: n }, (_, i) => [`#l${i}`, `a${i}`])),
      ExpressionAttributeValues: { ':v': { N: '1' } },
    });
    expect(() => compileExpressions(filter(151), { fromLegacy: true })).not.toThrow();
    expect(() => compileExpressions(filter(400), { fromLegacy: true })).not.toThrow();
    expect(() => compileExpressions(filter(151))).toThrow(refusal('FilterExpression'));
    expect(() => compileExpressions(filter(400))).toThrow('Invalid FilterExpression: Expression size has exceeded the maximum allowed size');
  });
});
