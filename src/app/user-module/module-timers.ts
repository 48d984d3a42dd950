import { promisify } from 'node:util';

/** The timer functions a team's module sees as globals (its bundle is compiled with them as parameters). */
export interface ModuleTimers {
  setTimeout: typeof globalThis.setTimeout;
  setInterval: typeof globalThis.setInterval;
  setImmediate: typeof globalThis.setImmediate;
  clearTimeout: typeof globalThis.clearTimeout;
  clearInterval: typeof globalThis.clearInterval;
  clearImmediate: typeof globalThis.clearImmediate;
}

export const TIMER_NAMES = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'] as const;

/** The process's timers as they are now (in the model: virtual time's, installed before any instance is made). */
export function currentTimers(): ModuleTimers {
  const g = globalThis;
  return { setTimeout: g.setTimeout, setInterval: g.setInterval, setImmediate: g.setImmediate, clearTimeout: g.clearTimeout, clearInterval: g.clearInterval, clearImmediate: g.clearImmediate };
}

/**
 * Timers that can be taken back: `clearAll()` cancels every timer still pending. On the machine's
 * clock (a real backend), when the run ends: Lambda would freeze and then discard each region's
 * execution environment, so a module-scope `setInterval` or a timer left behind must neither keep
 * geosim running nor fire into the next scenario. In the model, when an execution environment is
 * reset (its invocation timed out, crashed or exited): its module's timers die with it.
 * `base` is the timers they are set on, by default the process's as they are at each call.
 */
export function trackedTimers(base?: ModuleTimers): ModuleTimers & { clearAll(): void } {
  const on = (): ModuleTimers => base ?? (globalThis as unknown as ModuleTimers);
  const timeouts = new Set<NodeJS.Timeout>();
  const immediates = new Set<NodeJS.Immediate>();
  const setTimeoutTracked = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle: NodeJS.Timeout = on().setTimeout(() => {
      timeouts.delete(handle);
      callback(...args);
    }, ms);
    timeouts.add(handle);
    return handle;
  }) as typeof globalThis.setTimeout;
  // util.promisify(setTimeout) reads this symbol: keep the real promise form (it is awaited, never left behind).
  Object.defineProperty(setTimeoutTracked, promisify.custom, { value: (on().setTimeout as unknown as Record<symbol, unknown>)[promisify.custom] });
  const setIntervalTracked = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = on().setInterval(callback, ms, ...args);
    timeouts.add(handle);
    return handle;
  }) as typeof globalThis.setInterval;
  const setImmediateTracked = ((callback: (...args: unknown[]) => void, ...args: unknown[]) => {
    const handle: NodeJS.Immediate = on().setImmediate(() => {
      immediates.delete(handle);
      callback(...args);
    });
    immediates.add(handle);
    return handle;
  }) as typeof globalThis.setImmediate;
  Object.defineProperty(setImmediateTracked, promisify.custom, { value: (on().setImmediate as unknown as Record<symbol, unknown>)[promisify.custom] });
  const clear = (handle: unknown) => {
    if (handle === undefined || handle === null) return;
    timeouts.delete(handle as NodeJS.Timeout);
    on().clearTimeout(handle as NodeJS.Timeout);
  };
  return {
    setTimeout: setTimeoutTracked,
    setInterval: setIntervalTracked,
    setImmediate: setImmediateTracked,
    clearTimeout: clear as typeof globalThis.clearTimeout,
    clearInterval: clear as typeof globalThis.clearInterval,
    clearImmediate: ((handle: NodeJS.Immediate | undefined) => {
      if (handle === undefined) return;
      immediates.delete(handle);
      on().clearImmediate(handle);
    }) as typeof globalThis.clearImmediate,
    clearAll() {
      for (const handle of timeouts) on().clearTimeout(handle);
      for (const handle of immediates) on().clearImmediate(handle);
      timeouts.clear();
      immediates.clear();
    },
  };
}
