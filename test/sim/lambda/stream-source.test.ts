import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/sim/run.js';
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
    // retries at 10s, 30s; the next would be at 70s > 60s old: expired.
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => f.t)).toEqual([0, 10_000, 30_000]);
    expect(of(report.trace, 'dead-lettered')[0]!.error).toContain('record expired');
  });
});
