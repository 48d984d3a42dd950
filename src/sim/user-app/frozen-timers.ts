import { AsyncResource } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { ModuleTimers } from '../../app/user-module/module-timers.js';
import { promisedInterval, promisedTimeout, schedulerWait } from '../virtual-time/timer-promises.js';
import type { VirtualTimers } from '../virtual-time/timers.js';

const nodeRequire = createRequire(import.meta.url);

/** An execution environment's timers, which it can thaw and take back (see frozenBetweenInvocations). */
export interface EnvironmentTimers extends ModuleTimers {
  /**
   * Runs, each once and in the order they came due, the callbacks of the timers that came due
   * while the environment was frozen: called as an invocation starts, before its handler.
   */
  thaw(): void;
  /** Cancels every timer still pending, and every callback waiting for a thaw. */
  clearAll(): void;
  /**
   * `node:timers` and `node:timers/promises` as the environment's code imports them: over these
   * same timers, so an imported `setInterval`, an awaited `setTimeout(ms)` left behind and a
   * `for await` heartbeat freeze too.
   */
  modules: { timers: object; promises: object };
}

/** A module object: `real`'s exports, with `own` in place of some (defined, not assigned: `real` has getters). */
function overlay(real: object, own: Record<string, unknown>): object {
  const out = Object.create(real) as object;
  for (const [name, value] of Object.entries(own)) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Replaces `handle`'s method `name`, when it has one, by `replacement` (given the method it replaces). */
function wrapMethod(handle: unknown, name: string, replacement: (original: (this: unknown) => unknown) => unknown): void {
  const original = (handle as Record<string, unknown>)[name];
  if (typeof original !== 'function') return;
  Object.defineProperty(handle, name, { configurable: true, writable: true, value: () => replacement(original as (this: unknown) => unknown) });
}

/** A timer's key: its numeric id (Node's `clearTimeout(+timer)` clears it), or the handle itself. */
function keyOf(handle: unknown): unknown {
  if (handle !== null && typeof handle === 'object' && Symbol.toPrimitive in handle) return Number(handle);
  return handle;
}

/**
 * An execution environment's timers as Lambda runs them: the environment is frozen between
 * invocations, so a timer that comes due then fires only when the environment next runs an
 * invocation (its `thaw`), once, however many times an interval came due meanwhile, as Node fires
 * an overdue timer once. A module-scope `setInterval` ticks only while the function works, and a
 * `setTimeout` a handler left behind when it returned fires while its environment next works, as on AWS.
 * (Before, such an interval writing to the table kept a replication due for ever, and the run
 * went on to its horizon.) A frozen interval is stopped, and starts again from its thaw. A callback runs in the async context it was set in: what a module
 * scope timer writes is no event's, what one an invocation left behind writes is that event's.
 * `setImmediate` is left as it is: it runs before the environment could freeze.
 */
export function frozenBetweenInvocations(
  base: ModuleTimers & { clearAll(): void },
  /** Whether the environment runs an invocation now. */
  running: () => boolean,
  /** A callback threw: what a timer's throw is (in Node an uncaught exception, which ends the invocation running). */
  uncaught: (error: unknown) => void,
): EnvironmentTimers {
  /** Callbacks due while frozen, by their timer's key (an interval's come due once). */
  const waiting = new Map<unknown, () => void>();
  /**
   * The intervals, by key: the base timer ticking for each now, and how to start another. A freeze
   * stops an interval (its process is stopped: it costs the run nothing while frozen), and the
   * thaw starts it again from then, as Node reschedules an overdue interval from when it fired.
   */
  const intervals = new Map<unknown, { base: NodeJS.Timeout | undefined; restart(): void }>();
  /** The timers of the thaw under way not yet run: one its callbacks clear does not run. */
  let thawing: Set<unknown> | undefined;
  /** A callback of the thaw under way threw: the runtime is gone, the rest do not run. */
  let crashed = false;
  const guarded = (callback: () => void) => () => {
    try {
      callback();
    } catch (error) {
      crashed = true;
      uncaught(error);
    }
  };
  const whenRunning = (key: unknown, callback: () => void): void => {
    if (running()) return guarded(callback)();
    // run later in this context: the timer's own (its invocation's, or none at module scope)
    waiting.set(key, AsyncResource.bind(guarded(callback)));
    const interval = intervals.get(key);
    if (interval !== undefined && interval.base !== undefined) {
      base.clearTimeout(interval.base);
      interval.base = undefined;
    }
  };
  const forget = (key: unknown) => {
    waiting.delete(key);
    intervals.delete(key);
    thawing?.delete(key);
  };
  /** The handle with `close()` (Node's Timeout.close clears it) forgetting it here too, and an interval's `refresh()` restarting it. */
  const closing = <T>(handle: T): T => {
    wrapMethod(handle, 'close', (close) => {
      const key = keyOf(handle);
      const interval = intervals.get(key);
      if (interval?.base !== undefined && interval.base !== handle) base.clearTimeout(interval.base);
      forget(key);
      return close.call(handle);
    });
    wrapMethod(handle, 'refresh', (refresh) => {
      const interval = intervals.get(keyOf(handle));
      // an interval started again by a thaw ticks on another base timer: start that one again
      if (interval === undefined || interval.base === handle) return refresh.call(handle);
      interval.restart();
      return handle;
    });
    return handle;
  };
  const setTimeoutFrozen = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle: NodeJS.Timeout = base.setTimeout(() => whenRunning(keyOf(handle), () => callback(...args)), ms);
    return closing(handle);
  }) as typeof globalThis.setTimeout;
  const setIntervalFrozen = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const tick = () => whenRunning(key, () => callback(...args));
    const handle: NodeJS.Timeout = base.setInterval(tick, ms);
    const key = keyOf(handle);
    // the async context it was set in, for the ticks of a base timer a thaw starts
    const scope = new AsyncResource('geosim.interval');
    const interval = {
      base: handle as NodeJS.Timeout | undefined,
      restart() {
        if (interval.base !== undefined) base.clearTimeout(interval.base);
        interval.base = base.setInterval(() => scope.runInAsyncScope(tick), ms);
      },
    };
    intervals.set(key, interval);
    return closing(handle);
  }) as typeof globalThis.setInterval;
  const clear = (handle: NodeJS.Timeout | string | number | undefined) => {
    if (handle === undefined || handle === null) return;
    const key = keyOf(handle);
    const interval = intervals.get(key);
    if (interval?.base !== undefined) base.clearTimeout(interval.base);
    forget(key);
    base.clearTimeout(handle);
  };
  // node:timers/promises' forms over these timers (util.promisify(setTimeout) reads the symbol)
  const asVirtual = { setTimeout: setTimeoutFrozen, setInterval: setIntervalFrozen, clear } as unknown as VirtualTimers;
  const sleep = promisedTimeout(asVirtual);
  Object.defineProperty(setTimeoutFrozen, promisify.custom, { value: sleep });
  const realPromises = nodeRequire('node:timers/promises') as typeof import('node:timers/promises');
  const promises = overlay(realPromises, {
    setTimeout: sleep,
    setInterval: promisedInterval(asVirtual),
    scheduler: overlay(realPromises.scheduler, { wait: schedulerWait(asVirtual) }),
  });
  const timers: ModuleTimers = {
    setTimeout: setTimeoutFrozen,
    setInterval: setIntervalFrozen,
    setImmediate: base.setImmediate,
    clearTimeout: clear as typeof globalThis.clearTimeout,
    clearInterval: clear as typeof globalThis.clearInterval,
    clearImmediate: base.clearImmediate,
  };
  return {
    ...timers,
    modules: { timers: overlay(nodeRequire('node:timers') as object, { ...timers, promises }), promises },
    thaw() {
      if (waiting.size === 0) return;
      const due = [...waiting];
      waiting.clear();
      thawing = new Set(due.map(([key]) => key));
      crashed = false;
      try {
        for (const [key, callback] of due) {
          if (crashed) break;
          // cleared by a callback run before it in this thaw: Node runs overdue timers one by one
          if (!thawing.delete(key)) continue;
          callback();
          // an interval it did not clear ticks again from now
          const interval = intervals.get(key);
          if (interval !== undefined && interval.base === undefined && !crashed) interval.restart();
        }
      } finally {
        thawing = undefined;
      }
    },
    clearAll() {
      waiting.clear();
      intervals.clear();
      thawing?.clear();
      base.clearAll();
    },
  };
}
