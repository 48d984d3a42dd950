import { describe, expect, it } from 'vitest';
import { DEFAULT_HORIZON_MS, runScenario } from '../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

// Issue 10 item 19: every run has a virtual-time horizon and a trace-size limit; a run that hits
// one stops cleanly, says which limit (and flag) stopped it, and is not judged on an unsettled world.
function of<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Array<Extract<TraceEvent, { kind: K }>> {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

const HEAD = `regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
`;
const ONE_EVENT = `steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: ORDER#1, data: { status: new } } }
expect: { converged: true }
`;

describe('run horizon', () => {
  it("ends the issue's never-ending stream retry: a permanently failing record expires with the stream's 24 h retention", async () => {
    // maximumRecordAge at its AWS maximum (7 days) with unlimited retries: DynamoDB Streams still
    // drops the record after 24 hours, so Lambda stops retrying it then (aws-semantics §6.1).
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream, maximumRecordAge: 10080m }
faults:
  - { lambdaFailure: { event: e1 } }
${ONE_EVENT}`),
    );
    expect(report.stopped).toBeUndefined();
    const dead = of(report.trace, 'dead-lettered');
    expect(dead).toHaveLength(1);
    expect(dead[0]!.error).toMatch(/^record expired/);
    // discarded by the first retry after the record left the stream (at most a minute later), not before
    expect(dead[0]!.t).toBeGreaterThan(24 * 3_600_000);
    expect(dead[0]!.t).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);
    // One retry a minute once the backoff is capped: about 1,440 retries, not millions.
    expect(of(report.trace, 'lambda-retry-scheduled').length).toBeLessThan(1_500);
  });

  it('stops a run with work due after its horizon, with one failed assertion naming --horizon instead of the end-of-run ones', async () => {
    const scenario = scenarioFromYaml(`${HEAD}lambda: { invocation: stream }
faults:
  - { lambdaFailure: { event: e1 } }
${ONE_EVENT}`);
    const report = await runScenario(scenario, { horizon: 3_600_000 });
    expect(report.stopped).toMatchObject({ limit: 'horizon', horizon: 3_600_000, scriptedEnd: 0 });
    expect(report.stopped!.limit === 'horizon' && report.stopped!.nextDue).toBeGreaterThan(3_600_000);
    expect(report.endedAt).toBeLessThanOrEqual(3_600_000);
    expect(report.trace.every((e) => e.t <= 3_600_000)).toBe(true);
    expect(report.assertions).toEqual([expect.objectContaining({ name: 'run finished within its horizon (--horizon)', passed: false })]);
  });

  it('has a default horizon of 10 years, counted from the last scripted step: a late step always runs', async () => {
    expect(DEFAULT_HORIZON_MS).toBe(3650 * 86_400_000);
    // A step a year in: scripted, so it runs (the loader allows times up to 365 days).
    const late = await runScenario(
      scenarioFromYaml(`${HEAD}steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: ORDER#1, data: { status: new } } }
  - { at: 525600m, event: { id: e2, region: us-east-1, item: ORDER#1, data: { status: late } } }
`),
    );
    expect(late.stopped).toBeUndefined();
    expect(of(late.trace, 'client-event').map((e) => e.eventId)).toEqual(['e1', 'e2']);
    // A retry storm that starts after that late step is still bounded, a horizon after it.
    const storm = await runScenario(
      scenarioFromYaml(`${HEAD}lambda: { invocation: stream }
faults:
  - { lambdaFailure: { event: e2 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: ORDER#1, data: { status: new } } }
  - { at: 525600m, event: { id: e2, region: us-east-1, item: ORDER#2, data: { status: late } } }
`),
      { horizon: 3_600_000 },
    );
    expect(storm.stopped).toMatchObject({ limit: 'horizon', horizon: 3_600_000, scriptedEnd: 525_600 * 60_000 });
    expect(storm.trace.every((e) => e.t <= 525_600 * 60_000 + 3_600_000)).toBe(true);
  });

  it('a run that finishes inside its horizon is untouched', async () => {
    const report = await runScenario(scenarioFromYaml(HEAD + ONE_EVENT), { horizon: 1000 });
    expect(report.stopped).toBeUndefined();
    expect(report.assertions.map((a) => a.name)).toContain('converged');
  });
});

describe('trace-size limit', () => {
  it('stops a Step Functions retry storm (MaxAttempts 99999999, 1 s apart) when the trace reaches its limit', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}stepFunctions: { retry: { interval: 1s, maxAttempts: 99999999, backoffRate: 1 } }
faults:
  - { lambdaFailure: { event: e1 } }
${ONE_EVENT}`),
      { maxTraceEvents: 1_000 },
    );
    expect(report.stopped).toMatchObject({ limit: 'trace-events', maxTraceEvents: 1_000 });
    // Checked after each agenda task, which emits a few events at most.
    expect(report.trace.length).toBeGreaterThanOrEqual(1_000);
    expect(report.trace.length).toBeLessThan(1_010);
    expect(report.assertions).toEqual([expect.objectContaining({ name: 'run finished within its trace limit (--max-trace-events)', passed: false })]);
  });
});
