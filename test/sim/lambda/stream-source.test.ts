import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, streamRetryDelay } from '../../../src/sim/lambda/stream-source.js';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

function of<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Array<Extract<TraceEvent, { kind: K }>> {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

const HEAD = `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
application: { strategy: client-lww, idempotency: local }
`;
const events = (...ids: string[]) => `steps:\n${ids.map((id) => `  - { at: 0, event: { id: ${id}, region: us-east-1, item: "I-${id}", data: { v: 1 } } }`).join('\n')}\n`;

describe('DynamoDB Streams event source mapping (aws-semantics §6.1)', () => {
  it('with maximumBatchingWindow, invokes a batch when it is full or its oldest record has waited the window (it ran at each record)', async () => {
    const at = (t: number, id: string) => `  - { at: ${t}, event: { id: ${id}, region: us-east-1, item: "I-${id}", data: { v: 1 } } }`;
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 3, maximumBatchingWindow: 2s }
steps:
${[at(0, 'a'), at(500, 'b'), at(5000, 'c'), at(5100, 'd'), at(5200, 'e'), at(5300, 'f')].join('\n')}
`),
    );
    // a and b when a has waited 2 s; c, d and e when e fills the batch; f 2 s after it came
    expect(of(report.trace, 'event-outcome').map((o) => `${o.t}:${o.eventId}`)).toEqual(['2000:a', '2000:b', '5200:c', '5200:d', '5200:e', '7300:f']);
  });

  it('refuses maximumBatchingWindow with an invocation that is no stream', () => {
    expect(() => scenarioFromYaml(`${HEAD}lambda: { invocation: async, maximumBatchingWindow: 1s }\n${events('a')}`)).toThrow(/a batching window gathers a stream's records: it applies to invocation: stream only/);
  });

  it('retries a failing batch MaximumRetryAttempts times, blocking the shard, then sends metadata to the on-failure destination', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 1, maximumRetryAttempts: 3, retryDelay: 1s }
faults:
  - lambdaFailure: { event: bad }
${events('bad', 'next')}`),
    );
    // 1 attempt + 3 retries with the delay doubling: 0, 1s, 3s, 7s.
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => f.t)).toEqual([0, 1000, 3000, 7000]);
    expect(of(report.trace, 'dead-lettered')).toMatchObject([{ t: 7000, eventId: 'bad', source: 'stream', metadataOnly: true, attempts: 4 }]);
    expect(of(report.trace, 'dead-lettered')[0]!.error).toContain('RetryAttemptsExhausted');
    // "next" waited behind "bad" on the shard.
    expect(of(report.trace, 'event-outcome')).toMatchObject([{ eventId: 'next', t: 7000, outcome: 'applied' }]);
  });

  it('reprocesses the records before the failure in a batch: at least once, caught by idempotency', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 10, maximumRetryAttempts: 1 }
faults:
  - lambdaFailure: { event: b, attempts: [1] }
${events('a', 'b', 'c')}`),
    );
    expect(of(report.trace, 'event-outcome').map((o) => `${o.t}:${o.eventId}:${o.outcome}`)).toEqual(['0:a:applied', '1000:a:duplicate', '1000:b:applied', '1000:c:applied']);
    expect(report.counts.effects).toEqual({ a: 1, b: 1, c: 1 });
  });

  /** Each failed invocation as `<its records>:<attempt>`, and each dead-lettered record as `<id>:<attempts>`. */
  const failedAttempts = (trace: TraceEvent[]) => of(trace, 'lambda-attempt-failed').map((f) => `${f.eventIds.join(',')}:${f.attempt}`);
  const deadLettered = (trace: TraceEvent[]) => of(trace, 'dead-lettered').map((d) => `${d.eventId}:${d.attempts}`);

  it('dead-letters each record of a failing batch after the attempts it was in, the records the function never reached too', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, maximumRetryAttempts: 2 }
faults:
  - lambdaFailure: { event: poison, message: bad }
${events('poison', 'c')}`),
    );
    expect(failedAttempts(report.trace)).toEqual(['poison,c:1', 'poison,c:2', 'poison,c:3']);
    // c never ran (poison fails first) but was in all three invocations: 3 attempts, not 0.
    expect(deadLettered(report.trace)).toEqual(['poison:3', 'c:3']);
  });

  it('counts for a bisected record the attempts of every batch it was part of', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 4, maximumRetryAttempts: 0, bisectBatchOnFunctionError: true, retryDelay: 1s }
