import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 14 item 7: the shipped explore scenarios each find a real hazard, and the shrunk repro
// committed next to each is exactly what `geosim explore` writes today (stale repros fail here, as
// stale diagrams do), and fails under `geosim run`.
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'geosim');
const DIR = 'scenarios/explore';
const scenarios = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith('.yaml') && !f.endsWith('.repro.yaml')).sort();

function geosim(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('scenarios/explore', () => {
  it('ships at least three, each with its repro', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(3);
    for (const f of scenarios) expect(readdirSync(join(ROOT, DIR))).toContain(f.replace(/\.yaml$/, '.repro.yaml'));
  });

  it.each(scenarios)('%s: explore finds the hazard and writes the committed repro, byte for byte', (file) => {
    // The same relative paths as in the repo (they are in the repro's header and token), in a
    // scratch directory, so the regressions explore saves stay out of the repo.
    const cwd = mkdtempSync(join(tmpdir(), 'geosim-explore-shipped-'));
    mkdirSync(join(cwd, DIR), { recursive: true });
    copyFileSync(join(ROOT, DIR, file), join(cwd, DIR, file));
    const repro = `${DIR}/${file.replace(/\.yaml$/, '.repro.yaml')}`;
    const r = geosim(['explore', `${DIR}/${file}`, '--repro', repro], cwd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^explored \d+ runs?: 1 failed$/);
    expect(readFileSync(join(cwd, repro), 'utf8'), `${repro} is stale: regenerate it with geosim explore ${DIR}/${file} --repro ${repro}`).toBe(readFileSync(join(ROOT, repro), 'utf8'));
  }, 120_000);

  it.each(scenarios)('%s: the committed repro is two steps and fails under geosim run with the failure it names', (file) => {
    const repro = `${DIR}/${file.replace(/\.yaml$/, '.repro.yaml')}`;
    const text = readFileSync(join(ROOT, repro), 'utf8');
    const named = /^# fails: (.*)$/m.exec(text)![1]!;
    const r = geosim(['run', repro, '--format', 'json'], ROOT);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { scenarios: Array<{ steps?: unknown; assertions: Array<{ source: string; name: string; passed: boolean }> }> };
    const failed = report.scenarios[0]!.assertions.find((a) => !a.passed)!;
    expect(named.startsWith(`${failed.source}: ${failed.name}`)).toBe(true);
    // The minimal form of each hazard: two concurrent writes, one in each region.
    expect(text.match(/^ {2}- at: /gm)).toHaveLength(2);
  }, 60_000);
});
