import { describe, expect, it } from 'vitest';
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
const EVENT = `steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: X, data: { v: 1 } } }
`;

describe('Lambda asynchronous invocation (aws-semantics §6.2)', () => {
  it('retries a failing event 1 minute, then 2 minutes later, then dead-letters it with its error', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: async }
faults:
  - lambdaFailure: { event: e1, message: boom }
${EVENT}`),
    );
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => [f.t, f.attempt])).toEqual([[0, 1], [60_000, 2], [180_000, 3]]);
    expect(of(report.trace, 'lambda-retry-scheduled').map((r) => [r.t, r.at, r.attempt])).toEqual([[0, 60_000, 2], [60_000, 180_000, 3]]);
    expect(of(report.trace, 'dead-lettered')).toMatchObject([{ t: 180_000, eventId: 'e1', source: 'async', attempts: 3, error: 'throw: boom', metadataOnly: false }]);
    expect(report.final['us-east-1']!.X).toBeUndefined();
  });

  it('honours MaximumRetryAttempts (0: straight to the dead-letter queue)', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: async, maximumRetryAttempts: 0 }
faults:
  - lambdaFailure: {}
${EVENT}`),
    );
    expect(report.counts.lambdaRetries).toBe(0);
    expect(of(report.trace, 'dead-lettered')).toMatchObject([{ t: 0, attempts: 1 }]);
  });

  it('fails only the attempts listed: the nth-attempt rule', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: async }
faults:
  - lambdaFailure: { attempts: [1] }
${EVENT}`),
    );
    expect(of(report.trace, 'event-outcome')).toMatchObject([{ t: 60_000, outcome: 'applied' }]);
    expect(report.counts.effects).toEqual({ k1: 1 });
  });

  it('a timeout fails the invocation after the write: the retry finds the work done (at least once)', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: async, timeout: 5s }
faults:
  - lambdaFailure: { attempts: [1], error: timeout }
${EVENT}`),
    );
    expect(of(report.trace, 'event-outcome').map((o) => [o.t, o.outcome])).toEqual([[0, 'applied'], [65_000, 'duplicate']]);
    expect(of(report.trace, 'lambda-attempt-failed')).toMatchObject([{ t: 5000, error: 'timeout' }]);
    expect(report.counts.effects).toEqual({ k1: 1 });
  });

  it('the timeout counts from the invocation’s start, not from the end of its work (it reported 1.4 s for a 1 s timeout after 400 ms of requests)', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
application: { strategy: lww-item, idempotency: local, requestLatency: 400 }
lambda: { invocation: async, timeout: 1s }
faults:
  - { until: 5m, lambdaFailure: { event: e1, attempts: [1], error: timeout } }
${EVENT}`),
    );
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => f.t)).toEqual([1000]);
    expect(of(report.trace, 'lambda-retry-scheduled').map((r) => r.at)).toEqual([61_000]);
  });

  it.each([
    ['an SQS batch', '{ invocation: sqs, timeout: 1s, batchSize: 1 }', ['e1'], 1000],
    // three records of 400 ms each in one invocation: it times out 1 s after the batch started, when the third is done
    ['a stream batch', '{ invocation: stream, timeout: 1s, batchSize: 3 }', ['e1', 'e2', 'e3'], 1200],
  ])('the timeout counts from the invocation’s start in %s too (it counted from the end of the work, or of the record)', async (_what, lambda, ids, at) => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
application: { strategy: lww-item, idempotency: local, requestLatency: 400 }
lambda: ${lambda}
faults:
  - { until: 5m, lambdaFailure: { event: ${ids.at(-1)}, attempts: [1], error: timeout } }
steps:
${ids.map((id) => `  - { at: 0, event: { id: ${id}, region: us-east-1, item: "O#${id}", data: { a: 1 } } }`).join('\n')}
`),
    );
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => f.t)[0]).toBe(at);
  });

  it('without idempotency the same timeout takes effect twice', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
application: { strategy: service-lww, idempotency: none }
lambda: { invocation: async }
faults:
  - lambdaFailure: { attempts: [1], error: timeout }
${EVENT}`),
    );
    expect(report.counts.effects).toEqual({ k1: 2 });
  });

  it('drops the event when there is no dead-letter queue, and the conservation invariant names it', async () => {
    const scenario = `${HEAD}lambda: { invocation: async, deadLetterQueue: false }
faults:
  - lambdaFailure: {}
${EVENT}`;
    const report = await runScenario(scenarioFromYaml(scenario));
    expect(of(report.trace, 'event-lost')).toMatchObject([{ t: 180_000, eventId: 'e1' }]);
    const conservation = report.assertions.find((a) => a.source === 'invariant' && a.name.startsWith('conservation'))!;
    expect(conservation.passed).toBe(false);
    expect(conservation.detail).toContain('e1 lost: retries exhausted and no dead-letter queue');
    // A scenario that means to show the loss says so.
    const declared = await runScenario(scenarioFromYaml(`${scenario}expect: { lost: [e1] }\n`));
    expect(declared.assertions.find((a) => a.source === 'invariant' && a.name.startsWith('conservation'))!.passed).toBe(true);
  });

  it('a direct (synchronous) call is not retried: the caller gets the error', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}faults:
  - lambdaFailure: {}
${EVENT}`),
    );
    expect(of(report.trace, 'lambda-attempt-failed')).toMatchObject([{ invocation: 'direct', attempt: 1 }]);
    expect(report.counts.lambdaRetries).toBe(0);
    expect(report.counts.deadLettered).toBe(0);
    expect(report.assertions.find((a) => a.source === 'invariant' && a.name.startsWith('conservation'))).toMatchObject({ passed: true, detail: '1 returned' });
  });

  it('draws failure chances from the seeded RNG: repeatable per seed, different across seeds, near the probability', async () => {
    const steps = Array.from({ length: 200 }, (_, i) => `  - { at: ${i}, event: { id: e${i}, region: us-east-1, item: "X${i}", data: { v: ${i} } } }`).join('\n');
    const yaml = `${HEAD}faults:\n  - lambdaFailure: { probability: 0.3 }\nsteps:\n${steps}\n`;
    const failed = async (seed: number) => of((await runScenario(scenarioFromYaml(yaml), { seed })).trace, 'lambda-attempt-failed').map((f) => f.eventIds[0]);
    const a = await failed(7);
    expect(await failed(7)).toEqual(a);
    expect(await failed(8)).not.toEqual(a);
    expect(a.length).toBeGreaterThan(35);
    expect(a.length).toBeLessThan(85);
  });
});
