import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const COUNTER_SCENARIO = 'scenarios/concurrent-counter.yaml';

// geosim compare as a user runs it: the built bin/geosim, real pipes, the process's exit code.
function geosim(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/geosim compare', () => {
  it('prints the plain table to a pipe, at most 100 columns wide, and exits 0 although a combination failed an assertion', () => {
    const r = geosim(['compare', 'test/fixtures/compare/skewed.yaml', '--strategies', 'service-lww,client-lww,version,service-lww']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('compared 3 combinations: 2 passed, 1 failed');
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
  });

  it('--format json prints one document on stdout and the closing line on stderr', () => {
    const r = geosim(['compare', 'scenarios/concurrent.yaml', '--strategies', 'service-lww,version', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.combinations.map((c: { strategy: string }) => c.strategy)).toEqual(['service-lww', 'version']);
    expect(r.stderr).toBe('compared 2 combinations: 2 passed, 0 failed\n');
  });

  it('exit 2 for an unknown strategy, naming the valid ones, with no stack trace', () => {
    const r = geosim(['compare', 'scenarios/concurrent.yaml', '--strategies', 'last-writer-wins']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^geosim: --strategies: unknown strategy "last-writer-wins"; valid: .*client-lww.*version/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exit 2 for an unknown mode, naming the valid ones', () => {
    const r = geosim(['compare', 'scenarios/concurrent.yaml', '--modes', 'strong']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^geosim: --modes: unknown mode "strong"; valid: mrec/);
  });

  it('exit 2 for a combination the loader refuses, naming the combination and the loader\'s message', () => {
    const r = geosim(['compare', 'examples/orders/lost-increments.yaml', '--strategies', 'client-lww']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the combination mode mrec, strategy client-lww is refused by the loader');
    expect(r.stderr).toMatch(/lost-increments\.yaml:\d+:\d+ error\[built-in-only\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('concurrent-counter: lww-item loses increments, counter keeps every one', () => {
    const r = geosim(['compare', COUNTER_SCENARIO, '--strategies', 'lww-item,counter', '--format', 'json']);
    expect(r.code).toBe(0);
    const [lww, counter] = JSON.parse(r.stdout).combinations;
    expect(lww.lostWrites).toBeGreaterThan(0);
    expect(counter.lostWrites).toBe(0);
    expect(counter.final).not.toEqual(lww.final);
    // 21 views asked for in all: counter keeps them in every region, lww-item keeps one region's
    for (const items of Object.values(counter.final) as Record<string, { Data: { views: number } }>[]) expect(items['PAGE#home']!.Data.views).toBe(21);
    for (const items of Object.values(lww.final) as Record<string, { Data: { views: number } }>[]) expect(items['PAGE#home']!.Data.views).toBeLessThan(21);
  });

  it('concurrent-counter on MRSC: conflicts refused and retried, nothing lost (the README\'s figures)', () => {
    const r = geosim(['compare', COUNTER_SCENARIO, '--strategies', 'lww-item,counter', '--modes', 'mrsc', '--format', 'json']);
    expect(r.code).toBe(0);
    for (const c of JSON.parse(r.stdout).combinations) {
      expect(c.outcomes).toMatchObject({ events: 6, applied: 6, failed: 0, rejected: 0 });
      expect(c.conflicts).toEqual({ resolved: 0, merged: 0, refused: 5 });
      expect(c.retries).toEqual({ total: 13, sdk: 5, version: 8, lambda: 0 });
      expect(c.latencyMs).toMatchObject({ p50: 6166, p95: 10715 });
      for (const items of Object.values(c.final) as Record<string, { Data: { views: number } }>[]) expect(items['PAGE#home']!.Data.views).toBe(21);
    }
  });

  it('events a region in an outage refused count as rejected, so the parts add up (a refused read step is no event)', () => {
    const r = geosim(['compare', 'scenarios/region-outage.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const [c] = JSON.parse(r.stdout).combinations;
    // the run refused two requests: the event `refunded` and a read step
    expect(c.outcomes).toMatchObject({ events: 4, applied: 3, rejected: 1 });
    expect(geosim(['compare', 'scenarios/region-outage.yaml', '--format', 'text']).stdout).toMatch(/^events +│ 4 \(applied 3, rejected 1\)/m);
  });

  it('mrec on a scenario with a witness: the refusal says compare set the mode, and does not tell the user to add the mode: mrsc their file has', () => {
    const r = geosim(['compare', 'scenarios/mrsc-write-latency.yaml', '--modes', 'mrec,mrsc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[witness-without-mrsc] a witness belongs to an MRSC global table; compare set this scenario's mode to mrec (the value compare wrote in)");
    expect(r.stderr).toContain('hint: leave mrec out of --modes');
    expect(r.stderr).not.toContain('add `mode: mrsc`');
  });

  it('two regions on --modes mrec,mrsc: the hint does not offer a witness, which would refuse the mrec column (it did); on --modes mrsc it does', () => {
    const both = geosim(['compare', 'scenarios/concurrent.yaml', '--modes', 'mrec,mrsc']);
    expect(both.stderr).toContain('hint: --modes mrec,mrsc needs three regions of one MRSC region set and no witness (MREC has none): add a third region of the same set, or leave mrec out of --modes');
    expect(both.stderr).not.toContain('hint: add `witness:');
    expect(geosim(['compare', 'scenarios/concurrent.yaml', '--modes', 'mrsc']).stderr).toContain('hint: add `witness: <a third region of the same set>`, or a third region');
  });

  it('mrsc on us-east-1 and eu-west-1 is a combination the loader refuses: exit 2 naming it', () => {
    const r = geosim(['compare', 'scenarios/concurrent.yaml', '--modes', 'mrec,mrsc']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the combination mode mrsc, strategy client-lww is refused by the loader');
    expect(r.stderr).toMatch(/scenarios\/concurrent\.yaml:\d+:\d+ error\[/);
    expect(r.stderr).not.toContain('mode mrec, strategy');
  });
});
