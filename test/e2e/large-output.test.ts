import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Review finding 1: a valid scenario under 1 MB (one 350 KB attribute, then thousands of one-number
// updates) made `run` print every before/after in full and crash out of memory (exit 134, 4 GB).
// Each run here gets a heap of HEAP_MB: printing the trace in full needs far more than that, so
// memory that grows with the output would crash the run instead of passing.
const HEAP_MB = 192;
const BIG = 350_000;

function fatScenario(updates: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'geosim-fat-'));
  const file = join(dir, 'fat.yaml');
  const steps = [`  - { at: 0, put: { region: us-east-1, item: { Id: K, big: "${'x'.repeat(BIG)}", n: 1 } } }`];
  for (let i = 1; i <= updates; i++) steps.push(`  - { at: ${i * 100}, update: { region: us-east-1, id: K, add: { n: 1 } } }`);
  writeFileSync(
    file,
    `regions: [us-east-1, eu-west-1]\nreplication: { lag: { distribution: fixed, ms: 10 } }\nsteps:\n${steps.join('\n')}\nexpect:\n  items: { K: { n: ${updates + 1} } }\n`,
  );
  return file;
}

/** The built CLI with a bounded heap; stdout to a file, so the test process never holds it. */
function geosim(args: string[]): { code: number | null; stdout: string; stdoutBytes: number; tail: string; stderr: string } {
  const out = join(mkdtempSync(join(tmpdir(), 'geosim-out-')), 'stdout');
  const fd = openSync(out, 'w');
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, 'bin/geosim', ...args], {
    stdio: ['ignore', fd, 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    // (a 2-core machine busy with other test files took over 120 s for the largest run)
    timeout: 280_000,
  });
  closeSync(fd);
  const stdoutBytes = statSync(out).size;
  const tail = Buffer.alloc(Math.min(stdoutBytes, 400));
  const read = openSync(out, 'r');
  readSync(read, tail, 0, tail.length, stdoutBytes - tail.length);
  closeSync(read);
  return { code: r.status, stdout: stdoutBytes < 20_000_000 ? readFileSync(out, 'utf8') : '', stdoutBytes, tail: tail.toString('utf8'), stderr: r.stderr };
}

describe('a 350 KB attribute updated thousands of times (review finding 1)', () => {
  const updates = 2000; // as JSON about 2.8 GB: the local write and its replication carry the item before and after
  const file = fatScenario(updates);

  it('the file is a valid scenario under the 1 MB default', () => {
    expect(statSync(file).size).toBeLessThan(1_048_576);
  });

  it('--format text shows the long string by its start and length: a few MB, exit 0', () => {
    const r = geosim(['run', file, '--format', 'text']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdoutBytes).toBeLessThan(5_000_000);
    expect(r.stdout).toContain(`after  big=${'x'.repeat(40)}…(${BIG} chars) n=2`);
    expect(r.stdout).toContain(`after  big=${'x'.repeat(40)}…(${BIG} chars) n=${updates + 1}`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
  }, 300_000);

  it('--format json larger than --max-output-size (default 1GB): nothing written, exit 2 naming the flag', () => {
    const r = geosim(['run', file, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdoutBytes).toBe(0);
    expect(r.stderr).toMatch(/^geosim: the JSON output would be [\d.]+ ?[MG]B, larger than 1GB, so none was written; large items repeated in a long trace\? To allow more: --max-output-size \dGB\n$/);
  }, 300_000);

  it('--format json within the limit is streamed: a document larger than the heap, complete and valid', () => {
    const small = fatScenario(120); // about 170 MB of JSON
    const r = geosim(['run', small, '--format', 'json', '--max-output-size', '1GB']);
    expect(r.stderr).toBe('1 passed, 0 failed\n');
    expect(r.code).toBe(0);
    expect(r.stdoutBytes).toBeGreaterThan(HEAP_MB * 1_048_576 * 0.6);
    expect(r.stdoutBytes).toBeLessThan(250_000_000);
    // the document's end: the last scenario's verdict, closed
    expect(r.tail).toMatch(/"passed": true\n    }\n  ]\n}\n$/);
  }, 300_000);

  it('--max-output-size bounds text too, and takes GB', () => {
    const r = geosim(['run', file, '--format', 'text', '--max-output-size', '100KB']);
    expect(r.code).toBe(2);
    expect(r.stdoutBytes).toBe(0);
    // the hint is what the output needs through the scenario that crossed the limit (it doubled the limit, which was not enough)
    const hint = /^geosim: the text output would be ([\d.]+MB), larger than 100KB \(the output before \S+ was written, none after\).*To allow more: --max-output-size (\d+MB)\n$/.exec(r.stderr);
    expect(hint, r.stderr).not.toBeNull();
    expect(Number(hint![2]!.replace('MB', ''))).toBeGreaterThanOrEqual(Number(hint![1]!.replace('MB', '')));
    expect(geosim(['run', file, '--format', 'text', '--max-output-size', 'lots']).stderr).toContain('--max-output-size 4GB');
  }, 300_000);
});
