import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// End-to-end: the built bin/geosim as a user runs it (npm test builds first), for what only a real
// process shows: the binary starts from dist/, sets its exit code, writes to real pipes and
// prints no Node warnings. Everything else about the commands runs in-process in test/cli/.
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

describe('bin/geosim', () => {
  it('run: prints the timeline of concurrent.yaml and exits 0', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('━━ concurrent');
    expect(r.stdout).toMatch(/│ DISCARD ◂use1 +│.*│ ORDER#1/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('run: exits 2 on an invalid scenario with file:line:col and no stack trace', () => {
    const file = tempScenario('bad.yaml', 'regions: [us-east-1, eu-west-1]\nstepz: []\n');
    const r = geosim(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:1 error[unknown-key] unknown key "stepz" at the top level`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('run: stops quietly when the reader closes the pipe early', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/geosim run scenarios | head -1`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.split('\n')[0]).toContain('━━');
    expect(r.stderr).toBe('');
  });

  it('run: a reader that closes the pipe early still gets the exit code of the runs (1 when an assertion failed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-pipe-'));
    writeFileSync(join(dir, 'a-passes.yaml'), readFileSync('scenarios/concurrent.yaml'));
    writeFileSync(join(dir, 'b-fails.yaml'), readFileSync('test/fixtures/report/failing.yaml'));
    for (const format of ['text', 'json']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" bin/geosim run "${dir}" --format ${format} | head -c 20 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.stdout.trim()).toBe('1');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('run: a reader of standard error that closes it early (2>&1 | head) leaves the exit code as the runs make it, not 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-pipe-'));
    writeFileSync(join(dir, 'a-passes.yaml'), readFileSync('scenarios/concurrent.yaml'));
    writeFileSync(join(dir, 'b-invalid.yaml'), 'regions: [us-east-1, eu-west-1]\nstepz: []\n');
    // a pass whose closing line (on stderr with --format json) finds the pipe closed: 0; a problem on stderr after it closed: 2
    for (const [args, code] of [[`scenarios/concurrent.yaml scenarios/failover.yaml --format json`, '0'], [`"${dir}"`, '2']] as const) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" bin/geosim run ${args} 2>&1 | head -c 1 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.stdout.trim()).toBe(code);
    }
  });

  it.skipIf(!existsSync('/dev/full'))('run: a standard error that cannot be written (a full disk) is exit 3, not 1 (skipped where /dev/full does not exist)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/geosim run scenarios/concurrent.yaml --format json 2> /dev/full`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout).passed).toBe(1);
  });

  it.skipIf(!existsSync('/dev/full'))('run: a standard output that cannot be written (a full disk) is one line and exit 3, no stack (skipped where /dev/full does not exist)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/geosim run scenarios/concurrent.yaml --format json > /dev/full`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('geosim: cannot write to standard output: ENOSPC: no space left on device, write\n');
  });

  it.skipIf(!existsSync('/dev/full'))('compare: a standard output that cannot be written is exit 3, which its --help lists, where it named 0, 2 and 70 only (skipped where /dev/full does not exist)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/geosim compare scenarios/concurrent.yaml --format json > /dev/full`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/geosim: cannot write to standard output: ENOSPC: no space left on device, write\n$/);
    expect(geosim(['compare', '--help']).stdout).toMatch(/3 an environment failure\s+\(standard output cannot be written\)/);
  });

  it('run --backend dynamodb: an endpoint nobody listens on is one line, exit 3, without the AWS SDK’s Node-version warning', () => {
    const r = geosim(['run', 'scenarios/dlq-redrive.yaml', '--backend', 'dynamodb', '--endpoint', 'http://127.0.0.1:9']);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('NodeVersionSupportWarning');
  });

  it('diagram: writes the scenario’s .mmd and architecture.mmd and exits 0', () => {
    const out = mkdtempSync(join(tmpdir(), 'geosim-diagram-'));
    const r = geosim(['diagram', 'scenarios/concurrent.yaml', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['architecture.mmd', 'concurrent.mmd']);
    // -o, as `geosim report -o` takes it
    const short = mkdtempSync(join(tmpdir(), 'geosim-diagram-'));
    expect(geosim(['diagram', 'scenarios/concurrent.yaml', '-o', short]).code).toBe(0);
    expect(readdirSync(short).sort()).toEqual(['architecture.mmd', 'concurrent.mmd']);
  });

  it('diagram --format svg: a home directory puppeteer cannot look into (a CI container run as another user) is one line and exit 3, not an internal error', () => {
    const home = mkdtempSync(join(tmpdir(), 'geosim-home-'));
    writeFileSync(join(home, '.config'), ''); // a file where puppeteer looks for .config/puppeteer: ENOTDIR, as EACCES for an unreadable home
    const out = mkdtempSync(join(tmpdir(), 'geosim-diagram-'));
    // any executable passes the browser lookup: the renderer fails to load before it starts one; run
    // from the home directory, as a team's checkout would be (geosim's own .puppeteerrc.cjs ends the search here)
    const r = spawnSync(process.execPath, [resolve('bin/geosim'), 'diagram', resolve('scenarios/concurrent.yaml'), '--out', out, '--format', 'svg'], {
      encoding: 'utf8',
      cwd: home,
      env: { ...process.env, NO_COLOR: '1', HOME: home, PUPPETEER_EXECUTABLE_PATH: process.execPath },
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`geosim diagram: cannot render: the renderer (mermaid-cli and puppeteer) did not load (ENOTDIR: not a directory, stat '${join(home, '.config', 'puppeteer')}'); the .mmd files were written\n`);
    expect(readdirSync(out).sort()).toEqual(['architecture.mmd', 'concurrent.mmd']);
  });
  it("run --format json and --format perfetto: a team's handler that logs keeps stdout machine-readable (its console writes to stderr)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-logs-'));
    writeFileSync(join(dir, 'logs.mjs'), "console.log('loaded');\nexport const handler = async (event) => { console.log(`handled ${event.eventId}`); console.error('to stderr'); return 'ok'; };\n");
    const file = join(dir, 'logs.yaml');
    writeFileSync(file, 'regions: [us-east-1, eu-west-1]\napplication: { module: ./logs.mjs }\nsteps:\n  - at: 0\n    event: { id: l1, region: us-east-1, item: A, data: { n: 1 } }\n');
    for (const format of ['json', 'perfetto']) {
      const r = geosim(['run', file, '--format', format]);
      expect(r.code).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
      expect(r.stdout).not.toContain('handled l1');
      expect(r.stderr).toContain('handled l1\n');
      expect(r.stderr).toContain('loaded\n');
      expect(r.stderr).toContain('to stderr\n');
    }
  });
  it("run --format json: what a team's handler writes to process.stdout itself (a logger's own Console) goes to stderr too: it broke the JSON", () => {
    const r = geosim(['run', 'test/fixtures/user-apps/process-output.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain('{"level":"INFO","message":"handled","event":"o1"}\nraw line for o1\n');
  });
});
