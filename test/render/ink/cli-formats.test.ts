import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The built bin/geosim, as a user runs it (npm test builds first). stdout is a pipe here. --step and
// --speed refusals run in-process in test/cli/run-command.test.ts.
function geosim(args: string[], env: Record<string, string | undefined> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, 'bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Reports every ink or react module the process resolves, on stderr.
const WATCH_INK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(s, c, n) {
  const r = await n(s, c);
  if (/\\\\/node_modules\\\\/(ink|react)\\\\//.test(r.url)) process.stderr.write('LOADED ' + r.url + '\\\\n');
  return r;
}\`));
`)}`;

describe('geosim run output formats', () => {
  it('--format pretty on a pipe prints the plain lane view, without escape codes', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml', '--format', 'pretty'], { FORCE_COLOR: '1', NO_COLOR: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/time │ us-east-1 +│ eu-west-1 +│ in flight +│ step/);
    expect(r.stdout).toMatch(/│ DISCARD ◂use1 │/);
    expect(r.stdout).not.toMatch(/\u001b/);
  });

  it('--format text loads neither ink nor react', () => {
    const r = geosim(['run', 'scenarios/concurrent.yaml', '--format', 'text'], {}, ['--import', WATCH_INK]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 passed, 0 failed');
    expect(r.stderr).not.toContain('LOADED');
  });

  it('the watcher above does see ink when the terminal view is imported', () => {
    // Guards the previous test: it must be able to fail.
    const r = spawnSync(process.execPath, ['--import', WATCH_INK, '-e', "await import('./dist/render/ink/render-pretty.js')", '--input-type=module'], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/LOADED .*node_modules\/ink\//);
  });
});
