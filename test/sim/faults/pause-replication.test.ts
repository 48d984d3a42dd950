import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

const HEAD = `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
application: { strategy: service-lww, idempotency: none }
`;

const put = (at: string, region: string, id: string, status: string) => `  - at: ${at}\n    put: { region: ${region}, item: { Id: "${id}", status: ${status} } }\n`;

function of<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Array<Extract<TraceEvent, { kind: K }>> {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

describe('paused replication (FIS global-table-pause-replication, aws-semantics §3)', () => {
  it('keeps accepting writes locally, holds replication in and out of the region, and resumes in per-item order', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}
faults:
  - { at: 1s, until: 10s, pauseReplication: { region: eu-west-1 } }
steps:
${put('2s', 'us-east-1', 'A', 'one')}${put('3s', 'us-east-1', 'A', 'two')}${put('4s', 'us-east-1', 'A', 'three')}${put('5s', 'eu-west-1', 'B', 'local')}`),
    );
    const trace = report.trace;
    // Both regions accepted their writes during the pause.
    expect(of(trace, 'local-write').map((w) => `${w.t}:${w.region}:${w.itemId}`)).toEqual(['2000:us-east-1:A', '3000:us-east-1:A', '4000:us-east-1:A', '5000:eu-west-1:B']);
    // Nothing crossed before the pause ended; everything was held.
    expect(of(trace, 'replication-applied').every((a) => a.t === 10_000)).toBe(true);
    expect(report.counts.heldWrites).toBe(4);
    // A's three versions arrive in the order they were written, so none is discarded.
    expect(of(trace, 'replication-applied').filter((a) => a.itemId === 'A').map((a) => a.version.ts)).toEqual([2000, 3000, 4000]);
    expect(report.counts.discardedWrites).toBe(0);
    expect(report.final['eu-west-1']!.A).toMatchObject({ status: 'three' });
    expect(report.final['us-east-1']!.B).toMatchObject({ status: 'local' });
    const ended = of(trace, 'fault-ended')[0]!;
    expect(ended).toMatchObject({ t: 10_000, fault: 'pause-replication', released: 4 });
  });

  it('lets replication continue for `continuesFor` after the start', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}
faults:
  - { at: 1s, until: 10s, pauseReplication: { region: eu-west-1, continuesFor: 2s } }
steps:
${put('1.2s', 'us-east-1', 'early', 'x')}${put('2.6s', 'us-east-1', 'late', 'y')}`),
    );
    const applied = of(report.trace, 'replication-applied');
    // early arrives at 1.7s (before 3s): applied at once; late arrives at 3.1s: held until 10s.
    expect(applied.map((a) => `${a.itemId}@${a.t}`)).toEqual(['early@1700', 'late@10000']);
    expect(of(report.trace, 'fault-started')[0]).toMatchObject({ t: 1000, effectiveAt: 3000 });
  });

  it('pauses only the given direction of one link', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}
faults:
  - { at: 0, duration: 5s, pauseReplication: { from: us-east-1, to: eu-west-1 } }
steps:
${put('1s', 'us-east-1', 'east', 'x')}${put('1s', 'eu-west-1', 'west', 'y')}`),
    );
    const applied = of(report.trace, 'replication-applied');
    expect(applied.find((a) => a.itemId === 'west')).toMatchObject({ to: 'us-east-1', t: 1500 });
    expect(applied.find((a) => a.itemId === 'east')).toMatchObject({ to: 'eu-west-1', t: 5000 });
  });

  it('resolves writes made on both sides of a pause by last writer wins once it ends', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}
faults:
  - { at: 0, duration: 5s, pauseReplication: { region: us-east-1 } }
steps:
${put('1s', 'us-east-1', 'A', 'one')}${put('2s', 'eu-west-1', 'A', 'two')}`),
    );
    // Concurrent writes on both sides of the pause: last writer wins once it ends, in both regions.
    expect(report.final['us-east-1']!.A).toMatchObject({ status: 'two' });
    expect(report.final['eu-west-1']!.A).toMatchObject({ status: 'two' });
    expect(report.assertions.find((a) => a.source === 'invariant' && a.name.startsWith('converged'))?.passed).toBe(true);
  });
});
