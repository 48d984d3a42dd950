import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
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

describe("the README's CI matrix for explore", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('every yaml block of the README parses (a workflow or scenario copied from it must load)', () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(3);
    for (const text of blocks) expect(() => parse(text), text.slice(0, 80)).not.toThrow();
  });

  const block = /```yaml\n(jobs:\n {2}explore:[\s\S]*?)```/.exec(readme)?.[1];

  it('is valid YAML whose explore command uses only flags geosim explore has', () => {
    expect(block).toBeDefined();
    const steps = (parse(block!) as { jobs: { explore: { steps: Array<Record<string, unknown>> } } }).jobs.explore.steps;
    const command = steps.map((s) => s.run).find((r): r is string => typeof r === 'string' && r.includes('geosim explore'))!;
    const help = geosim(['explore', '--help'], ROOT).stdout;
    for (const flag of command.match(/--[a-z-]+/g)!) expect(help, flag).toContain(flag);
    expect(existsSync(join(ROOT, command.split(' ')[3]!))).toBe(true);
  });

  it('uploads .geosim/ with include-hidden-files (upload-artifact 4.4+ skips hidden folders otherwise)', () => {
    const steps = (parse(block!) as { jobs: { explore: { steps: Array<{ uses?: string; with?: Record<string, unknown> }> } } }).jobs.explore.steps;
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.path === '.geosim/')!;
    expect(upload.with).toMatchObject({ path: '.geosim/', 'include-hidden-files': true });
  });

  it("uploads each shard's --format json summary, and a job after the matrix adds their sometimes hits up", () => {
    const jobs = (parse(block!) as { jobs: Record<string, { needs?: string; steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> }> }).jobs;
    const command = jobs.explore!.steps.map((s) => s.run).find((r) => r?.includes('geosim explore'))!;
    const summary = /--format json > (.+)$/.exec(command)?.[1];
    expect(summary).toBe('summary-${{ matrix.shard }}.json');
    expect(jobs.explore!.steps.some((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.path === summary)).toBe(true);
    expect(jobs.sometimes!.needs).toBe('explore');
    expect(jobs.sometimes!.steps.map((s) => s.run ?? '').join('\n')).toMatch(/jq -s .*\.sometimes\[\].*summary-\*\.json[\s\S]*jq -e 'all\(\.hits > 0\)'/);
  });
});
