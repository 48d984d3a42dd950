import { describe, expect, it } from 'vitest';
import { eventFor, names, recordNamedBy } from '../../../src/sim/user-app/batch-attribution.js';
import type { BatchRecord, Invocation } from '../../../src/sim/user-app/invocation-scope.js';

const record = (id: string, item: string): BatchRecord => ({ event: { eventId: id, effects: 0 }, ids: [id, `key-${id}`], items: [item] });
const e1 = record('e1', 'ORDER#1');
const e12 = record('e12', 'ORDER#2');
const e2 = record('e2', 'ORDER#1');

describe('which record of an SQS batch a call names', () => {
  it.each([
    ['IDEMPOTENCY#e1', 'e1', true],
    ['CHARGE#e1#us-east-1', 'e1', true],
    ['e1', 'e1', true],
    ['e12', 'e1', false],
    ['xe1', 'e1', false],
    ['e12 then e1', 'e1', true],
    ['anything', '', false],
  ])('%s names %s: %s', (value, mark, expected) => {
    expect(names(value, mark)).toBe(expected);
  });

  it('a DynamoDB request names a record by a string value: its id or key first, then its item; none or two names none', () => {
    const batch = [e1, e12, e2];
    expect(recordNamedBy(batch, { TableName: 't', Item: { Id: { S: 'IDEMPOTENCY#e12' } } }, true)).toBe(e12.event);
    expect(recordNamedBy(batch, { Key: { Id: { S: 'SEEN#x' } }, ExpressionAttributeValues: { ':k': { S: 'key-e2' } } }, true)).toBe(e2.event);
    expect(recordNamedBy(batch, { Item: { Id: { S: 'ORDER#2' } } }, true)).toBe(e12.event); // item of e12 alone
    expect(recordNamedBy(batch, { Item: { Id: { S: 'ORDER#1' } } }, true)).toBeUndefined(); // e1's and e2's
    expect(recordNamedBy(batch, { Item: { Id: { S: 'PAIR#e1#e2' } } }, true)).toBeUndefined();
    // names, expressions and numbers are not values that name a record
    expect(recordNamedBy(batch, { TableName: 'e1', UpdateExpression: 'SET #e1 = :e1', Item: { Id: { S: 'X' }, n: { N: '1' } } }, true)).toBeUndefined();
    expect(recordNamedBy(batch, { Item: { Id: { S: 'X' }, tags: { SS: ['a', 'e2'] } } }, true)).toBe(e2.event);
  });

  it('a call keeps the record the code read last when it names it, and goes to another only when that one alone is named', () => {
    const a1 = record('a1', 'ORDER#a1');
    const b1 = record('b1', 'ORDER#a1');
    const store = (marked: BatchRecord) => ({ invocation: {} as Invocation, event: marked.event, batch: [a1, b1] });
    // b1’s write of its order names a1’s id as a word, and b1 by its item: b1’s
    expect(eventFor(store(b1), { Item: { Id: { S: 'ORDER#a1' } } }, true)).toBe(b1.event);
    // every body read first, b1 marked: a1’s claim names a1 alone
    expect(eventFor(store(b1), { Item: { Id: { S: 'IDEMPOTENCY#a1' } } }, true)).toBe(a1.event);
    expect(eventFor(store(a1), { Item: { Id: { S: 'NOTHING' } } }, true)).toBe(a1.event);
    // no batch: the mark
    expect(eventFor({ invocation: {} as Invocation, event: a1.event }, { Item: { Id: { S: 'IDEMPOTENCY#b1' } } }, true)).toBe(a1.event);
  });

  it('another service’s call names a record by any string, a message body included', () => {
    expect(recordNamedBy([e1, e12], { QueueUrl: 'https://sqs/q', MessageBody: JSON.stringify({ order: 'e12' }) }, false)).toBe(e12.event);
  });
});
