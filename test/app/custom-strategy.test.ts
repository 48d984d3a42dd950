import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMergeFunction } from '../../src/app/merge-module.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';
import { geosim } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'merge');
const file = join(FIXTURES, 'scenario.yaml');

const yaml = (application: string) => `
regions: [us-east-1, us-west-2]
replication: { lag: { distribution: fixed, ms: 500 } }
application: ${application}
steps:
  - at: 0
    event: { id: e1, region: us-east-1, item: "C#1", data: { a: 1, b: 9 } }
  - at: 10ms
    event: { id: e2, region: us-west-2, item: "C#1", data: { a: 5, c: x } }
`;

describe('custom strategy', () => {
  it('loads the merge function from application.merge and merges concurrent versions with it', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('{ strategy: custom, merge: { module: ./merges.ts } }'), file));
    for (const region of ['us-east-1', 'us-west-2']) expect(report.final[region]!['C#1']!.Data).toEqual({ a: 5, b: 9, c: 'x' });
    const resolved = report.trace.filter((e) => e.kind === 'conflict-resolved');
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.every((e) => e.kind === 'conflict-resolved' && e.strategy === 'custom' && e.by === 'application')).toBe(true);
  });

  it('a merge that throws is an operation failure in the trace, not a crash, and fails the run', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('{ strategy: custom, merge: { module: ./merges.ts, function: broken } }'), file));
    const failures = report.trace.filter((e) => e.kind === 'operation-failed');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatchObject({ error: { name: 'MergeFunctionError', message: 'merge refused: no rule for this pair' } });
    expect(report.counts.operationFailures).toBe(failures.length);
    // a write the merge should have kept is lost: the run passed before, so CI passed a broken merge
    const merged = report.assertions.find((a) => a.name === 'your merge function merged every conflict');
    expect(merged).toMatchObject({ source: 'invariant', passed: false, actual: `${failures.length} merge${failures.length === 1 ? '' : 's'} failed` });
    expect(merged!.detail).toContain('merge refused: no rule for this pair');
    const { stepView } = await import('../../src/render/step-view.js');
    expect(stepView(failures[0]!)).toMatchObject({ label: 'MERGE ERR', tone: 'fault' });
    // a merge that works adds no such assertion
    const good = await runScenario(scenarioFromYaml(yaml('{ strategy: custom, merge: { module: ./merges.ts } }'), file));
    expect(good.assertions.map((a) => a.name)).not.toContain('your merge function merged every conflict');
  });

  it('names the exports when the function is missing (bad input)', async () => {
    await expect(loadMergeFunction({ path: join(FIXTURES, 'merges.ts'), given: './merges.ts', function: 'nope' })).rejects.toThrow('./merges.ts: exports no function "nope" (application.merge.function); it exports broken, merge');
  });

  it('a misspelt merge function, or a merge module that does not compile, is placed at its setting in the scenario (application.merge.function, .module), with a “did you mean” (neither had a line or column)', async () => {
    const { mkdtempSync, writeFileSync, copyFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'geosim-merge-place-'));
    copyFileSync(join(FIXTURES, 'merges.ts'), join(dir, 'merges.ts'));
    writeFileSync(join(dir, 'broken.ts'), 'export function merge(a, b) { return { ...a, ...b ;\n');
    writeFileSync(join(dir, 'misspelt.yaml'), yaml('{ strategy: custom, merge: { module: ./merges.ts, function: mrge } }'));
    writeFileSync(join(dir, 'broken.yaml'), yaml('{ strategy: custom, merge: { module: ./broken.ts } }'));
    const misspelt = await geosim(['run', 'misspelt.yaml'], { cwd: dir });
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toMatch(/^misspelt\.yaml:4:74 error\[module-export\] \.\/merges\.ts: exports no function "mrge" \(application\.merge\.function\); it exports broken, merge\n {2}hint: did you mean "merge"\?\n/);
    const broken = await geosim(['run', 'broken.yaml'], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^broken\.yaml:4:51 error\[module-syntax\] .*broken\.ts: this module cannot be loaded:/);
  });

  it('a merge module that does not compile is named as the module, not as the application', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'geosim-merge-')), 'broken.ts');
    writeFileSync(path, 'export function merge(a, b) { return { ...a, ...b ;\n');
    await expect(loadMergeFunction({ path, given: './broken.ts', function: 'merge' })).rejects.toThrow(`${path}: this module cannot be loaded:`);
  });

  it('custom needs application.merge, and merge needs custom', () => {
    const noMerge = loadScenarioText(yaml('{ strategy: custom }'), file);
    expect(noMerge.ok).toBe(false);
    if (!noMerge.ok) expect(noMerge.problems[0]!.message).toBe('strategy custom merges concurrent versions with your function, and application.merge names none');
    const notCustom = loadScenarioText(yaml('{ strategy: counter, merge: { module: ./merges.ts } }'), file);
    expect(notCustom.ok).toBe(false);
    if (!notCustom.ok) expect(notCustom.problems[0]!.message).toBe("application.merge is the custom strategy's merge function, and the strategy is counter");
  });
});
