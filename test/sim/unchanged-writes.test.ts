import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { sequenceDiagram } from '../../src/render/mermaid/sequence.js';
import { renderText } from '../../src/render/text.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

// us-east-1 puts X {v: 1}; eu-west-1 puts {v: 2} at 1 s (it reaches us-east-1 at 1.5 s); us-east-1
// puts {v: 1} again at 1.01 s, which changes nothing there: whether that put replicates decides
// the item's final value, and AWS does not say (replication.unchangedWrites).
const yaml = (unchangedWrites?: string, mode = '', other = 'eu-west-1') => `
regions: [us-east-1, ${other}]
${mode}
replication: { lag: { distribution: fixed, ms: 500 }${unchangedWrites ? `, unchangedWrites: ${unchangedWrites}` : ''} }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: X, v: 1 } } }
  - { at: 1000, put: { region: ${other}, item: { Id: X, v: 2 } } }
  - { at: 1010, put: { region: us-east-1, item: { Id: X, v: 1 } } }
expect: { converged: true }
`;

const writesOf = (trace: TraceEvent[]) => trace.filter((e): e is Extract<TraceEvent, { kind: 'local-write' }> => e.kind === 'local-write');
const sentAt = (trace: TraceEvent[]) => trace.filter((e) => e.kind === 'replication-sent').map((e) => e.t);

describe('replication.unchangedWrites', () => {
  it('replicate (the default): a put of what the item holds is a new version that replicates and wins last-writer-wins (both regions end at v=1)', async () => {
    for (const report of [await runScenario(scenarioFromYaml(yaml())), await runScenario(scenarioFromYaml(yaml('replicate')))]) {
      expect(sentAt(report.trace)).toEqual([0, 1000, 1010]);
      expect(writesOf(report.trace).map((e) => e.unchanged)).toEqual([undefined, undefined, undefined]);
      expect(report.final['us-east-1']!.X).toMatchObject({ v: 1 });
      expect(report.final['eu-west-1']!.X).toMatchObject({ v: 1 });
    }
  });

  it('skip: the same put makes no version and sends nothing, so eu-west-1’s later write wins everywhere (both end at v=2), and the trace says so', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('skip')));
    expect(sentAt(report.trace)).toEqual([0, 1000]);
    const [, , unchanged] = writesOf(report.trace);
    expect(unchanged).toMatchObject({ t: 1010, region: 'us-east-1', unchanged: true, version: { ts: 0, region: 'us-east-1' }, before: { Id: 'X', v: 1 }, after: { Id: 'X', v: 1 } });
    expect(report.final['us-east-1']!.X).toMatchObject({ v: 2 });
    expect(report.final['eu-west-1']!.X).toMatchObject({ v: 2 });
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    // every view says why no replication follows the write
    expect(renderText(report)).toMatch(/X 0ms@us-east-1 for steps\[2\]; changed nothing: the same version, not replicated/);
    expect(sequenceDiagram(report)).toMatch(/Client->>Table_us_east_1: t=1\.01s put X \(v=1#59; unchanged, not(<br\/>| )replicated\)/);
    // the item kept its version: eu-west-1's write replaced it without a conflict of the same moment
    const applied = report.trace.find((e) => e.kind === 'replication-applied' && e.to === 'us-east-1');
    expect(applied).toMatchObject({ replacedVersion: { ts: 0, region: 'us-east-1' } });
  });

  it('skip: a write that changes the item still replicates', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('skip').replace('item: { Id: X, v: 1 } } }\nexpect', 'item: { Id: X, v: 3 } } }\nexpect')));
    expect(sentAt(report.trace)).toEqual([0, 1000, 1010]);
    expect(report.final['eu-west-1']!.X).toMatchObject({ v: 3 });
  });

  it('is refused on MRSC (exit 2 at the key), where a quorum confirms each write', () => {
    expect(() => scenarioFromYaml(yaml(undefined, 'mode: mrsc\nwitness: us-west-2', 'us-east-2'))).not.toThrow();
    expect(() => scenarioFromYaml(yaml('skip', 'mode: mrsc\nwitness: us-west-2', 'us-east-2'))).toThrow(/^(?![\s\S]*error\[(?!mrsc-unchanged-writes))[\s\S]*unchangedWrites: skip is for MREC/);
  });

  it('refuses a value it does not know', () => {
    expect(() => scenarioFromYaml(yaml('never'))).toThrow(/unchangedWrites/);
  });
});
