import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { reproHeaderToken, reproYaml, scenarioYaml, type ReproHeader } from '../../src/explore/repro.js';
import { shrink } from '../../src/explore/shrink.js';
import { runInput } from '../../src/explore/run-input.js';
import { renderJson } from '../../src/render/json.js';
import { loadScenarioObject } from '../../src/scenario/load.js';
import { ROOT } from '../helpers/cli.js';
import { FILE, failureSignature, pinned, plantedTemplate, run } from './shrink-fixtures.js';

type Input = Record<string, unknown>;

const header = (signature: string, reproFile: string): ReproHeader => ({ scenarioFile: 'scenarios/explore/planted.yaml', seed: 42, run: 317, token: 'gx1.eyJmIjoicGxhbnRlZCJ9', signature, reproFile });

/** The scenario model an input loads to (durations in ms, defaults filled): what a run sees. */
function loaded(input: Input): unknown {
  const result = loadScenarioObject(input, FILE, (data) => stringify(data));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.scenario;
}

async function shrunkPlanted(): Promise<{ input: Input; signature: string; noisy: Input }> {
  const { input: noisy, report, floors } = await pinned(plantedTemplate(), 7);
  const signature = failureSignature(report)!;
  return { input: (await shrink(noisy, signature, run, { lagFloors: floors })).input, signature, noisy };
}

