import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../../src/dynamodb/errors.js';
import { applyUpdate, compileExpressions, evaluateCondition, isReservedWord, RESERVED_WORDS } from '../../../src/dynamodb/expressions/index.js';

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
