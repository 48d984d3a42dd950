import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// bin/geosim runs the build's bundle of the CLI (scripts/bundle-cli.mjs; npm test builds first):
// the modules a start resolves say which code ran, and that the libraries every start needs come
// from the bundle, not from node_modules' many files (the start-up figure of bench/cli.mjs).
const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'geosim-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loadsOf(args: string[]): { status: number | null; stdout: string; urls: string[] } {
  const file = join(dir, `${args[0]}.txt`);
  const r = spawnSync(process.execPath, ['--import', './test/fixtures/loads/record.mjs', 'bin/geosim', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GEOSIM_LOADS: file } });
  return { status: r.status, stdout: r.stdout, urls: readFileSync(file, 'utf8').trim().split('\n') };
}

describe('bin/geosim runs the bundled CLI', () => {
  it('geosim run loads the bundle, not dist/cli/main.js, and no zod, yaml or commander from node_modules', () => {
    const { status, stdout, urls } = loadsOf(['run', 'scenarios/concurrent.yaml', '--format', 'text']);
    expect(status).toBe(0);
    expect(stdout).toContain('1 passed, 0 failed');
    expect(urls.some((u) => u.endsWith('/dist/bundle/geosim.js'))).toBe(true);
    expect(urls.filter((u) => u.includes('/dist/') && !u.includes('/dist/bundle/'))).toEqual([]);
    expect(urls.filter((u) => /node_modules\/(zod|yaml|commander|chalk|decimal\.js)\//.test(u))).toEqual([]);
  });

  it("an internal error's stack names geosim's source files, not the bundle's chunks", () => {
    const r = spawnSync(process.execPath, ['--import', './test/fixtures/internal-error/break-structured-clone.mjs', 'bin/geosim', 'run', 'examples/orders/fixed.yaml'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(70);
    expect(r.stderr).toContain('hit an internal error');
    expect(r.stderr).toMatch(/\n {4}at singleEvent \(src\/sim\/user-app\/event-shapes\.ts:\d+:\d+\)\n/);
    expect(r.stderr).not.toContain('dist/bundle/');
  });

  it('a command that needs more loads it as a chunk of the bundle (the Perfetto renderer)', () => {
    const { status, stdout, urls } = loadsOf(['run', 'scenarios/concurrent.yaml', '--format', 'perfetto']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('traceEvents');
    expect(urls.filter((u) => u.includes('/dist/') && !u.includes('/dist/bundle/'))).toEqual([]);
  });
});
