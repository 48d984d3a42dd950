import { describe, expect, it } from 'vitest';
import { formatTime } from '../../src/render/format-time.js';
import { duration, durationMs } from '../../src/scenario/schema.js';
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

  it('take the views’ own notation, so a time copied from a timeline pastes back as it is: 1m04s, 10m00.5s, 2d03h, 1d00h00m03s', () => {
    expect(durationMs('1m04s')).toBe(64_000);
    expect(durationMs('10m00.5s')).toBe(600_500);
    expect(durationMs('2d03h')).toBe(2 * 86_400_000 + 3 * 3_600_000);
    expect(durationMs('1d00h00m03s')).toBe(86_403_000);
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('-1m30s')).toBe(-90_000);
    // what formatTime prints of a whole number of ms (its precision from a second on) reads back as the same time
    for (const ms of [1500, 64_000, 600_500, 3_723_004, 86_403_000, 2 * 86_400_000 + 3 * 3_600_000, 364 * 86_400_000 + 1]) expect(durationMs(formatTime(ms))).toBe(ms);
    for (const text of ['1m04s', '2d03h', '800 ms', '1.5s']) expect(duration.safeParse(text).success).toBe(true);
  });

  it('still refuse what is no time: units out of order or twice, a fraction before the seconds, a bare number in a string, spaces inside', () => {
    for (const text of ['', 'm', '1s1m', '1h1h', '1.5m30s', '500', '1m 04s', '1d2', 'd1', '1m-4s']) expect(duration.safeParse(text).success, text).toBe(false);
  });
});
