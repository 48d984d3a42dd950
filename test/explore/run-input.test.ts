import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingLagSource } from '../../src/explore/lag-recorder.js';
import { runInput } from '../../src/explore/run-input.js';
import { ScenarioError } from '../../src/pipeline/library-run.js';
import type { LagSource } from '../../src/sim/lag.js';
import type { TraceEvent } from '../../src/trace/events.js';

const FILE = join(import.meta.dirname, 'explore-input.yaml');
const sent = (trace: TraceEvent[]) =>
  trace.filter((e): e is Extract<TraceEvent, { kind: 'replication-sent' }> => e.kind === 'replication-sent').map((e) => [`${e.from}→${e.to}`, e.arrivesAt - e.t]);

/** Three writes in each region to three items: six replicated writes, lags drawn from uniform 200..900ms. */
function input(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'lags',
    seed: 5,
    regions: ['us-east-1', 'eu-west-1'],
    replication: { lag: { distribution: 'uniform', min: 200, max: 900 } },
    application: { strategy: 'service-lww', idempotency: 'none' },
    steps: [0, 10, 20].flatMap((at, i) => [
      { at, event: { id: `a${i}`, region: 'us-east-1', item: `I${i}`, data: { n: i } } },
      { at: at + 5, event: { id: `b${i}`, region: 'eu-west-1', item: `J${i}`, data: { n: i } } },
    ]),
    ...extra,
  };
}

describe('runInput and lags (explore\'s currency)', () => {
  it('a sequence lag gives the n-th write on a link the n-th value, then the last again', async () => {
    const report = await runInput(
      input({ replication: { lag: { distribution: 'fixed', ms: 50 }, links: [{ from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'sequence', ms: [300, '1s'] } }] } }),
      { file: FILE },
    );
    expect(sent(report.trace)).toEqual([
      ['us-east-1→eu-west-1', 300],
      ['eu-west-1→us-east-1', 50],
      ['us-east-1→eu-west-1', 1000],
      ['eu-west-1→us-east-1', 50],
      ['us-east-1→eu-west-1', 1000],
      ['eu-west-1→us-east-1', 50],
    ]);
    expect(report.lag.map((l) => l.lag)).toEqual([{ distribution: 'sequence', ms: [300, 1000] }, { distribution: 'fixed', ms: 50 }]);
  });

  it('recording the default draws changes nothing, and pinning what it recorded replays the run byte for byte', async () => {
    const plain = await runInput(input(), { file: FILE });
    const recorder = recordingLagSource();
    const recorded = await runInput(input(), { file: FILE, lagSource: recorder.source });
    expect(JSON.stringify(recorded)).toBe(JSON.stringify(plain));
    const lags = recorder.lags();
    expect(Object.keys(lags)).toEqual(['eu-west-1→us-east-1', 'us-east-1→eu-west-1']);
    expect(lags['us-east-1→eu-west-1']).toHaveLength(3);
    const links = Object.entries(lags).map(([key, ms]) => ({ from: key.split('→')[0], to: key.split('→')[1], lag: { distribution: 'sequence', ms } }));
    const pinned = await runInput(input({ replication: { lag: { distribution: 'fixed', ms: 1 }, links } }), { file: FILE });
    expect(JSON.stringify(pinned.trace)).toBe(JSON.stringify(plain.trace));
  });

  it('a lag source decides every lag, and may still take the default draw', async () => {
    const calls: Array<[string, number]> = [];
    const source: LagSource = {
      lag(from, to, n, _spec, draw) {
        calls.push([`${from}→${to}`, n]);
        return from === 'us-east-1' ? 7 : draw();
      },
    };
    const report = await runInput(input(), { file: FILE, lagSource: source });
    expect(sent(report.trace).filter(([link]) => link === 'us-east-1→eu-west-1').map(([, ms]) => ms)).toEqual([7, 7, 7]);
    expect(calls.filter(([link]) => link === 'eu-west-1→us-east-1').map(([, n]) => n)).toEqual([0, 1, 2]);
  });

  it('a bad input throws a ScenarioError naming the file', async () => {
    await expect(runInput({ regions: ['us-east-1'], steps: [] }, { file: FILE })).rejects.toBeInstanceOf(ScenarioError);
    await expect(runInput({ regions: ['us-east-1'], steps: [] }, { file: FILE })).rejects.toThrow(/explore-input\.yaml/);
  });
});
