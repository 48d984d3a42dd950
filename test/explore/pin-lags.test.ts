import { describe, expect, it } from 'vitest';
import { recordingLagSource } from '../../src/explore/lag-recorder.js';
import { lagFloors, pinLags } from '../../src/explore/pin-lags.js';
import { runInput } from '../../src/explore/run-input.js';
import { FILE } from './shrink-fixtures.js';

/**
 * Three regions, writes from two of them: us-east-1 and eu-west-1 send to every region, ap-south-1
 * sends nothing; one link declared with its own lag, one declared link that carries no write.
 */
function template(): Record<string, unknown> {
  return {
    name: 'pin',
    seed: 3,
    regions: ['us-east-1', 'eu-west-1', 'ap-south-1'],
    replication: {
      lag: { distribution: 'uniform', min: 200, max: 900 },
      links: [
        { from: 'ap-south-1', to: 'us-east-1', lag: { distribution: 'fixed', ms: 70 } },
        { from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'normal', mean: 400, stddev: 150 } },
      ],
    },
    application: { strategy: 'client-lww', idempotency: 'local' },
    steps: [0, 30, 60].flatMap((at, i) => [
      { at, event: { id: `a${i}`, region: 'us-east-1', item: `I${i % 2}`, data: { n: i } } },
      { at: at + 5, event: { id: `b${i}`, region: 'eu-west-1', item: `I${(i + 1) % 2}`, data: { n: i } } },
    ]),
  };
}

describe('pinLags', () => {
  it('pins what a run drew: the pinned input, run without a lag source, gives the same trace bytes', async () => {
    for (const seed of [3, 11, 12345]) {
      const recorder = recordingLagSource();
      const original = await runInput({ ...template(), seed }, { file: FILE, lagSource: recorder.source });
      const repro = pinLags(template(), recorder.lags(), seed);
      const replayed = await runInput(repro, { file: FILE });
      expect(replayed.seed).toBe(seed);
      expect(JSON.stringify(replayed.trace)).toBe(JSON.stringify(original.trace));
      expect(JSON.stringify(replayed.final)).toBe(JSON.stringify(original.final));
      // and the pins matter: other lags give another trace
      const shifted = Object.fromEntries(Object.entries(recorder.lags()).map(([k, v]) => [k, v.map((ms) => ms + 1)]));
      expect(JSON.stringify((await runInput(pinLags(template(), shifted, seed), { file: FILE })).trace)).not.toBe(JSON.stringify(original.trace));
    }
  });

  it('replaces the entries of links that carried writes in place, adds the others in key order, keeps the rest', async () => {
    const recorder = recordingLagSource();
    await runInput(template(), { file: FILE, lagSource: recorder.source });
    const lags = recorder.lags();
    expect(Object.keys(lags)).toEqual(['eu-west-1→ap-south-1', 'eu-west-1→us-east-1', 'us-east-1→ap-south-1', 'us-east-1→eu-west-1']);
    const repro = pinLags(template(), lags, 3) as { replication: { lag: unknown; links: Array<{ from: string; to: string; lag: { distribution: string } }> } };
    expect(repro.replication.lag).toEqual({ distribution: 'uniform', min: 200, max: 900 });
    expect(repro.replication.links.map((l) => `${l.from}→${l.to} ${l.lag.distribution}`)).toEqual([
      'ap-south-1→us-east-1 fixed',
      'us-east-1→eu-west-1 sequence',
      'eu-west-1→ap-south-1 sequence',
      'eu-west-1→us-east-1 sequence',
      'us-east-1→ap-south-1 sequence',
    ]);
    expect(repro.replication.links[1]!.lag).toEqual({ distribution: 'sequence', ms: lags['us-east-1→eu-west-1'] });
    // three events, each an item and its idempotency record
    expect(lags['us-east-1→eu-west-1']).toHaveLength(6);
  });

  it('leaves the input alone and sets simultaneous only when given', () => {
    const input = template();
    const before = JSON.stringify(input);
    const plain = pinLags(input, { 'us-east-1→eu-west-1': [5] }, 9) as { seed: number; replication: Record<string, unknown> };
    expect(JSON.stringify(input)).toBe(before);
    expect(plain.seed).toBe(9);
    expect('simultaneous' in plain.replication).toBe(false);
    const seeded = pinLags(input, {}, 9, 'seeded') as { replication: Record<string, unknown> };
    expect(seeded.replication.simultaneous).toBe('seeded');
    // a scenario without a replication section gets one only for what it pins
    expect(pinLags({ regions: ['us-east-1', 'eu-west-1'], steps: [] }, {}, 2)).toEqual({ regions: ['us-east-1', 'eu-west-1'], steps: [], seed: 2 });
  });
});

describe('lagFloors', () => {
  it("is each link's least possible lag: uniform min, fixed ms, 0 for normal and exponential, 500 by default", () => {
    expect(lagFloors(template())).toEqual({
      'us-east-1→eu-west-1': 0,
      'us-east-1→ap-south-1': 200,
      'eu-west-1→us-east-1': 200,
      'eu-west-1→ap-south-1': 200,
      'ap-south-1→us-east-1': 70,
      'ap-south-1→eu-west-1': 200,
    });
    expect(lagFloors({ regions: ['us-east-1', 'eu-west-1'], replication: { links: [{ from: 'eu-west-1', to: 'us-east-1', lag: { distribution: 'sequence', ms: ['1s', 300, 700] } }] } })).toEqual({
      'us-east-1→eu-west-1': 500,
      'eu-west-1→us-east-1': 300,
    });
  });
});
