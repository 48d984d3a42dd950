import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegressions, replayRegressions, type Regression } from '../../src/explore/regressions.js';
import { encodeToken } from '../../src/explore/token.js';
import type { RunReport } from '../../src/trace/report.js';

/** A report whose only assertion passed or failed (failureSignature reads the failed ones). */
function report(failed: string | undefined): RunReport {
  const assertions = [{ name: failed ?? 'fine', source: 'expectation', passed: failed === undefined, expected: 1, actual: failed === undefined ? 1 : 2 }];
  return { assertions } as unknown as RunReport;
}

const token = (hash: string, index: number) => ({ file: 's.yaml', seed: 7, index, hash });

describe('replayRegressions', () => {
  const regressions: Regression[] = [
    { path: 'a.yaml', text: 'name: a\n', token: token('11111111', 3) },
    { path: 'b.yaml', text: 'name: b\n', token: token('11111111', 9) },
    { path: 'c.yaml', text: 'name: c\n' },
  ];

  it('runs the pinned repro while the scenario is the one it was found on; stops at the first failure', async () => {
    const ran: string[] = [];
    const out = await replayRegressions(regressions, { file: 's.yaml', hash: '11111111', run: async (r) => (ran.push(r.path), report(r.path === 'c.yaml' ? undefined : `x ${r.path}`)), redraw: async () => report('never') });
    expect(ran).toEqual(['a.yaml']);
    expect(out.replayed).toBe(1);
    expect(out.failed.map((f) => [f.regression.path, f.redrawn])).toEqual([['a.yaml', undefined]]);
  });

  it('with keepGoing replays every one and reports each that still fails', async () => {
    const out = await replayRegressions(regressions, { file: 's.yaml', hash: '11111111', run: async (r) => report(r.path === 'c.yaml' ? undefined : `x ${r.path}`), redraw: async () => report('never') }, true);
    expect(out.replayed).toBe(3);
    expect(out.failed.map((f) => f.regression.path)).toEqual(['a.yaml', 'b.yaml']);
  });

  it('once the scenario changed, replays the saved draw on it instead: a fixed scenario passes', async () => {
    const redrawn: Array<[number, number]> = [];
    const fixed = await replayRegressions(regressions, { file: 's.yaml', hash: '22222222', run: async () => report(undefined), redraw: async (seed, index) => (redrawn.push([seed, index]), report(undefined)) }, true);
    expect(redrawn).toEqual([[7, 3], [7, 9]]);
    expect(fixed.failed).toEqual([]);
    const broken = await replayRegressions(regressions, { file: 's.yaml', hash: '22222222', run: async () => report(undefined), redraw: async (_s, index) => report(index === 9 ? 'still' : undefined) }, true);
    expect(broken.failed.map((f) => [f.regression.path, f.redrawn])).toEqual([['b.yaml', { seed: 7, index: 9 }]]);
  });

  it('replays the pinned repro on the text it was found on wherever the file is now, and redraws on any other text (a renamed and fixed file kept failing)', async () => {
    const ran: string[] = [];
    const moved = await replayRegressions(regressions, { file: 'other/s.yaml', hash: '11111111', run: async (r) => (ran.push(r.path), report(undefined)), redraw: async () => report('never') }, true);
    expect(ran).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
    expect(moved.failed).toEqual([]);
    const redrawn: Array<[number, number]> = [];
    const fixed = await replayRegressions(regressions, { file: 'other/s.yaml', hash: '22222222', run: async () => report(undefined), redraw: async (seed, index) => (redrawn.push([seed, index]), report(undefined)) }, true);
    expect(redrawn).toEqual([[7, 3], [7, 9]]);
    expect(fixed.failed).toEqual([]);
  });
});

describe('loadRegressions', () => {
  it("reads each file's token from its header, and none from a file without one", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'geosim-regressions-'));
    const dir = join(cwd, '.geosim/regressions/s');
    mkdirSync(dir, { recursive: true });
    const t = encodeToken({ file: 's.yaml', seed: 4, index: 12, hash: 'abcdef01' });
    writeFileSync(join(dir, 'a.yaml'), `# Found by geosim explore s.yaml --seed 4 (run 12, token ${t})\nregions: [us-east-1]\n`);
    writeFileSync(join(dir, 'b.yaml'), 'regions: [us-east-1]\n');
    const loaded = await loadRegressions(cwd, 's');
    expect(loaded.map((r) => [r.path.endsWith('a.yaml') ? 'a' : 'b', r.token])).toEqual([
      ['a', { file: 's.yaml', seed: 4, index: 12, hash: 'abcdef01' }],
      ['b', undefined],
    ]);
  });
});
