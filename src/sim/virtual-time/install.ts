import FakeTimers from '@sinonjs/fake-timers';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';
import { immediateDigest, seededCrypto, type RealCrypto } from './crypto.js';
import { Patches } from './patches.js';
import { countedCallback, countedPromise, POOL_CRYPTO_CALLBACKS, POOL_SUBTLE_METHODS, POOL_ZLIB_CALLBACKS } from './pool-work.js';
import { seededRandomUUID } from './random.js';
import { abortSignalTimeout, promisedInterval, promisedTimeout, schedulerWait } from './timer-promises.js';
import { guarded, VirtualTimers, type TimerHost } from './timers.js';

const require = createRequire(import.meta.url);

/** The run's clock and agenda, as virtual time needs them (World provides all three). */
export interface VirtualTimeHost extends TimerHost {
  /** Virtual ms since the run began. */
  readonly now: number;
  /** Puts a task on the run's agenda at virtual time `at`. */
  schedule(at: number, task: () => void | Promise<void>): void;
  /** Wall-clock ms of virtual time 0: what `Date.now()` returns at the run's start. */
  readonly epochMs: number;
  /**
   * Virtual ms at which the process running the current code started: its execution environment's
   * cold start, what `process.uptime()` counts from. Default: 0, the run's start.
   */
  processStartedAt?(): number;
}

export interface VirtualTimeInstallation {
  /** Puts back every global replaced at install, exactly (the same functions and descriptors). */
  uninstall(): void;
  /** Timers set and not yet fired or cleared (an interval until cleared). */
  readonly pendingTimers: number;
}

let current: VirtualTimeInstallation | undefined;

/**
 * Makes the globals user code reads follow the run's clock, while a model run with a user module is
 * in progress: Date, performance.now (also perf_hooks'), process.hrtime(.bigint) through
 * @sinonjs/fake-timers; setTimeout/setInterval/clearTimeout/clearInterval (globals and node:timers,
 * and node:timers/promises' setTimeout, setInterval and scheduler.wait, and AbortSignal.timeout:
 * see timer-promises.ts) as agenda tasks (see VirtualTimers); Math.random,
 * crypto.randomUUID and crypto.getRandomValues (globalThis.crypto, which is node:crypto's
 * webcrypto, and node:crypto), and node:crypto's randomBytes, randomFillSync, randomFill and
 * randomInt from `random`, the run's seeded stream (see crypto.ts); the time zone, UTC as on
 * Lambda (see utcZone). setImmediate,
 * process.nextTick and queueMicrotask stay real: quiet-mode fibers need them.
 *
 * `Date.now()` is `host.epochMs + host.now`; `performance.now()` and `process.hrtime()` count
 * virtual ms since virtual time 0. The clock follows `host.now` directly (nothing to tick).
 *
 * Globals are process-wide, so only one installation may exist at a time.
 */
