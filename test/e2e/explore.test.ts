import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// End-to-end: the built bin/geosim explore as a user runs it, for what only a real process shows:
// worker threads start from dist/, the exit code, no Node warnings, and the repro runs.
const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/geosim');
function geosim(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/geosim explore', () => {
  it('--workers 2 finds the planted race, writes a repro that geosim run fails the same way, exit 1', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'geosim-explore-e2e-'));
    const r = geosim(['explore', join(ROOT, 'test/fixtures/explore/retry-in-lag.yaml'), '--workers', '2'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^explored \d+ runs: 1 failed$/);
    const repro = /repro written to (\S+)/.exec(r.stdout)![1]!;
    const run = geosim(['run', repro, '--format', 'text'], cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAIL effects of key charge-1: expected 1, got 2');
  }, 120_000);
});
