import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strategyChoices } from '../../src/compare/choices.js';
import { geosim, lastLine, ROOT, tempFile } from '../helpers/cli.js';

const SKEWED = 'test/fixtures/compare/skewed.yaml';

describe('geosim compare', { timeout: 30_000 }, () => {
  it('runs each strategy and prints one table, plain on a pipe, ending with the closing line; exit 0 though one failed', async () => {
    const r = await geosim(['compare', SKEWED, '--strategies', 'service-lww,client-lww,version']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(lastLine(r.stdout)).toBe('compared 3 combinations: 2 passed, 1 failed');
    const rows = r.stdout.split('\n');
    expect(rows.find((l) => l.startsWith('    every region'))).toMatch(/│ \{status: cancelled\} v1 by +│ \{status: shipped\} v1 by +│ \{status: cancelled\} v1 by/);
    expect(rows.find((l) => l.startsWith('assertions'))).toMatch(/│ 6\/6 passed +│ 4\/6 FAILED +│ 6\/6 passed$/);
    // version reads before it writes: one more round trip of requestLatency (20 ms) per event.
    expect(rows.find((l) => l.startsWith('latency p50'))).toMatch(/│ 20ms +│ 20ms +│ 40ms$/);
  });

  it('is deterministic: the same invocation prints the same bytes; --seed is every run\'s seed', async () => {
    const a = await geosim(['compare', SKEWED, '--strategies', 'service-lww,version', '--format', 'json', '--seed', '9']);
    const b = await geosim(['compare', SKEWED, '--strategies', 'service-lww,version', '--format', 'json', '--seed', '9']);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).seed).toBe(9);
    expect(a.stderr).toBe('compared 2 combinations: 2 passed, 0 failed\n');
  });

  it('without flags compares the scenario\'s own mode and strategy, the same run as geosim run', async () => {
    const r = await geosim(['compare', 'scenarios/concurrent.yaml', '--format', 'json']);
    const run = JSON.parse((await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'json'])).stdout).scenarios[0];
    const [only] = JSON.parse(r.stdout).combinations;
    expect([only.mode, only.strategy]).toEqual(['mrec', 'client-lww']);
    expect(only.final).toEqual(run.final);
    expect(only.assertions.total).toBe(run.assertions.length);
  });

  it('runs an alias and its strategy once, under the name given first, and labels a scenario’s own alias as geosim run prints it', async () => {
    const both = await geosim(['compare', 'scenarios/coalescing.yaml', '--strategies', 'service-lww,lww-item', '--format', 'json']);
    expect(JSON.parse(both.stdout).combinations.map((c: { strategy: string }) => c.strategy)).toEqual(['service-lww']);
    const own = await geosim(['compare', 'scenarios/coalescing.yaml', '--format', 'json']);
    const run = JSON.parse((await geosim(['run', 'scenarios/coalescing.yaml', '--format', 'json'])).stdout).scenarios[0];
    expect([JSON.parse(own.stdout).combinations[0].strategy, run.strategy]).toEqual(['service-lww', 'service-lww']);
  });

  it('a combination runs what geosim run runs for the scenario with that strategy written in', async () => {
    const text = readFileSync(join(ROOT, 'scenarios/concurrent.yaml'), 'utf8').replace('strategy: client-lww', 'strategy: version');
    const copy = tempFile('concurrent.yaml', text);
    const run = JSON.parse((await geosim(['run', copy, '--format', 'json'])).stdout).scenarios[0];
    const [, version] = JSON.parse((await geosim(['compare', 'scenarios/concurrent.yaml', '--strategies', 'client-lww,version', '--format', 'json'])).stdout).combinations;
    expect(version.strategy).toBe('version');
    expect(version.final).toEqual(run.final);
    expect(version.assertions.total).toBe(run.assertions.length);
    expect(version.endedAt).toBe(run.endedAt);
  });

  it('a terminal gets the pretty view, in colour unless NO_COLOR', async () => {
    const pretty = await geosim(['compare', SKEWED, '--strategies', 'service-lww,client-lww'], { tty: true });
    expect(pretty.stdout).toMatch(/\u001b\[/);
    expect(lastLine(pretty.stdout)).toBe('compared 2 combinations: 1 passed, 1 failed');
    const noColor = await geosim(['compare', SKEWED, '--strategies', 'service-lww,client-lww'], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
  });

  it('a narrow terminal gets no line wider than it (at 50 columns the table ran to 60, at 60 the title and seed lines overflowed); 80 columns print what they did', async () => {
    const args = ['compare', 'scenarios/concurrent.yaml', '--strategies', 'lww-item,counter,lww-attribute'];
    const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
    const shown = new Map<number, string>();
    for (const columns of [30, 40, 50, 60, 80]) {
      const r = await geosim(args, { columns });
      expect(r.code).toBe(0);
      shown.set(columns, plain(r.stdout));
      const lines = plain(r.stdout).split('\n');
      expect(lines.filter((line) => line.length > columns), `${columns} columns`).toEqual([]);
      // every combination is shown, however narrow
      for (const strategy of ['lww-item', 'counter', 'lww-attribute']) expect(plain(r.stdout)).toContain(strategy);
    }
    const witness = await geosim(['compare', 'scenarios/mrsc-witness-outage.yaml', '--strategies', 'lww-item,counter'], { columns: 60 });
    expect(plain(witness.stdout).split('\n').slice(0, 4)).toEqual(['━━ compare mrsc-witness-outage', '   (scenarios/mrsc-witness-outage.yaml)', '   seed 1 · regions us-east-1, us-east-2 + witness us-west-2', '   · 2 combinations']);
    // too narrow for a table beside its labels: each combination on its own, label: value
    const narrow = shown.get(30)!;
    expect(narrow).toContain('\nmrec · counter\n──────────────\nfinal items\n  ORDER#1\n    every region:\n');
    expect(narrow).toContain('\nlost writes: 0\n');
    expect(narrow).not.toContain('│');
    expect(lastLine(narrow)).toBe('passed, 0 failed');
    const at80 = shown.get(80)!.split('\n');
    expect(at80.slice(0, 6)).toEqual([
      '━━ compare concurrent  (scenarios/concurrent.yaml)',
      '   seed 1 · regions us-east-1, eu-west-1 · 3 combinations',
      '',
      '                 │ mrec               │ mrec               │ mrec',
      '                 │ lww-item           │ counter            │ lww-attribute',
      '─────────────────┼────────────────────┼────────────────────┼────────────────────',
    ]);
    expect(lastLine(at80.join('\n'))).toBe('compared 3 combinations: 3 passed, 0 failed');
  });

  it('is listed in --help; its own --help names the exit codes; no scenario is exit 2', async () => {
    expect((await geosim(['--help'])).stdout).toMatch(/^ {2}compare\b/m);
    const help = await geosim(['compare', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 the table was printed (whatever the assertions), 2 bad input');
    expect((await geosim(['compare'])).code).toBe(2);
  });

  it('an unknown strategy is exit 2 naming the valid ones, and nothing runs', async () => {
    const r = await geosim(['compare', SKEWED, '--strategies', 'service-lww,lww-everything']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`geosim: --strategies: unknown strategy "lww-everything"; valid: ${strategyChoices().join(', ')}\n`);
    // a near miss is named
    const near = await geosim(['compare', SKEWED, '--strategies', 'client-lw']);
    expect(near.stderr).toBe(`geosim: --strategies: unknown strategy "client-lw" (did you mean "client-lww"?); valid: ${strategyChoices().join(', ')}\n`);
  });

  it('a combination the loader refuses is exit 2 naming it, with the loader\'s message at a line of the user\'s file', async () => {
    const r = await geosim(['compare', 'examples/orders/lost-increments.yaml', '--strategies', 'version']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('geosim: compare: the combination mode mrec, strategy version is refused by the loader:\n');
    // strategy is not in the file (compare wrote it in): said at the application key, quoting no line of the file that is not there
    expect(r.stderr).toContain('examples/orders/lost-increments.yaml:14:1 error[built-in-only] application.strategy belongs to');
    expect(r.stderr).toContain('(the value compare wrote in)');
    expect(r.stderr).not.toContain('strategy: version\n');
    expect(lastLine(r.stderr)).toBe('geosim: compare: 1 of 1 combinations refused; nothing was run (choose others with --strategies and --modes)');
  });

  it('says a refused value on the user’s line is the one compare wrote in (the excerpt shows it, not the file’s)', async () => {
    const r = await geosim(['compare', 'scenarios/concurrent.yaml', '--strategies', 'custom']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scenarios/concurrent.yaml:14:13 error[custom-needs-merge] strategy custom merges concurrent versions with your function, and application.merge names none (the value compare wrote in)\n');
  });

  it('an invalid scenario is exit 2 with file:line:col, as geosim run reports it', async () => {
    const file = tempFile('bad.yaml', 'regions: [us-east-1, eu-west-1]\nstepz: []\n');
    const r = await geosim(['compare', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:1 error[unknown-key] unknown key "stepz" at the top level`);
    expect((await geosim(['compare', 'no/such.yaml'])).stderr).toBe('geosim: no/such.yaml: no such file\n');
    expect((await geosim(['compare', 'scenarios'])).stderr).toBe('geosim: scenarios: is a directory: compare runs one scenario file, each of its combinations\n');
  });

  it('a run stopped at a limit is exit 2 naming the flag, the table still printed', async () => {
    const r = await geosim(['compare', SKEWED, '--max-trace-events', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('to allow more: --max-trace-events');
    expect(r.stdout).toContain('stopped at its --max-trace-events limit');
  });
});
