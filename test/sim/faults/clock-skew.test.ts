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

  it('overlapping skew faults on one region: the latest started holds, and the skew is the scenario\'s again once both end (it stayed at the first fault\'s)', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
faults:
  - { at: 1s, duration: 2s, clockSkew: { region: eu-west-1, skew: 50ms } }
  - { at: 2s, duration: 2s, clockSkew: { region: eu-west-1, skew: 100ms } }
  - { at: 6s, duration: 4s, clockSkew: { region: eu-west-1, skew: 7ms } }
  - { at: 7s, duration: 1s, clockSkew: { region: eu-west-1, skew: 9ms } }
steps:
  - { at: 2500, event: { id: a, region: eu-west-1, item: X, data: { v: 1 } } }
  - { at: 3500, event: { id: b, region: eu-west-1, item: X, data: { v: 2 } } }
  - { at: 5s, event: { id: c, region: eu-west-1, item: X, data: { v: 3 } } }
  - { at: 7500, event: { id: d, region: eu-west-1, item: X, data: { v: 4 } } }
  - { at: 9s, event: { id: e, region: eu-west-1, item: X, data: { v: 5 } } }
  - { at: 11s, event: { id: f, region: eu-west-1, item: X, data: { v: 6 } } }
`),
    );
    const times = report.trace.flatMap((e) => (e.kind === 'client-event' ? [[e.eventId, e.clientTime - EPOCH_MS]] : []));
    // a: both run, the later (100ms) holds; b: the first ended at 3s, the second still holds;
    // c: none runs; d: the nested 9ms; e: back to the outer 7ms; f: none again
    expect(times).toEqual([['a', 2600], ['b', 3600], ['c', 5000], ['d', 7509], ['e', 9007], ['f', 11000]]);
    const changes = report.trace.flatMap((e) => (e.kind === 'clock-skew-changed' ? [[e.t, e.from, e.to]] : []));
    // the first fault ending at 3s under the second changes nothing: no event
    expect(changes).toEqual([[1000, 0, 50], [2000, 50, 100], [4000, 100, 0], [6000, 0, 7], [7000, 7, 9], [8000, 9, 7], [10000, 7, 0]]);
  });
});
