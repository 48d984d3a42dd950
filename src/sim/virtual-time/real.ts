import { performance } from 'node:perf_hooks';

/**
 * The real clock and event loop, captured when this module loads (before any installation of
 * virtual time), for what must keep running on them while user code sees the run's time: quiet-mode
 * fibers wait for the microtask queue to drain with a real `setImmediate`, and a wall-clock watchdog
 * measures real time. `installVirtualTime` replaces the globals; these stay the originals.
 */
export const real = {
  setImmediate: globalThis.setImmediate,
  clearImmediate: globalThis.clearImmediate,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  Date: globalThis.Date,
  /** Real milliseconds from an arbitrary origin (performance.now before faking). */
  now: performance.now.bind(performance),
  hrtime: process.hrtime,
  Math_random: Math.random,
};

/**
 * Real milliseconds (`real.now`): for what measures the wall clock while runs may be in progress
 * (explore's budget, block sizes and progress). A team's handler runs with `performance.now`
 * replaced by the run's virtual time, and its awaits let other code run in the meantime.
 */
export function wallNow(): number {
  return real.now();
}
