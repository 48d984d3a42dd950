import { describe, expect, it } from 'vitest';
import { ReplicationLink } from '../../src/sim/replication-link.js';
import { faultStreamLabel, linkStreamLabel, Rng } from '../../src/sim/rng.js';
import type { StoredVersion } from '../../src/sim/version.js';

const draws = (rng: Rng, n = 5) => Array.from({ length: n }, () => rng.next());
/** What `new Rng(1)` drew before seeds took more than 32 bits (and must still draw). */
const FIRST_DRAWS_OF_SEED_1 = ['0.425649929559', '0.790421710582', '0.691014812794'];

describe('Rng streams: one per consumer, derived from the seed and a label', () => {
  it('gives the same values for the same seed and label, whatever else drew first', () => {
    const root = new Rng(7);
    draws(root, 100);
    draws(root.stream('fault:0'), 100);
    expect(draws(root.stream('link:a>b'))).toEqual(draws(new Rng(7).stream('link:a>b')));
  });

  it('gives different values for another label or another seed, and differs from the root stream', () => {
    const ab = draws(new Rng(7).stream(linkStreamLabel('us-east-1', 'eu-west-1')));
    expect(draws(new Rng(7).stream(linkStreamLabel('eu-west-1', 'us-east-1')))).not.toEqual(ab);
    expect(draws(new Rng(8).stream(linkStreamLabel('us-east-1', 'eu-west-1')))).not.toEqual(ab);
    expect(draws(new Rng(7))).not.toEqual(ab);
    expect(draws(new Rng(7).stream(faultStreamLabel(0)))).not.toEqual(draws(new Rng(7).stream(faultStreamLabel(1))));
  });

  it('takes every bit of a seed up to 2^53: seeds 2^32 apart draw differently', () => {
    const seeds = [0, 1, 2 ** 32, 2 ** 32 + 1, 2 ** 33, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 2 ** 32];
    const seen = new Set(seeds.map((s) => JSON.stringify(draws(new Rng(s).stream('run 0')))));
    expect(seen.size).toBe(seeds.length);
  });

  it('draws for a seed below 2^32 what it always has (scenarios and tokens keep their runs)', () => {
    expect(draws(new Rng(1), 3).map((v) => v.toFixed(12))).toEqual(FIRST_DRAWS_OF_SEED_1);
  });

  it('names links and faults as the scenario does', () => {
    expect(linkStreamLabel('us-east-1', 'eu-west-1')).toBe('link:us-east-1>eu-west-1');
    expect(faultStreamLabel(3)).toBe('fault:3');
  });

  it('keeps values in [0, 1)', () => {
    for (const v of draws(new Rng(1).stream('x'), 1000)) expect(v >= 0 && v < 1).toBe(true);
  });
});

describe('ReplicationLink draws from its own stream', () => {
  const lag = { distribution: 'uniform', min: 100, max: 5000 } as const;
  const version = (ts: number) => ({ item: null, stamp: { ts, region: 'us-east-1' } }) as unknown as StoredVersion;
  const arrivals = (link: ReplicationLink) => Array.from({ length: 8 }, (_, i) => link.send(0, `item-${i}`, version(i)).delivery.arrival);

  it('draws the same lags from the same root, however many other links drew before it', () => {
    const alone = arrivals(new ReplicationLink('us-east-1', 'eu-west-1', lag, new Rng(3), false));
    const root = new Rng(3);
    const other = new ReplicationLink('eu-west-1', 'us-east-1', lag, root, false);
    arrivals(other);
    const crowded = arrivals(new ReplicationLink('us-east-1', 'eu-west-1', lag, root, false));
    expect(crowded).toEqual(alone);
    expect(arrivals(other)).not.toEqual(alone);
  });
});
