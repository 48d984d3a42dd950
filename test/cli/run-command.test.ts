import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geosim, lastLine, tempFile } from '../helpers/cli.js';

// `geosim run` through main(argv, io): output formats, exit codes and flag checks. What needs a real
// process (the built binary, a closed pipe, module loading) is in test/e2e/cli.test.ts.
const WRONG = `regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
steps:
  - at: 0
    put: { region: us-east-1, item: { Id: A, n: 1 } }
expect:
  items: { A: { n: 2 } }
`;

describe('geosim run', () => {
  it('prints the timeline of concurrent.yaml as text on a pipe and exits 0', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('━━ concurrent');
    expect(r.stdout).toMatch(/│ EVENT +│.*│ evt-1 key/);
    expect(r.stdout).toMatch(/│ DISCARD ◂use1 +│.*│ ORDER#1/);
    expect(r.stdout).toContain('final items');
    expect(lastLine(r.stdout)).toBe('1 passed, 0 failed');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('runs every scenario in a directory and ends with the closing line', async () => {
    const r = await geosim(['run', 'scenarios']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('--format json names the files it did not run (notRun), so the document alone is not a clean pass; a run of valid files has no notRun', async () => {
    const bad = tempFile('bad.yaml', 'regions: [us-east-1, eu-west-1]\nstepz: []\n');
    const r = await geosim(['run', bad, 'scenarios/concurrent.yaml', '--format', 'json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.notRun).toEqual([{ file: bad, why: 'invalid scenario', problems: [{ line: 2, col: 1, code: 'unknown-key', message: 'unknown key "stepz" at the top level' }] }]);
    expect(doc.scenarios).toHaveLength(1);
    // a path that cannot be read: why is the reason alone (the file is in `file`)
    const dir = join(mkdtempSync(join(tmpdir(), 'geosim-notrun-')), 'd');
    mkdirSync(join(dir, 'foo.yaml'), { recursive: true });
    writeFileSync(join(dir, 'ok.yaml'), readFileSync('scenarios/concurrent.yaml'));
    expect(JSON.parse((await geosim(['run', dir, '--format', 'json'])).stdout).notRun).toEqual([{ file: join(dir, 'foo.yaml'), why: 'is a directory' }]);
    const clean = JSON.parse((await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'json'])).stdout);
    expect(Object.keys(clean)).toEqual(['geosim', 'passed', 'failed', 'scenarios']);
  });

  it('exits 1 when an assertion fails, and shows expected against actual', async () => {
    const r = await geosim(['run', tempFile('wrong.yaml', WRONG)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL us-east-1 A: expected {n: 2}, got {n: 1}');
    expect(r.stdout).toContain('wrong: FAILED: 2 of 3 assertions failed');
    expect(lastLine(r.stdout)).toBe('0 passed, 1 failed');
  });

  it('exits 2 on an invalid scenario with file:line:col and no stack trace, and still runs the valid ones', async () => {
    const file = tempFile('bad.yaml', 'regions: [us-east-1, eu-west-1]\nstepz: []\n');
    const r = await geosim(['run', file, 'scenarios/concurrent.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:1 error[unknown-key] unknown key "stepz" at the top level`);
    expect(r.stderr).toContain('did you mean "steps"?');
    expect(r.stderr).toContain('1 scenario file not run: fix the errors above');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(lastLine(r.stdout)).toBe('1 passed, 0 failed');
  });

  it('a handler module that is not there is placed at the line and column of application.module (exit 2, no stack), in run and in every command that loads a scenario', async () => {
    const file = tempFile('orders.yaml', 'regions: [us-east-1, eu-west-1]\napplication:\n  module: ./src/nope.ts\nsteps:\n  - { at: 0, event: { id: o1, region: us-east-1, key: o1, item: "ORDER#1", data: { n: 1 } } }\n');
    const where = `${file}:3:11 error[module-not-found] the handler module "./src/nope.ts" does not exist (${join(file, '..', 'src', 'nope.ts')})`;
    const r = await geosim(['run', file, 'scenarios/concurrent.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${where}\n  hint: application.module is resolved against the scenario file's directory\n   3 |   module: ./src/nope.ts\n     |           ^^^^^^^^^^^^^\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(lastLine(r.stdout)).toBe('1 passed, 0 failed');
    const json = JSON.parse((await geosim(['run', file, '--format', 'json'])).stdout);
    expect(json.notRun).toEqual([{ file, why: 'invalid scenario', problems: [{ line: 3, col: 11, code: 'module-not-found', message: expect.stringContaining('"./src/nope.ts" does not exist') }] }]);
    const out = mkdtempSync(join(tmpdir(), 'geosim-missing-module-'));
    for (const argv of [['compare', file], ['explore', file, '--runs', '1'], ['report', file, '-o', join(out, 'report')], ['diagram', file, '--out', join(out, 'diagrams')]]) {
      const other = await geosim(argv);
      expect({ argv, code: other.code }).toEqual({ argv, code: 2 });
      expect(other.stderr).toContain(where);
      expect(other.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('the timeline (text and terminal view) names a scenario step by the path the loader\'s problems use, steps[N]', async () => {
    const scenario = (extra: string) => `regions: [us-east-1, eu-west-1]\nfaults:\n  - { at: 15, duration: 10, outage: { region: eu-west-1 } }\nsteps:\n  - { at: 0, put: { region: us-east-1, item: { Id: A, n: 1 } } }\n  - { at: 10, put: { region: us-east-1, item: { Id: A, n: 2 }${extra} } }\n  - { at: 20, put: { region: eu-west-1, item: { Id: B, n: 1 } } }\n`;
    const bad = await geosim(['run', tempFile('bad.yaml', scenario(', bogus: 1'))]);
    expect(bad.stderr).toContain('unknown key "bogus" in steps[1].put');
    const file = tempFile('good.yaml', scenario(''));
    const text = await geosim(['run', file]);
    expect(text.stdout).toMatch(/WRITE .*│ A 10ms@us-east-1 for steps\[1\]\n/);
    expect(text.stdout).toMatch(/REJECTED .*│ steps\[2\], put B: region unavailable/);
    expect(text.stdout).not.toMatch(/\bstep \d/);
    const pretty = await geosim(['run', file, '--format', 'pretty'], { tty: true });
    expect(pretty.stderr).toBe('');
    expect(pretty.stdout).toMatch(/\u001b\[/);
    expect(pretty.stdout).toContain('for steps[1]');
    expect(pretty.stdout).toContain('steps[2], put B: region unavailable');
    expect(pretty.stdout).not.toMatch(/\bstep \d/);
  });

  it('the worst outcome decides the exit code: an invalid file (2) over a failed assertion (1)', async () => {
    const r = await geosim(['run', tempFile('wrong.yaml', WRONG), tempFile('bad.yaml', 'regions: [us-east-1]\nsteps: 7\n')]);
    expect(r.code).toBe(2);
    expect(lastLine(r.stdout)).toBe('0 passed, 1 failed');
  });

  it('runs a file named twice once, however its path is spelled, and names every missing path', async () => {
    const twice = await geosim(['run', 'scenarios/concurrent.yaml', './scenarios/concurrent.yaml', 'scenarios/../scenarios/concurrent.yaml', '--format', 'text']);
    expect(lastLine(twice.stdout)).toBe('1 passed, 0 failed');
    expect(await geosim(['run', 'nope-1.yaml', 'scenarios/concurrent.yaml', 'nope-2.yaml'])).toMatchObject({ code: 2, stderr: 'geosim: nope-1.yaml: no such file or directory\ngeosim: nope-2.yaml: no such file or directory\n' });
    // through a link too; and an empty directory does not hide a missing path
    const dir = mkdtempSync(join(tmpdir(), 'geosim-inputs-'));
    symlinkSync(resolve('scenarios/concurrent.yaml'), join(dir, 'link.yaml'));
    mkdirSync(join(dir, 'empty'));
    expect(lastLine((await geosim(['run', 'scenarios/concurrent.yaml', join(dir, 'link.yaml'), '--format', 'text'])).stdout)).toBe('1 passed, 0 failed');
    expect(await geosim(['run', 'nope-1.yaml', join(dir, 'empty'), 'nope-1.yaml', join(dir, 'empty')])).toMatchObject({ code: 2, stderr: `geosim: nope-1.yaml: no such file or directory\ngeosim: ${join(dir, 'empty')}: no scenario files (*.yaml, *.yml) in this directory\n` });
  });

  it('exits 2 on a missing file, an empty file, and bad flag values', async () => {
    expect(await geosim(['run', 'scenarios/nope.yaml'])).toMatchObject({ code: 2, stderr: 'geosim: scenarios/nope.yaml: no such file or directory\n' });
    const empty = await geosim(['run', tempFile('empty.yaml', '')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error[empty-file] the file is empty');
    // one of comments alone is not "empty" to its author: said as what it holds
    const comments = await geosim(['run', tempFile('comments.yaml', '# a scenario, one day\n')]);
    expect(comments.code).toBe(2);
    expect(comments.stderr).toContain('error[empty-file] the file holds no scenario (only comments, or a null)');
    const flag = await geosim(['run', 'scenarios/concurrent.yaml', '--seed', '-3']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("option '--seed <n>' argument '-3' is invalid");
    const format = await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Allowed choices are pretty, text, json');
    expect(format.stdout).toBe('');
  });

  it('--format json is one parseable document, with the closing line on stderr', async () => {
    const r = await geosim(['run', 'scenarios/idempotency.yaml', 'scenarios/concurrent.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ geosim: 1, passed: 2, failed: 0 });
    expect(doc.scenarios.map((s: { scenario: { name: string } }) => s.scenario.name)).toEqual(['idempotency', 'concurrent']);
    expect(Object.keys(doc.scenarios[0].trace[0]).slice(0, 3)).toEqual(['seq', 't', 'kind']);
    expect(r.stderr).toBe('2 passed, 0 failed\n');
  });

  it('--seed is the same run every time, and another seed draws other lags', async () => {
    const run = async (seed: string) => (await geosim(['run', 'scenarios/idempotency.yaml', '--seed', seed, '--format', 'json'])).stdout;
    const seven = await run('7');
    expect(await run('7')).toBe(seven);
    expect(await run('8')).not.toBe(seven);
  });

  it('refuses backend flags without --backend dynamodb, and bad endpoint or time-scale values (exit 2)', async () => {
    expect(await geosim(['run', 'scenarios/concurrent.yaml', '--local'])).toMatchObject({ code: 2, stderr: 'geosim: --local needs --backend dynamodb\n' });
    expect(await geosim(['run', 'scenarios/concurrent.yaml', '--speed', '3'])).toMatchObject({ code: 2, stdout: '', stderr: 'geosim: --speed sets how fast --step plays: it needs --step\n' });
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--time-scale', '10', '--profile', 'p'])).stderr).toBe('geosim: --time-scale, --profile need --backend dynamodb\n');
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', 'localhost:8000'])).stderr).toContain('expected URL or REGION=URL');
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--time-scale', '0'])).code).toBe(2);
    // contradicting flags are said once, as the command line's mistake: no per-file framing, no tally
    expect(await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--local', '--endpoint', 'http://127.0.0.1:1'])).toMatchObject({ code: 2, stdout: '', stderr: 'geosim: --local starts its own server: leave out --endpoint\n' });
    expect(await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--local', '--replication', 'native'])).toMatchObject({ code: 2, stdout: '', stderr: 'geosim: --replication native needs a real global table; DynamoDB Local has none: use --replication emulate with --local\n' });
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'cassandra'])).code).toBe(2);
    const both = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9', '--endpoint', 'eu-west-1=http://127.0.0.1:9']);
    expect(both).toMatchObject({ code: 2, stderr: 'geosim: give either one --endpoint URL for every region or one --endpoint REGION=URL per region\n' });
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--horizon', '1d'])).stderr).toContain('--horizon and --max-trace-events bound runs of the model');
  });

  it('--help lists examples, exit codes and the limits’ defaults', async () => {
    const r = await geosim(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('geosim run scenarios/concurrent.yaml');
    expect(r.stdout).toContain('Exit codes');
    expect(r.stdout).toMatch(/--max-file-size <size> +largest scenario file read \(default 1MB\)/);
    expect(r.stdout).toMatch(/--max-trace-events <n>[\s\S]*\(default 500000\)/);
  });
});

describe('geosim run views', () => {
  it('--format pretty without a terminal prints the plain lane view, and says so on stderr (the default falls back quietly)', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'pretty']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('geosim: --format pretty needs a terminal (standard output is not one); printing the text view\n');
    expect((await geosim(['run', 'scenarios/concurrent.yaml'])).stderr).toBe('');
    expect(r.stdout).toMatch(/time │ us-east-1 +│ eu-west-1 +│ in flight +│ step/);
    expect(r.stdout).toMatch(/│ DISCARD ◂use1 │/);
    expect(r.stdout).toBe((await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'text'])).stdout);
  });

  it('on a terminal, NO_COLOR or TERM=dumb still get the plain view', async () => {
    const text = (await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'text'])).stdout;
    expect((await geosim(['run', 'scenarios/concurrent.yaml'], { tty: true, env: { NO_COLOR: '1' } })).stdout).toBe(text);
    expect((await geosim(['run', 'scenarios/concurrent.yaml'], { tty: true, env: { TERM: 'dumb' } })).stdout).toBe(text);
  });

  it('--step without a terminal is a user error (exit 2) that says it needs one', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--step']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('geosim: --step needs a terminal (stdin and stdout a TTY); for a pipe or CI log use --format text');
    expect(r.stdout).toBe('');
  });

  it('--step on a dumb terminal (TERM=dumb) is a user error (exit 2): it redraws with cursor moves such a terminal prints as text', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--step'], { tty: true, env: { TERM: 'dumb' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('geosim: --step redraws the screen, which a dumb terminal (TERM=dumb) cannot; use --format text');
    expect(r.stdout).toBe('');
  });

  it('--speed must be a positive number of steps per second', async () => {
    for (const speed of ['0', '-1', '51', 'fast']) {
      const r = await geosim(['run', 'scenarios/concurrent.yaml', '--step', '--speed', speed]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('expected steps per second');
    }
  });
});
