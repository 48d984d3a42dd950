import { describe, expect, it } from 'vitest';
import { validateTrace } from './validate.js';

// The checker must fail on what the viewers reject, or the scenario tests that use it prove nothing.
const named = [
  { name: 'process_name', ph: 'M', pid: 1, args: { name: 'us-east-1' } },
  { name: 'thread_name', ph: 'M', pid: 1, tid: 11, args: { name: 'replica' } },
  { name: 'thread_name', ph: 'M', pid: 1, tid: 12, args: { name: 'link' } },
];
const doc = (...events: object[]) => ({ traceEvents: [...named, ...events], displayTimeUnit: 'ms', otherData: {} });
const x = (ts: number, dur: number, tid = 11) => ({ name: 'w', cat: 'c', ph: 'X', ts, dur, pid: 1, tid });
const flow = (ph: 's' | 'f', id: number, ts: number, tid = 11) => ({ name: 'r', cat: 'c', ph, id, ts, pid: 1, tid, ...(ph === 'f' ? { bp: 'e' } : {}) });

describe('validateTrace (the Trace Event Format checker of the tests)', () => {
  it('accepts nested and disjoint slices, a bound flow, instants and counters', () => {
    const ok = validateTrace(
      doc(x(0, 10), x(2, 3), x(10, 5), x(0, 4, 12), flow('s', 1, 1), flow('f', 1, 11), { name: 'i', ph: 'i', s: 't', ts: 4, pid: 1, tid: 11 }, { name: 'n', ph: 'C', ts: 1, pid: 1, args: { writes: 1 } }),
    );
    expect(ok.problems).toEqual([]);
    expect(ok.flows).toBe(1);
  });

  it('rejects what is not a trace document', () => {
    expect(validateTrace([]).problems).toEqual(['the document is not a JSON object']);
    expect(validateTrace({ traceEvents: {} }).problems).toEqual(['traceEvents is not an array']);
    expect(validateTrace({ ...doc(), displayTimeUnit: 's' }).problems[0]).toMatch(/displayTimeUnit/);
  });

  it('rejects unknown phases, missing fields and bad numbers', () => {
    expect(validateTrace(doc({ name: 'a', ph: 'Q', ts: 0, pid: 1, tid: 1 })).problems[0]).toMatch(/not a phase/);
    expect(validateTrace(doc({ name: 'a', ph: 'X', ts: 0, pid: 1, tid: 1 })).problems[0]).toMatch(/X without a dur/);
    expect(validateTrace(doc({ name: 'a', ph: 'X', ts: -1, dur: 1, pid: 1, tid: 1 })).problems[0]).toMatch(/ts -1/);
    expect(validateTrace(doc({ name: 'a', ph: 'X', ts: 0, dur: 1, pid: 1 })).problems[0]).toMatch(/tid is not an integer/);
    expect(validateTrace(doc({ name: 'a', ph: 'C', ts: 0, pid: 1, args: { n: 'x' } })).problems[0]).toMatch(/counter series n/);
    expect(validateTrace(doc({ name: 'a', ph: 'i', s: 'x', ts: 0, pid: 1, tid: 1 })).problems[0]).toMatch(/instant scope/);
    expect(validateTrace(doc({ name: 'thread_name', ph: 'M', pid: 1, tid: 3, args: {} })).problems[0]).toMatch(/without args.name/);
  });

  it('rejects slices of one thread that overlap partly', () => {
    expect(validateTrace(doc(x(0, 10), x(5, 10))).problems[0]).toMatch(/overlaps .* partly/);
    // On two threads the same times are fine.
    expect(validateTrace(doc(x(0, 10), x(5, 10, 12))).problems).toEqual([]);
  });

  it('rejects a flow without one start and one finish, one that runs backwards, one bound to nothing', () => {
    expect(validateTrace(doc(x(0, 10), flow('s', 1, 1))).problems[0]).toMatch(/1 start\(s\) and 0 finish/);
    expect(validateTrace(doc(x(0, 10), flow('s', 1, 1), flow('f', 1, 2), flow('f', 1, 3))).problems[0]).toMatch(/needs one of each/);
    expect(validateTrace(doc(x(0, 10), x(20, 5), flow('s', 1, 21), flow('f', 1, 2))).problems[0]).toMatch(/finishes .* before it starts/);
    expect(validateTrace(doc(x(0, 10), flow('s', 1, 1), flow('f', 1, 15))).problems[0]).toMatch(/finishes where no slice/);
    expect(validateTrace(doc(x(0, 10), flow('s', 1, 12), flow('f', 1, 5))).problems.some((p) => /starts where no slice/.test(p))).toBe(true);
    // At the slice's very start the binding would depend on the viewer's order of equal timestamps.
    expect(validateTrace(doc(x(0, 10), x(20, 5), flow('s', 1, 0), flow('f', 1, 21))).problems[0]).toMatch(/starts where no slice/);
  });

  it('rejects unnamed threads and processes, and a tid in two processes', () => {
    expect(validateTrace(doc(x(0, 1, 9))).problems[0]).toMatch(/thread 1\/9 has no thread_name/);
    expect(validateTrace(doc({ name: 'a', ph: 'X', ts: 0, dur: 1, pid: 2, tid: 11 })).problems.join('\n')).toMatch(/tid 11 is used in pid 1 and pid 2[\s\S]*pid 2 has no process_name/);
  });

  it('rejects a tid that is also a pid: Perfetto puts events without a tid on thread pid', () => {
    const named2 = { name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 'main' } };
    expect(validateTrace(doc(named2, x(0, 1, 1))).problems).toEqual(['tid 1 (of pid 1) is also a pid']);
  });
});
