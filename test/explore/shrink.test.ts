import { describe, expect, it } from 'vitest';
import { shrink } from '../../src/explore/shrink.js';
import type { RunReport } from '../../src/trace/report.js';
import { failureSignature, pinned, plantedTemplate, run, twentySteps } from './shrink-fixtures.js';

type Input = Record<string, unknown>;

/** The planted race with nothing else: what every shrink of it must end at. */
const LAG = { distribution: 'uniform', min: 300, max: 900 };
const MINIMAL_PLANTED = {
  name: 'planted-repro',
  seed: 7,
  regions: ['us-east-1', 'eu-west-1'],
  replication: {
    lag: LAG,
    links: [
      { from: 'eu-west-1', to: 'us-east-1', lag: { distribution: 'sequence', ms: [300] } },
      { from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'sequence', ms: [300] } },
    ],
  },
  application: { strategy: 'client-lww', idempotency: 'local' },
  steps: [
    { at: 0, event: { id: 'e1', region: 'us-east-1', key: 'payment-7', item: 'PAY#A', data: {} } },
    { at: 0, retry: { of: 'e1', region: 'eu-west-1' } },
  ],
  expect: { effects: { 'payment-7': 1 } },
};

/**
 * A run whose one assertion fails exactly when `holds(input)`: the model still loads and runs each
 * candidate (so an invalid one is refused as in explore), but the failure is the test's to decide.
 */
function judgedBy(holds: (input: any) => boolean): (input: Input) => Promise<RunReport> {
  return async (input) => {
    const report = await run(input);
    return { ...report, assertions: holds(input) ? [{ source: 'expectation', name: 'planted', passed: false, expected: true, actual: false }] : [] };
  };
}

describe('shrink on the model', () => {
  it('a planted race among noise (other events, a retry, a read, a check, a fault, two spare regions, expectations) shrinks to its minimal form', async () => {
    const { input, report, floors } = await pinned(plantedTemplate(), 7);
    const signature = failureSignature(report)!;
    expect(signature).toBe('expectation: effects of key payment-7 (above)');
    const result = await shrink(input, signature, run, { lagFloors: floors });
    // Minimal: the payment event and its retry in the other region at the same moment, each link's
    // one lag at the distribution's minimum (300ms: the retry still lands before the record), no
    // data, item PAY#A (its prefix kept), event e1, only the failing expectation; no fault, read, check or spare region.
    expect(result.input).toEqual(MINIMAL_PLANTED);
    expect(result.complete).toBe(true);
    expect(failureSignature(await run(result.input))).toBe(signature);
    expect(result.steps).toContain('dropped faults[0]');
    expect(result.steps).toContain('renamed events pay-7 → e1');
  });

  it('is idempotent and deterministic: shrinking again changes nothing; the same input gives the same bytes', async () => {
    const { input, report, floors } = await pinned(plantedTemplate(), 7);
    const signature = failureSignature(report)!;
    const first = await shrink(input, signature, run, { lagFloors: floors });
    const second = await shrink(input, signature, run, { lagFloors: floors });
    expect(JSON.stringify(second.input)).toBe(JSON.stringify(first.input));
    expect(second.steps).toEqual(first.steps);
    expect(second.runs).toBe(first.runs);
    const again = await shrink(first.input, signature, run, { lagFloors: floors });
    expect(again.steps).toEqual([]);
    expect(JSON.stringify(again.input)).toBe(JSON.stringify(first.input));
  });

  it('a 20-step scenario whose failure needs 2 steps shrinks to those 2 in under 60 runs', async () => {
    const { input, report, floors } = await pinned(twentySteps(), 1);
    const signature = failureSignature(report)!;
    expect(signature).toBe('invariant: at most one effect per idempotency key');
    const result = await shrink(input, signature, run, { lagFloors: floors });
    expect(result.input.steps).toEqual([
      { at: 0, event: { id: 'e1', region: 'us-east-1', item: 'PAY#A', data: {} } },
      { at: 0, retry: { of: 'e1', region: 'eu-west-1' } },
    ]);
    expect(failureSignature(await run(result.input))).toBe(signature);
    // The number of runs is deterministic (46 when written); the bound leaves room for new passes.
    expect(result.runs).toBeLessThan(60);
  });

  it('refuses an input that does not fail with the signature', async () => {
    const { input } = await pinned(plantedTemplate(), 7);
    await expect(shrink(input, 'expectation: converged', run)).rejects.toThrow(/does not fail with "expectation: converged"/);
  });
});