faults:
  - lambdaFailure: { event: r1 }
  - lambdaFailure: { event: r2 }
${events('r1', 'r2', 'r3', 'r4')}`),
    );
    // r2 first runs alone, in the third batch it is part of: [r1..r4] and [r1, r2] failed at r1 before it
    expect(failedAttempts(report.trace)).toEqual(['r1,r2,r3,r4:1', 'r1,r2:2', 'r1:3', 'r2:3']);
    expect(deadLettered(report.trace)).toEqual(['r1:3', 'r2:3']);
  });

  it('bisects a failing batch without using the retry quota, isolating the bad record', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 4, maximumRetryAttempts: 0, bisectBatchOnFunctionError: true, retryDelay: 1s }
faults:
  - lambdaFailure: { event: r3 }
${events('r1', 'r2', 'r3', 'r4')}`),
    );
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => f.eventIds.join(','))).toEqual(['r1,r2,r3,r4', 'r3,r4', 'r3']);
    expect(of(report.trace, 'lambda-retry-scheduled').map((r) => r.bisected ?? false)).toEqual([true, true]);
    // With no retries allowed, only the isolated record is dead-lettered; its neighbours take effect once.
    expect(of(report.trace, 'dead-lettered').map((d) => d.eventId)).toEqual(['r3']);
    expect(report.counts.effects).toEqual({ r1: 1, r2: 1, r4: 1 });
  });

  it('leaves the whole retry quota to the isolated record after bisecting', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 4, maximumRetryAttempts: 1, bisectBatchOnFunctionError: true, retryDelay: 1s }
faults:
  - lambdaFailure: { event: r3 }
