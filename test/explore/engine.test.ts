import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Explorer, inProcessRunner, JOIN_IF_LEFT_MS, nextBlockSize, search, searchRunners, workerRunners, workerScript, type BlockRunner, type LaterRunners, type RunOutcome, type SearchSetup } from '../../src/explore/engine.js';

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

  it('runners that join later (worker threads) start only when judged worth it, and change nothing in the result', async () => {
    const explorer = new Explorer(setup('retry-in-lag'));
    const one = await search({ runs: 2000, keepGoing: true }, [inProcessRunner(explorer)], 0);
    const asked: number[] = [];
    const ranLate: RunOutcome[] = [];
    const joining = (worth: boolean): LaterRunners => ({
      measureMs: 0,
      worth: (remainingMs) => (asked.push(remainingMs), worth),
      start: async () => [recording(inProcessRunner(explorer), ranLate)],
    });
    // judged once the search has run a while (its rate measured), with the time its runs have left
    const declined = await search({ runs: 2000, keepGoing: true }, [inProcessRunner(explorer, { yieldToEventLoop: true })], 0, joining(false));
    expect(declined).toEqual(one);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((ms) => ms >= 0 && Number.isFinite(ms))).toBe(true);
    expect(asked[0]).toBeGreaterThan(0);
    expect(ranLate).toEqual([]);
    const joined = await search({ runs: 2000, keepGoing: true }, [inProcessRunner(explorer, { yieldToEventLoop: true })], 0, joining(true));
    expect(joined).toEqual(one);
    expect(ranLate.length).toBeGreaterThan(0);
    expect(ranLate.every((o) => o.index >= 32)).toBe(true);
  });

  it('judges what is left at the fastest block’s rate: one block slowed by a pause of the machine does not start threads', async () => {
    let blocks = 0;
    const paced: BlockRunner = {
      runBlock: async (indexes) => {
        await new Promise((resolve) => setTimeout(resolve, ++blocks === 3 ? 300 : 5));
        return indexes.map((index) => ({ index, hits: [] }));
      },
      close: async () => {},
    };
    const asked: number[] = [];
    await search({ runs: 5000 }, [paced], 0, { measureMs: 0, worth: (ms) => (asked.push(ms), false), start: async () => [] });
    expect(blocks).toBeGreaterThan(4);
    // runs left only fall and the rate only rises: never a larger estimate than the one before
    for (let i = 1; i < asked.length; i++) expect(asked[i]).toBeLessThanOrEqual(asked[i - 1]!);
  });

  it('--workers K: this thread at once, K - 1 threads only with JOIN_IF_LEFT_MS left by the runs and by the time budget', () => {
    const explorer = new Explorer(setup('correct-design'));
    expect(searchRunners(explorer, 1).later).toBeUndefined();
    const unbounded = searchRunners(explorer, 2).later!;
    expect([unbounded.worth(JOIN_IF_LEFT_MS), unbounded.worth(JOIN_IF_LEFT_MS - 1), unbounded.worth(Infinity)]).toEqual([true, false, true]);
    const budget = searchRunners(explorer, 2, () => JOIN_IF_LEFT_MS - 1).later!;
    expect(budget.worth(Infinity)).toBe(false);
  });

  it('a runner that fails stops the others from starting blocks (this thread cannot be terminated as a worker can)', async () => {
    const explorer = new Explorer(setup('correct-design'));
    let blocks = 0;
    const inner = inProcessRunner(explorer, { yieldToEventLoop: true });
    const counting: BlockRunner = { ...inner, runBlock: (indexes, keepGoing) => (blocks++, inner.runBlock(indexes, keepGoing)) };
    const failing: BlockRunner = {
      runBlock: () => new Promise((_, reject) => setTimeout(() => reject(new Error('the worker thread exited')), 20)),
      close: async () => {},
    };
    await expect(search({ runs: Infinity }, [counting, failing], 0)).rejects.toThrow('the worker thread exited');
    const atFailure = blocks;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(blocks - atFailure).toBeLessThanOrEqual(1);
  });

  it('late runners that fail to start stop the search (a search without end would otherwise run on)', async () => {
    const explorer = new Explorer(setup('correct-design'));
    const later: LaterRunners = { measureMs: 0, worth: () => true, start: () => Promise.reject(new Error('the worker script did not load')) };
    await expect(search({ runs: Infinity }, [inProcessRunner(explorer, { yieldToEventLoop: true })], 0, later)).rejects.toThrow('the worker script did not load');
  });

  it('a search that fails while late runners are starting waits for them, so its caller can close them', async () => {
    const explorer = new Explorer(setup('correct-design'));
    const inner = inProcessRunner(explorer, { yieldToEventLoop: true });
    let blocks = 0;
    const failsSecond: BlockRunner = { ...inner, runBlock: async (indexes, keepGoing) => (++blocks === 2 ? Promise.reject(new Error('stuck')) : inner.runBlock(indexes, keepGoing)) };
    let startedThreads = 0;
    const later: LaterRunners = {
      measureMs: 0,
      worth: () => true,
      start: async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        startedThreads++;
        return [inProcessRunner(explorer, { yieldToEventLoop: true })];
      },
    };
    await expect(search({ runs: 100_000 }, [failsSecond], 0, later)).rejects.toThrow('stuck');
    expect(startedThreads).toBe(1);
  });

  it('this thread’s runner, beside worker threads, lets the event loop turn within a block (their messages wait for it)', async () => {
    const explorer = new Explorer(setup('correct-design'));
    const order: string[] = [];
    setImmediate(() => order.push('message'));
    const started = performance.now();
    await inProcessRunner(explorer, { yieldToEventLoop: true }).runBlock(Array.from({ length: 300 }, (_, i) => i), false);
    order.push('block');
    expect(performance.now() - started).toBeGreaterThan(10);
    expect(order).toEqual(['message', 'block']);
    // without it, a block runs to its end first
    const alone: string[] = [];
    setImmediate(() => alone.push('message'));
    await inProcessRunner(explorer).runBlock(Array.from({ length: 300 }, (_, i) => i), false);
    alone.push('block');
    expect(alone).toEqual(['block']);
  });

  it('sizes each block to take about 50 ms at the rate of the last, between 1 and 1,024 runs', () => {
    expect([nextBlockSize(32, 50), nextBlockSize(32, 5), nextBlockSize(32, 400), nextBlockSize(32, 10_000), nextBlockSize(512, 1), nextBlockSize(32, 0)]).toEqual([32, 320, 4, 1, 1024, 1024]);
  });

  it('a block of slow runs stops starting runs after BLOCK_CAP_MS, and hands back the rest', async () => {
    // runs of about 100 ms (a team’s handler over a long scenario): a first block of 32 would take 3 s
    const slow = { run: async (index: number): Promise<RunOutcome> => { const end = performance.now() + 100; while (performance.now() < end); return { index, hits: [] }; } } as unknown as Explorer;
    const got = await inProcessRunner(slow).runBlock(Array.from({ length: 32 }, (_, i) => i), false);
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(got.length).toBeLessThan(32);
    expect(got.map((o) => o.index)).toEqual(Array.from({ length: got.length }, (_, i) => i));
  });

  it('out of time, runs handed back below a failure found still run: the first failure is the lowest failing index', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const failing = new Set([20, 40]);
    const outcome = (index: number): RunOutcome => (failing.has(index) ? { index, signature: 'sig', hits: [] } : { index, hits: [] });
    let found40 = false;
    // slow runs, cut after 3 as BLOCK_CAP_MS cuts them; and a fast worker thread
    const slow: BlockRunner = { runBlock: async (indexes) => { const out: RunOutcome[] = []; for (const i of indexes.slice(0, 3)) { await sleep(30); out.push(outcome(i)); if (out.at(-1)!.signature) break; } return out; }, close: async () => {} };
    const fast: BlockRunner = { pipelined: true, runBlock: async (indexes) => { const out: RunOutcome[] = []; for (const i of indexes) { await sleep(1); out.push(outcome(i)); if (i === 40) found40 = true; if (out.at(-1)!.signature) break; } return out; }, close: async () => {} };
    // the budget ends once the worker found run 40, while runs 3-31 (20 among them) wait, handed back
    const result = await search({ runs: 1000, outOfTime: () => found40 }, [slow, fast], 0);
    expect(result.failures).toEqual([{ index: 20, signature: 'sig' }]);
    expect(result.runs).toBe(21);
  });

  it('runs handed back are handed out again before later ones: every run once, the same result', async () => {
    const explorer = new Explorer(setup('retry-in-lag'));
    const full = await search({ runs: 300, keepGoing: true }, [inProcessRunner(explorer)], 0);
    const ran: number[] = [];
    // a runner that runs only the first 3 runs of any block, as one cut at BLOCK_CAP_MS does
    const inner = inProcessRunner(explorer);
    const cutting: BlockRunner = { runBlock: async (indexes, keepGoing) => { const got = await inner.runBlock(indexes.slice(0, 3), keepGoing); ran.push(...got.map((o) => o.index)); return got; }, close: async () => {} };
    expect(await search({ runs: 300, keepGoing: true }, [cutting, cutting], 0)).toEqual(full);
    expect([...ran].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    // stopped at the first failure: the same first failure, every run below it run once
    const first = await search({ runs: 300 }, [inProcessRunner(explorer)], 0);
    ran.length = 0;
    expect(await search({ runs: 300 }, [cutting, cutting], 0)).toEqual(first);
    expect(new Set(ran).size).toBe(ran.length);
    for (let i = 0; i <= first.failures[0]!.index; i++) expect(ran).toContain(i);
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

  it.skipIf(!built)('a worker thread that joins a search late finds the same failures and counts the same runs (skipped when dist/ is not built)', async () => {
    // runs enough to outlast the thread's start (it takes blocks once it is ready)
    const s = setup('retry-in-lag', 3);
    const one = await search({ runs: 8000, keepGoing: true }, [inProcessRunner(new Explorer(s))], 0);
    const threads: BlockRunner[] = [];
    const ran: RunOutcome[] = [];
    const later: LaterRunners = { measureMs: 0, worth: () => true, start: async () => (threads.push(...(await workerRunners(s, 1))), threads.map((t) => recording(t, ran))) };
    try {
      const two = await search({ runs: 8000, keepGoing: true }, [inProcessRunner(new Explorer(s), { yieldToEventLoop: true })], 0, later);
      expect(two).toEqual(one);
      expect(one.failures.length).toBeGreaterThan(0);
      expect(threads).toHaveLength(1);
      expect(ran.length).toBeGreaterThan(0);
    } finally {
      await Promise.all(threads.map((r) => r.close()));
    }
  });
});
