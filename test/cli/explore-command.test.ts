import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import { durationMs } from '../../src/scenario/schema.js';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { geosim, lastLine, ROOT } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/explore');
const fixture = (name: string) => join(FIXTURES, `${name}.yaml`);
const tempCwd = () => mkdtempSync(join(tmpdir(), 'geosim-explore-'));
const tokenOf = (stdout: string) => /replay: +geosim explore --replay (gx1\.\S+)/.exec(stdout)?.[1];
const reproOf = (stdout: string) => /repro written to (\S+)/.exec(stdout)?.[1];

// Each test runs the model hundreds of times: on a loaded 2-core machine that can take more than the default 20 s.
describe('geosim explore', { timeout: 60_000 }, () => {
  it('finds planted race (a), shrinks it to its minimal form, writes a repro that fails the same way', async () => {
    const cwd = tempCwd();
    const r = await geosim(['explore', fixture('retry-in-lag')], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL run \d+: effects of key charge-1: expected 1, got 2/);
    expect(lastLine(r.stdout)).toMatch(/^explored \d+ runs: 1 failed$/);
    const path = reproOf(r.stdout)!;
    expect(path).toMatch(/^\.geosim\/repro\/retry-in-lag-[0-9a-f]{8}\.yaml$/);
    const repro = parse(readFileSync(join(cwd, path), 'utf8')) as Record<string, unknown>;
    // The minimal form: two steps, the charge in us-east-1 at 0 and its retry in eu-west-1 at 0,
    // before the charge's idempotency record has replicated; charge-2 at 6m played no part.
    const steps = repro.steps as Array<Record<string, { region?: string; of?: string }> & { at: number }>;
    expect(steps.map((s) => [s.at, Object.keys(s).find((k) => k !== 'at')])).toEqual([[0, 'event'], [0, 'retry']]);
    expect(steps[1]!.retry!.region).toBe('eu-west-1');
    expect(r.stdout).toContain(`  run it:  geosim run ${path}`);
    const run = await geosim(['run', path, '--format', 'json'], { cwd });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout).scenarios[0];
    expect(report.assertions.find((a: { passed: boolean }) => !a.passed).name).toBe('effects of key charge-1');
  });

  it('a step the scenario fixes in time stays at its time in the repro: only drawn times move, no earlier than their range (it moved a charge at 2s to 1201 ms)', async () => {
    const cwd = tempCwd();
    const text = readFileSync(fixture('retry-in-lag'), 'utf8').replace('  - at: 0\n    event: { id: charge-1', '  - at: 2s\n    event: { id: charge-1').replace('between: [0, 5m]', 'between: [1s, 5m]');
    writeFileSync(join(cwd, 'late.yaml'), text);
    const r = await geosim(['explore', 'late.yaml'], { cwd });
    expect(r.code).toBe(1);
    const repro = parse(readFileSync(join(cwd, reproOf(r.stdout)!), 'utf8')) as { steps: Array<{ at: number | string; event?: { id: string }; retry?: unknown }> };
    // the charge where the scenario has it; its retry drawn inside the record's replication window after it
    expect(repro.steps.map((s) => [durationMs(s.at), s.event !== undefined ? 'event' : 'retry'])).toEqual([[2000, 'event'], [2000, 'retry']]);
  });

  it('a scenario whose runs cannot differ (no range, explore.lags and explore.simultaneous false) runs once and says why (it ran the same run 500 times)', async () => {
    const cwd = tempCwd();
    const text = readFileSync(fixture('correct-design'), 'utf8').replace(/between: \[0, 2s\]/g, 'between: [0, 0]').replace('at: { between: [0, 0] }', 'at: 0').replace('at: { between: [0, 0] }', 'at: 10ms');
    writeFileSync(join(cwd, 'fixed.yaml'), `${text}explore: { lags: false, simultaneous: false }\n`);
    const r = await geosim(['explore', 'fixed.yaml', '--runs', '500'], { cwd });
    expect(r.stdout).toContain('nothing varies between runs (no range, explore.lags and explore.simultaneous false): one run is the whole search\n');
    expect(lastLine(r.stdout)).toMatch(/^explored 1 run: 0 failed\b/);
    // one range is enough for runs to differ
    writeFileSync(join(cwd, 'ranged.yaml'), `${text.replace('at: 10ms', 'at: { between: [0, 10ms] }')}explore: { lags: false, simultaneous: false }\n`);
    const ranged = await geosim(['explore', 'ranged.yaml', '--runs', '50'], { cwd });
    expect(ranged.stdout).not.toContain('nothing varies');
    expect(lastLine(ranged.stdout)).toMatch(/^explored 50 runs: 0 failed\b/);
  });

  it('an item’s failure shrinks to a repro that keeps how the write was lost: the skew and the refused write, with its data', async () => {
    const cwd = tempCwd();
    const r = await geosim(['explore', fixture('skewed-cancel')], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('fails: expectation: ORDER (held {"Data":{"status":"placed"}}, after a refused write)');
    // one failure, whichever regions show the item wrong
    expect(lastLine(r.stdout)).toMatch(/^explored \d+ runs?: 1 failed$/);
    const repro = parse(readFileSync(join(cwd, reproOf(r.stdout)!), 'utf8')) as { faults: Array<{ clockSkew?: { skew: number } }>; steps: Array<{ event: { region: string; data: unknown } }> };
    expect(repro.faults.map((f) => f.clockSkew?.skew ?? 0)[0]).toBeLessThan(0);
    expect(repro.steps.map((s) => [s.event.region, s.event.data])).toEqual([
      ['us-east-1', { status: 'placed' }],
      ['eu-west-1', { status: 'cancelled' }],
    ]);
  });

  it('--keep-going reports every assertion that failed, one that only fails beside another too; each repro fails no assertion its run passed', async () => {
    const cwd = tempCwd();
    const r = await geosim(['explore', fixture('two-assertions'), '--keep-going', '--runs', '200', '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { failures: Array<{ signature: string; run: number; reproFile: string }> };
    expect(summary.failures.map((f) => f.signature)).toEqual(['expectation: count discardedWrites (above)', 'expectation: effects of key payment-1 (above)']);
    expect(summary.failures[0]!.run).toBe(summary.failures[1]!.run);
    // each failure is told on stderr as it is found and as its shrink starts, with its replay: a job
    // killed before the summary keeps them (JSON mode said nothing until the end)
    const told = r.stderr.split('\n');
    for (const f of summary.failures as Array<{ signature: string; run: number; token: string }>) {
      expect(told).toContain(`found at run ${f.run}: ${f.signature}; replay: geosim explore --replay ${f.token} (shrunk when the search ends)`);
      expect(told.some((line) => line.startsWith(`FAIL run ${f.run}: `) && line.endsWith(`; replay: geosim explore --replay ${f.token}`))).toBe(true);
    }
    for (const f of summary.failures) {
      const run = JSON.parse((await geosim(['run', f.reproFile, '--format', 'json'], { cwd })).stdout).scenarios[0] as { assertions: Array<{ source: string; passed: boolean }> };
      // the invariant the effects expectation stands for does not fail: a repro that drops that expectation would fail it
      const failed = run.assertions.filter((a) => !a.passed).map((a) => a.source);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((source) => source === 'expectation')).toBe(true);
    }
  });

  it('pins a Lambda failure’s chance in the repro when it fails as well with every matching attempt failing', async () => {
    const cwd = tempCwd();
    const r = await geosim(['explore', fixture('flaky-lambda')], { cwd });
    expect(r.code).toBe(1);
    const repro = parse(readFileSync(join(cwd, reproOf(r.stdout)!), 'utf8')) as { faults: Array<{ lambdaFailure: Record<string, unknown> }> };
    expect(repro.faults[0]!.lambdaFailure.probability).toBeUndefined();
    // it fails under any seed now: the choice is in the file
    expect((await geosim(['run', reproOf(r.stdout)!, '--seed', '2'], { cwd })).code).toBe(1);
  });

  it('MRSC: a stale eventual read in the replica that did not confirm the write is found, and its repro (lags pinned, round trips included) fails the same way', async () => {
    const cwd = tempCwd();
    const r = await geosim(['explore', fixture('mrsc-stale-read'), '--no-shrink'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL run \d+: read us-west-2 K \(eventual\)/);
    const path = reproOf(r.stdout)!;
    const repro = parse(readFileSync(join(cwd, path), 'utf8')) as { replication: { links: Array<{ from: string; to: string; lag: { distribution: string; ms: number[] } }> } };
    // each link's lags pinned: a round trip's legs and the third replica's copy alike
    expect(repro.replication.links.every((l) => l.lag.distribution === 'sequence')).toBe(true);
    const run = await geosim(['run', path, '--format', 'json'], { cwd });
    expect(run.code).toBe(1);
    const failed = (JSON.parse(run.stdout) as { scenarios: Array<{ assertions: Array<{ name: string; passed: boolean; actual: unknown }> }> }).scenarios[0]!.assertions.filter((a) => !a.passed);
    expect(failed).toMatchObject([{ name: 'read us-west-2 K (eventual)', actual: null }]);
  });

  it('the same invocation twice finds the same first failure and writes the same repro bytes', async () => {
    const [a, b] = [tempCwd(), tempCwd()];
    const first = await geosim(['explore', fixture('retry-in-lag'), '--seed', '9'], { cwd: a });
    const second = await geosim(['explore', fixture('retry-in-lag'), '--seed', '9'], { cwd: b });
    expect(first.stdout.match(/FAIL run \d+/)![0]).toBe(second.stdout.match(/FAIL run \d+/)![0]);
    const path = reproOf(first.stdout)!;
    expect(reproOf(second.stdout)).toBe(path);
    expect(readFileSync(join(b, path), 'utf8')).toBe(readFileSync(join(a, path), 'utf8'));
  });

  it('--workers 2 finds the same first failure and repro as one worker', async () => {
    const [a, b] = [tempCwd(), tempCwd()];
    const one = await geosim(['explore', fixture('retry-in-lag'), '--seed', '4'], { cwd: a });
    const two = await geosim(['explore', fixture('retry-in-lag'), '--seed', '4', '--workers', '2'], { cwd: b });
    expect(two.code).toBe(1);
    expect(lastLine(two.stdout)).toBe(lastLine(one.stdout));
    expect(readFileSync(join(b, reproOf(two.stdout)!), 'utf8')).toBe(readFileSync(join(a, reproOf(one.stdout)!), 'utf8'));
  });

  it('--replay TOKEN reruns the run the token names, and writes the same repro', async () => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, 'race.yaml'), readFileSync(fixture('retry-in-lag')));
    const found = await geosim(['explore', 'race.yaml', '--seed', '5'], { cwd });
    const token = tokenOf(found.stdout)!;
    const path = reproOf(found.stdout)!;
    const before = readFileSync(join(cwd, path), 'utf8');
    const replayed = await geosim(['explore', '--replay', token, '--repro', 'again.yaml'], { cwd });
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toContain(`replaying run ${/FAIL run (\d+)/.exec(found.stdout)![1]} of`);
    expect(lastLine(replayed.stdout)).toBe('explored 1 run: 1 failed');
    expect(readFileSync(join(cwd, 'again.yaml'), 'utf8').replace(/again\.yaml/g, path)).toBe(before);
    expect(replayed.stderr).toBe('');
    // The file changed since the token was made: the run is still replayed, with a warning.
    writeFileSync(join(cwd, 'race.yaml'), `${readFileSync(fixture('retry-in-lag'), 'utf8')}# edited\n`);
    const changed = await geosim(['explore', '--replay', token, '--repro', 'again.yaml'], { cwd });
    expect(changed.stderr).toMatch(/^geosim: warning: race\.yaml changed since the token was made/);
    expect(changed.code).toBe(1);
  });

  it('--keep-going prints one token per failure, and a run that failed two assertions replays the one its token was printed under (it replayed the first), and its two saved regressions stay two failures', async () => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, 'two.yaml'), readFileSync(fixture('two-failures')));
    const found = await geosim(['explore', 'two.yaml', '--keep-going', '--runs', '200', '--no-shrink'], { cwd });
    expect(found.code).toBe(1);
    const printed = [...found.stdout.matchAll(/^FAIL run (\d+): (.*)\n(?:[^\n]*\n)*?  replay: +geosim explore --replay (gx1\.\S+)$/gm)].map((m) => ({ run: m[1], assertion: m[2], token: m[3]! }));
    const sameRun = printed.filter((p) => p.run === printed[0]!.run);
    // each was told as soon as it was the lowest of its kind, with the same token, before any
    // shrink output; with --no-shrink it promises no shrink
    const told = [...found.stdout.matchAll(/^found at run (\d+): .*; replay: geosim explore --replay (gx1\.\S+)$/gm)].map((m) => ({ run: m[1], token: m[2] }));
    expect(told).toEqual(printed.map((p) => ({ run: p.run, token: p.token })));
    expect(found.stdout.indexOf('found at run')).toBeLessThan(found.stdout.indexOf('FAIL run'));
    expect(sameRun.map((p) => p.assertion)).toEqual(['us-east-1 S: expected {holder: alice, paid: true}, got {paid: true}', 'count discardedWrites: expected 0, got 1']);
    expect(new Set(sameRun.map((p) => p.token)).size).toBe(2);
    // an unshrunk repro is named as a shrunk one is (it kept the scenario’s name, and so its regressions’ folder)
    expect(parse(readFileSync(join(cwd, reproOf(found.stdout)!), 'utf8')).name).toBe('multi-repro');
    for (const { assertion, token } of sameRun) {
      const replayed = await geosim(['explore', '--replay', token, '--no-shrink'], { cwd });
      expect(replayed.stdout).toContain(`FAIL run ${printed[0]!.run}: ${assertion}`);
      expect(replayed.stderr).toBe('');
    }
    // Next time, each saved regression is its own failure: the two of that run stay two (both were
    // labelled by the run’s first failure, so one was dropped as a repeat)
    const again = await geosim(['explore', 'two.yaml', '--keep-going', '--runs', '1', '--no-shrink'], { cwd });
    const saved = [...again.stdout.matchAll(/^FAIL saved regression \S+ still fails: (.*)$/gm)].map((m) => m[1]);
    expect(saved).toEqual(expect.arrayContaining(printed.map((p) => p.assertion)));
    expect(saved).toHaveLength(printed.length);
    expect(lastLine(again.stdout)).toBe(`explored 1 run: ${printed.length} failed`);
  });

  it('replays saved regressions first: one that still fails is the failure, before any new draw', async () => {
    const cwd = tempCwd();
    await geosim(['explore', fixture('retry-in-lag')], { cwd });
    const saved = readdirSync(join(cwd, '.geosim/regressions/retry-in-lag'));
    expect(saved).toHaveLength(1);
    const again = await geosim(['explore', fixture('retry-in-lag')], { cwd });
    expect(again.code).toBe(1);
    // its first line says what explore does before any search (a failing regression ends it there)
    expect(again.stdout.split('\n')[0]).toMatch(/^replaying 1 saved regression of \S*retry-in-lag\.yaml \(\.geosim\/regressions\/retry-in-lag\/\)$/);
    expect(again.stdout).toContain(`FAIL saved regression .geosim/regressions/retry-in-lag/${saved[0]} still fails: effects of key charge-1: expected 1, got 2`);
    expect(lastLine(again.stdout)).toBe('explored 0 runs: 1 failed');
  });

  it('a saved regression replays its draw on a scenario changed since: fixed, it passes; broken again, it fails', async () => {
    const cwd = tempCwd();
    const text = readFileSync(fixture('retry-in-lag'), 'utf8');
    expect(text).toContain('idempotency: local');
    writeFileSync(join(cwd, 'race.yaml'), text);
    expect((await geosim(['explore', 'race.yaml'], { cwd })).code).toBe(1);
    // The fix is in the scenario's settings: the frozen repro would still fail, the draw on the fixed scenario passes.
    writeFileSync(join(cwd, 'race.yaml'), text.replace('idempotency: local', 'idempotency: home-region'));
    const fixed = await geosim(['explore', 'race.yaml', '--runs', '50'], { cwd });
    expect(fixed.stdout).toContain('replayed 1 saved regression: all pass');
    expect(fixed.code).toBe(0);
    writeFileSync(join(cwd, 'race.yaml'), `${text}# edited\n`);
    const broken = await geosim(['explore', 'race.yaml', '--runs', '50'], { cwd });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/FAIL saved regression \.geosim\/regressions\/retry-in-lag\/[0-9a-f]{8}\.yaml still fails \(its draw, run \d+ of seed 1, on race\.yaml as it is now\): effects of key charge-1: expected 1, got 2/);
    expect(broken.stdout).toMatch(/repro written to \.geosim\/repro\/retry-in-lag-[0-9a-f]{8}\.yaml/);
    expect(lastLine(broken.stdout)).toBe('explored 0 runs: 1 failed');
  });

  it('--keep-going replays every saved regression, then runs the budget, reporting each failure once', async () => {
    const cwd = tempCwd();
    // the search meets this failure within the budget: the second explore meets it again and leaves it to the regression
    const first = await geosim(['explore', fixture('retry-in-lag'), '--keep-going', '--runs', '100', '--no-shrink'], { cwd });
    expect(first.stdout).toMatch(/FAIL run \d+: effects of key charge-1/);
    const r = await geosim(['explore', fixture('retry-in-lag'), '--keep-going', '--runs', '100', '--no-shrink', '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.runs).toBe(100);
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]).toMatchObject({ seed: null, run: null, token: null, regression: expect.stringMatching(/^\.geosim\/regressions\/retry-in-lag\/[0-9a-f]{8}\.yaml$/) });
    expect(r.stderr).toBe('explored 100 runs: 1 failed\n');
  });

  it('--repro takes the first repro written, also when a pinned regression failed before it', async () => {
    const cwd = tempCwd();
    // two failures: charge-2 applied twice too (its own retry inside the lag window)
    const two = `${readFileSync(fixture('retry-in-lag'), 'utf8').replace('expect:', '  - at: { between: [6m, 11m] }\n    retry: { of: charge-2, region: eu-west-1 }\nexpect:')}`;
    writeFileSync(join(cwd, 'race.yaml'), two);
    const found = await geosim(['explore', 'race.yaml', '--no-shrink'], { cwd });
    expect(found.code).toBe(1);
    // the file is unchanged: its regression replays pinned (no repro written), then the search finds the other failure
    const r = await geosim(['explore', 'race.yaml', '--keep-going', '--runs', '3000', '--no-shrink', '--repro', 'first.yaml', '--format', 'json'], { cwd });
    const summary = JSON.parse(r.stdout);
    expect(summary.failures.map((f: { run: number | null; reproFile: string | null }) => [f.run === null ? 'pinned' : 'search', f.reproFile === 'first.yaml'])).toEqual([
      ['pinned', false],
      ['search', true],
    ]);
    expect(existsSync(join(cwd, 'first.yaml'))).toBe(true);
  });

  it('a saved regression found on another file says which file found it; a renamed file that was fixed passes it (the pinned repro kept failing)', async () => {
    const cwd = tempCwd();
    const text = readFileSync(fixture('retry-in-lag'), 'utf8');
    writeFileSync(join(cwd, 'race.yaml'), text);
    writeFileSync(join(cwd, 'race-copy.yaml'), text);
    expect((await geosim(['explore', 'race.yaml', '--no-shrink'], { cwd })).code).toBe(1);
    const copy = await geosim(['explore', 'race-copy.yaml', '--no-shrink'], { cwd });
    expect(copy.stdout).toMatch(/^FAIL saved regression \.geosim\/regressions\/retry-in-lag\/[0-9a-f]{8}\.yaml \(found exploring race\.yaml\) still fails: /m);
    const same = await geosim(['explore', 'race.yaml', '--no-shrink'], { cwd });
    expect(same.stdout).not.toContain('found exploring');
    // a tweaked copy redraws it and fails, but leaves race.yaml’s regression as it is (each file’s
    // explore saved over or removed the other’s, and the committed files changed on every run)
    const dir = join(cwd, '.geosim', 'regressions', 'retry-in-lag');
    const saved = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    writeFileSync(join(cwd, 'race-copy.yaml'), `${text}# a copy to tweak\n`);
    const tweaked = await geosim(['explore', 'race-copy.yaml', '--no-shrink'], { cwd });
    expect(tweaked.code).toBe(1);
    expect(tweaked.stdout).toMatch(/^FAIL saved regression \S+ \(found exploring race\.yaml\) still fails \(its draw, run \d+ of seed \d+, on race-copy\.yaml as it is now\)/m);
    expect(tweaked.stdout).not.toContain('saved as a regression');
    expect(Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(saved);
    // git mv and a fix in one change: the saved draw is replayed on the fixed file, which passes it
    renameSync(join(cwd, 'race.yaml'), join(cwd, 'payments.yaml'));
    writeFileSync(join(cwd, 'payments.yaml'), text.replace(/idempotency: local/, 'idempotency: home-region'));
    const fixed = await geosim(['explore', 'payments.yaml', '--runs', '200'], { cwd });
    expect(fixed.stdout).toContain('replayed 1 saved regression: all pass');
    expect([fixed.code, lastLine(fixed.stdout)]).toEqual([0, 'explored 200 runs: 0 failed']);
  });

  it('a redrawn regression that now fails another assertion is saved under its new name, and the stale file goes', async () => {
    const cwd = tempCwd();
    const text = readFileSync(fixture('retry-in-lag'), 'utf8');
    writeFileSync(join(cwd, 'race.yaml'), text);
    await geosim(['explore', 'race.yaml', '--no-shrink'], { cwd });
    const dir = join(cwd, '.geosim/regressions/retry-in-lag');
    const [before] = readdirSync(dir);
    // no expectation on charge-1 any more: the same draw now breaks the effects invariant instead
    writeFileSync(join(cwd, 'race.yaml'), text.replace('effects: { charge-1: 1, charge-2: 1 }', 'effects: { charge-2: 1 }'));
    const r = await geosim(['explore', 'race.yaml', '--no-shrink'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL saved regression .geosim/regressions/retry-in-lag/${before} still fails (its draw`);
    const after = readdirSync(dir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    const again = await geosim(['explore', 'race.yaml', '--no-shrink'], { cwd });
    expect(again.stdout).toContain(`FAIL saved regression .geosim/regressions/retry-in-lag/${after[0]} still fails: `);
  });

  it('offers the command to run a repro written to a path with a space quoted, so that it pastes into a shell', async () => {
    const cwd = tempCwd();
    const r = await geosim(['explore', fixture('retry-in-lag'), '--repro', 'ci out/repro.yaml'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("repro written to ci out/repro.yaml\n  run it:  geosim run 'ci out/repro.yaml'\n");
    expect(readFileSync(join(cwd, 'ci out', 'repro.yaml'), 'utf8')).toContain("\n# run it: geosim run 'ci out/repro.yaml'\n");
  });

  it('a repro that cannot be written loses the file, not the failure: reported with its token, a warning, exit 1', async () => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, 'blocker'), 'a file, not a folder\n');
    const r = await geosim(['explore', fixture('retry-in-lag'), '--repro', 'blocker/r.yaml'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^geosim: warning: cannot write the repro to blocker\/r\.yaml: ENOTDIR: not a directory, open '.*blocker\/r\.yaml'/);
    expect(r.stderr).not.toContain('.tmp');
    expect(r.stdout).toMatch(/FAIL run \d+: effects of key charge-1: expected 1, got 2/);
    expect(r.stdout).toContain('repro not written: save the scenario above to a file and geosim run it');
    // the printed repro does not tell its reader to run a file that is not there
    expect(r.stdout).toContain('# run it: save this as a file in the directory explore ran in, then geosim run <file> (explore could not write it)');
    expect(r.stdout).not.toContain('geosim run blocker/r.yaml');
    expect(tokenOf(r.stdout)).toMatch(/^gx1\./);
    expect(lastLine(r.stdout)).toMatch(/^explored \d+ runs: 1 failed$/);
    const other = tempCwd();
    writeFileSync(join(other, 'blocker'), 'a file, not a folder\n');
    const json = await geosim(['explore', fixture('retry-in-lag'), '--repro', 'blocker/r.yaml', '--format', 'json'], { cwd: other });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).failures[0]).toMatchObject({ reproFile: null, token: expect.stringMatching(/^gx1\./) });
  });

  it('a regression that passes now is replayed and the search goes on', async () => {
    const cwd = tempCwd();
    const dir = join(cwd, '.geosim/regressions/correct-design');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'aaaaaaaa.yaml'), 'regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, event: { id: a, region: us-east-1, item: X, data: { n: 1 } } }\n');
    const r = await geosim(['explore', fixture('correct-design'), '--runs', '100'], { cwd });
    expect(r.stdout).toContain('replayed 1 saved regression: all pass');
    expect(r.code).toBe(0);
    // one written by hand has no header: nothing to say; one whose header's token an edit broke is said
    expect(r.stderr).not.toContain('warning');
    writeFileSync(join(dir, 'aaaaaaaa.yaml'), `# Found by geosim explore x.yaml --seed 1 (run 3, token gx1.XXXX)\n${readFileSync(join(dir, 'aaaaaaaa.yaml'), 'utf8')}`);
    const edited = await geosim(['explore', fixture('correct-design'), '--runs', '100'], { cwd });
    expect(edited.stderr).toContain('geosim: warning: .geosim/regressions/correct-design/aaaaaaaa.yaml: the replay token in its first line cannot be read (an edit?): it is replayed as pinned, never redrawn on the scenario as it is now');
    expect(edited.code).toBe(0);
  });

  it('a saved regression that is not a valid scenario (a merge conflict, a bad value) exits 2 with its own lines, what it is, no stack trace', async () => {
    const cwd = tempCwd();
    const dir = join(cwd, '.geosim/regressions/correct-design');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'aaaaaaaa.yaml');
    writeFileSync(file, '<<<<<<< HEAD\nregions: [us-east-1, eu-west-1]\n=======\nregions: [us-east-1]\n>>>>>>> other\n');
    const conflict = await geosim(['explore', fixture('correct-design'), '--runs', '10'], { cwd });
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/^\.geosim\/regressions\/correct-design\/aaaaaaaa\.yaml:1:1 error\[/m);
    expect(conflict.stderr).toContain('geosim: .geosim/regressions/correct-design/aaaaaaaa.yaml is a saved regression, replayed before every search of its scenario: fix it, or delete it');
    expect(conflict.stderr).not.toMatch(/internal error|\n\s+at /);
    // a value refused: placed where the file has it (line 2, the list), not in a copy of the file
    writeFileSync(file, 'name: correct-design\nregions: [us-east-1]\n');
    const value = await geosim(['explore', fixture('correct-design'), '--runs', '10'], { cwd });
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/^\.geosim\/regressions\/correct-design\/aaaaaaaa\.yaml:2:\d+ error\[/m);
    expect(value.stderr).toContain('2 | regions: [us-east-1]');
    expect(value.stdout).not.toContain('exploring');
    // every bad one at once, as geosim run reports its files; a folder or a dangling link where a file should be
    writeFileSync(join(dir, 'bbbbbbbb.yaml'), '');
    const both = await geosim(['explore', fixture('correct-design'), '--runs', '10'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('geosim: .geosim/regressions/correct-design/aaaaaaaa.yaml is a saved regression');
    expect(both.stderr).toContain('geosim: .geosim/regressions/correct-design/bbbbbbbb.yaml is a saved regression');
    rmSync(dir, { recursive: true });
    mkdirSync(join(dir, 'folder.yaml'), { recursive: true });
    const folder = await geosim(['explore', fixture('correct-design'), '--runs', '10'], { cwd });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe('geosim: .geosim/regressions/correct-design/folder.yaml: is a directory\ngeosim: .geosim/regressions/correct-design/folder.yaml is a saved regression, replayed before every search of its scenario: fix it, or delete it\n');
    rmSync(join(dir, 'folder.yaml'), { recursive: true });
    symlinkSync(join(cwd, 'nowhere.yaml'), join(dir, 'link.yaml'));
    const link = await geosim(['explore', fixture('correct-design'), '--runs', '10'], { cwd });
    expect(link.code).toBe(2);
    expect(link.stderr).toContain('geosim: .geosim/regressions/correct-design/link.yaml: is a link to nothing');
    rmSync(join(dir, 'link.yaml'));
    // bytes that are not UTF-8 are refused as geosim run refuses them, not replayed as U+FFFD
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('name: correct-design\n# caf\xe9\n', 'latin1'));
    const latin1 = await geosim(['explore', fixture('correct-design'), '--runs', '10'], { cwd });
    expect(latin1.code).toBe(2);
    expect(latin1.stderr).toContain('geosim: .geosim/regressions/correct-design/latin1.yaml: is not a YAML text file (it is not valid UTF-8)');
  });

  it('--shard: the JSON names the shard also when a saved regression ends the search', async () => {
    const cwd = tempCwd();
    await geosim(['explore', fixture('retry-in-lag')], { cwd });
    const r = await geosim(['explore', fixture('retry-in-lag'), '--shard', '2/4', '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ shard: '2/4', runs: 0, failures: [{ regression: expect.stringMatching(/^\.geosim\/regressions\//) }] });
  });

  it('on a correct design: no failure, and how many runs hit each sometimes condition (exit 0)', async () => {
    const cwd = tempCwd();
    const r = await geosim(['explore', fixture('correct-design'), '--runs', '200'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}hit {3}a conflict happened: \d+ of 200 runs$/m);
    expect(lastLine(r.stdout)).toBe('explored 200 runs: 0 failed');
    expect(existsSync(join(cwd, '.geosim'))).toBe(false);
  });

  it('the file’s explore.runs is the budget of a search the command line gives none: --time alone has no run limit', async () => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, 'five.yaml'), `${readFileSync(fixture('correct-design'), 'utf8')}explore: { runs: 5 }\n`);
    const file = await geosim(['explore', 'five.yaml'], { cwd });
    expect(lastLine(file.stdout)).toBe('explored 5 runs: 0 failed');
    const timed = await geosim(['explore', 'five.yaml', '--time', '1s'], { cwd });
    expect(timed.stdout).toContain('no run limit, at most 1s');
    expect(Number(/explored (\d+) runs/.exec(timed.stdout)?.[1])).toBeGreaterThan(5);
    const both = await geosim(['explore', 'five.yaml', '--time', '1m', '--runs', '7'], { cwd });
    expect(lastLine(both.stdout)).toBe('explored 7 runs: 0 failed');
  });

  it('says 1 run, not 1 runs', async () => {
    const r = await geosim(['explore', fixture('correct-design'), '--runs', '1'], { cwd: tempCwd() });
    expect(r.stdout).toContain(': seed 1, 1 run\n');
    expect(r.stdout).toMatch(/a conflict happened: [01] of 1 run$/m);
    expect(lastLine(r.stdout)).toMatch(/^explored 1 run: 0 failed/);
  });

  it('exits 1 when a sometimes condition was never met', async () => {
    const cwd = tempCwd();
    const text = readFileSync(fixture('correct-design'), 'utf8').replace('atLeast: { conflicts: 1 }', 'atLeast: { conflicts: 5 }');
    writeFileSync(join(cwd, 'never.yaml'), text);
    const r = await geosim(['explore', 'never.yaml', '--runs', '50'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NEVER a conflict happened: 0 of 50 runs');
    expect(r.stdout).toContain('sometimes never hit: a conflict happened');
  });

  it('a shard reports a sometimes condition it did not meet without failing: it counts over the whole search', async () => {
    const cwd = tempCwd();
    const text = readFileSync(fixture('correct-design'), 'utf8').replace('atLeast: { conflicts: 1 }', 'atLeast: { conflicts: 5 }');
    writeFileSync(join(cwd, 'never.yaml'), text);
    const r = await geosim(['explore', 'never.yaml', '--runs', '50', '--shard', '2/2'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sometimes (in this shard):');
    expect(r.stdout).toContain('  none  a conflict happened: 0 of 25 runs'); // NEVER is a verdict on the whole search
    expect(r.stdout).toContain(`sometimes not hit in this shard: a conflict happened (a condition counts over the whole search: add up the shards' --format json "sometimes" hits)`);
    expect(lastLine(r.stdout)).toBe('explored 25 runs: 0 failed, 1 sometimes not hit in this shard');
    const json = await geosim(['explore', 'never.yaml', '--runs', '50', '--shard', '2/2', '--format', 'json'], { cwd });
    expect(json.code).toBe(0);
    // `passed` says what the exit code says: a shard’s miss is the whole search’s to judge
    expect(JSON.parse(json.stdout)).toMatchObject({ shard: '2/2', runs: 25, passed: true, sometimes: [{ name: 'a conflict happened', hits: 0 }, { name: 'no conflict', hits: expect.any(Number) }] });
    // a shard 1/1 is the whole search: it fails as the unsharded search does
    const whole = await geosim(['explore', 'never.yaml', '--runs', '50', '--shard', '1/1'], { cwd });
    expect(whole.code).toBe(1);
    expect(lastLine(whole.stdout)).toBe('explored 50 runs: 0 failed, 1 sometimes never hit');
    const wholeJson = await geosim(['explore', 'never.yaml', '--runs', '50', '--format', 'json'], { cwd });
    expect([wholeJson.code, JSON.parse(wholeJson.stdout).passed, JSON.parse(wholeJson.stdout).failures]).toEqual([1, false, []]);
  });

  it('says when --shrink-time ended the shrinking, in the text and the JSON', async () => {
    const cwd = tempCwd();
    const cut = await geosim(['explore', fixture('retry-in-lag'), '--shrink-time', '1ms'], { cwd });
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/^ {2}shrunk in \d+ runs? \(\d+ ms\): \d+ steps and faults → \d+ \(--shrink-time ended it: the smallest repro so far\)$/m);
    const json = await geosim(['explore', fixture('retry-in-lag'), '--shrink-time', '1ms', '--format', 'json'], { cwd: tempCwd() });
    expect(JSON.parse(json.stdout).failures[0].shrink).toMatchObject({ complete: false });
    // named a repro all the same, as an unshrunk and a whole shrink's are (it kept the scenario's name)
    expect(JSON.parse(json.stdout).failures[0].repro).toMatch(/^name: retry-in-lag-repro$/m);
    const whole = await geosim(['explore', fixture('retry-in-lag'), '--format', 'json'], { cwd: tempCwd() });
    expect(JSON.parse(whole.stdout).failures[0].shrink).toMatchObject({ complete: true });
  });

  it('a search stopped at its first failure does not call a sometimes condition never hit', async () => {
    const cwd = tempCwd();
    const text = readFileSync(fixture('retry-in-lag'), 'utf8');
    writeFileSync(join(cwd, 'race.yaml'), `${text.trimEnd()}\nsometimes:\n  - { name: never here, atLeast: { conflicts: 99 } }\n`);
    const r = await geosim(['explore', 'race.yaml', '--no-shrink'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^sometimes \(until the search stopped at its first failure\):\n {2}none {2}never here: 0 of \d+ runs?$/m);
    expect(r.stdout).not.toContain('sometimes never hit');
    expect(lastLine(r.stdout)).toMatch(/^explored \d+ runs?: 1 failed$/);
    // the next explore stops at the saved regression, before any search: its JSON still lists the condition (it listed none)
    const again = await geosim(['explore', 'race.yaml', '--no-shrink', '--format', 'json'], { cwd });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ runs: 0, sometimes: [{ name: 'never here', hits: 0 }] });
    expect(again.stderr).toBe('explored 0 runs: 1 failed\n');
  });

  it('--format json: one summary object on stdout, the closing line on stderr', async () => {
    const cwd = tempCwd();
    const r = await geosim(['explore', fixture('retry-in-lag'), '--format', 'json', '--repro', 'out/r.yaml'], { cwd });
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(Object.keys(summary)).toEqual(['scenario', 'seed', 'runs', 'workers', 'passed', 'failures', 'sometimes', 'elapsedMs']);
    expect(summary.workers).toEqual({ asked: 1, threads: 0 });
    expect(summary.passed).toBe(false);
    expect(summary.failures).toHaveLength(1);
    const f = summary.failures[0];
    // its failure told on stderr before its shrink, with the replay, in case the job is killed meanwhile
    expect(r.stderr).toBe(`FAIL run ${f.run}: ${f.assertion}; replay: geosim explore --replay ${f.token}\nexplored ${summary.runs} runs: 1 failed\n`);
    expect(f).toMatchObject({ signature: 'expectation: effects of key charge-1 (above)', reproFile: 'out/r.yaml', token: expect.stringMatching(/^gx1\./) });
    expect(f.repro).toBe(readFileSync(join(cwd, 'out/r.yaml'), 'utf8'));
    expect(f.shrink.runs).toBeGreaterThan(0);
  });

  it('--shard splits the runs: the shards together count the unsharded runs', async () => {
    const parts = await Promise.all(['1/2', '2/2'].map((s) => geosim(['explore', fixture('correct-design'), '--runs', '101', '--shard', s], { cwd: tempCwd() })));
    expect(parts.map((p) => lastLine(p.stdout))).toEqual(['explored 51 runs: 0 failed', 'explored 50 runs: 0 failed']);
    // a shard past the runs passes, saying why it ran nothing
    const empty = await geosim(['explore', fixture('correct-design'), '--runs', '3', '--shard', '5/8'], { cwd: tempCwd() });
    expect(empty.stdout).toContain("shard 5/8 has no runs: the search's 3 runs are fewer than its 8 shards\n");
    expect(lastLine(empty.stdout)).toBe('explored 0 runs: 0 failed, 2 sometimes not hit in this shard');
    expect(empty.code).toBe(0);
  });

  it('starts no more worker threads than the runs have first blocks, and says so', async () => {
    const r = await geosim(['explore', fixture('correct-design'), '--runs', '3', '--workers', '64'], { cwd: tempCwd() });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/: seed 1, 3 runs, 1 worker \(of 64 asked: 3 runs are one block of 32\)$/);
    const sharded = await geosim(['explore', fixture('correct-design'), '--runs', '100', '--shard', '1/2', '--workers', '8'], { cwd: tempCwd() });
    expect(sharded.stdout.split('\n')[0]).toMatch(/: seed 1, 100 runs, shard 1\/2, 2 workers \(of 8 asked: 50 runs are 2 blocks of 32\)$/);
    const one = await geosim(['explore', fixture('correct-design'), '--runs', '1', '--workers', '2'], { cwd: tempCwd() });
    expect(one.stdout.split('\n')[0]).toMatch(/: seed 1, 1 run, 1 worker \(of 2 asked: 1 run is one block of 32\)$/);
    const none = await geosim(['explore', fixture('correct-design'), '--runs', '3', '--shard', '5/8', '--workers', '2'], { cwd: tempCwd() });
    expect(none.stdout.split('\n')[0]).toMatch(/, 1 worker \(of 2 asked: no runs\)$/);
    const json = await geosim(['explore', fixture('correct-design'), '--runs', '3', '--workers', '64', '--format', 'json'], { cwd: tempCwd() });
    expect(JSON.parse(json.stdout).workers).toEqual({ asked: 64, threads: 0 });
  });

  it('--workers 2 runs in this thread at once, and starts a worker thread only for a search with seconds left', async () => {
    // 100 runs take well under a second: a thread would cost more than it gives
    const short = await geosim(['explore', fixture('correct-design'), '--runs', '100', '--workers', '2'], { cwd: tempCwd() });
    expect(short.code).toBe(0);
    expect(short.stdout).toMatch(/^ran on this thread alone: too short for worker threads to pay for their start \(they join a search that has 3 s or more left after its first second\)\nexplored 100 runs: 0 failed\n$/m);
    const failed = await geosim(['explore', fixture('retry-in-lag'), '--time', '60s', '--workers', '2', '--repro', 'out/r.yaml'], { cwd: tempCwd() });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^ran on this thread alone: the search stopped at its first failure before a worker thread was worth starting$/m);
    const long = await geosim(['explore', fixture('correct-design'), '--time', '5s', '--workers', '2', '--format', 'json'], { cwd: tempCwd() });
    expect(long.code).toBe(0);
    expect(JSON.parse(long.stdout).workers).toEqual({ asked: 2, threads: 1 });
    const text = await geosim(['explore', fixture('correct-design'), '--time', '5s', '--workers', '2'], { cwd: tempCwd() });
    expect(text.stdout).toMatch(/^ran on this thread and 1 worker thread \(started \d\.\d s in\)$/m);
  });

  it('--keep-going runs the whole budget', async () => {
    const r = await geosim(['explore', fixture('retry-in-lag'), '--runs', '200', '--keep-going', '--no-shrink'], { cwd: tempCwd() });
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toBe('explored 200 runs: 1 failed');
  });

  it('draws a progress line only on a terminal, redrawn in place', async () => {
    const piped = await geosim(['explore', fixture('correct-design'), '--runs', '64'], { cwd: tempCwd() });
    expect(piped.stderr).toBe('');
    let err = '';
    const stderr = Object.assign(new Writable({ write: (c, _e, done) => ((err += c.toString()), done()) }), { isTTY: true });
    const stdout = new Writable({ write: (_c, _e, done) => done() });
    // A slow first block makes the first progress redraw due (at most one per 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 1));
    const code = await main(['explore', fixture('correct-design'), '--time', '0.3s'], { stdout, stderr, env: {}, cwd: tempCwd() });
    expect(code).toBe(0);
    expect(err).toMatch(/\rexplore: \d+ runs, \d+ runs\/s, 0 failures, \d+s left/);
    expect(err.endsWith('\r')).toBe(true);
    // With --runs only, time left is the runs left at the rate so far.
    err = '';
    await main(['explore', fixture('correct-design'), '--runs', '3000'], { stdout, stderr, env: {}, cwd: tempCwd() });
    expect(err).toMatch(/\rexplore: \d+ runs, \d+ runs\/s, 0 failures, \d+s left/);
  });

  it('times the search on the real clock: performance.now, virtual while a team’s handler runs, moves neither --time’s end nor elapsedMs', async () => {
    let out = '';
    const stdout = new Writable({ write: (c, _e, done) => ((out += c.toString()), done()) });
    const stderr = new Writable({ write: (_c, _e, done) => done() });
    // explore loaded first, as in a process where runs have begun (geosim keeps the real clock when its modules load)
    await main(['explore', fixture('correct-design'), '--runs', '1'], { stdout: new Writable({ write: (_c, _e, done) => done() }), stderr, env: {}, cwd: tempCwd() });
    // frozen, as virtual time is within a run: a search timed by it would never reach --time’s end
    const frozen = vi.spyOn(performance, 'now').mockReturnValue(0);
    try {
      const code = await main(['explore', fixture('correct-design'), '--time', '0.5s', '--format', 'json'], { stdout, stderr, env: {}, cwd: tempCwd() });
      expect(code).toBe(0);
    } finally {
      frozen.mockRestore();
    }
    const summary = JSON.parse(out) as { runs: number; elapsedMs: number };
    expect(summary.runs).toBeGreaterThan(0);
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(500);
  });

  it.each([
    ['text', 'SIGINT', 130],
    ['json', 'SIGINT', 130],
    ['text', 'SIGTERM', 143],
    ['text', 'SIGHUP', 129],
  ] as const)('Ctrl-C stops the search and reports what it ran (%s, %s: exit %i)', async (format, signal, exit) => {
    // a process of its own (the signal is the process’s), the built CLI as users run it
    const child = spawn(process.execPath, [join(ROOT, 'bin/geosim'), 'explore', fixture('correct-design'), '--time', '60s', '--format', format], { cwd: tempCwd() });
    let stdout = '';
    let stderr = '';
    // once the search runs: after the text header says it began, plus a little; the JSON prints
    // nothing before its end, so a few seconds in (geosim starts in well under one)
    let sent = false;
    const interrupt = (after: number) => {
      if (sent) return;
      sent = true;
      setTimeout(() => child.kill(signal), after);
    };
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (format === 'text' && stdout.includes('exploring ')) interrupt(500);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    if (format === 'json') interrupt(4000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(exit);
    if (format === 'text') {
      expect(stdout).toContain(`sometimes (until ${signal} stopped the search):`);
      expect(stdout).toMatch(new RegExp(`^${signal} stopped the search after \\d+ runs$`, 'm'));
      expect(lastLine(stdout)).toMatch(/^explored \d+ runs: 0 failed$/);
    } else {
      const summary = JSON.parse(stdout) as { interrupted: string; runs: number; elapsedMs: number };
      expect(summary.interrupted).toBe(signal);
      expect(summary.passed).toBe(false); // a search cut short passed nothing, whatever it found
      expect(summary.runs).toBeGreaterThan(0);
      expect(summary.elapsedMs).toBeLessThan(30_000);
      expect(lastLine(stderr)).toMatch(/^explored \d+ runs: 0 failed$/);
    }
  });

  it('Ctrl-C during a shrink stops the shrink, not the search: the failure is told before its shrink starts, and the repro is the smallest so far (it said the signal stopped the search)', async () => {
    const cwd = tempCwd();
    const module = join(import.meta.dirname, '../fixtures/user-apps/slow.mjs');
    const steps = Array.from({ length: 10 }, (_, i) => `  - { at: { between: [0, 1s] }, event: { id: e${i + 1}, region: us-east-1, item: I${i + 1}, data: {} } }`).join('\n');
    writeFileSync(join(cwd, 'slow.yaml'), `name: slow\nregions: [us-east-1, eu-west-1]\napplication: { module: ${JSON.stringify(module)} }\nsteps:\n${steps}\nexpect:\n  items:\n    "ITEM#e1": { digest: "not this" }\n`);
    const child = spawn(process.execPath, [join(ROOT, 'bin/geosim'), 'explore', 'slow.yaml', '--runs', '5'], { cwd });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      // the failure line comes before its shrink, whose every run takes ten slow events
      if (!sent && stdout.includes('FAIL run 0: ')) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stdout).toBe(130);
    expect(stdout).toMatch(/^ {2}shrunk in \d+ runs? \(\d+ ms\): 10 steps and faults → \d+ \(SIGINT ended it: the smallest repro so far\)$/m);
    expect(stdout).toMatch(/^SIGINT stopped the shrinking: each repro above is the smallest found by then$/m);
    expect(stdout).not.toContain('stopped the search');
    expect(lastLine(stdout)).toBe('explored 1 run: 1 failed');
    // named as every repro is (it kept the scenario’s own name, which geosim run then showed)
    const written = /^--- (\S+\.yaml)$/m.exec(stdout)?.[1];
    expect(written, stdout).toBeDefined();
    expect(readFileSync(join(cwd, written!), 'utf8')).toMatch(/^name: slow-repro$/m);
  });

  it('a team’s module that throws while loading is exit 2 placed at the scenario’s application.module, as geosim run places it', async () => {
    const cwd = tempCwd();
    const module = join(import.meta.dirname, '../fixtures/user-modules/broken/module-scope-throw.cjs');
    writeFileSync(join(cwd, 'loads.yaml'), `regions: [us-east-1, eu-west-1]\napplication: { module: ${JSON.stringify(module)} }\nsteps:\n  - { at: { between: [0, 1s] }, event: { id: e1, region: us-east-1, item: A, data: {} } }\n`);
    const r = await geosim(['explore', 'loads.yaml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^loads\.yaml:2:24 error\[module-threw\] .*module-scope-throw\.cjs: the application module threw while loading \(module scope, region us-east-1\): Error: REQUIRED_SETTING is not set/m);
  });

  it('a run stopped at one of geosim run’s limits stops the search with exit 2, naming the run and what to do (it was a failure whose hint named --max-trace-events, which explore does not take)', async () => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, 'storm.yaml'), 'regions: [us-east-1, eu-west-1]\nreplication: { lag: { distribution: fixed, ms: 100 } }\nstepFunctions: { retry: { interval: 1s, maxAttempts: 99999999, backoffRate: 1 } }\nfaults:\n  - { lambdaFailure: { event: e1 } }\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: ORDER#1, data: { status: new } } }\n');
    const r = await geosim(['explore', 'storm.yaml', '--runs', '3'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("geosim: explore run 0 of seed 1 stopped at its limit: its trace passed 500000 events with work still due. A run stopped there settled nothing to judge, so the search cannot go on: make the scenario smaller, or run one draw with geosim run --max-trace-events (explore keeps geosim run's default limits)\n");
    // nothing saved as a regression: it is no failure of the scenario
    expect(existsSync(join(cwd, '.geosim'))).toBe(false);
  });

  it('bad input exits 2 with a message, no stack trace', async () => {
    const cwd = tempCwd();
    for (const [argv, message] of [
      [['explore', 'missing.yaml'], 'geosim: missing.yaml: no such file'],
      [['explore', '.'], 'geosim: .: is a directory: explore searches one scenario file'],
      [['explore', fixture('retry-in-lag'), '--shard', '3/2'], 'expected k/n'],
      [['explore', fixture('retry-in-lag'), '--workers', '0'], 'expected a number of threads (workers) from 1 to 64'],
      [['explore', '--replay', 'nope'], 'not a replay token'],
      [['explore', '--replay', 'gx1.eyJmIjoiYS55YW1sIiwicyI6MSwiaSI6MywiaCI6IjAwMDAwMDAwIn0', '--seed', '9'], 'the seed its token names: --seed does not apply'],
      [['explore', '--replay', 'gx1.eyJmIjoiYS55YW1sIiwicyI6MSwiaSI6MywiaCI6IjAwMDAwMDAwIn0', '--workers', '2', '--runs', '5'], 'the seed its token names: --runs, --workers do not apply'],
      [['explore', '--replay', 'gx1.eyJmIjoiYS55YW1sIiwicyI6MSwiaSI6MywiaCI6IjAwMDAwMDAwIn0'], 'geosim: a.yaml: no such file (a replay token names its scenario relative to the directory explore ran in: run --replay from there)'],
      [['explore'], 'explore needs a scenario file'],
      [['explore', fixture('retry-in-lag'), '--no-shrink', '--shrink-time', '5s'], 'geosim: --shrink-time limits the shrinking, and --no-shrink skips it: give one of them'],
      // before the search (after it, a warning named a rename)
      [['explore', fixture('retry-in-lag'), '--repro', '.'], 'geosim: --repro . is a directory: name a file in it, e.g. repro.yaml'],
      [['explore', fixture('retry-in-lag'), '--repro', 'out/'], 'geosim: --repro out/ is a directory: name a file in it, e.g. out/repro.yaml'],
    ] as const) {
      const r = await geosim([...argv], { cwd });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    writeFileSync(join(cwd, 'bad.yaml'), 'regions: [us-east-1, eu-west-1]\nstepz: []\n');
    const bad = await geosim(['explore', 'bad.yaml'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:2:1 error[unknown-key]');    // --repro naming a file that is no repro explore wrote (a source file the handler imports, a
    // scenario): refused before the search, the file left as it was (it was silently replaced)
    writeFileSync(join(cwd, 'store.ts'), 'export class OrderStore {}\n');
    const kept = await geosim(['explore', fixture('retry-in-lag'), '--repro', 'store.ts'], { cwd });
    expect(kept.code).toBe(2);
    expect(kept.stderr).toBe('geosim: --repro store.ts already exists and is not a repro geosim explore wrote (its first line would start "# Found by geosim explore "): explore does not replace it; name another file, or remove it first\n');
    expect(readFileSync(join(cwd, 'store.ts'), 'utf8')).toBe('export class OrderStore {}\n');
  });

  it('--format json prints a summary for a search that could not run: passed false and why, as geosim run’s notRun (stdout was empty)', async () => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, 'bad.yaml'), 'regions: [us-east-1, eu-west-1]\nstepz: []\n');
    const bad = await geosim(['explore', 'bad.yaml', '--format', 'json'], { cwd });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toEqual({ scenario: 'bad.yaml', passed: false, notRun: { why: 'invalid scenario', problems: [{ line: 2, col: 1, code: 'unknown-key', message: expect.stringContaining('stepz') }] } });
    expect(bad.stderr).toContain('bad.yaml:2:1 error[unknown-key]');
    const missing = await geosim(['explore', 'missing.yaml', '--format', 'json'], { cwd });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({ scenario: 'missing.yaml', passed: false, notRun: { why: 'missing.yaml: no such file' } });
    // a file refused before it is read as YAML gives its problems as structured as a bad key's (its text was in `why`)
    const big = await geosim(['explore', 'bad.yaml', '--max-file-size', '10', '--format', 'json'], { cwd });
    expect(big.code).toBe(2);
    expect(JSON.parse(big.stdout)).toEqual({ scenario: 'bad.yaml', passed: false, notRun: { why: 'invalid scenario', problems: [{ line: 1, col: 1, code: 'file-too-large', message: expect.stringContaining('limited to 10 B') }] } });
    const token = await geosim(['explore', '--replay', 'nope', '--format', 'json'], { cwd });
    expect(token.code).toBe(2);
    expect(JSON.parse(token.stdout)).toMatchObject({ scenario: null, passed: false, notRun: { why: expect.stringContaining('not a replay token') } });
  });

  it('a malformed range exits 2 naming its line, as geosim run does, not as an internal error', async () => {
    const cwd = tempCwd();
    const head = 'regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: "ITEM#1", data: { n: 1 } } }\n';
    for (const [range, message] of [
      ['  - { at: { between: [1s] }, event: { id: e2, region: eu-west-1, key: k2, item: "ITEM#1", data: { n: 2 } } }\n', 'bad.yaml:4:22 error[wrong-value] steps[1].at.between: at least 2 entries'],
      ['  - { at: { between: [abc, 2s] }, event: { id: e2, region: eu-west-1, key: k2, item: "ITEM#1", data: { n: 2 } } }\n', 'bad.yaml:4:'],
      ['faults:\n  - { at: 0, clockSkew: { region: eu-west-1, skew: { between: [] } } }\n', 'bad.yaml:5:'],
    ] as const) {
      writeFileSync(join(cwd, 'bad.yaml'), head + range);
      const r = await geosim(['explore', 'bad.yaml', '--runs', '5'], { cwd });
      expect(r.code, range).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
