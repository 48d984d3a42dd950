import { describe, expect, it } from 'vitest';
import { lambdaStep } from '../../../../src/render/mermaid/steps/lambda.js';
import { E, W, only, traced } from './context.js';

describe("lambdaStep (Lambda's failure path)", () => {
  it("notes a failed attempt on the region's Lambda", () => {
    const { ctx, events } = traced([{ kind: 'lambda-attempt-failed', t: 10, region: E, invocation: 'stream', eventIds: ['e1', 'e2'], attempt: 1, error: 'timeout', message: 'Task timed out' }]);
    expect(lambdaStep(only(events, 'lambda-attempt-failed'), ctx)).toEqual({
      t: 10,
      notes: [{ over: ['Lambda_us_east_1'], text: 'stream invocation of e1, e2 attempt 1 failed (timeout): Task timed out' }],
      routine: false,
      category: 'failures',
    });
  });

  it('notes a scheduled retry as routine, saying when a batch was bisected', () => {
    const { ctx, events } = traced([
      { kind: 'lambda-retry-scheduled', t: 10, region: E, invocation: 'async', eventIds: ['e1'], attempt: 2, at: 1500 },
      { kind: 'lambda-retry-scheduled', t: 10, region: E, invocation: 'stream', eventIds: ['e1'], attempt: 2, at: 20, bisected: true },
    ]);
    expect(lambdaStep(only(events, 'lambda-retry-scheduled', 0), ctx)).toEqual({
      t: 10,
      notes: [{ over: ['Lambda_us_east_1'], text: 'retry e1 as attempt 2 at t=1.5s' }],
      routine: true,
      category: 'failures',
    });
    expect(lambdaStep(only(events, 'lambda-retry-scheduled', 1), ctx).notes[0]?.text).toBe('batch bisected; retry e1 as attempt 2 at t=20ms');
  });

  it("draws a dead-lettered event as an arrow into the region's queue, with a note of why", () => {
    const { ctx, events } = traced([
      { kind: 'dead-lettered', t: 99, region: W, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', source: 'stream', error: 'boom', attempts: 3, metadataOnly: true },
    ]);
    expect(lambdaStep(only(events, 'dead-lettered'), ctx)).toEqual({
      t: 99,
      arrow: { from: 'Lambda_eu_west_1', to: 'DLQ_eu_west_1', arrow: '-)', verb: 'dead-letter', item: 'ORDER#1', detail: 'e1, key k1' },
      notes: [{ over: ['DLQ_eu_west_1'], text: 'after 3 attempts (stream): boom; batch metadata only, not the record' }],
      routine: false,
      category: 'failures',
    });
    expect([...ctx.used].sort()).toEqual(['DLQ_eu_west_1', 'Lambda_eu_west_1']);
  });

  it('names the new invocation kinds: an SQS batch and a table-stream batch', () => {
    const { ctx, events } = traced([
      { kind: 'lambda-attempt-failed', t: 10, region: E, invocation: 'sqs', eventIds: ['e1'], attempt: 2, error: 'throw', message: 'boom' },
      { kind: 'lambda-retry-scheduled', t: 10, region: E, invocation: 'table-stream', eventIds: ['I-1#3'], attempt: 2, at: 1010 },
      { kind: 'dead-lettered', t: 30_000, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', source: 'sqs', error: 'maxReceiveCount 3 reached: throw: boom', attempts: 3, metadataOnly: false },
    ]);
    expect(lambdaStep(only(events, 'lambda-attempt-failed'), ctx).notes[0]?.text).toBe('sqs invocation of e1 attempt 2 failed (throw): boom');
    expect(lambdaStep(only(events, 'lambda-retry-scheduled'), ctx).notes[0]?.text).toBe('retry I-1#3 as attempt 2 at t=1.01s');
    expect(lambdaStep(only(events, 'dead-lettered'), ctx).notes[0]?.text).toBe('after 3 attempts (sqs): maxReceiveCount 3 reached: throw: boom');
  });

  it("notes table-stream records discarded on the region's Lambda, as a failure", () => {
    const { ctx, events } = traced([
      { kind: 'stream-records-discarded', t: 7000, region: W, records: ['I-1#1', 'I-2#2'], firstSequenceNumber: '100000000000000000001', lastSequenceNumber: '100000000000000000002', reason: 'RetryAttemptsExhausted', attempts: 4, error: 'throw: boom' },
    ]);
    expect(lambdaStep(only(events, 'stream-records-discarded'), ctx)).toEqual({
      t: 7000,
      notes: [{ over: ['Lambda_eu_west_1'], text: 'stream records I-1#1, I-2#2 discarded after 4 attempts (RetryAttemptsExhausted): throw: boom' }],
      routine: false,
      category: 'failures',
    });
  });

  it('notes a lost event, and draws a redrive as a routine arrow out of the queue', () => {
    const { ctx, events } = traced([
      { kind: 'event-lost', t: 1, region: E, eventId: 'e1', reason: 'no destination' },
      { kind: 'redriven', t: 2, region: E, eventId: 'e2' },
    ]);
    expect(lambdaStep(only(events, 'event-lost'), ctx)).toEqual({ t: 1, notes: [{ over: ['Lambda_us_east_1'], text: 'event e1 lost: no destination' }], routine: false, category: 'failures' });
    expect(lambdaStep(only(events, 'redriven'), ctx)).toEqual({
      t: 2,
      arrow: { from: 'DLQ_us_east_1', to: 'Lambda_us_east_1', arrow: '-)', verb: 'redrive', item: 'e2' },
      notes: [],
      routine: true,
      category: 'failures',
      mergeKey: 'redrive|us-east-1',
    });
  });
});
