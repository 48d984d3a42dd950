import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Explorer, inProcessRunner, nextBlockSize, search, workerRunners, workerScript, type BlockRunner, type RunOutcome, type SearchSetup } from '../../src/explore/engine.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/explore');
function setup(name: string, seed = 1, change: (t: Record<string, unknown>) => void = () => {}): SearchSetup {
  const file = join(FIXTURES, `${name}.yaml`);
  const template = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(template);
  return { template, file, seed };
}

/** A runner that also keeps every outcome it produced. */
function recording(inner: BlockRunner, into: RunOutcome[]): BlockRunner {
  return { runBlock: async (indexes, keepGoing) => { const got = await inner.runBlock(indexes, keepGoing); into.push(...got); return got; }, close: () => inner.close() };
}

const retryAt = (input: Record<string, unknown>) => ((input.steps as Array<Record<string, unknown>>)[1]!.at as number);

describe('Explorer.plan: run i draws from (seed, i) alone', () => {
  it('plans the same run the same way in another Explorer, and another run or seed differently', () => {
    const a = new Explorer(setup('retry-in-lag', 7));
    const b = new Explorer(setup('retry-in-lag', 7));
    const c = new Explorer(setup('retry-in-lag', 8));
    expect(JSON.stringify(b.plan(12).input)).toBe(JSON.stringify(a.plan(12).input));
    expect(a.plan(12).seed).not.toBe(a.plan(13).seed);
    expect(a.plan(12).seed).not.toBe(c.plan(12).seed);
  });

  it('pins every range to a whole ms inside it and sets the run seed', () => {
    const explorer = new Explorer(setup('retry-in-lag'));
    for (let i = 0; i < 200; i++) {
      const plan = explorer.plan(i);
      expect(Number.isInteger(retryAt(plan.input))).toBe(true);
      expect(retryAt(plan.input)).toBeGreaterThanOrEqual(0);
      expect(retryAt(plan.input)).toBeLessThanOrEqual(300_000);
      expect(plan.input.seed).toBe(plan.seed);
    }
  });

  it('draws about explore.bias of the runs by the biased strategies, which place times within 5 ms of another', () => {
    const explorer = new Explorer(setup('retry-in-lag'));
    const plans = Array.from({ length: 2000 }, (_, i) => explorer.plan(i));
    const biased = plans.filter((p) => p.biased);
    expect(biased.length / plans.length).toBeGreaterThan(0.45);
    expect(biased.length / plans.length).toBeLessThan(0.55);
    // The retry's anchors are the fixed times 0 and 6m (clamped to its range's end, 5m).
    const near = biased.filter((p) => retryAt(p.input) <= 5 || retryAt(p.input) === 300_000).length;
    expect(near / biased.length).toBeGreaterThan(0.4);
    const uniformNear = plans.filter((p) => !p.biased && retryAt(p.input) <= 5).length;
    expect(uniformNear).toBeLessThan(5);
    const none = new Explorer(setup('retry-in-lag', 1, (t) => (t.explore = { bias: 0 })));
    expect(Array.from({ length: 500 }, (_, i) => none.plan(i)).some((p) => p.biased)).toBe(false);
  });
});

