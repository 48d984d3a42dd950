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
