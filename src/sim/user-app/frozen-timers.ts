import { promisify } from 'node:util';
import type { ModuleTimers } from '../../app/user-module/module-timers.js';

/** An execution environment's timers, which it can thaw and take back (see frozenBetweenInvocations). */
export interface EnvironmentTimers extends ModuleTimers {
  /**
   * Runs, each once and in the order they came due, the callbacks of the timers that came due
   * while the environment was frozen: called as an invocation starts, before its handler.
   */
  thaw(): void;
  /** Cancels every timer still pending, and every callback waiting for a thaw. */
  clearAll(): void;
}

/**
 * An execution environment's timers as Lambda runs them: the environment is frozen between
 * invocations, so a timer that comes due then fires only when the environment next runs an
 * invocation (its `thaw`), once, however many times an interval came due meanwhile, as Node fires
 * an overdue timer once. A module-scope `setInterval` ticks only while the function works, and a
 * `setTimeout` a handler left behind when it returned fires in the next invocation, as on AWS,
 * where what it does is that invocation's. (Before, such an interval writing to the table kept a
 * replication due for ever, and the run went on to its horizon.) `setImmediate` is left as it is:
 * it runs before the environment could freeze.
 */
export function frozenBetweenInvocations(
  base: ModuleTimers & { clearAll(): void },
  /** Whether the environment runs an invocation now. */
  running: () => boolean,
  /** The run's time: an interval due at the very moment of its thaw fires once, not twice. */
  now: () => number,
  /** A thawed callback threw: what a timer's throw is (in Node an uncaught exception). */
  uncaught: (error: unknown) => void,
): EnvironmentTimers {
  /** Callbacks due while frozen, by their timer's handle (an interval's come due once). */
  const waiting = new Map<unknown, () => void>();
  /** Intervals a thaw just fired, and when: their own tick due then is the one the thaw ran. */
  const thawed = new Map<unknown, number>();
  const whenRunning = (handle: unknown, callback: () => void): void => {
    if (!running()) {
      waiting.set(handle, callback);
      return;
    }
    if (thawed.size > 0 && thawed.has(handle)) {
      const at = thawed.get(handle);
      thawed.delete(handle);
      if (at === now()) return;
    }
    callback();
  };
  const setTimeoutFrozen = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle: NodeJS.Timeout = base.setTimeout(() => whenRunning(handle, () => callback(...args)), ms);
    return handle;
  }) as typeof globalThis.setTimeout;
  // util.promisify(setTimeout) reads this symbol: a handler awaits it while it runs, never frozen
  Object.defineProperty(setTimeoutFrozen, promisify.custom, { value: (base.setTimeout as unknown as Record<symbol, unknown>)[promisify.custom] });
  const setIntervalFrozen = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle: NodeJS.Timeout = base.setInterval(() => whenRunning(handle, () => callback(...args)), ms);
    return handle;
  }) as typeof globalThis.setInterval;
  const clear = (handle: NodeJS.Timeout | string | number | undefined) => {
    waiting.delete(handle);
    thawed.delete(handle);
    base.clearTimeout(handle);
  };
  return {
    setTimeout: setTimeoutFrozen,
    setInterval: setIntervalFrozen,
    setImmediate: base.setImmediate,
    clearTimeout: clear as typeof globalThis.clearTimeout,
    clearInterval: clear as typeof globalThis.clearInterval,
    clearImmediate: base.clearImmediate,
    thaw() {
      if (waiting.size === 0) return;
      const due = [...waiting];
      waiting.clear();
      thawed.clear();
      const at = now();
      for (const [handle, callback] of due) {
        thawed.set(handle, at);
        try {
          callback();
        } catch (error) {
          uncaught(error);
        }
      }
    },
    clearAll() {
      waiting.clear();
      thawed.clear();
      base.clearAll();
    },
  };
}
