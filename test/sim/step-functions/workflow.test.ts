import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { MAX_RETRIER_DELAY_MS, retrierDelay } from '../../../src/sim/step-functions/workflow.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

function of<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Array<Extract<TraceEvent, { kind: K }>> {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

const HEAD = (type = 'standard') => `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 1s } }
application: { strategy: client-lww, idempotency: local }
stepFunctions: { type: ${type}, stateDuration: 100ms, retry: { interval: 1s, maxAttempts: 2, backoffRate: 3 } }
`;

describe('the Step Functions event workflow', () => {
  it('runs Validate then ProcessEvent, and the execution closes SUCCEEDED', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD()}steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: X, data: { v: 1 } } }
`),
    );
    expect(of(report.trace, 'state-entered').map((s) => `${s.t}:${s.state}`)).toEqual(['0:Validate', '100:ProcessEvent']);
    expect(of(report.trace, 'event-outcome')).toMatchObject([{ t: 100, outcome: 'applied' }]);
    expect(of(report.trace, 'execution-closed')).toMatchObject([{ t: 200, status: 'SUCCEEDED', executionId: 'us-east-1:k1:1' }]);
  });

  it('retries ProcessEvent on a task failure with interval × backoff, then catches to the dead-letter queue', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD()}faults:
  - lambdaFailure: { message: down }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: X, data: { v: 1 } } }
`),
    );
    // attempts at 100ms, +1s, +3s (backoff 3); then Catch.
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => f.t)).toEqual([100, 1100, 4100]);
    expect(of(report.trace, 'state-entered').map((s) => s.state)).toEqual(['Validate', 'ProcessEvent', 'SendToDeadLetterQueue', 'ProcessingFailed']);
    expect(of(report.trace, 'dead-lettered')).toMatchObject([{ t: 4100, source: 'step-functions', error: 'States.TaskFailed: throw: down' }]);
    expect(of(report.trace, 'execution-closed')).toMatchObject([{ status: 'FAILED' }]);
  });

  it('dedupes a start while the execution runs and rejects one after it closed (Standard)', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD()}steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: X, data: { v: 1 } } }
  - { at: 150, retry: { of: e1, region: us-east-1 } }
  - { at: 250, retry: { of: e1, region: us-east-1 } }
`),
    );
    expect(of(report.trace, 'execution-deduplicated').map((e) => e.t)).toEqual([150]);
    expect(of(report.trace, 'execution-rejected')).toMatchObject([{ t: 250, reason: 'closed', error: 'ExecutionAlreadyExists' }]);
    expect(report.counts.effects).toEqual({ k1: 1 });
  });

  it('Express starts a new execution every time: only the idempotency record stops the second effect', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD('express')}steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: X, data: { v: 1 } } }
  - { at: 50, retry: { of: e1, region: us-east-1 } }
`),
    );
    expect(report.counts.executions).toBe(2);
    expect(report.counts.executionsDeduplicated).toBe(0);
    expect(of(report.trace, 'event-outcome').map((o) => o.outcome)).toEqual(['applied', 'duplicate']);
  });

  it('the same key in two regions starts two executions and, inside the replication window, two effects', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD()}steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: X, data: { v: 1 } } }
  - { at: 50, retry: { of: e1, region: eu-west-1 } }
`),
    );
    expect(of(report.trace, 'execution-started').map((e) => e.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(report.counts.effects).toEqual({ k1: 2 });
  });

  // Issue 10 item 19: MaxAttempts may be 99999999 and BackoffRate has no upper bound (Amazon States
  // Language), so the wait is capped at the largest MaxDelaySeconds instead of reaching Infinity.
  it('caps a retry wait at the largest MaxDelaySeconds (366 days), never Infinity', () => {
    expect(retrierDelay(2000, 2, 3)).toBe(16_000);
    expect(retrierDelay(1000, 1e6, 10_000)).toBe(MAX_RETRIER_DELAY_MS);
    expect(MAX_RETRIER_DELAY_MS).toBe(31_622_400_000);
  });
});
