import type { TraceEvent } from '../../trace/events.js';

/**
 * Where each trace event sits on the trace's time axis, in integer nanoseconds (the Trace Event
 * Format counts microseconds; fractions down to the nanosecond are kept by Perfetto and catapult).
 *
 * Many steps share one virtual millisecond (a write, its sends and the outcome happen "at once").
 * Drawn at the same timestamp they would stack, and Perfetto nests or drops slices that start
 * together on one track. So every event gets its own instant: the events of one millisecond share
 * it in trace order, `width` apart (at most 100 µs, so a busy millisecond still fits in itself),
 * and an instantaneous step is drawn as a slice `tick` long (half its width). The timestamps then
 * increase strictly with `seq`: anything caused later is drawn later, so a flow never ends before it
 * starts, and a flow bound at the middle of a tick never meets another event's timestamp.
 */
export interface TraceClock {
  /** Start of event i (index in the trace), ns. */
  ts: number[];
  /** Length of event i's tick, ns (≥ MIN_TICK_NS). */
  tick: number[];
}

const NS_PER_MS = 1_000_000;
/** The widest share one event gets of its millisecond: 100 µs, so a tick reads as a mark, not a bar. */
const MAX_WIDTH_NS = 100_000;
/**
 * The narrowest share: a tick of 4 ns leaves room for a flow binding at its middle (2 ns in) and a
 * marker instant at its end. More than 125,000 events in one millisecond spill into the next one
 * (still in order); no scenario comes near.
 */
const MIN_WIDTH_NS = 8;

export function traceClock(trace: TraceEvent[]): TraceClock {
  const ts: number[] = new Array<number>(trace.length);
  const tick: number[] = new Array<number>(trace.length);
  // Where the previous event's share ends: the next one never starts before it.
  let free = -Infinity;
  let i = 0;
  while (i < trace.length) {
    // One group: the events of one virtual time (the trace is in time order).
    const t = trace[i]!.t;
    let j = i;
    while (j < trace.length && trace[j]!.t === t) j++;
    const base = Math.round(t * NS_PER_MS);
    // The group's room is its millisecond, or less when the next time is nearer (wall-clock times
    // of a DynamoDB run): never more, so a step is drawn inside the millisecond it happened in.
    const room = j < trace.length ? Math.min(NS_PER_MS, Math.round(trace[j]!.t * NS_PER_MS) - base) : NS_PER_MS;
    const width = Math.max(MIN_WIDTH_NS, Math.min(MAX_WIDTH_NS, Math.floor(room / (j - i))));
    for (let k = i; k < j; k++) {
      const at = Math.max(base + (k - i) * width, free);
      ts[k] = at;
      tick[k] = Math.floor(width / 2);
      free = at + width;
    }
    i = j;
  }
  return { ts, tick };
}

/** Virtual ms as ns on the trace's axis (answeredAt, endedAt). */
export function msToNs(ms: number): number {
  return Math.round(ms * NS_PER_MS);
}
