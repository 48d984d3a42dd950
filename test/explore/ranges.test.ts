import { describe, expect, it } from 'vitest';
import { drawnByLabel, drawRanges, findRanges, pinRanges, RANGES_STREAM } from '../../src/explore/ranges.js';
import { Rng } from '../../src/sim/rng.js';

/** A template with every kind of range, faults written before steps (file order is the file's). */
function template(): Record<string, unknown> {
  return {
    regions: ['us-east-1', 'eu-west-1', 'ap-south-1'],
    faults: [{ at: { between: ['1s', '2s'] }, duration: 500, clockSkew: { region: 'us-east-1', skew: { between: ['-200ms', 200] } } }],
    steps: [
      { at: 0, event: { id: 'e1', region: { oneOf: ['us-east-1', 'eu-west-1'] }, item: 'A', data: { n: 1 } } },
      { at: { between: [100, '1.5s'] }, retry: { of: 'e1', region: { oneOf: ['eu-west-1', 'ap-south-1', 'us-east-1'] } } },
      { at: 3000, check: { converged: true } },
    ],
  };
}

describe('findRanges', () => {
  it('lists each range in file order with its readable label, kind and bounds in ms', () => {
    expect(findRanges(template())).toEqual([
      { path: ['faults', 0, 'at'], label: 'faults[0].at', kind: 'time', min: 1000, max: 2000 },
      { path: ['faults', 0, 'clockSkew', 'skew'], label: 'faults[0].skew', kind: 'skew', min: -200, max: 200 },
      { path: ['steps', 0, 'event', 'region'], label: 'steps[0].event.region', kind: 'region', options: ['us-east-1', 'eu-west-1'] },
      { path: ['steps', 1, 'at'], label: 'steps[1].at', kind: 'time', min: 100, max: 1500 },
      { path: ['steps', 1, 'retry', 'region'], label: 'steps[1].retry.region', kind: 'region', options: ['eu-west-1', 'ap-south-1', 'us-east-1'] },
    ]);
  });

  it('finds nothing in a scenario without ranges', () => {
    expect(findRanges({ regions: ['us-east-1', 'eu-west-1'], steps: [{ at: 5, retry: { of: 'x', region: 'eu-west-1' } }] })).toEqual([]);
  });
});

describe('drawRanges', () => {
  it('draws the same values for one seed and stays within every range', () => {
    const points = findRanges(template());
    const seen = new Set<string>();
    for (let seed = 0; seed < 100; seed++) {
      const values = drawRanges(points, new Rng(seed, RANGES_STREAM));
      expect(drawRanges(points, new Rng(seed, RANGES_STREAM))).toEqual(values);
      points.forEach((p, k) => {
        const v = values[k]!;
        if (p.kind === 'region') expect(p.options).toContain(v);
        else {
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(p.min!);
          expect(v).toBeLessThanOrEqual(p.max!);
        }
      });
      seen.add(JSON.stringify(values));
    }
    // Different seeds give different draws (not one fixed value).
    expect(seen.size).toBeGreaterThan(90);
  });

  it('reaches both ends of a range', () => {
    const points = [{ path: ['steps', 0, 'at'], label: 'steps[0].at', kind: 'time' as const, min: 0, max: 2 }];
    const rng = new Rng(7, RANGES_STREAM);
    const values = new Set(Array.from({ length: 200 }, () => drawRanges(points, rng)[0]));
    expect([...values].sort()).toEqual([0, 1, 2]);
  });
});

describe('pinRanges', () => {
  it('replaces each range by its value in a deep copy; the template is unchanged', () => {
    const input = template();
    const before = structuredClone(input);
    const pinned = pinRanges(input, [1500, -20, 'eu-west-1', 1200, 'ap-south-1']);
    expect(input).toEqual(before);
    expect(findRanges(pinned)).toEqual([]);
    expect(pinned).toMatchObject({
      faults: [{ at: 1500, duration: 500, clockSkew: { region: 'us-east-1', skew: -20 } }],
      steps: [{ at: 0, event: { region: 'eu-west-1' } }, { at: 1200, retry: { of: 'e1', region: 'ap-south-1' } }, { at: 3000 }],
    });
    expect(drawnByLabel(findRanges(input), pinned)).toEqual({
      'faults[0].at': 1500,
      'faults[0].skew': -20,
      'steps[0].event.region': 'eu-west-1',
      'steps[1].at': 1200,
      'steps[1].retry.region': 'ap-south-1',
    });
  });

  it('sends a retry drawn before its event at the event time (a client retries what it sent)', () => {
    const input = { regions: ['us-east-1', 'eu-west-1'], steps: [{ at: { between: [0, 1000] }, event: { id: 'e1', region: 'us-east-1', item: 'A', data: {} } }, { at: { between: [0, 1000] }, retry: { of: 'e1', region: 'eu-west-1' } }] };
    const pinned = pinRanges(input, [800, 300]) as { steps: Array<{ at: number }> };
    expect(pinned.steps.map((s) => s.at)).toEqual([800, 800]);
  });

  it('refuses a number of values that does not match the ranges', () => {
    expect(() => pinRanges(template(), [1])).toThrow(/5 ranges, 1 values/);
  });
});
