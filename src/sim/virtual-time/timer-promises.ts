import type { VirtualTimers } from './timers.js';

/**
 * The promise-shaped timers of Node over the run's virtual timers: node:timers/promises'
 * `setTimeout`, `setInterval` (an async iterator) and `scheduler.wait`, and `AbortSignal.timeout`.
 * Node keeps their timers apart from the global `setTimeout`, so unpatched they ran in real time:
 * a handler that awaited `scheduler.wait(300)` or iterated `setInterval(200)` waited until its
 * Lambda timeout in the run's time, and a signal of `AbortSignal.timeout(50)` was still not aborted
 * 100 ms later.
 */

type Signal = { signal?: AbortSignal };

/** node:timers/promises' setTimeout(delay, value, { signal }). */
export function promisedTimeout(timers: VirtualTimers) {
  return (delay?: number, value?: unknown, options?: Signal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted) return reject(abortError(signal));
      const timer = timers.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      }, delay);
      function onAbort() {
        timers.clear(timer);
        reject(abortError(signal!));
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/** node:timers/promises' scheduler.wait(delay, { signal }): setTimeout's promise without a value. */
export function schedulerWait(timers: VirtualTimers) {
  const timeout = promisedTimeout(timers);
  return (delay?: number, options?: Signal): Promise<void> => timeout(delay, undefined, options) as Promise<void>;
}

/**
 * node:timers/promises' setInterval(delay, value, { signal }), as Node writes it: an async
 * generator, so its interval starts at the first `next()`; ticks that came while nobody waited are
 * yielded at once, one per `next()`; `return()` (a `break` out of `for await`) clears it; an abort
 * rejects the waiting `next()` with an AbortError and ends it.
 */
export function promisedInterval(timers: VirtualTimers) {
  return async function* setInterval(delay?: number, value?: unknown, options?: Signal): AsyncGenerator<unknown, void> {
    const signal = options?.signal;
    if (signal?.aborted) throw abortError(signal);
    let notYielded = 0;
    let wake: { resolve: () => void; reject: (error: Error) => void } | undefined;
    const timer = timers.setInterval(() => {
      notYielded++;
      const waiting = wake;
      wake = undefined;
      waiting?.resolve();
    }, delay);
    const onCancel = () => {
      timers.clear(timer);
      const waiting = wake;
      wake = undefined;
      waiting?.reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onCancel, { once: true });
    try {
      while (!signal?.aborted) {
        if (notYielded === 0) {
          await new Promise<void>((resolve, reject) => {
            wake = { resolve, reject };
          });
        }
        for (; notYielded > 0; notYielded--) yield value;
      }
      throw abortError(signal);
    } finally {
      timers.clear(timer);
      signal?.removeEventListener('abort', onCancel);
    }
  };
}

/**
 * AbortSignal.timeout(delay): a signal aborted with a TimeoutError `delay` ms later in the run's
 * time (an SDK call given `abortSignal: AbortSignal.timeout(…)` gives up when the run says so). A
 * delay Node refuses goes to the real function, for Node's own error.
 */
export function abortSignalTimeout(timers: VirtualTimers, real: (delay: number) => AbortSignal) {
  return (delay: number): AbortSignal => {
    if (!(Number.isInteger(delay) && delay >= 0 && delay <= 0xffffffff)) return real.call(AbortSignal, delay);
    const controller = new AbortController();
    // As Node's: the timer never keeps the process (here, the run) going on its own.
    timers.setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), delay);
    return controller.signal;
  };
}

export function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  (error as { code?: string }).code = 'ABORT_ERR';
  return error;
}
