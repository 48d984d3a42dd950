import { describe, expect, it } from 'vitest';
import { traceClock } from '../../../src/render/perfetto/clock.js';
import type { TraceEvent } from '../../../src/trace/events.js';

const times = (list: number[]) => list.map((t, i) => ({ kind: 'checkpoint', seq: i + 1, t, name: 'c', passed: true }) as TraceEvent);

const at = (...list: number[]) => times(list);

/** Every event after the previous one's tick: distinct, increasing, ticks disjoint. */
function expectOrdered(clock: { ts: number[]; tick: number[] }): void {
  const unordered = clock.ts.findIndex((ts, i) => i > 0 && ts <= clock.ts[i - 1]! + clock.tick[i - 1]!);
  expect(unordered).toBe(-1);
  expect(clock.tick.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(4);
}

describe('traceClock', () => {
  it('gives a step alone in its millisecond the millisecond\'s start and a 50 µs tick', () => {
    expect(traceClock(at(0, 5, 1500))).toEqual({ ts: [0, 5_000_000, 1_500_000_000], tick: [50_000, 50_000, 50_000] });
  });

  it('spreads the steps of one millisecond through it in trace order, 100 µs apart at most', () => {
    expect(traceClock(at(2, 2, 2)).ts).toEqual([2_000_000, 2_100_000, 2_200_000]);
    const busy = traceClock(at(...Array.from({ length: 40 }, () => 3)));
    expect(busy.ts[39]).toBe(3_000_000 + 39 * 25_000);
    expect(busy.ts[39]! + busy.tick[39]!).toBeLessThan(4_000_000);
    expectOrdered(busy);
    // With the next step a minute later, they still keep to their own millisecond.
    const thenQuiet = traceClock(at(...Array.from({ length: 40 }, () => 3), 60_000));
    expect(thenQuiet.ts.slice(0, 40).every((ts, i) => ts === 3_000_000 + i * 25_000)).toBe(true);
    expect(thenQuiet.ts[39]! + thenQuiet.tick[39]!).toBeLessThan(4_000_000);
    expectOrdered(thenQuiet);
  });

  it('keeps fractional (wall-clock) times apart when they are closer than a millisecond', () => {
    const clock = traceClock(at(0.3, 0.35, 0.35, 0.4));
    expect(clock.ts).toEqual([300_000, 350_000, 375_000, 400_000]);
    expectOrdered(clock);
  });

  it('stays in order when one millisecond holds more steps than it has room for', () => {
    const clock = traceClock(times([...Array.from({ length: 200_000 }, () => 1), 2]));
    expectOrdered(clock);
    expect(clock.ts[200_000]).toBeGreaterThan(clock.ts[199_999]!);
  });

  it('is exact in nanoseconds days into a run', () => {
    const day3 = 3 * 86_400_000;
    const clock = traceClock(at(day3, day3, day3 + 1));
    expect(clock.ts).toEqual([day3 * 1e6, day3 * 1e6 + 100_000, (day3 + 1) * 1e6]);
    // The format's µs: still distinct, in order, as numbers a viewer reads.
    expect(clock.ts.map((ns) => ns / 1000)).toEqual([day3 * 1000, day3 * 1000 + 100, (day3 + 1) * 1000]);
  });
});
