import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../../src/dynamodb/errors.js';
import { compileExpressions, isReservedWord, RESERVED_WORDS } from '../../../src/dynamodb/expressions/index.js';

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
