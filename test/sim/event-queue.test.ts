import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, TimeWheel } from '../../src/sim/event-queue.js';
import { Rng } from '../../src/sim/rng.js';

/** A push or a pop, as a property run interleaves them. */
type Op = { push: number } | { pop: true };

/**
 * The agenda as a reader understands it: the earliest time first, and among tasks due at the same
 * time the one scheduled first (the model's tie rule; a trace depends on it).
 */
class ReferenceQueue {
  private entries: Array<{ time: number; task: number }> = [];
  push(time: number, task: number): void {
    this.entries.push({ time, task });
  }
  pop(): { time: number; task: number } | undefined {
    if (this.entries.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.entries.length; i++) if (this.entries[i]!.time < this.entries[best]!.time) best = i;
    return this.entries.splice(best, 1)[0];
  }
  peekTime(): number | undefined {
    return this.entries.length === 0 ? undefined : Math.min(...this.entries.map((e) => e.time));
  }
  get size(): number {
    return this.entries.length;
  }
}

// Few distinct times, so most pushes tie with another task.
const ops = fc.array(fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }).map((push): Op => ({ push })) }, { weight: 2, arbitrary: fc.constant<Op>({ pop: true }) }), {
  maxLength: 400,
});

describe('EventQueue', () => {
  it('runs tasks due at the same time in the order they were pushed (FIFO), across interleaved pushes and pops', () => {
    fc.assert(
      fc.property(ops, (script) => {
        const queue = new EventQueue<number>();
        const reference = new ReferenceQueue();
        let next = 0;
        for (const op of script) {
          if ('push' in op) {
            queue.push(op.push, next);
            reference.push(op.push, next);
            next++;
          } else {
            expect(queue.pop()).toEqual(reference.pop());
          }
          expect(queue.size).toBe(reference.size);
          expect(queue.peekTime()).toBe(reference.peekTime());
        }
        // Whatever is left comes out in the same order too.
        for (let r = reference.pop(); r !== undefined; r = reference.pop()) expect(queue.pop()).toEqual(r);
        expect(queue.pop()).toBeUndefined();
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('keeps FIFO among equal times for many tasks at one time (a heap that is not stable would reorder them)', () => {
    const queue = new EventQueue<string>();
    for (let i = 0; i < 1000; i++) queue.push(i % 2 === 0 ? 5 : 7, `t${i}`);
    const popped: string[] = [];
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(`${e.time}:${e.task}`);
    const expected = [...Array.from({ length: 500 }, (_, k) => `5:t${2 * k}`), ...Array.from({ length: 500 }, (_, k) => `7:t${2 * k + 1}`)];
    expect(popped).toEqual(expected);
  });

  it('runs a task pushed for the current time after the tasks already due then (a continuation waits its turn)', () => {
    const queue = new EventQueue<string>();
    queue.push(10, 'a');
    queue.push(10, 'b');
    expect(queue.pop()).toEqual({ time: 10, task: 'a' });
    queue.push(10, 'c'); // scheduled while running a, for the same time
    queue.push(3, 'earlier');
    expect([queue.pop(), queue.pop(), queue.pop()]).toEqual([
      { time: 3, task: 'earlier' },
      { time: 10, task: 'b' },
      { time: 10, task: 'c' },
    ]);
    expect(queue.size).toBe(0);
    expect(queue.peekTime()).toBeUndefined();
  });
});


describe('TimeWheel (the agenda without seeded ties)', () => {
  // Times around its window: whole ms near each other, fractions, far ahead (past its 4096 slots), huge ones.
  const time = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 9000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 24 }).map((t) => t / 4) },
    { weight: 1, arbitrary: fc.constantFrom(4095, 4096, 4097, 8191, 8192, 2 ** 31 - 1, 2 ** 31, 2 ** 40 + 3) },
  );
  // Pushes relative to the last time popped (a task is never due before the agenda's now), or anywhere.
  const script = fc.array(fc.oneof({ weight: 3, arbitrary: fc.record({ push: time, relative: fc.boolean() }) }, { weight: 2, arbitrary: fc.constant({ pop: true as const }) }), { maxLength: 400 });

  it('pops as EventQueue does: the earliest time first, equal times in the order pushed', () => {
    fc.assert(
      fc.property(script, (ops) => {
        const wheel = new TimeWheel<number>();
        const reference = new ReferenceQueue();
        let next = 0;
        let now = 0;
        for (const op of ops) {
          if ('push' in op) {
            const at = op.relative ? now + op.push : op.push;
            wheel.push(at, next);
            reference.push(at, next);
            next++;
          } else {
            const popped = reference.pop();
            if (popped !== undefined) now = popped.time;
            expect(wheel.peekTask()).toBe(popped?.task);
            expect(wheel.pop()).toEqual(popped);
          }
          expect(wheel.size).toBe(reference.size);
          expect(wheel.peekTime()).toBe(reference.peekTime());
        }
        for (let r = reference.pop(); r !== undefined; r = reference.pop()) expect(wheel.pop()).toEqual(r);
        expect(wheel.pop()).toBeUndefined();
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('runs a task pushed while its time was beyond the wheel before one pushed for that time later', () => {
    const wheel = new TimeWheel<string>();
    wheel.push(0, 'now');
    wheel.push(5000, 'early'); // beyond the wheel's 4096 ms then
    wheel.push(3000, 'step');
    expect(wheel.pop()).toEqual({ time: 0, task: 'now' });
    expect(wheel.pop()).toEqual({ time: 3000, task: 'step' });
    wheel.push(5000, 'later'); // within it now
    wheel.push(4999, 'before');
    expect([wheel.pop(), wheel.pop(), wheel.pop()]).toEqual([
      { time: 4999, task: 'before' },
      { time: 5000, task: 'early' },
      { time: 5000, task: 'later' },
    ]);
  });

  it('keeps a slot\'s tasks in order across reuse of the slot a lap later', () => {
    const wheel = new TimeWheel<string>();
    for (let lap = 0; lap < 3; lap++) {
      const at = lap * 4096 + 5;
      for (let i = 0; i < 50; i++) wheel.push(at, `${lap}:${i}`);
      wheel.push(at + 4000, `late${lap}`);
      for (let i = 0; i < 50; i++) expect(wheel.pop()).toEqual({ time: at, task: `${lap}:${i}` });
      expect(wheel.pop()).toEqual({ time: at + 4000, task: `late${lap}` });
    }
    expect(wheel.size).toBe(0);
  });
});

describe('EventQueue with a tiebreak stream (replication.simultaneous: seeded)', () => {
  const drain = (seed: number) => {
    const q = new EventQueue<number>(new Rng(seed, 'simultaneous'));
    for (let i = 0; i < 8; i++) q.push(i % 2 === 0 ? 10 : 5, i);
    q.push(1, 99);
    const out: Array<[number, number]> = [];
    for (let e = q.pop(); e; e = q.pop()) out.push([e.time, e.task]);
    return out;
  };

  it('still pops by time; among equal times the order is drawn from the seed, the same for one seed', () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 10; seed++) {
      const out = drain(seed);
      expect(out.map(([t]) => t)).toEqual([1, 5, 5, 5, 5, 10, 10, 10, 10]);
      expect(out[0]![1]).toBe(99);
      expect(drain(seed)).toEqual(out);
      orders.add(JSON.stringify(out));
    }
    expect(orders.size).toBeGreaterThan(5);
  });
});
