import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

/*
 * Found by the client-lww convergence property (test/sim/convergence.property.test.ts) once each
 * link drew its own lags: e0 carries the latest client Timestamp (us-east-1's clock is 32 ms
 * behind), but e1 replaces it in eu-west-1 (same service ms, higher region) and e3 replaces e1
 * before the consumer's repair runs. The repair's condition (the item is still e1) fails, and the
 * next record (e1 → e3) shows no conflict: e0 was lost in every region.
 */
const SCENARIO = `
regions: [us-east-1, eu-west-1]
replication:
  links:
    - { from: eu-west-1, to: us-east-1, lag: { distribution: fixed, ms: 337 } }
    - { from: us-east-1, to: eu-west-1, lag: { distribution: fixed, ms: 0 } }
clocks: { us-east-1: { skew: -32 } }
application: { strategy: client-lww, idempotency: local, consumerDelay: 50 }
steps:
  - { at: 0, event: { id: e0, region: eu-west-1, item: "O#1", data: { i: 0 } } }
  - { at: 0, event: { id: e1, region: us-east-1, item: "O#1", data: { i: 1 } } }
  - { at: 1, event: { id: e3, region: us-east-1, item: "O#1", data: { i: 3 } } }
`;

describe('the client-lww repair consumer', () => {
  it('weighs the winner against what the item holds now when its conditional repair fails', async () => {
    const report = await runScenario(scenarioFromYaml(SCENARIO));
    expect(report.trace.some((e) => e.kind === 'condition-failed' && e.region === 'eu-west-1' && e.t === 50)).toBe(true);
    expect(report.trace.filter((e) => e.kind === 'conflict-repaired').map((e) => [e.region, e.t])).toEqual([['eu-west-1', 50]]);
    for (const region of ['us-east-1', 'eu-west-1']) expect(report.final[region]!['O#1']!.Data).toEqual({ i: 0 });
  });
});

describe('a record the repair consumer drops at once (no client writer to restore)', () => {
  // e1 is newer by its client clock too: nothing to repair. In eu-west-1 e1 creates the item (no
  // record for the consumer) and e0 arrives older and is discarded; in us-east-1 e1 replaces e0 at
  // 400, a MODIFY the consumer gets at 900 and drops. It is not run for such a record, but its
  // invocation still happens at its time: the run ends with it, as when it ran.
  const IN_ORDER = `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 300 } }
application: { strategy: client-lww, idempotency: local, consumerDelay: 500 }
steps:
  - { at: 0, event: { id: e0, region: us-east-1, item: "O#1", data: { i: 0 } } }
  - { at: 100, event: { id: e1, region: eu-west-1, item: "O#1", data: { i: 1 } } }
`;

  it('repairs nothing, and the run still ends when the last invocation would have run', async () => {
    const report = await runScenario(scenarioFromYaml(IN_ORDER));
    expect(report.trace.some((e) => e.kind === 'conflict-repaired' || e.kind === 'condition-failed')).toBe(false);
    for (const region of ['us-east-1', 'eu-west-1']) expect(report.final[region]!['O#1']!.Data).toEqual({ i: 1 });
    expect(report.endedAt).toBe(900);
  });
});
