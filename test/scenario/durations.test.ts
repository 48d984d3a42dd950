import { describe, expect, it } from 'vitest';
import { durationMs } from '../../src/scenario/schema.js';
import { loadScenarioObject } from '../../src/scenario/load.js';

// A duration written with a unit means what the same number of ms written as a number means: a
// fraction of a millisecond is kept in both forms, never rounded in one and kept in the other.
describe('durations', () => {
  it('keep fractions of a millisecond, to the microsecond, without binary noise', () => {
    expect(durationMs('0.6ms')).toBe(0.6);
    expect(durationMs('1.25ms')).toBe(1.25);
    expect(durationMs('1.0004s')).toBe(1000.4);
    expect(durationMs('1.1s')).toBe(1100);
    expect(durationMs('3.2s')).toBe(3200);
    expect(durationMs('2d')).toBe(172_800_000);
    expect(durationMs(1.5)).toBe(1.5);
  });

  it('a step at "1.25ms" runs at 1.25, as one at 1.25 does', async () => {
    const base = { regions: ['us-east-1', 'eu-west-1'], replication: { lag: { distribution: 'fixed', ms: '0.6ms' } } };
    const event = (id: string) => ({ id, region: 'us-east-1', item: 'A', data: { x: 1 } });
    const asText = loadScenarioObject({ ...base, steps: [{ at: '1.25ms', event: event('e1') }] }, 'a.yaml');
    const asNumber = loadScenarioObject({ ...base, replication: { lag: { distribution: 'fixed', ms: 0.6 } }, steps: [{ at: 1.25, event: event('e1') }] }, 'b.yaml');
    expect(asText.ok && asNumber.ok).toBe(true);
    if (!asText.ok || !asNumber.ok) return;
    expect(asText.scenario.steps[0]!.at).toBe(1.25);
    expect(asText.scenario.steps[0]!.at).toBe(asNumber.scenario.steps[0]!.at);
    expect(asText.scenario.replication.links[0]!.lag).toEqual(asNumber.scenario.replication.links[0]!.lag);
  });
});