${events('r1', 'r2', 'r3', 'r4')}`),
    );
    // two bisections (free), then [r3] alone: its first attempt and its one retry.
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => f.eventIds.join(','))).toEqual(['r1,r2,r3,r4', 'r3,r4', 'r3', 'r3']);
    expect(of(report.trace, 'lambda-retry-scheduled').map((r) => r.bisected ?? false)).toEqual([true, true, false]);
  });

  it('with MaximumRetryAttempts -1 retries until the record is older than MaximumRecordAge', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 1, maximumRecordAge: 60s, retryDelay: 10s }
faults:
  - lambdaFailure: { event: bad }
${events('bad')}`),
    );
    // retries at 10s, 30s; the next, at 70s, finds the record 70s old: expired then, not at 30s.
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => f.t)).toEqual([0, 10_000, 30_000]);
    expect(of(report.trace, 'dead-lettered')).toMatchObject([{ t: 70_000, eventId: 'bad', attempts: 3, error: 'record expired: throw: injected failure' }]);
  });

  it('dead-letters, unsent, a record that waited behind a blocked shard past its MaximumRecordAge (after 0 attempts); a younger one is still sent', async () => {
    const at = (t: number, id: string) => `  - { at: ${t}, event: { id: ${id}, region: us-east-1, item: "I-${id}", data: { v: 1 } } }`;
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 4, maximumRetryAttempts: -1, maximumRecordAge: 60s, retryDelay: 1s }
faults:
  - lambdaFailure: { event: poison }
steps:
${[at(0, 'poison'), at(100, 'c'), at(62_000, 'd')].join('\n')}
`),
    );
    // poison's retry at 63 s finds it expired; c, behind it since 100 ms, is 62.9 s old: not sent either.
    expect(of(report.trace, 'dead-lettered').map((d) => [d.t, d.eventId, d.attempts, d.error])).toEqual([
      [63_000, 'poison', 6, 'record expired: throw: injected failure'],
      [63_000, 'c', 0, 'record expired: past its maximum age before Lambda sent it'],
    ]);
    expect(of(report.trace, 'event-outcome').map((o) => `${o.t}:${o.eventId}:${o.outcome}`)).toEqual(['63000:d:applied']);
  });

  // Issue 10 item 19: retryDelay 0 used to retry 1,024 times at t=0 and then dead-letter the record
  // as "expired" at age 0 (0 × 2^1024 is NaN). The wait is now at least 1ms (the schema) and its
  // doubling stops at the 1-minute cap, so the arithmetic never leaves the finite numbers.
  it('loses a record that waited behind a blocked shard past the 24 h retention: the stream dropped it before Lambda read it', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 1 }
faults:
  - lambdaFailure: { event: bad }
${events('bad', 'next')}
expect: { lost: [next] }`),
    );
    const [dead] = of(report.trace, 'dead-lettered');
    expect(dead!.t).toBeGreaterThan(24 * 3_600_000);
    expect(of(report.trace, 'event-lost')).toMatchObject([{ t: dead!.t, eventId: 'next', reason: 'trimmed from the stream (24 h retention) before Lambda read it' }]);
    expect(of(report.trace, 'event-outcome')).toEqual([]);
  });

  it('doubles the retry wait up to 1 minute, and stays there however many retries were used', () => {
    expect([0, 1, 2, 5, 6, 7].map((n) => streamRetryDelay(1000, n))).toEqual([1000, 2000, 4000, 32_000, MAX_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS]);
    for (const n of [1024, 1025, 10_000]) expect(streamRetryDelay(1, n)).toBe(MAX_RETRY_DELAY_MS);
    expect(streamRetryDelay(0, 2000)).toBe(0);
  });

  it('retries a record with the smallest wait 1,400 times (what fits in the stream\'s 24 h) and dead-letters it as RetryAttemptsExhausted, time moving on', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 1, maximumRetryAttempts: 1400, retryDelay: 1ms }
faults:
  - lambdaFailure: { event: bad }
${events('bad')}`),
    );
    const failed = of(report.trace, 'lambda-attempt-failed');
    expect(failed).toHaveLength(1401);
    expect(failed.every((f, i) => i === 0 || f.t > failed[i - 1]!.t)).toBe(true);
    const dead = of(report.trace, 'dead-lettered');
    expect(dead).toMatchObject([{ eventId: 'bad', attempts: 1401 }]);
    expect(dead[0]!.error).toMatch(/^RetryAttemptsExhausted/);
  });

  it("keeps a batch retried 1,400 times small in the trace: every attempt refers to the batch's one list of ids", async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `r${i}`);
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, batchSize: 1000, maximumRetryAttempts: 1400, retryDelay: 1ms }
faults:
  - lambdaFailure: { event: r0 }
${events(...ids)}`),
    );
    const failed = of(report.trace, 'lambda-attempt-failed');
    const retried = of(report.trace, 'lambda-retry-scheduled');
    expect(failed).toHaveLength(1401);
    expect(retried).toHaveLength(1400);
    // One list of 1,000 ids for the whole batch, not 2,801 copies (2.8 million strings).
    const lists = new Set([...failed, ...retried].map((e) => e.eventIds));
    expect(lists.size).toBe(1);
    expect([...lists][0]).toHaveLength(1000);
    // Per attempt only what changed: the failure and the retry, no event data.
    expect(report.trace.length).toBeLessThan(1000 /* client events */ + 2 * 1401 + 1000 /* dead letters */ + 10);
    expect(failed.every((e) => !('envelope' in e) && !('data' in e))).toBe(true);
  });
});
