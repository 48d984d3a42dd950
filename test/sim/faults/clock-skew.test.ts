import { describe, expect, it } from 'vitest';
import { EPOCH_MS } from '../../../src/sim/simulation.js';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

describe('clock skew change', () => {
  it("moves one region's client clock at the given time and back when the fault ends", async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
clocks: { eu-west-1: { skew: 1s } }
faults:
  - { at: 2s, until: 4s, clockSkew: { region: eu-west-1, skew: -3s } }
steps:
  - { at: 1s, event: { id: a, region: eu-west-1, item: X, data: { v: 1 } } }
  - { at: 2s, event: { id: b, region: eu-west-1, item: X, data: { v: 2 } } }
  - { at: 3s, event: { id: c, region: us-east-1, item: Y, data: { v: 3 } } }
  - { at: 5s, event: { id: d, region: eu-west-1, item: Z, data: { v: 4 } } }
`),
    );
    const times = report.trace.flatMap((e) => (e.kind === 'client-event' ? [[e.eventId, e.clientTime - EPOCH_MS]] : []));
    // a: +1s; b: -3s from 2s on; c: other region unaffected; d: back to +1s after 4s.
    expect(times).toEqual([['a', 2000], ['b', -1000], ['c', 3000], ['d', 6000]]);
    const changes = report.trace.flatMap((e) => (e.kind === 'clock-skew-changed' ? [[e.t, e.from, e.to]] : []));
    expect(changes).toEqual([[2000, 1000, -3000], [4000, -3000, 1000]]);
  });
});
