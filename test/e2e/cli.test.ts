import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// End-to-end: the built bin/geosim as a user runs it (npm test builds first).
function geosim(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempScenario(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('geosim run', () => {
  it('prints the timeline of concurrent.yaml and exits 0', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('━━ concurrent');
    expect(r.stdout).toMatch(/│ EVENT +│.*│ evt-1 key/);
    expect(r.stdout).toMatch(/│ DISCARD ◂use1 +│.*│ ORDER#1/);
    expect(r.stdout).toContain('final items');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('runs every scenario in a directory and ends with the closing line', () => {
    const r = geosim(['run', 'scenarios']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('exits 1 when an assertion fails, and shows expected against actual', () => {
    const file = tempScenario(
      'wrong.yaml',
      `regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
steps:
  - at: 0
    put: { region: us-east-1, item: { Id: A, n: 1 } }
expect:
  items: { A: { n: 2 } }
`,
    );
    const r = geosim(['run', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL us-east-1 A: expected {n: 2}, got {n: 1}');
    expect(r.stdout).toContain('wrong: FAILED: 2 of 3 assertions failed');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('exits 2 on an invalid scenario with file:line:col and no stack trace', () => {
    const file = tempScenario('bad.yaml', 'regions: [us-east-1, eu-west-1]\nstepz: []\n');
    const r = geosim(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:1 error[unknown-key] unknown key "stepz" at the top level`);
    expect(r.stderr).toContain('did you mean "steps"?');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a missing file, an empty file, and a bad flag', () => {
    expect(geosim(['run', 'scenarios/nope.yaml'])).toMatchObject({ code: 2, stderr: 'geosim: scenarios/nope.yaml: no such file or directory\n' });
    const empty = geosim(['run', tempScenario('empty.yaml', '')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error[empty-file] the file is empty');
    const flag = geosim(['run', 'scenarios/concurrent.yaml', '--seed', '-3']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("option '--seed <n>' argument '-3' is invalid");
    expect(geosim(['run', 'scenarios/concurrent.yaml', '--format', 'xml']).code).toBe(2);
    expect(geosim(['nonsense']).code).toBe(2);
  });

  it('--format json is one parseable document, with the closing line on stderr', () => {
    const r = geosim(['run', 'scenarios/idempotency.yaml', 'scenarios/concurrent.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ geosim: 1, passed: 2, failed: 0 });
    expect(doc.scenarios.map((s: { scenario: { name: string } }) => s.scenario.name)).toEqual(['idempotency', 'concurrent']);
    expect(Object.keys(doc.scenarios[0].trace[0]).slice(0, 3)).toEqual(['seq', 't', 'kind']);
    expect(r.stderr).toBe('2 passed, 0 failed\n');
  });

  it('stops quietly when the reader closes the pipe early', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/geosim run scenarios | head -1`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.split('\n')[0]).toContain('━━');
    expect(r.stderr).toBe('');
  });

  it('refuses backend flags without --backend dynamodb, and bad endpoint or time-scale values (exit 2)', () => {
    expect(geosim(['run', 'scenarios/concurrent.yaml', '--local'])).toMatchObject({ code: 2, stderr: 'geosim: --local needs --backend dynamodb\n' });
    expect(geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', 'localhost:8000']).stderr).toContain('expected URL or REGION=URL');
    expect(geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--time-scale', '0']).code).toBe(2);
    expect(geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'cassandra']).code).toBe(2);
  });

  it('--help lists examples and exit codes', () => {
    const r = geosim(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('geosim run scenarios/concurrent.yaml');
    expect(r.stdout).toContain('Exit codes');
  });
});

describe('geosim schema', () => {
  it('prints a JSON Schema that names the scenario keys', () => {
    const r = geosim(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toContain('json-schema.org');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['regions', 'replication', 'application', 'steps', 'expect']));
    expect(schema.required).toEqual(['regions', 'steps']);
  });
});