export function installVirtualTime(host: VirtualTimeHost, random: () => number): VirtualTimeInstallation {
  if (current) throw new Error('virtual time is already installed: uninstall the other run first (one model run with a user module at a time per process)');
  const clock = FakeTimers.withGlobal(globalThis).install({ now: host.epochMs, toFake: ['Date', 'performance', 'hrtime'] });
  // The fake clock reads the run's time instead of keeping its own: never ticked, never out of step.
  Object.defineProperty(clock, 'now', { get: () => host.epochMs + host.now, set: () => {}, configurable: true });

  const timers = new VirtualTimers(host);
  const patches = new Patches();
  const zone = utcZone();
  try {
    // util.promisify(setTimeout) reads this symbol: Node's own is node:timers/promises' setTimeout, and so is this one
    const timeoutPromise = promisedTimeout(timers);
    Object.defineProperty(timers.setTimeout, promisify.custom, { value: timeoutPromise });
    const timerFunctions = { setTimeout: timers.setTimeout, setInterval: timers.setInterval, clearTimeout: timers.clear, clearInterval: timers.clear };
    const timersModule = require('node:timers') as Record<string, unknown>;
    for (const [name, fn] of Object.entries(timerFunctions)) {
      patches.set(globalThis, name, fn);
      patches.set(timersModule, name, fn);
    }
    const timersPromises = require('node:timers/promises') as typeof import('node:timers/promises') & Record<string, unknown>;
    patches.set(timersPromises, 'setTimeout', timeoutPromise);
    patches.set(timersPromises, 'setInterval', promisedInterval(timers));
    patches.set(timersPromises.scheduler, 'wait', schedulerWait(timers));
    patches.set(AbortSignal, 'timeout', abortSignalTimeout(timers, AbortSignal.timeout));

    patches.set(Math, 'random', random);
    patchDateFormat(patches);
    // the function's uptime: since its execution environment's cold start (by default the run's start)
    patches.set(process, 'uptime', () => (host.now - (host.processStartedAt?.() ?? 0)) / 1000);
    const uuid = seededRandomUUID(random);
    const cryptoModule = require('node:crypto') as typeof import('node:crypto') & Record<string, unknown>;
    patches.set(cryptoModule, 'randomUUID', uuid);
    if (globalThis.crypto) patches.set(globalThis.crypto, 'randomUUID', uuid);
    // Node calls back async crypto from its thread pool: here on the next tick, at the same virtual
    // time and before the run's time may move on, so the order never depends on the pool; a throw
    // there is uncaught, as a timer callback's.
    const later = (callback: () => void) => process.nextTick(guarded(host, callback));
    // globalThis.crypto is this same Crypto instance; node:crypto's getRandomValues calls its method.
    const webcrypto = cryptoModule.webcrypto;
    const real = {
      randomBytes: cryptoModule.randomBytes,
      randomFillSync: cryptoModule.randomFillSync,
      randomFill: cryptoModule.randomFill,
      randomInt: cryptoModule.randomInt,
      getRandomValues: webcrypto.getRandomValues,
    } as unknown as RealCrypto;
    const seeded = seededCrypto(real, random, later);
    for (const name of ['randomBytes', 'randomFillSync', 'randomFill', 'randomInt'] as const) patches.set(cryptoModule, name, seeded[name]);
    patches.set(webcrypto, 'getRandomValues', seeded.getRandomValues);
    patches.set(webcrypto.subtle, 'digest', immediateDigest(webcrypto.subtle.digest as never, webcrypto.subtle, cryptoModule.createHash));
    // The rest of what runs on the thread pool is waited for while in flight (see pool-work.ts).
    const zlibModule = require('node:zlib') as Record<string, unknown>;
    const subtle = webcrypto.subtle as unknown as Record<string, unknown>;
    for (const name of POOL_CRYPTO_CALLBACKS) patchFunction(patches, cryptoModule, name, countedCallback);
    for (const name of POOL_ZLIB_CALLBACKS) patchFunction(patches, zlibModule, name, countedCallback);
    for (const name of POOL_SUBTLE_METHODS) patchFunction(patches, subtle, name, countedPromise);
    // ESM imports of node:timers / node:crypto see the patched exports too (live bindings).
    syncBuiltinESMExports();
  } catch (error) {
    patches.restore();
    syncBuiltinESMExports();
    clock.uninstall();
    zone.restore();
    throw error;
  }

  const installation: VirtualTimeInstallation = {
    uninstall() {
      if (current !== installation) return;
      timers.disposed = true;
      patches.restore();
      syncBuiltinESMExports();
      clock.uninstall();
      zone.restore();
      current = undefined;
    },
    get pendingTimers() {
      return timers.pending;
    },
  };
  current = installation;
  return installation;
}

/**
 * Intl.DateTimeFormat's `format()` and `formatToParts()` without a date format the run's now:
 * V8 reads its own clock there, not `Date.now`, so a handler's "today" (`fmt.format()`, a day's
 * partition key) was the machine's date. Patched on the prototype, so formatters stay real ones
 * (`instanceof`, `resolvedOptions`) and one made at module scope follows too.
 */
function patchDateFormat(patches: Patches): void {
  const proto = Intl.DateTimeFormat.prototype;
  const format = Object.getOwnPropertyDescriptor(proto, 'format')?.get;
  const formatToParts = proto.formatToParts;
  if (format === undefined) return;
  // the getter gives one bound function per formatter, as Node's (fmt.format === fmt.format)
  const bound = new WeakMap<object, (date?: Date | number) => string>();
  patches.define(proto, 'format', {
    get(this: Intl.DateTimeFormat) {
      let fn = bound.get(this);
      if (fn === undefined) {
        const real = format.call(this) as (date?: Date | number) => string;
        fn = (date?: Date | number) => real(date === undefined ? Date.now() : date);
        bound.set(this, fn);
      }
      return fn;
    },
    enumerable: false,
  });
  patches.define(proto, 'formatToParts', {
    value: function formatToPartsNow(this: Intl.DateTimeFormat, date?: Date | number) {
      return formatToParts.call(this, date === undefined ? Date.now() : date);
    },
    writable: true,
    enumerable: false,
  });
}

/** `target[name]` replaced by `wrap` of it, when this Node has it. */
function patchFunction(patches: Patches, target: Record<string, unknown>, name: string, wrap: (fn: Function) => Function): void {
  const fn = target[name];
  if (typeof fn === 'function') patches.set(target, name, wrap(fn));
}

/**
 * The process's time zone set to UTC, as Lambda's (`TZ=:UTC`), until `restore`: a handler's local
 * dates (`getDate()`, `toString()`) are the same on every machine, so a run's bytes are too. Node
 * reads `process.env.TZ` again whenever it is set (about 25 µs to set and restore, per run).
 */
function utcZone(): { restore(): void } {
  const before = process.env.TZ;
  if (before === 'UTC') return { restore() {} };
  process.env.TZ = 'UTC';
  return {
    restore() {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    },
  };
}