// Hundreds of runs per test: more than the default 20 s on a loaded 2-core machine.
describe('search', { timeout: 60_000 }, () => {
  it('finds planted race (a), a retry inside the lag window, with uniform draws alone within a few hundred runs', async () => {
    const explorer = new Explorer(setup('retry-in-lag', 1, (t) => (t.explore = { bias: 0 })));
    const result = await search({ runs: 3000 }, [inProcessRunner(explorer)], 0);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.signature).toBe('expectation: effects of key charge-1 (above)');
    // Found in the few hundred uniform draws it takes, and every run before it passed.
    expect(result.failures[0]!.index).toBeLessThan(1500);
    expect(result.runs).toBe(result.failures[0]!.index + 1);
    expect(result.ended).toBe('failure');
  });

  it('finds planted race (b), a 3 ms window in ten minutes, within 20,000 runs by the biased search', async () => {
    const explorer = new Explorer(setup('three-ms'));
    const result = await search({ runs: 20_000 }, [inProcessRunner(explorer)], 0);
    expect(result.failures.map((f) => f.signature)).toEqual(['expectation: count conflicts (above)']);
    const plan = explorer.plan(result.failures[0]!.index);
    const [a, b] = (plan.input.steps as Array<{ at: number }>).map((s) => s.at);
    expect(Math.abs(a! - b!)).toBeLessThan(3);
  });

  it('uniform draws alone miss race (b): its window is 5 of 600,001 offsets, under 1 in 100,000', async () => {
    const explorer = new Explorer(setup('three-ms', 1, (t) => (t.explore = { bias: 0 })));
    const result = await search({ runs: 200 }, [inProcessRunner(explorer)], 0);
    expect(result.failures).toEqual([]);
    expect(5 / 600_001).toBeLessThan(1 / 100_000);
  });

  it('the first failure is the lowest failing index, whatever the block boundaries and runners', async () => {
    const explorer = new Explorer(setup('retry-in-lag'));
    const all: RunOutcome[] = [];
    await search({ runs: 300, keepGoing: true }, [recording(inProcessRunner(explorer), all)], 0);
    const failing = all.filter((o) => o.signature !== undefined).map((o) => o.index).sort((x, y) => x - y);
    expect(failing.length).toBeGreaterThan(2);
    const one = await search({ runs: 300 }, [inProcessRunner(explorer)], 0);
    const three = await search({ runs: 300 }, [inProcessRunner(explorer), inProcessRunner(explorer), inProcessRunner(explorer)], 0);
    expect(one.failures[0]!.index).toBe(failing[0]);
    expect(three).toEqual(one);
  });

  it('--shard halves together equal the unsharded run: the same failing runs, the same first failure', async () => {
    const explorer = new Explorer(setup('retry-in-lag'));
    const whole: RunOutcome[] = [];
    const halves: RunOutcome[] = [];
    await search({ runs: 160, keepGoing: true }, [recording(inProcessRunner(explorer), whole)], 0);
    const first = await search({ runs: 160, shard: { k: 1, n: 2 }, keepGoing: true }, [recording(inProcessRunner(explorer), halves)], 0);
    const second = await search({ runs: 160, shard: { k: 2, n: 2 }, keepGoing: true }, [recording(inProcessRunner(explorer), halves)], 0);
    expect(first.runs + second.runs).toBe(160);
    expect(halves.filter((o) => o.index % 2 === 0)).toHaveLength(80);
    const failing = (list: RunOutcome[]) => list.filter((o) => o.signature).map((o) => `${o.index} ${o.signature}`).sort();
    expect(failing(halves)).toEqual(failing(whole));
    const unsharded = await search({ runs: 160 }, [inProcessRunner(explorer)], 0);
    const shardFirsts = await Promise.all([1, 2].map((k) => search({ runs: 160, shard: { k, n: 2 } }, [inProcessRunner(explorer)], 0)));
    expect(Math.min(...shardFirsts.map((r) => r.failures[0]!.index))).toBe(unsharded.failures[0]!.index);
  });

  it('counts the sometimes conditions each run met, and finds no failure in a correct design', async () => {
    const explorer = new Explorer(setup('correct-design'));
    expect(explorer.sometimesNames).toEqual(['a conflict happened', 'no conflict']);
    const result = await search({ runs: 300 }, [inProcessRunner(explorer)], 2);
    expect(result.failures).toEqual([]);
    expect(result.runs).toBe(300);
    expect(result.hits[0]).toBeGreaterThan(0);
    expect(result.hits[1]).toBeGreaterThan(0);
    expect(result.hits[0]! + result.hits[1]!).toBe(300);
  });

  it('stops starting blocks once the time budget is spent', async () => {
    const explorer = new Explorer(setup('correct-design'));
    let checks = 0;
    const blocks: number[][] = [];
    const runner = inProcessRunner(explorer);
    const result = await search({ runs: Infinity, outOfTime: () => ++checks > 2 }, [{ ...runner, runBlock: (indexes, keepGoing) => (blocks.push(indexes), runner.runBlock(indexes, keepGoing)) }], 2);
    expect(result.ended).toBe('time');
    // two blocks, in order: the first of 32 runs, the second sized by how long the first took
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toHaveLength(32);
    expect(blocks.flat()).toEqual(Array.from({ length: blocks.flat().length }, (_, i) => i));
    expect(result.runs).toBe(blocks.flat().length);
  });

  it('sizes each block to take about 50 ms at the rate of the last, between 4 and 1,024 runs', () => {
    expect([nextBlockSize(32, 50), nextBlockSize(32, 5), nextBlockSize(32, 400), nextBlockSize(32, 10_000), nextBlockSize(512, 1), nextBlockSize(32, 0)]).toEqual([32, 320, 4, 4, 1024, 1024]);
  });
});

const built = existsSync(fileURLToPath(workerScript()));
describe('worker threads', { timeout: 60_000 }, () => {
  it.skipIf(!built)('two workers find the same first failure and count the same runs as one (skipped when dist/ is not built)', async () => {
    const s = setup('retry-in-lag', 3);
    const one = await search({ runs: 500 }, [inProcessRunner(new Explorer(s))], 0);
    const runners = await workerRunners(s, 2);
    try {
      const two = await search({ runs: 500 }, runners, 0);
      expect(two).toEqual(one);
    } finally {
      await Promise.all(runners.map((r) => r.close()));
    }
  });
});
