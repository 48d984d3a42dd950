import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeLag, describeLinkLag, parseLinkLag } from '../../src/render/lag-words.js';
import type { LagSpec } from '../../src/scenario/model.js';

const ms = fc.oneof(fc.nat({ max: 31_536_000_000 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
const lag: fc.Arbitrary<LagSpec> = fc.oneof(
  ms.map((v) => ({ distribution: 'fixed' as const, ms: v })),
  fc.tuple(ms, ms).map(([min, max]) => ({ distribution: 'uniform' as const, min, max })),
  fc.tuple(ms, ms).map(([mean, stddev]) => ({ distribution: 'normal' as const, mean, stddev })),
  ms.map((mean) => ({ distribution: 'exponential' as const, mean })),
);

describe('the words for a replication lag', () => {
  it('words each distribution as the views have always shown it', () => {
    expect(describeLag({ distribution: 'fixed', ms: 800 })).toBe('fixed 800ms');
    expect(describeLag({ distribution: 'uniform', min: 300, max: 900 })).toBe('uniform 300..900ms');
    expect(describeLag({ distribution: 'normal', mean: 500, stddev: 50 })).toBe('normal mean 500ms sd 50ms');
    expect(describeLag({ distribution: 'exponential', mean: 700 })).toBe('exponential mean 700ms');
    expect(describeLinkLag({ from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'fixed', ms: 1 } })).toBe('us-east-1→eu-west-1 fixed 1ms');
  });

  it('reads back exactly what it wrote (a recorded run draws as the run did)', () => {
    fc.assert(
      fc.property(lag, (l) => {
        const link = { from: 'us-east-1', to: 'ap-south-1', lag: l };
        expect(parseLinkLag(describeLinkLag(link))).toEqual(link);
      }),
    );
  });

  it.each(['us-east-1→eu-west-1 fixd 800ms', 'us-east-1 eu-west-1 fixed 800ms', 'us-east-1→eu-west-1 fixed 0800ms', 'us-east-1→eu-west-1 uniform 9..', ''])(
    'refuses words it would not write: %j',
    (words) => {
      expect(parseLinkLag(words)).toBeUndefined();
    },
  );
});
