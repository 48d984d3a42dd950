import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The built bin/geosim, as a user runs it (npm test builds first). stdout is a pipe here. --step and
// --speed refusals run in-process in test/cli/run-command.test.ts.
function geosim(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Records every ink or react module the process resolves, one line each, in the file named by
// GEOSIM_TEST_LOADED. Module hooks run on their own thread: a write to stderr from there can be lost
// when the main thread exits first (seen on a loaded CI machine), so the hook appends to a file
// synchronously instead.
const WATCH_INK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`import { appendFileSync } from 'node:fs';
export async function resolve(s, c, n) {
  const r = await n(s, c);
  if (/\\\\/node_modules\\\\/(ink|react)\\\\//.test(r.url)) appendFileSync(process.env.GEOSIM_TEST_LOADED, 'LOADED ' + r.url + '\\\\n');
  return r;
}\`));
`)}`;

// Runs node with the watcher and returns what it recorded.
function loadedModules(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-loaded-'));
  const file = join(dir, 'loaded.txt');
  writeFileSync(file, '');
  try {
    const r = spawnSync(process.execPath, ['--import', WATCH_INK, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GEOSIM_TEST_LOADED: file },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded: readFileSync(file, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('geosim run output formats', () => {
  it('--format pretty on a pipe prints the plain lane view, without escape codes', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml', '--format', 'pretty'], { FORCE_COLOR: '1', NO_COLOR: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/time │ us-east-1 +│ eu-west-1 +│ in flight +│ step/);
    expect(r.stdout).toMatch(/│ DISCARD ◂use1 │/);
    expect(r.stdout).not.toMatch(/\u001b/);
  });

  it('--format text loads neither ink nor react', () => {
    const r = loadedModules(['bin/geosim', 'run', 'scenarios/concurrent.yaml', '--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 passed, 0 failed');
    expect(r.loaded).toBe('');
  });

  it('the watcher above does see ink when the terminal view is imported', () => {
    // Guards the previous test: it must be able to fail.
    const r = loadedModules(['--input-type=module', '-e', "await import('./dist/render/ink/render-pretty.js')"]);
    expect(r.code).toBe(0);
    expect(r.loaded).toMatch(/LOADED .*node_modules\/ink\//);
  });
});
