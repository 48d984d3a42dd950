import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { geosim, lastLine, ROOT, tempFile as tempScenario } from '../helpers/cli.js';

// Issue 10 items 19 and 23 through main(argv, io), as a user runs `geosim run`.

const scenario = (lambda: string) => `regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
lambda: ${lambda}
faults:
  - { lambdaFailure: { event: e1 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: ORDER#1, data: { status: new } } }
`;

describe('a run that never ends (issue 10 item 19)', () => {
  it("refuses the issue's scenario (maximumRecordAge: 1e300) at load: exit 2, its position, the AWS limit", async () => {
    const file = tempScenario('forever.yaml', scenario('{ invocation: stream, maximumRecordAge: 1e300 }'));
    const r = await geosim(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3:49 error[wrong-value] lambda.maximumRecordAge: MaximumRecordAgeInSeconds is -1 (infinite) or 60s to 604800s (7 days) (AWS Lambda limit), found number 1e+300`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('ends a permanently failing stream record at the stream retention, within its AWS maximum age: the first retry due after 24 h finds it gone, exit 0', async () => {
    const r = await geosim(['run', tempScenario('week.yaml', scenario('{ invocation: stream, maximumRecordAge: 10080m }')), '--format', 'json']);
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout).scenarios[0];
    expect(run.stopped).toBeUndefined();
    // retries at most a minute apart (retryDelay doubled, capped): the one after 24 h discards it
    expect(run.endedAt).toBeGreaterThan(86_400_000);
    expect(run.endedAt).toBeLessThanOrEqual(86_400_000 + 60_000);
    expect(run.trace.at(-1)).toMatchObject({ kind: 'dead-lettered', t: run.endedAt });
  });

  it('stops at --horizon with exit 2, the timeline so far, and a message naming the flag', async () => {
    const file = tempScenario('week.yaml', scenario('{ invocation: stream, maximumRecordAge: 10080m }'));
    const r = await geosim(['run', file, '--horizon', '1h']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`geosim: ${file}: stopped with work still due at 3603s, more than the run's horizon of 1h after its last scripted step or fault (0ms); a retry that never ends? To run longer: --horizon 1d\n`);
    expect(r.stdout).toContain('FAIL run finished within its horizon (--horizon)');
    expect(lastLine(r.stdout)).toBe('0 passed, 1 failed');
  });

  it('stops at --max-trace-events with exit 2 and a message naming the flag', async () => {
    const file = tempScenario('storm.yaml', scenario('{ invocation: direct }').replace('lambda: { invocation: direct }', 'stepFunctions: { retry: { interval: 1s, maxAttempts: 99999999, backoffRate: 1 } }'));
    const r = await geosim(['run', file, '--max-trace-events', '500', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stopped at .* when the trace passed 500 events with work still due; a retry that never ends\? To allow more: --max-trace-events 1000\n/);
    expect(JSON.parse(r.stdout).scenarios[0].stopped).toMatchObject({ limit: 'trace-events', maxTraceEvents: 500 });
  });

  it('a run whose whole trace is exactly the limit passes: “at most N” holds (it stopped, with work left that traced nothing)', async () => {
    const events = JSON.parse((await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'json'])).stdout).scenarios[0].trace.length;
    const exact = await geosim(['run', 'scenarios/concurrent.yaml', '--max-trace-events', String(events), '--format', 'text']);
    expect(exact.code).toBe(0);
    expect(lastLine(exact.stdout)).toBe('1 passed, 0 failed');
    const under = await geosim(['run', 'scenarios/concurrent.yaml', '--max-trace-events', String(events - 1), '--format', 'text']);
    expect(under.code).toBe(2);
    expect(under.stdout).toContain(`got "more than ${events - 1} trace events, with work still due"`);
  });

  it('a stopped run does not claim replication drained: its final items say where it stopped', async () => {
    const stopped = await geosim(['run', 'scenarios/concurrent.yaml', '--max-trace-events', '10', '--format', 'text']);
    expect(stopped.stdout).toContain('final items (when the run stopped at 100ms, at --max-trace-events, replication not drained)');
    expect(stopped.stdout).not.toContain('drained at');
    const whole = await geosim(['run', 'scenarios/concurrent.yaml', '--format', 'text']);
    expect(whole.stdout).toMatch(/final items \(after replication drained at /);
  });

  it('refuses a bad --horizon or --max-trace-events value (exit 2)', async () => {
    for (const value of ['0', '-1d', '1y', '36501d', 'soon']) {
      const r = await geosim(['run', 'scenarios/concurrent.yaml', '--horizon', value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('e.g. --horizon 7300d');
    }
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--max-trace-events', '0'])).code).toBe(2);
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--horizon', '90d'])).code).toBe(0);
  });

  it('--horizon takes a time as a scenario writes one: a space before the unit (it was refused), or plain ms (the message said a unit was needed)', async () => {
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--horizon', '2 s'])).code).toBe(0);
    expect((await geosim(['run', 'scenarios/concurrent.yaml', '--horizon', '2000'])).code).toBe(0);
    const bad = await geosim(['run', 'scenarios/concurrent.yaml', '--horizon', 'soon']);
    expect(bad.stderr).toContain('expected a virtual time more than 0 and at most 36500d: a number of ms, or with a unit (ms, s, m, h, d), e.g. --horizon 7300d');
  });
});

describe('shipped scenarios do not depend on the seed (issue 10 item 23)', () => {
  it.each([2, 42])('geosim run scenarios --seed %i passes', async (seed) => {
    const r = await geosim(['run', 'scenarios', '--seed', String(seed), '--format', 'json']);
    expect(r.stderr).toMatch(/^\d+ passed, 0 failed\n$/);
    expect(r.code).toBe(0);
  });
});

describe('--max-output-size for text', () => {
  it('on several scenarios suggests what the whole output needs, measuring the scenarios after the limit without writing them (it took a try per scenario)', async () => {
    const small = await geosim(['run', 'scenarios', '--format', 'text', '--max-output-size', '100KB']);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/\(the output before scenarios\/\S+\.yaml was written, none after\)/);
    expect(Buffer.byteLength(small.stdout)).toBeLessThanOrEqual(100 * 1024);
    const suggested = /To allow more: --max-output-size (\d+KB)\n$/.exec(small.stderr)?.[1];
    const again = await geosim(['run', 'scenarios', '--format', 'text', '--max-output-size', suggested!]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('suggests a size that is enough for the scenario that crossed it (it doubled the limit: 2KB, then 4KB, for 6KB of output)', async () => {
    const small = await geosim(['run', 'scenarios/concurrent.yaml', '--max-output-size', '1KB']);
    expect(small.code).toBe(2);
    const suggested = /To allow more: --max-output-size (\d+KB)\n$/.exec(small.stderr)?.[1];
    expect(suggested, small.stderr).toBeDefined();
    const again = await geosim(['run', 'scenarios/concurrent.yaml', '--max-output-size', suggested!]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/1 passed, 0 failed\n$/);
  });
});


describe('a handler stuck past --sync-limit among several scenarios', () => {
  // It ends geosim from inside the loop (process.exit), so geosim runs in a process of its own: a
  // scenario that passes, one whose handler never yields, and one after it that never runs.
  const outputs = new Map<string, { code: number; stdout: string; stderr: string }>();
  const SYNC_MESSAGE = /^\.\/spins\.mjs#handler in us-east-1 \(s1\): the handler ran [\d.]+ s of wall-clock time without yielding \(a synchronous loop\?\); geosim cannot interrupt it and stopped the run \(the limit is 1\.0 s \(--sync-limit\)\)\n/;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-sync-limit-'));
    copyFileSync(join(ROOT, 'scenarios/concurrent.yaml'), join(dir, 'a-first.yaml'));
    // no imports: its module scope takes no time, so the loop is what the watchdog stops
    writeFileSync(join(dir, 'spins.mjs'), 'export const handler = async () => {\n  for (;;) {}\n};\n');
    writeFileSync(join(dir, 'b-spins.yaml'), 'name: spins\nregions: [us-east-1, eu-west-1]\napplication: { module: ./spins.mjs }\nsteps:\n  - { at: 0, event: { id: s1, region: us-east-1, key: s1, item: "ITEM#s1", data: { n: 1 } } }\n');
    copyFileSync(join(ROOT, 'scenarios/concurrent.yaml'), join(dir, 'c-after.yaml'));
    // the three formats side by side: each waits out the limit
    await Promise.all(
      ['json', 'perfetto', 'text'].map(
        (format) =>
          new Promise<void>((resolve) => {
            execFile(process.execPath, [join(ROOT, 'bin/geosim'), 'run', '.', '--format', format, '--sync-limit', '1s'], { cwd: dir, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
              outputs.set(format, { code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, stdout, stderr });
              resolve();
            });
          }),
      ),
    );
  }, 90_000);

  it('--format json prints the scenarios that ran, the stuck one stopped at sync-limit as at another limit, the rest not run (stdout was empty)', () => {
    const r = outputs.get('json')!;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(SYNC_MESSAGE);
    expect(r.stderr).toMatch(/\ngeosim: 1 scenario after b-spins\.yaml not run: --sync-limit stopped geosim\n1 passed, 1 failed\n$/);
    const doc = JSON.parse(r.stdout);
    expect([doc.passed, doc.failed]).toEqual([1, 1]);
    expect(doc.notRun).toEqual([{ file: 'c-after.yaml', why: 'not run: a handler in b-spins.yaml ran past --sync-limit, which stopped geosim' }]);
    expect(doc.scenarios.map((s: { scenario: { file: string }; passed: boolean }) => [s.scenario.file, s.passed])).toEqual([
      ['a-first.yaml', true],
      ['b-spins.yaml', false],
    ]);
    const stuck = doc.scenarios[1];
    expect(stuck.stopped).toEqual({ limit: 'sync-limit', at: 0, syncLimit: 1000, handler: './spins.mjs#handler in us-east-1 (s1)' });
    // its trace so far, and one failed assertion naming the flag instead of the end-of-run ones
    expect(stuck.trace.map((e: { kind: string }) => e.kind)).toContain('client-event');
    expect(stuck.assertions).toEqual([expect.objectContaining({ name: 'handler yielded within its sync limit (--sync-limit)', source: 'limit', passed: false })]);
  });

  it('the JSON document is a recording geosim report reads back, the stuck run drawn as it stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-sync-limit-report-'));
    writeFileSync(join(dir, 'rec.json'), outputs.get('json')!.stdout);
    const r = await geosim(['report', 'rec.json', '-o', 'out/'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('wrote out/a-first.html\nwrote out/b-spins.html\nwrote out/index.html\n1 passed, 1 failed\n');
  });

  it('--format perfetto prints the runs too, the stuck one marked stopped', () => {
    const r = outputs.get('perfetto')!;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(SYNC_MESSAGE);
    const { otherData } = JSON.parse(r.stdout);
    expect([otherData.passed, otherData.failed]).toEqual([1, 1]);
    expect(otherData.scenarios.map((s: { name: string; passed: boolean; stopped?: string }) => [s.name, s.passed, s.stopped])).toEqual([
      ['concurrent', true, undefined],
      ['spins', false, 'sync-limit'],
    ]);
  });

  it('--format text prints the stuck scenario as it stood and the closing line after the one before it (both were missing)', () => {
    const r = outputs.get('text')!;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(SYNC_MESSAGE);
    expect(r.stdout).toContain('━━ concurrent  (a-first.yaml)');
    expect(r.stdout).toContain('━━ spins  (b-spins.yaml)');
    expect(r.stdout).not.toContain('c-after.yaml');
    expect(r.stdout).toContain('final items (when the run stopped at 0ms, at --sync-limit, replication not drained)');
    expect(r.stdout).toContain('FAIL handler yielded within its sync limit (--sync-limit)');
    expect(lastLine(r.stdout)).toBe('1 passed, 1 failed');
  });
});
