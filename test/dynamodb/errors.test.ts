import { describe, expect, it } from 'vitest';
import { DynamoDBError, validation } from '../../src/dynamodb/errors.js';

describe('DynamoDBError', () => {
  it('is an answer, not a fault: no stack frames, and the stack trace limit of other errors is left as it was', () => {
    const before = Error.stackTraceLimit;
    const error = validation('One or more parameter values were invalid');
    expect(error).toBeInstanceOf(DynamoDBError);
    expect(error.stack).toBe('ValidationException: One or more parameter values were invalid');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('a fault').stack).toMatch(/\n\s+at /);
  });

  it('keeps its name, message, extra members and status', () => {
    const error = new DynamoDBError('ConditionalCheckFailedException', 'The conditional request failed', { Item: { Id: { S: 'a' } } });
    expect([error.name, error.message, error.extra, error.status]).toEqual(['ConditionalCheckFailedException', 'The conditional request failed', { Item: { Id: { S: 'a' } } }, 400]);
    expect(new DynamoDBError('InternalServerError', 'x').status).toBe(500);
  });
});