describe('reproYaml', () => {
  it('writes the token reproHeaderToken reads back (saved regressions find their draw by it)', () => {
    const text = reproYaml({ regions: ['us-east-1'] }, header('expectation: x', 'r.yaml'));
    expect(reproHeaderToken(text)).toBe('gx1.eyJmIjoicGxhbnRlZCJ9');
    expect(reproHeaderToken(text.split('\n').slice(1).join('\n'))).toBeUndefined();
  });

  it('writes the comment header, keys in the usual order, short maps on one line, as the shipped scenarios do', async () => {
    const { input, signature } = await shrunkPlanted();
    expect(reproYaml(input, header(signature, '.geosim/planted-repro.yaml'))).toBe(
      [
        '# Found by geosim explore scenarios/explore/planted.yaml --seed 42 (run 317, token gx1.eyJmIjoicGxhbnRlZCJ9)',
        '# fails: expectation: effects of key payment-7 (above)',
        '# run it: geosim run .geosim/planted-repro.yaml',
        'name: planted-repro',
        'seed: 7',
        'regions: [ us-east-1, eu-west-1 ]',
        'replication:',
        '  lag: { distribution: uniform, min: 300, max: 900 }',
        '  links:',
        '    - { from: eu-west-1, to: us-east-1, lag: { distribution: sequence, ms: [ 300 ] } }',
        '    - { from: us-east-1, to: eu-west-1, lag: { distribution: sequence, ms: [ 300 ] } }',
        'application: { strategy: client-lww, idempotency: local }',
        'steps:',
        '  - at: 0',
        '    event: { id: e1, region: us-east-1, key: payment-7, item: PAY#A, data: {} }',
        '  - at: 0',
        '    retry: { of: e1, region: eu-west-1 }',
        'expect:',
        '  effects: { payment-7: 1 }',
        '',
      ].join('\n'),
    );
  });

  it('parses back to the input: exactly for the shrunk repro, the same scenario for the noisy one', async () => {
    const { input, signature, noisy } = await shrunkPlanted();
    expect(parse(reproYaml(input, header(signature, 'r.yaml')))).toEqual(input);
    const text = reproYaml(noisy, header(signature, 'r.yaml'));
    expect(loaded(parse(text))).toEqual(loaded(noisy));
    // its keys came in another order ('expect' before 'steps' would read oddly): the file has the usual one
    expect(Object.keys(parse(text))).toEqual(['name', 'description', 'seed', 'regions', 'replication', 'clocks', 'application', 'faults', 'steps', 'expect']);
  });

  it('every shipped scenario written as a repro loads to the same scenario (quoting, DynamoDB syntax, durations)', () => {
    const dir = join(ROOT, 'scenarios');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(19);
    for (const file of files) {
      const input = parse(readFileSync(join(dir, file), 'utf8')) as Input;
      expect(loaded(parse(scenarioYaml(input))), file).toEqual(loaded(input));
    }
  });

  it('writes durations as ms, or in whole seconds, minutes, hours or days', () => {
    const text = scenarioYaml({
      regions: ['us-east-1', 'eu-west-1'],
      replication: { lag: { distribution: 'sequence', ms: [812, 2000, '1.5s', 0] } },
      clocks: { 'eu-west-1': { skew: -2000 } },
      ttlDelay: 172_800_000,
      indexLag: 250,
      lambda: { invocation: 'stream', timeout: 3000, maximumRecordAge: -1 },
      faults: [{ at: 90_000, duration: 3_600_000, clockSkew: { region: 'eu-west-1', skew: '-1.5s' } }],
      steps: [{ at: 172_800_000, read: { region: 'us-east-1', item: 'A' } }],
    });
    expect(text).toContain('lag: { distribution: sequence, ms: [ 812, 2s, 1500, 0 ] }');
    expect(text).toContain('eu-west-1: { skew: -2s }');
    expect(text).toContain('lambda: { invocation: stream, timeout: 3s, maximumRecordAge: -1 }');
    expect(text).toContain('- { at: 90s, duration: 1h, clockSkew: { region: eu-west-1, skew: -1500 } }');
    expect(text).toContain('- at: 2d\n');
    // top-level durations, in the usual key order (after the replication, before the clocks)
    expect(text).toMatch(/\nindexLag: 250\nttlDelay: 2d\nclocks:/);
  });

  it('keeps a header on comment lines whatever the signature holds', () => {
    const text = reproYaml({ regions: ['us-east-1', 'eu-west-1'], steps: [] }, header('check: a\nname: evil', 'r.yaml'));
    expect(text.split('\n').slice(0, 3).every((line) => line.startsWith('# '))).toBe(true);
    expect(parse(text)).toEqual({ regions: ['us-east-1', 'eu-west-1'], steps: [] });
  });

  it('quotes a path with a space or a quote in the commands it offers, so that they paste into a shell as one argument (and leaves a plain path as it is)', () => {
    const text = reproYaml({ regions: ['us-east-1', 'eu-west-1'], steps: [] }, { ...header('expectation: x', "new dir/it's.yaml"), scenarioFile: 'my scenarios/race.yaml' });
    const [found, , runIt] = text.split('\n');
    expect(found).toBe("# Found by geosim explore 'my scenarios/race.yaml' --seed 42 (run 317, token gx1.eyJmIjoicGxhbnRlZCJ9)");
    expect(runIt).toBe("# run it: geosim run 'new dir/it'\\''s.yaml'");
    expect(reproHeaderToken(text)).toBe('gx1.eyJmIjoicGxhbnRlZCJ9');
    // what the shell makes of it: the one path
    const words = spawnSync('sh', ['-c', `printf '%s\\n' ${runIt!.slice('# run it: geosim run '.length)}`], { encoding: 'utf8' }).stdout;
    expect(words).toBe("new dir/it's.yaml\n");
    expect(reproYaml({ regions: ['us-east-1'] }, header('expectation: x', '.geosim/repro/race-1a2b3c4d.yaml'))).toContain('# run it: geosim run .geosim/repro/race-1a2b3c4d.yaml\n');
  });
});

describe('geosim run on a written repro (needs dist: npm test builds it)', () => {
  it('exits 1 with the same failure and the same report bytes as runInput of the input', async () => {
    const { input, signature } = await shrunkPlanted();
    const path = join(mkdtempSync(join(tmpdir(), 'geosim-repro-')), 'planted-repro.yaml');
    writeFileSync(path, reproYaml(input, header(signature, path)));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/geosim'), 'run', path, '--format', 'json'], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    // JSON on stdout; the closing line a CI log greps on stderr
    expect(r.stderr).toBe('0 passed, 1 failed\n');
    expect(r.status).toBe(1);
    const report = await runInput(input, { file: path });
    expect(failureSignature(report)).toBe(signature);
    expect(failureSignature(JSON.parse(r.stdout).scenarios[0])).toBe(signature);
    expect(r.stdout).toBe(renderJson([report], { passed: 0, failed: 1 }));
  });
});
