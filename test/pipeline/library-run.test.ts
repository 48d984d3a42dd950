import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, ScenarioError } from '../../src/index.js';

// `import { run } from 'geosim'` (issue 13 item 8): a team runs a scenario from its own test suite.
describe('run() from the package entry', () => {
  it('runs a scenario file and returns its report, with passed and failures', async () => {
    const report = await run('scenarios/concurrent.yaml');
    expect(report.passed).toBe(true);
    expect(report.failures).toEqual([]);
    expect(report.scenario.name).toBe('concurrent');
    expect(report.counts.events).toBeGreaterThan(0);
  });

  // the README's example named a file that was not there; it is run here as the README writes it
  it('runs the README’s example as written: its file exists and its expectations hold', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const example = /await run\('([^']+)'\);[\s\S]*?effects\['([^']+)'\]\)\.toBe\((\d+)\)/.exec(readme);
    expect(example).not.toBeNull();
    const [, file, key, count] = example!;
    const report = await run(file!);
    expect(report.failures).toEqual([]);
    expect(report.counts.effects[key!]).toBe(Number(count));
  });

  it('runs a scenario given as an object, the same as its YAML, and reports what failed', async () => {
    const report = await run({
      name: 'inline',
      regions: ['us-east-1', 'eu-west-1'],
      steps: [{ at: 0, put: { region: 'us-east-1', item: { Id: 'K1', v: 1 } } }],
      expect: { items: { K1: { v: 2 } } },
    });
    expect(report.passed).toBe(false);
    expect(report.failures.map((f) => f.name)).toEqual(['us-east-1 K1', 'eu-west-1 K1']);
  });

  it('throws a ScenarioError with file, line and column for an invalid scenario', async () => {
    const error = await run({ name: 'broken', regions: ['us-east-1'], steps: [] }, { baseDir: '/tmp/geosim' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const problems = (error as ScenarioError).problems;
    expect(problems.map((p) => [p.file, p.line, p.code, p.message])).toEqual([
      ['/tmp/geosim/broken.yaml', 3, 'wrong-value', 'regions: a global table needs at least two regions, found a list of 1'],
      ['/tmp/geosim/broken.yaml', 4, 'wrong-value', 'steps: a scenario needs at least one step, found a list of 0'],
    ]);
    expect((error as Error).message).toMatch(/broken\.yaml:3:3 error\[wrong-value\]/);
  });

  it('a handler module that is not there is a ScenarioError placed at application.module, as in a file', async () => {
    const error = await run({ name: 'gone', regions: ['us-east-1', 'eu-west-1'], application: { module: './gone.mjs' }, steps: [{ at: 0, event: { id: 'e1', region: 'us-east-1', key: 'k1', item: 'i1', data: { v: 1 } } }] }, { baseDir: '/tmp/geosim-no-such-dir' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems.map((p) => [p.file, p.code, p.message, p.sourceLine?.trim()])).toEqual([
      ['/tmp/geosim-no-such-dir/gone.yaml', 'module-not-found', 'the handler module "./gone.mjs" does not exist (/tmp/geosim-no-such-dir/gone.mjs)', 'module: ./gone.mjs'],
    ]);
  });

  it('names a scenario file that is not there', async () => {
    await expect(run('scenarios/no-such.yaml')).rejects.toThrow('geosim: scenarios/no-such.yaml: no such file');
  });
});

describe('run() with a team’s handler', () => {
  it('takes turns: a second run started while one is in progress is refused with a clear error, and the first is unharmed', async () => {
    const fixtures = join(import.meta.dirname, '..', 'fixtures', 'user-apps');
    const scenario = { name: 'turns', regions: ['us-east-1', 'eu-west-1'], application: { module: './counter.ts', env: { TABLE_NAME: 'GlobalEventTable' } }, steps: [{ at: 0, event: { id: 'a1', region: 'us-east-1', key: 'a1', item: 'ITEM#a1', data: { n: 1 } } }] };
    const [first, second] = await Promise.allSettled([run(scenario, { baseDir: fixtures }), run(scenario, { baseDir: fixtures })]);
    expect(first.status).toBe('fulfilled');
    expect(second.status === 'rejected' && String(second.reason)).toMatch(/take turns in one process/);
    // And once the first is over, the next run goes ahead.
    expect((await run(scenario, { baseDir: fixtures })).passed).toBe(true);
  });
});
