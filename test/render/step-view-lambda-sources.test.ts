import { describe, expect, it } from 'vitest';
import { stepView } from '../../src/render/step-view.js';

// The text, pretty and step-through views all word trace events through stepView.
describe('stepView for the SQS and table-stream event sources', () => {
  it('words an SQS batch failure, its retry when visible again, and the move to the dead-letter queue', () => {
    expect(stepView({ seq: 1, kind: 'lambda-attempt-failed', t: 0, region: 'us-east-1', invocation: 'sqs', eventIds: ['e1', 'e2'], attempt: 1, error: 'throw', message: 'boom' })).toMatchObject({
      region: 'us-east-1',
      tone: 'fault',
      label: 'LAMBDA ERR',
      text: 'e1, e2 attempt 1 failed (sqs): boom',
    });
    expect(stepView({ seq: 2, kind: 'lambda-retry-scheduled', t: 0, region: 'us-east-1', invocation: 'sqs', eventIds: ['e1'], attempt: 2, at: 30_000 }).text).toBe('e1 attempt 2 at 30s');
    expect(
      stepView({ seq: 3, kind: 'dead-lettered', t: 90_000, region: 'us-east-1', eventId: 'e1', idempotencyKey: 'k1', itemId: 'I', source: 'sqs', error: 'maxReceiveCount 3 reached: throw: boom', attempts: 3, metadataOnly: false }).text,
    ).toBe('e1 → dead-letter queue after 3 attempts (sqs): maxReceiveCount 3 reached: throw: boom');
  });

  it('words table-stream records discarded after their retries', () => {
    expect(
      stepView({
        seq: 4,
        kind: 'stream-records-discarded',
        t: 3000,
        region: 'eu-west-1',
        records: ['I-1#1', 'I-2#2'],
        firstSequenceNumber: '100000000000000000001',
        lastSequenceNumber: '100000000000000000002',
        reason: 'RetryAttemptsExhausted',
        attempts: 3,
        error: 'throw: boom',
      }),
    ).toMatchObject({ region: 'eu-west-1', tone: 'dead-letter', label: 'DISCARDED', text: 'stream records I-1#1, I-2#2 discarded after 3 attempts (RetryAttemptsExhausted): throw: boom' });
  });
});
