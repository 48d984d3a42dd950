import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reportNames } from '../../src/pipeline/report.js';
import type { RunReport } from '../../src/trace/report.js';
import { damagedRecording } from '../helpers/damaged-recording.js';
import { geosim, lastLine } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'geosim-report-'));
  dirs.push(d);
  return d;
}
/** A scenario whose expectation fails: ORDER#1 ends shipped, not cancelled. */
const FAILING = readFileSync(join(import.meta.dirname, '../fixtures/report/failing.yaml'), 'utf8');

describe('geosim report', () => {
  it('one scenario: -o is the HTML file, `wrote` and the closing line on stdout, exit 0', async () => {
    const out = join(tempDir(), 'r.html');
    const r = await geosim(['report', 'scenarios/concurrent.yaml', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${out}\n1 passed, 0 failed\n`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h1>concurrent</h1>');
    expect(html).toContain('id="rp-mermaid-bundle"');
  });

  it('--seed beside a recorded run says it does not apply to the recording (it was silently ignored), for report and diagram alike', async () => {
    const cwd = tempDir();
    const recorded = await geosim(['run', join(import.meta.dirname, '../../scenarios/concurrent.yaml'), '--format', 'json'], { cwd });
    writeFileSync(join(cwd, 'one.json'), recorded.stdout);
    const report = await geosim(['report', 'one.json', '--seed', '5', '-o', 'a.html'], { cwd });
    expect(report.code).toBe(0);
    expect(report.stderr).toBe('geosim: --seed 5 does not apply to one.json: a recorded run is drawn as it ran, with its own seed\n');
    const diagram = await geosim(['diagram', 'one.json', '--seed', '5', '--format', 'spacetime', '--out', 'd'], { cwd });
    expect(diagram.code).toBe(0);
    expect(diagram.stderr).toContain('--seed 5 does not apply to one.json');
    // without --seed, nothing to say
    expect((await geosim(['report', 'one.json', '-o', 'b.html'], { cwd })).stderr).toBe('');
  });

  it('one scenario without -o writes report.html in the working directory', async () => {
    const cwd = tempDir();
    const r = await geosim(['report', join(import.meta.dirname, '../../scenarios/concurrent.yaml')], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('wrote report.html\n1 passed, 0 failed\n');
    expect(readdirSync(cwd)).toEqual(['report.html']);
  });

  it('several scenarios: -o is a directory with <scenario>.html each and index.html; a failed one exits 1', async () => {
    const dir = tempDir();
    const failing = join(dir, 'failing.yaml');
    writeFileSync(failing, FAILING);
    const out = join(dir, 'out');
    const r = await geosim(['report', 'scenarios/concurrent.yaml', failing, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`wrote ${join(out, 'concurrent.html')}\nwrote ${join(out, 'failing.html')}\nwrote ${join(out, 'index.html')}\n1 passed, 1 failed\n`);
    expect(readdirSync(out).sort()).toEqual(['concurrent.html', 'failing.html', 'index.html']);
    expect(readFileSync(join(out, 'failing.html'), 'utf8')).toMatch(/rp-verdict rp-fail" id="rp-verdict">FAILED: \d+ of \d+ assertions failed/);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<a href="failing.html">failing</a>');
    expect(index).toContain('<li>us-east-1 ORDER#1</li>');
  });

  it('a directory of one scenario is the several-reports layout (report/ by default)', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'in'));
    writeFileSync(join(cwd, 'in', 'failing.yaml'), FAILING);
    const r = await geosim(['report', 'in'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`wrote ${join('report', 'failing.html')}\nwrote ${join('report', 'index.html')}\n0 passed, 1 failed\n`);
  });

  it('several runs with -o x.html: exit 2, -o must name a directory, nothing written', async () => {
    const dir = tempDir();
    const r = await geosim(['report', 'scenarios/concurrent.yaml', 'scenarios/coalescing.yaml', '-o', join(dir, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-o .*x\.html names one file, but several inputs give several reports; -o must name a directory/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an empty -o (an unset shell variable) is exit 2, not a report in the working directory', async () => {
    const cwd = tempDir();
    const r = await geosim(['report', join(process.cwd(), 'scenarios/concurrent.yaml'), '-o', ''], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '-o, --out <path>' argument '' is invalid. expected a path, got an empty value");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a bad scenario: exit 2, said on stderr, the others still reported', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nregions: [us-east-1]\nsteps: nope\n');
    const out = join(dir, 'out');
    const r = await geosim(['report', bad, 'scenarios/concurrent.yaml', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml');
    expect(readdirSync(out).sort()).toEqual(['concurrent.html', 'index.html']);
    expect(lastLine(r.stdout)).toBe('1 passed, 0 failed');
  });

  it('recorded runs: a .json of several runs gives one report each; the same scenario twice gets -2', async () => {
    const dir = tempDir();
    const recorded = await geosim(['run', 'scenarios/concurrent.yaml', 'scenarios/coalescing.yaml', '--format', 'json']);
    expect(recorded.code).toBe(0);
    const json = join(dir, 'runs.json');
    writeFileSync(json, recorded.stdout);
    const out = join(dir, 'out');
    const r = await geosim(['report', json, 'scenarios/concurrent.yaml', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['coalescing.html', 'concurrent-2.html', 'concurrent.html', 'index.html']);
    expect(lastLine(r.stdout)).toBe('3 passed, 0 failed');
    // The recorded run and the fresh one are the same run: the same page.
    expect(readFileSync(join(out, 'concurrent.html'), 'utf8')).toBe(readFileSync(join(out, 'concurrent-2.html'), 'utf8'));
  });

  it('a .json that is not a geosim trace is bad input (exit 2)', async () => {
    const dir = tempDir();
    const json = join(dir, 'x.json');
    writeFileSync(json, '{"hello": 1}');
    const r = await geosim(['report', json, '-o', join(dir, 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a geosim trace');
  });

  describe('a recorded run with a damaged event', () => {
    it.each<[string, (trace: Record<string, unknown>[]) => void, string]>([
      ['a local-write without its version', (trace) => delete trace[1]!.version, 'scenarios[0].trace[1] (local-write): version is missing'],
      ['a replication-sent without its arrivesAt', (trace) => delete trace[2]!.arrivesAt, 'scenarios[0].trace[2] (replication-sent): arrivesAt is missing'],
      ['a local-write with a number for its item', (trace) => (trace[1]!.after = 7), 'scenarios[0].trace[1] (local-write): after must be an item (an object), not the number 7'],
      ['an unknown kind', (trace) => (trace[2]!.kind = 'bogus'), 'scenarios[0].trace[2]: unknown event kind "bogus" (a recording from a newer geosim?)'],
    ])('%s: exit 2, the file and the event named, no stack, nothing written', async (_, damage, words) => {
      const dir = tempDir();
      const bad = await damagedRecording(dir, damage);
      const r = await geosim(['report', bad, '-o', `${join(dir, 'r')}/`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`geosim: ${bad}: not a geosim trace: ${words}\n1 scenario file not run: fix the errors above\n`);
      expect(r.stdout).toBe('0 passed, 0 failed\n');
      expect(readdirSync(dir)).toEqual(['bad.json']);
    });

    it('beside a good scenario: refused before any page is written; the good one gets its page and the index, exit 2', async () => {
      // It crashed after writing the good run's page, leaving a directory without its index.
      const dir = tempDir();
      const bad = await damagedRecording(dir, (trace) => delete trace[1]!.version);
      const out = join(dir, 'r');
      const r = await geosim(['report', 'scenarios/concurrent.yaml', bad, '-o', `${out}/`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`geosim: ${bad}: not a geosim trace: scenarios[0].trace[1] (local-write): version is missing\n1 scenario file not run: fix the errors above\n`);
      expect(r.stdout).toBe(`wrote ${join(out, 'concurrent.html')}\nwrote ${join(out, 'index.html')}\n1 passed, 0 failed\n`);
      expect(readdirSync(out).sort()).toEqual(['concurrent.html', 'index.html']);
      expect(readFileSync(join(out, 'index.html'), 'utf8')).not.toContain('bad');
    });
  });

  it('a file that cannot be written is the environment (exit 3)', async () => {
    // A non-empty directory where a report goes: the rename onto it fails (root can write anywhere else).
    const out = tempDir();
    mkdirSync(join(out, 'concurrent.html', 'inside'), { recursive: true });
    const r = await geosim(['report', 'scenarios/concurrent.yaml', 'scenarios/coalescing.yaml', '-o', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`geosim report: cannot write ${join(out, 'concurrent.html')}`);
  });

  it('an -o under a file is bad input (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), '');
    const r = await geosim(['report', 'scenarios/concurrent.yaml', '-o', join(dir, 'f', 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a part of the -o path is a file');
  });
});

describe('geosim run --report-dir', () => {
  it('writes a report per failed scenario and an index; the exit code stays the run’s', async () => {
    const dir = tempDir();
    const failing = join(dir, 'failing.yaml');
    writeFileSync(failing, FAILING);
    const out = join(dir, 'reports');
    const r = await geosim(['run', 'scenarios/concurrent.yaml', failing, '--format', 'text', '--report-dir', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`geosim: wrote 1 report to ${out}\n`);
    expect(readdirSync(out).sort()).toEqual(['failing.html', 'index.html']);
    expect(lastLine(r.stdout)).toBe('1 passed, 1 failed');
  });

  it('a DIR that runs into a file is said with --report-dir and the run command (exit 2)', async () => {
    const dir = tempDir();
    const failing = join(dir, 'failing.yaml');
    writeFileSync(failing, FAILING);
    writeFileSync(join(dir, 'f'), '');
    const r = await geosim(['run', failing, '--format', 'text', '--report-dir', join(dir, 'f', 'reports')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^geosim run: cannot write .*: a part of the --report-dir path is a file, not a directory$/m);
  });

  it('all passed: nothing written, and it says so', async () => {
    const out = join(tempDir(), 'reports');
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'json', '--report-dir', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`geosim: every scenario passed; no report written to ${out}`);
    expect(() => readdirSync(out)).toThrow();
  });
});

describe('reportNames', () => {
  const named = (file: string): RunReport => ({ scenario: { name: 'x', file } }) as RunReport;
  it('takes the file name, keeps it safe, suffixes repeats (without case) and keeps index free', () => {
    expect(reportNames([named('a/x.yaml'), named('b/x.yaml'), named('X.yaml'), named('index.yaml'), named('../../evil <name>.yaml'), named('.hidden.yaml')])).toEqual([
      'x',
      'x-2',
      'X-3',
      'index-2',
      'evil-name',
      'hidden',
    ]);
  });
});
