import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWatchdog, syncLoopMessage } from '../../../src/sim/watchdog/index.js';

// A stuck slice ends the process, so every case that lets one happen runs in a child node. The
// child imports the module bundled once here (the child has no TypeScript loader).
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'geosim-watchdog-'));
  await build({
    entryPoints: [join(import.meta.dirname, '../../../src/sim/watchdog/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(dir, 'watchdog.mjs'),
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function child(name: string, body: string): { code: number | null; stdout: string; stderr: string } {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `import { startWatchdog } from './watchdog.mjs';\n${body}\n`);
  // A hang (the loop never stopped, or the worker kept the process alive) is killed and fails below.
  const result = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 15_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The seconds the watchdog reports the slice ran (its own wall-clock measure). */
function ranSeconds(stderr: string): number {
  const match = /the handler ran (\d+\.\d) s of wall-clock time without yielding \(a synchronous loop\?\)/.exec(stderr);
  if (!match) throw new Error(`no watchdog message in: ${stderr}`);
  return Number(match[1]);
}

describe('startWatchdog', () => {
  it('stops a synchronous loop in an async handler and ends the run with exit 2 (a limit, as --horizon), naming the slice', () => {
    const result = child(
      'loop',
      `const wd = startWatchdog({ limitMs: 500, flag: '--sync-limit' });
       setImmediate(async () => {
         await null;
         wd.enter('handler orders eu-west-1 evt-7');
         while (true) {}
       });`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('handler orders eu-west-1 evt-7: the handler ran');
    expect(result.stderr).toContain('the limit is 0.5 s (--sync-limit)');
    const ran = ranSeconds(result.stderr);
    expect(ran).toBeGreaterThanOrEqual(0.5);
    expect(ran).toBeLessThan(1.5);
    // Node's note about the watchdog's inspector session is not shown to the user.
    expect(result.stderr).not.toContain('debugger');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('lets slices shorter than the limit run, and the process exits on its own', () => {
    const result = child(
      'normal',
      `const wd = startWatchdog({ limitMs: 1000 });
       for (let i = 0; i < 100000; i++) { wd.enter('slice ' + i); wd.leave(); }
       wd.enter('slow but within the limit');
       const until = Date.now() + 300;
       while (Date.now() < until) {}
       wd.leave();
       // Idle longer than the limit outside any slice: nothing is stuck.
       setTimeout(() => console.log('done'), 1200);`,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('done\n');
    expect(result.code).toBe(0);
  });

  it('measures a nested slice as part of the outermost one', () => {
    const result = child(
      'nested',
      `const wd = startWatchdog({ limitMs: 300 });
       wd.enter('outer handler');
       wd.enter('inner timer callback');
       wd.leave();
       while (true) {}`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^outer handler: the handler ran/);
  });

  it('hands the overrun to onOverrun when given one', () => {
    const result = child(
      'custom',
      `const wd = startWatchdog({ limitMs: 300, onOverrun: (e) => { process.stdout.write(JSON.stringify({ name: e.name, label: e.label, code: e.exitCode, limit: e.limitMs })); process.exit(7); } });
       wd.enter('stream handler');
       for (;;) {}`,
    );
    expect(result.code).toBe(7);
    expect(JSON.parse(result.stdout)).toEqual({ name: 'SyncLoopError', label: 'stream handler', code: 2, limit: 300 });
  });

  it('serves consecutive runs from one thread: a watchdog started after others stopped still catches an overrun with its own limit', () => {
    const result = child(
      'consecutive',
      `for (let i = 0; i < 2; i++) {
         const done = startWatchdog({ limitMs: 5000 });
         done.enter('earlier run ' + i);
         done.leave();
         done.enter('left open');
         done.stop();
       }
       const wd = startWatchdog({ limitMs: 300, onOverrun: (e) => { process.stdout.write(e.label + ' ' + e.limitMs); process.exit(7); } });
       wd.enter('third run');
       const until = Date.now() + 5000;
       while (Date.now() < until) {}
       console.log('never stopped');`,
    );
    expect(result.stdout).toBe('third run 300');
    expect(result.code).toBe(7);
  });

  it.skipIf(process.platform !== 'linux')('starts one thread for many runs in turn, not one per run (skipped when not on Linux: counts /proc/self/task)', () => {
    const result = child(
      'one-thread',
      `import { readdirSync } from 'node:fs';
       const threads = () => readdirSync('/proc/self/task').length;
       startWatchdog({ limitMs: 5000 }).stop();
       const before = threads();
       for (let i = 0; i < 20; i++) { const wd = startWatchdog({ limitMs: 5000 }); wd.enter('run ' + i); wd.leave(); wd.stop(); }
       console.log(threads() - before);`,
    );
    expect(result.stderr).toBe('');
    expect(Number(result.stdout)).toBe(0);
  });

  it('gives a watchdog started while another runs a thread of its own: both watch', () => {
    const result = child(
      'overlapping',
      `const first = startWatchdog({ limitMs: 5000 });
       first.enter('first');
       first.leave();
       const second = startWatchdog({ limitMs: 300, onOverrun: (e) => { process.stdout.write(e.label); process.exit(7); } });
       second.enter('second');
       const until = Date.now() + 5000;
       while (Date.now() < until) {}
       console.log('never stopped');`,
    );
    expect(result.stdout).toBe('second');
    expect(result.code).toBe(7);
  });

  it('does nothing after stop(), and its thread does not keep the process alive', () => {
    const result = child(
      'stopped',
      `const wd = startWatchdog({ limitMs: 200 });
       wd.stop();
       wd.enter('after stop');
       const until = Date.now() + 600;
       while (Date.now() < until) {}
       wd.leave();
       console.log('finished');`,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('finished\n');
    expect(result.code).toBe(0);
  });

  it('starts and stops in this process; a stray leave() is ignored', () => {
    const watchdog = startWatchdog({ limitMs: 5000 });
    watchdog.leave();
    watchdog.enter('a');
    watchdog.leave();
    watchdog.stop();
    watchdog.stop();
  });

  it('refuses a limit that is not positive', () => {
    expect(() => startWatchdog({ limitMs: 0 })).toThrow('watchdog limit must be > 0 ms, got 0');
  });
});

describe('syncLoopMessage', () => {
  it('names the slice, the time, the limit and its flag', () => {
    expect(syncLoopMessage('handler orders us-east-1 evt-1', 5230, 5000, '--sync-limit')).toBe(
      'handler orders us-east-1 evt-1: the handler ran 5.2 s of wall-clock time without yielding (a synchronous loop?); ' +
        'geosim cannot interrupt it and stopped the run (the limit is 5.0 s (--sync-limit))',
    );
  });
});
