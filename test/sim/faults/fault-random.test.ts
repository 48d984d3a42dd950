import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

const SCENARIO = `
regions: [us-east-1, eu-west-1, ap-southeast-2]
seed: 5
replication: { lag: { distribution: uniform, min: 200, max: 4000 } }
application: { strategy: service-lww, idempotency: local }
lambda: { invocation: async }
steps:
  - { at: 0, event: { id: probe, region: us-east-1, item: P, data: { v: 0 } } }
  - { at: 1s, event: { id: e1, region: us-east-1, item: A, data: { v: 1 } } }
  - { at: 1s, event: { id: e2, region: eu-west-1, item: B, data: { v: 2 } } }
  - { at: 2s, put: { region: ap-southeast-2, item: { Id: C, v: 3 } } }
  - { at: 3s, event: { id: e3, region: eu-west-1, item: D, data: { v: 4 } } }
  - { at: 4s, update: { region: us-east-1, id: C, set: { w: 5 } } }
`;

/**
 * A timeout after the write changes no write (the retry meets the idempotency record), so every
 * link carries the same writes with and without it: only the chance the fault draws differs.
 */
const FAULT = `faults:
  - lambdaFailure: { event: probe, attempts: [1], probability: 0.5, error: timeout }
`;

/** Every replicated write per link: which item, when sent, and the lag drawn for it. */
function lagsPerLink(trace: TraceEvent[]): Record<string, Array<[string, number, number]>> {
  const out: Record<string, Array<[string, number, number]>> = {};
  for (const e of trace) if (e.kind === 'replication-sent') (out[`${e.from}>${e.to}`] ??= []).push([e.itemId, e.t, e.arrivesAt - e.t]);
  return out;
}

describe('one RNG stream per link and per fault', () => {
  it('adding a probabilistic fault leaves every link lag unchanged', async () => {
    const without = await runScenario(scenarioFromYaml(SCENARIO));
    const withFault = await runScenario(scenarioFromYaml(SCENARIO + FAULT));
    // The fault is in play: its rule matched the probe's first attempt, so it drew a chance.
    expect(withFault.trace.some((e) => e.kind === 'fault-started' && e.fault === 'lambda-failure')).toBe(true);
    const lags = lagsPerLink(without.trace);
    expect(Object.keys(lags)).toHaveLength(6);
    expect(Object.values(lags).flat().length).toBeGreaterThanOrEqual(18);
    expect(lagsPerLink(withFault.trace)).toEqual(lags);
  });
});
