/**
 * The watchdog thread's code, as CommonJS source evaluated by `new Worker(source, { eval: true })`:
 * a string, so it runs the same from `src/` under vitest and from `dist/` (no path to resolve).
 *
 * The thread sleeps in `Atomics.wait` on the stop word (so ending it wakes it at once) and looks at
 * the slice counter every `pollMs` while a watchdog owns it (the OWNER word; 0 when none does). An odd counter is a slice in progress; the same odd value seen
 * for longer than `limitMs` is a slice that never yielded. Only then does it open an inspector
 * session to the main thread (none exists before, so a healthy run pays nothing and prints no
 * "Waiting for the debugger" at exit) and has the main thread run the registered trip hook: the
 * inspector runs `Runtime.evaluate` from a V8 interrupt, i.e. in the middle of the loop.
 *
 * In a worker thread (an explore worker) the overrun is told on the BroadcastChannel
 * OVERRUN_CHANNEL instead, to the thread that started that worker (see watchdog.ts).
 *
 * Time here is the worker's own `performance.now()`: the main thread's clock globals may be faked
 * (virtual time), the worker's never are.
 */
export const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { SEQ, STOP, LIMIT, POLL, OWNER } = workerData.slots;
const state = new Int32Array(workerData.buffer);
const { hook, watchedThread, channel } = workerData;
let watched = 0;
let since = 0;
while (Atomics.load(state, STOP) === 0) {
  // limit, poll and owner are read every round: one thread serves the watchdogs of a thread's
  // runs one after another (OWNER 0: none is watching now)
  Atomics.wait(state, STOP, 0, Atomics.load(state, POLL));
  if (Atomics.load(state, STOP) !== 0) break;
  const id = Atomics.load(state, OWNER);
  const seq = Atomics.load(state, SEQ);
  if (id === 0 || (seq & 1) === 0) { watched = 0; continue; }
  const now = performance.now();
  if (seq !== watched) { watched = seq; since = now; continue; }
  const ranMs = now - since;
  if (ranMs < Atomics.load(state, LIMIT)) continue;
  if (watchedThread !== 0) {
    // The watched thread is a worker (geosim explore --workers): an inspector session reaches only
    // the main thread. Tell the thread that listens (explore's), which stops the stuck one; this
    // thread goes with it.
    const overruns = new BroadcastChannel(channel);
    overruns.postMessage({ threadId: watchedThread, ranMs: Math.round(ranMs), limitMs: Atomics.load(state, LIMIT) });
    overruns.close();
    Atomics.wait(state, STOP, 0);
    break;
  }
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connectToMainThread();
  const call = 'globalThis[Symbol.for(' + JSON.stringify(hook) + ')](' + id + ',' + seq + ',' + Math.round(ranMs) + ')';
  session.post('Runtime.evaluate', { expression: call });
  // The hook ends the process; if the slice ended just before it ran, the hook does nothing and
  // this thread keeps watching (a later overrun opens a new session).
  Atomics.wait(state, STOP, 0, Atomics.load(state, POLL));
  session.disconnect();
  watched = 0;
}
`;
