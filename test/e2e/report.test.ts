import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// End-to-end: the built bin/geosim (npm test builds first) writing HTML reports as a user and a CI
// job run it: `geosim report` of one scenario and of several, and `geosim run --report-dir`.
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'geosim-e2e-report-'));
  dirs.push(d);
  return d;
}
function geosim(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** A scenario whose expectation fails: ORDER#1 ends shipped, not cancelled. */
const FAILING = readFileSync(join(import.meta.dirname, '../fixtures/report/failing.yaml'), 'utf8');

describe('bin/geosim report', () => {
  it('one scenario: report.html at -o, `wrote` and the closing line, exit 0, no warnings', () => {
    const out = join(tempDir(), 'concurrent.html');
    const r = geosim(['report', 'scenarios/concurrent.yaml', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${out}\n1 passed, 0 failed\n`);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('PASSED (');
  });

  it('several: a directory with a page each and index.html; a failed scenario exits 1', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'failing.yaml'), FAILING);
    const out = join(dir, 'report');
    const r = geosim(['report', 'scenarios/concurrent.yaml', join(dir, 'failing.yaml'), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed');
    expect(readdirSync(out).sort()).toEqual(['concurrent.html', 'failing.html', 'index.html']);
  });

  it("a scenario whose handler module cannot load is named on stderr; the other inputs are still reported (exit 2)", () => {
    const out = join(tempDir(), 'report');
    const missing = join(import.meta.dirname, '../fixtures/user-apps/missing-module.yaml');
    const r = geosim(['report', 'scenarios/concurrent.yaml', missing, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^.*missing-module\.yaml:2:24 error\[module-not-found\] .*no-such-handler\.ts/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
    // as run says it, so a log read from its end does not take the step for a clean pass
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('1 scenario file not run: fix the errors above');
    expect(readdirSync(out).sort()).toEqual(['concurrent.html', 'index.html']);
  });

  it('help names the command and its options', () => {
    const r = geosim(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-o, --out <path>');
    expect(r.stdout).toContain('--max-steps <n>');
  });
});

describe('bin/geosim run --report-dir', () => {
  it('a failing and a passing scenario: one report (the failed one) and the index; exit 1 as without it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'failing.yaml'), FAILING);
    const out = join(dir, 'reports');
    const r = geosim(['run', 'scenarios/concurrent.yaml', join(dir, 'failing.yaml'), '--report-dir', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`geosim: wrote 1 report to ${out}\n`);
    expect(readdirSync(out).sort()).toEqual(['failing.html', 'index.html']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<a href="failing.html">failing</a>');
  });

  it('a directory that cannot be written costs its exit code, not the run’s JSON document nor its closing line (they were lost)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'failing.yaml'), FAILING);
    writeFileSync(join(dir, 'a-file'), '');
    const out = join(dir, 'a-file', 'reports');
    const r = geosim(['run', join(dir, 'failing.yaml'), '--report-dir', out, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).scenarios[0].passed).toBe(false);
    expect(r.stderr).toMatch(/^0 passed, 1 failed\ngeosim run: cannot write .*: a part of the --report-dir path is a file, not a directory\n$/);
    const text = geosim(['run', join(dir, 'failing.yaml'), '--report-dir', out]);
    expect(text.stdout.endsWith('0 passed, 1 failed\n')).toBe(true);
  });

  it('all passed: nothing written, said on stderr, exit 0', () => {
    const out = join(tempDir(), 'reports');
    const r = geosim(['run', 'scenarios/concurrent.yaml', '--report-dir', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`geosim: every scenario passed; no report written to ${out}\n`);
    expect(() => readdirSync(out)).toThrow();
  });
});