describe('shrink passes', () => {
  it('renames items A, B, ... (their prefix kept: ORDER#A) and events e1, e2, ... in first-use order, with every reference', async () => {
    const input = {
      name: 'refs',
      regions: ['us-east-1', 'eu-west-1'],
      replication: { lag: { distribution: 'fixed', ms: 500 } },
      lambda: { invocation: 'async' },
      faults: [{ at: '1s', until: '3s', lambdaFailure: { event: 'order-created', attempts: [1] } }],
      steps: [
        { at: 100, event: { id: 'order-created', region: 'us-east-1', item: 'ORDER#9', data: { status: 'created' } } },
        { at: 200, event: { id: 'order-paid', region: 'eu-west-1', key: 'paid-1', item: 'ORDER#3', data: { paid: 'yes' } } },
        { at: 300, retry: { of: 'order-created', region: 'eu-west-1' } },
        { at: 400, check: { name: 'c', items: { 'ORDER#9': { Id: 'ORDER#9' } }, regions: { 'eu-west-1': { 'ORDER#3': null } }, effects: { 'order-created': 1 } } },
        { at: '5m', redrive: { events: ['order-created'] } },
      ],
      expect: { items: { 'ORDER#3': { Id: 'ORDER#3' }, 'ORDER#9': { Id: 'ORDER#9' } }, effects: { 'order-created': 1, 'paid-1': 1 } },
    };
    // Fails while every part still names the same two events and items, however they are called.
    const consistent = (i: any): boolean => {
      const events = i.steps.filter((s: any) => s.event).map((s: any) => s.event);
      const [first, second] = events;
      const check = i.steps.find((s: any) => s.check)?.check;
      return (
        i.steps.length === 5 &&
        events.length === 2 &&
        first.key === undefined &&
        i.steps.some((s: any) => s.retry?.of === first.id) &&
        i.steps.some((s: any) => s.redrive?.events?.includes(first.id)) &&
        i.faults?.[0]?.lambdaFailure.event === first.id &&
        check?.items?.[first.item] !== undefined &&
        check?.regions?.['eu-west-1']?.[second.item] === null &&
        check?.effects?.[first.id] === 1 &&
        i.expect?.items?.[first.item] !== undefined &&
        i.expect?.items?.[second.item] !== undefined &&
        i.expect?.effects?.[first.id] === 1 &&
        i.expect?.effects?.['paid-1'] === 1
      );
    };
    const result = await shrink(input, 'expectation: planted', judgedBy(consistent));
    expect(result.input).toEqual({
      name: 'refs-repro',
      regions: ['us-east-1', 'eu-west-1'],
      replication: { lag: { distribution: 'fixed', ms: 500 } },
      lambda: { invocation: 'async' },
      // the window moved as early as it can without failing an attempt the input's run did not
      // fail (the events are at 0 now), and shortened
      faults: [{ at: 1, until: 244, lambdaFailure: { event: 'e1', attempts: [1] } }],
      // items keep their prefix (the event names its resource after it: event.order)
      steps: [
        { at: 0, event: { id: 'e1', region: 'us-east-1', item: 'ORDER#A', data: {} } },
        { at: 0, event: { id: 'e2', region: 'eu-west-1', key: 'paid-1', item: 'ORDER#B', data: {} } },
        { at: 0, retry: { of: 'e1', region: 'eu-west-1' } },
        { at: 0, check: { name: 'c', items: { 'ORDER#A': { Id: 'ORDER#A' } }, regions: { 'eu-west-1': { 'ORDER#B': null } }, effects: { e1: 1 } } },
        { at: 0, redrive: { events: ['e1'] } },
      ],
      expect: { items: { 'ORDER#B': { Id: 'ORDER#B' }, 'ORDER#A': { Id: 'ORDER#A' } }, effects: { e1: 1, 'paid-1': 1 } },
    });
  });

  it('finds the least time and lag a failure needs by binary search, cuts lags to the writes sent and stops at the floor', async () => {
    const input = {
      name: 'search',
      regions: ['us-east-1', 'eu-west-1'],
      replication: {
        links: [
          { from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'sequence', ms: [700, 650, 800, 800, 900] } },
          { from: 'eu-west-1', to: 'us-east-1', lag: { distribution: 'sequence', ms: [400] } },
        ],
      },
      application: { strategy: 'client-lww', idempotency: 'local' },
      steps: [
        { at: 500, event: { id: 'e1', region: 'us-east-1', key: 'k', item: 'A', data: { s: 'long text' } } },
        { at: 900, retry: { of: 'e1', region: 'eu-west-1' } },
      ],
    };
    // Fails while the first write's lag is at least 437ms, the retry comes at 123ms or later, and the data's string starts "lo".
    const holds = (i: any) => i.replication.links[0].lag.ms[0] >= 437 && (i.steps[1]?.at ?? -1) >= 123 && String(i.steps[0].event.data.s ?? '').startsWith('lo');
    const result = await shrink(input, 'expectation: planted', judgedBy(holds), { lagFloors: { 'us-east-1→eu-west-1': 300 } });
    const out = result.input as any;
    expect(out.steps.map((s: any) => s.at)).toEqual([0, 123]);
    expect(out.steps[0].event.data).toEqual({ s: 'lo' });
    // us-east-1 sent two writes (the item and its idempotency record): two lags, the second at the
    // floor; eu-west-1's duplicate went back with no floor given, so 0.
    expect(out.replication.links).toEqual([
      { from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'sequence', ms: [437, 300] } },
      { from: 'eu-west-1', to: 'us-east-1', lag: { distribution: 'sequence', ms: [0] } },
    ]);
  });

  it('lowers a time drawn from a range no further than the range’s start, and keeps each floor with its step when steps and faults before it are dropped', async () => {
    const input = {
      name: 'floors',
      regions: ['us-east-1', 'eu-west-1'],
      replication: { lag: { distribution: 'fixed', ms: 500 } },
      lambda: { invocation: 'async' },
      faults: [
        { at: 2000, lambdaFailure: { event: 'noise', attempts: [1] } },
        { at: 3000, until: 3500, lambdaFailure: { event: 'e1', attempts: [1] } },
      ],
      steps: [
        { at: 100, event: { id: 'noise', region: 'eu-west-1', item: 'B', data: {} } },
        { at: 200, check: { name: 'noise check', items: { B: { Id: 'B' } } } },
        { at: 5000, event: { id: 'e1', region: 'us-east-1', item: 'A', data: {} } },
        { at: 9000, update: { region: 'eu-west-1', id: 'A', set: { s: 'x' } } },
      ],
    };
    // the file drew steps[2] from [4s, 6s], steps[3] from [8s, 10s] and faults[1] from [2.5s, 4s]
    const timeFloors = { steps: [undefined, undefined, 4000, 8000], faults: [undefined, 2500] };
    // Fails whenever the event, its fault and the update are there: nothing in the run holds the times up.
    const holds = (i: any) => {
      const event = i.steps.find((s: any) => s.event?.item === 'A')?.event;
      return event !== undefined && i.steps.some((s: any) => s.update) && i.faults?.some((f: any) => f.lambdaFailure.event === event.id);
    };
    const result = await shrink(input, 'expectation: planted', judgedBy(holds), { timeFloors });
    const out = result.input as any;
    // the noise event (with its fault) and the check went first; the floors followed their steps
    expect(out.steps.map((s: any) => Object.keys(s)[1])).toEqual(['event', 'update']);
    expect(out.steps.map((s: any) => s.at)).toEqual([4000, 8000]);
    expect(out.faults).toEqual([{ at: 2500, until: 3000, lambdaFailure: { event: 'e1', attempts: [1] } }]);
    // without floors the same shrink takes every time to 0
    const free = (await shrink(input, 'expectation: planted', judgedBy(holds))).input as any;
    expect(free.steps.map((s: any) => s.at)).toEqual([0, 0]);
  });

  it('moves two steps that race within a few ms earlier together, to their floor, in a few runs (one at a time they crept by the race’s width per round)', async () => {
    const input = {
      name: 'narrow',
      regions: ['us-east-1', 'eu-west-1'],
      replication: { lag: { distribution: 'fixed', ms: 3 } },
      application: { strategy: 'service-lww', idempotency: 'none' },
      // a fault from 0 (no `at`) that stays where it is, and a window around the race that moves with it
      faults: [
        { duration: '10m', clockSkew: { region: 'us-east-1', skew: 1 } },
        { at: 228_000, duration: 1000, clockSkew: { region: 'eu-west-1', skew: 5 } },
      ],
      steps: [
        { at: 0, put: { region: 'us-east-1', item: { Id: 'X', s: 'placed' } } },
        { at: 228_629, update: { region: 'us-east-1', id: 'X', set: { a: 1 } } },
        { at: 228_630, update: { region: 'eu-west-1', id: 'X', set: { b: 1 } } },
      ],
    };
    // Fails while both updates come within 3 ms of each other, inside the second fault's window, after the put, with both faults.
    const holds = (i: any) => {
      const [first, second] = i.steps.filter((s: any) => s.update).map((s: any) => s.at as number);
      const fault = i.faults?.find((f: any) => f.clockSkew.region === 'eu-west-1');
      return first !== undefined && second !== undefined && Math.abs(second - first) <= 3 && fault !== undefined && fault.at <= first && first < fault.at + 1000 && i.steps.some((s: any) => s.put) && i.faults.length === 2;
    };
    const result = await shrink(input, 'expectation: planted', judgedBy(holds), { timeFloors: { steps: [undefined, 10_000, 10_000] }, maxRuns: 300 });
    const out = result.input as any;
    // the race and its window moved as one, to the updates' floor (the put stays first)
    expect(out.steps.map((s: any) => s.at)).toEqual([0, 10_000, 10_000]);
    expect(out.faults.map((f: any) => f.at)).toEqual([undefined, expect.any(Number)]);
    expect(out.faults[1].at).toBeLessThanOrEqual(10_000);
    expect(result.complete).toBe(true);
    expect(result.runs).toBeLessThan(200);
  });

  it('keeps at least two regions and drops only those nothing names, with their links, clocks and latencies', async () => {
    const input = {
      regions: ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'],
      replication: { lag: { distribution: 'fixed', ms: 100 }, links: [{ from: 'sa-east-1', to: 'ap-south-1', lag: { distribution: 'fixed', ms: 5 } }] },
      clocks: { 'ap-south-1': { skew: 5 }, 'us-east-1': { skew: 7 } },
      steps: [{ at: 0, event: { id: 'x', region: 'ap-south-1', item: 'A', data: {} } }],
    };
    const result = await shrink(input, 'expectation: planted', judgedBy(() => true));
    expect(result.input.regions).toEqual(['us-east-1', 'ap-south-1']);
    expect(result.input.replication).toEqual({ lag: { distribution: 'fixed', ms: 100 } });
    expect(result.input.clocks).toEqual({ 'ap-south-1': { skew: 5 }, 'us-east-1': { skew: 7 } });
  });

  it('maxRuns and the deadline only cut it short: the result still fails the same way', async () => {
    const { input, report, floors } = await pinned(plantedTemplate(), 7);
    const signature = failureSignature(report)!;
    const short = await shrink(input, signature, run, { lagFloors: floors, maxRuns: 6 });
    expect(short.runs).toBe(6);
    expect(short.complete).toBe(false);
    expect(failureSignature(await run(short.input))).toBe(signature);
    const full = await shrink(input, signature, run, { lagFloors: floors });
    expect(full.steps.slice(0, short.steps.length)).toEqual(short.steps);
    // a clock that advances 1ms per reading: the deadline comes after a fixed number of runs
    let now = 0;
    const timed = await shrink(input, signature, run, { lagFloors: floors, deadlineMs: 10, clock: () => now++ });
    expect(timed.complete).toBe(false);
    expect(timed.runs).toBeLessThan(10);
    expect(failureSignature(await run(timed.input))).toBe(signature);
    // stopped from outside (Ctrl-C) after its fourth run: the smallest input so far
    let runs = 0;
    const counted = (i: typeof input) => (runs++, run(i));
    const stopped = await shrink(input, signature, counted, { lagFloors: floors, stop: () => runs >= 4 });
    expect([stopped.runs, stopped.complete]).toEqual([4, false]);
    expect(failureSignature(await run(stopped.input))).toBe(signature);
  });
});
