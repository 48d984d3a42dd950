import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, ScenarioError, UserError } from '../../src/index.js';

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

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['syncLimitMs below the CLI\'s 100 ms', { syncLimitMs: -5 }, /^geosim: run\(\): syncLimitMs must be a wall-clock time in ms from 100 to 600000 .*; got -5$/],
    ['syncLimitMs NaN', { syncLimitMs: Number.NaN }, /syncLimitMs must be .*; got NaN$/],
    ['maxTraceEvents 0', { maxTraceEvents: 0 }, /maxTraceEvents must be a whole number of trace events from 1 to 100000000; got 0$/],
    ['a horizon as a string', { horizon: '1d' }, /horizon must be a virtual time in ms more than 0 and at most 36500 days; got "1d"$/],
    ['a seed that is not a whole number', { seed: 'x' }, /seed must be a whole number from 0 to 2\^53 - 1; got "x"$/],
  ])('refuses %s before anything runs, and leaves the process its own clock', async (_what, options, message) => {
    const before = Date.now();
    const error = await run('test/fixtures/user-apps/spins.yaml', options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    // virtual time (epoch 2026-01-01) was never put in place of Date
    expect(Math.abs(Date.now() - before)).toBeLessThan(60_000);
  });

  it('a watchdog that cannot start (a limit run() would refuse, given to the pipeline) puts the process\'s clock back before the error leaves', async () => {
    const { loadScenarioFile } = await import('../../src/scenario/load.js');
    const { runScenario } = await import('../../src/pipeline/run-scenario.js');
    const loaded = await loadScenarioFile('test/fixtures/user-apps/spins.yaml');
    if (!loaded.ok) throw new Error('fixture does not load');
    const before = Date.now();
    await expect(runScenario(loaded.scenario, { syncLimitMs: -5 })).rejects.toThrow(/watchdog limit must be > 0 ms/);
    expect(Math.abs(Date.now() - before)).toBeLessThan(60_000);
    // and the next run is not refused as if one were still in progress
    expect((await run('scenarios/concurrent.yaml')).passed).toBe(true);
  });

  it('refuses a scenario that is neither a path nor an object', async () => {
    await expect(run(null as unknown as string)).rejects.toThrow("geosim: run() takes a scenario file's path or the object its YAML parses to; got null");
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
