import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `geosim diagram --format spacetime` as a user runs it: the built bin/geosim (npm test builds first).
function geosim(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('geosim diagram --format spacetime', () => {
  it('writes <out>/<scenario>.spacetime.svg per scenario and nothing else, one "wrote" line each, exit 0', () => {
    const out = mkdtempSync(join(tmpdir(), 'geosim-spacetime-'));
    const r = geosim(['diagram', '--format', 'spacetime', 'scenarios/concurrent.yaml', 'scenarios/coalescing.yaml', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(out, 'concurrent.spacetime.svg')}\nwrote ${join(out, 'coalescing.spacetime.svg')}\n`);
    expect(readdirSync(out).sort()).toEqual(['coalescing.spacetime.svg', 'concurrent.spacetime.svg']);
    const svg = readFileSync(join(out, 'concurrent.spacetime.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="geosim-spacetime"/);
    expect(svg).toBe(readFileSync('diagrams/concurrent.spacetime.svg', 'utf8'));
  });

  it('draws a recorded run (.json) too, and --max-steps cuts it with a note', () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-spacetime-'));
    const json = geosim(['run', 'scenarios/concurrent.yaml', '--format', 'json']);
    expect(json.code).toBe(0);
    const file = join(dir, 'recorded.json');
    writeFileSync(file, json.stdout);
    const r = geosim(['diagram', '--format', 'spacetime', file, '--out', dir, '--max-steps', '5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(dir, 'recorded.spacetime.svg')}\n`);
    expect(readFileSync(join(dir, 'recorded.spacetime.svg'), 'utf8')).toContain('first 5 of 17 steps; raise with --max-steps');
  });

  it('exits 2 on a bad --max-steps, naming the flag', () => {
    const r = geosim(['diagram', '--format', 'spacetime', '--max-steps', '0', 'scenarios/concurrent.yaml', '--out', mkdtempSync(join(tmpdir(), 'geosim-spacetime-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--max-steps <n>' argument '0' is invalid");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when --max-steps is given to another format, which would ignore it', () => {
    const r = geosim(['diagram', '--max-steps', '5', 'scenarios/concurrent.yaml', '--out', mkdtempSync(join(tmpdir(), 'geosim-spacetime-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('geosim diagram: --max-steps limits the space-time diagram; use it with --format spacetime\n');
  });

  it('exits 2 on an invalid scenario and still draws the valid ones', () => {
    const out = mkdtempSync(join(tmpdir(), 'geosim-spacetime-'));
    const bad = join(out, 'bad.yaml');
    writeFileSync(bad, 'regions: [us-east-1]\nstepz: []\n');
    const r = geosim(['diagram', '--format', 'spacetime', bad, 'scenarios/concurrent.yaml', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:2:1');
    expect(readdirSync(out)).toContain('concurrent.spacetime.svg');
  });

  it('lists the format and an example in its help', () => {
    const r = geosim(['diagram', '--help']);
    expect(r.stdout).toContain('"spacetime"');
    expect(r.stdout).toContain('geosim diagram --format spacetime');
    expect(r.stdout).toContain('--max-steps <n>');
  });
});
