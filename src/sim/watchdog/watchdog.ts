import { closeSync, openSync, writeSync } from 'node:fs';
import { threadId, Worker } from 'node:worker_threads';
import { ExitCode } from '../../errors.js';
import { WORKER_SOURCE } from './worker-source.js';

/**
 * A wall-clock watchdog for synchronous slices of user code (issue 13, part W).
 *
 * A team's handler may run `while (true) {}`; nothing on the main thread can interrupt that. A
 * worker thread watches a slice counter in shared memory that `enter`/`leave` bump (two plain
 * stores per slice: 20-45 ns a pair, what two empty calls cost), and when one slice runs longer
 * than `limitMs` it makes the main thread run a hook from inside the loop (an inspector
 * `Runtime.evaluate`, which V8 services by interrupt).
 *
 * The hook ends the RUN, not just the invocation. Measured on Node 20.20 and 24.21: stopping only
 * the slice (`Runtime.terminateExecution`) unwinds every JavaScript frame down to the event loop
 * without running `finally` blocks, so Node's own bookkeeping is left half-done and the process
 * dies with "async hook stack has become corrupted" (on 20 only the deprecated
 * `process.binding('async_wrap')` can repair that, and 24 removed it); even repaired, the rest of
 * the immediate queue being processed and the pending microtasks are silently lost, so other
 * invocations of the run would hang or vanish. The one slice-level stop that is safe (a `vm` script
 * with `timeout`) covers only a synchronous call, not the promise continuations of an async handler,
 * and costs about 100 µs per call. So the overrun ends the run as its other limits do: exit code 2.
 */
export interface WatchdogOptions {
  /** Wall-clock ms one slice may run without yielding. */
  limitMs: number;
  /** The flag that sets the limit, named in the message (every limit names its flag). */
  flag?: string;
  /**
   * Runs on the main thread inside the stuck slice; must end the process (it cannot return into
   * the loop). Default: write the message to stderr and exit 2.
   */
  onOverrun?: (error: SyncLoopError) => never;
  /**
   * With the default end: runs on the main thread inside the stuck slice, after the message and
   * before the exit, for what the caller still has to print (geosim run's output of the scenarios
   * that ran). It must write synchronously (the event loop never turns again); a throw in it is
   * said on stderr and the process still exits 2.
   */
  lastWords?: (error: SyncLoopError) => void;
  /** How often the watching thread looks (ms). Default: a tenth of the limit, 10–100 ms. */
  pollMs?: number;
}

export interface Watchdog {
  /**
   * A slice of user code starts; `label` names it in the message (e.g. `handler orders eu-west-1
   * evt-3`), or says at the overrun what it was (the slice may start the invocation it names).
   */
  enter(label: string | (() => string)): void;
  /** The slice returned or yielded. */
  leave(): void;
  /** Ends the watching thread; the watchdog does nothing afterwards. */
  stop(): void;
}

/**
 * A slice of user code that did not yield within the limit: the run stopped at one of its limits,
 * exit code 2 as at --horizon or --max-trace-events (it was 1, an assertion's, which CI could not
 * tell from a failed check).
 */
export class SyncLoopError extends Error {
  readonly exitCode = ExitCode.badInput;
  constructor(
    readonly label: string,
    readonly ranMs: number,
    readonly limitMs: number,
    flag: string | undefined,
  ) {
    super(syncLoopMessage(label, ranMs, limitMs, flag));
    this.name = 'SyncLoopError';
  }
}

export function syncLoopMessage(label: string, ranMs: number, limitMs: number, flag: string | undefined): string {
  const limit = `the limit is ${seconds(limitMs)} s${flag ? ` (${flag})` : ''}`;
  return (
    `${label}: the handler ran ${seconds(ranMs)} s of wall-clock time without yielding (a synchronous loop?); ` +
    `geosim cannot interrupt it and stopped the run (${limit})`
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/**
 * Where a watchdog in a worker thread tells an overrun (`{ threadId, ranMs, limitMs }`): the
 * inspector interrupt reaches only the main thread, so the thread that started the stuck worker
 * (geosim explore's, workerRunners) listens here and stops it. Nothing listens elsewhere.
 */
export const OVERRUN_CHANNEL = 'geosim.watchdog.overrun';

/** An overrun told on OVERRUN_CHANNEL. */
export interface OverrunNotice {
  threadId: number;
  ranMs: number;
  limitMs: number;
}

/** The global the worker's `Runtime.evaluate` calls: the only name visible to both threads. */
const HOOK = 'geosim.watchdog.trip';
type Trip = (id: number, seq: number, ranMs: number) => void;
const watchdogs = new Map<number, Trip>();
let nextId = 1;

function installHook(): void {
  const key = Symbol.for(HOOK);
  const holder = globalThis as unknown as Record<symbol, Trip | undefined>;
  if (holder[key]) return;
  holder[key] = (id, seq, ranMs) => watchdogs.get(id)?.(id, seq, ranMs);
}

const SLOTS = { SEQ: 0, STOP: 1, LIMIT: 2, POLL: 3, OWNER: 4 } as const;

/** A watching thread and the shared words it reads (see worker-source.ts). */
interface WatchingThread {
  readonly worker: Worker;
  readonly state: Int32Array;
  /** The slice counter's value (plain stores from this thread, see `enter`). */
  seq: number;
  /** The watchdog using it now, or 0. */
  owner: number;
}

/**
 * The watching thread this thread's runs take turns on. Starting a worker thread costs a Node
 * environment's bootstrap (10-20 ms of CPU): once per run, it was most of the cost of a short run
 * with a team's module under `geosim explore`, so one thread serves each run in turn. It is unref'd
 * and sleeps between looks: it never keeps the process alive.
 */
let shared: WatchingThread | undefined;

function startThread(): WatchingThread {
  const state = new Int32Array(new SharedArrayBuffer(4 * 5));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { buffer: state.buffer, slots: SLOTS, hook: HOOK, watchedThread: threadId, channel: OVERRUN_CHANNEL },
    // Its own small heap; it never touches the run's data.
    resourceLimits: { maxOldGenerationSizeMb: 16 },
    // None of the process's flags: under `node --input-type=module` a worker inherits it, reads
    // this CommonJS source as a module, and dies on `require` (the run then had no watchdog).
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  // Never the reason the process stays alive.
  worker.unref();
  return { worker, state, seq: 0, owner: 0 };
}

export function startWatchdog(options: WatchdogOptions): Watchdog {
  const { limitMs } = options;
  if (!(limitMs > 0)) throw new RangeError(`watchdog limit must be > 0 ms, got ${limitMs}`);
  const pollMs = options.pollMs ?? Math.min(100, Math.max(10, Math.floor(limitMs / 10)));
  const id = nextId++;
  // The shared thread when it is free; a watchdog started while another is running gets its own.
  const own = shared !== undefined && shared.owner !== 0;
  if (!own) shared ??= startThread();
  const thread = own ? startThread() : shared!;
  const { state } = thread;
  thread.owner = id;
  state[SLOTS.LIMIT] = Math.min(limitMs, 2 ** 31 - 1);
  state[SLOTS.POLL] = pollMs;
  Atomics.store(state, SLOTS.OWNER, id);
  // Slices may nest (a timer callback the integrator runs from inside a handler slice): only the
  // outermost pair moves the counter, so the limit applies to the whole uninterrupted stretch.
  let depth = 0;
  let label: string | (() => string) = '';
  let stopped = false;

  installHook();
  watchdogs.set(id, (_id, tripped, ranMs) => {
    // The slice may have ended between the worker's look and this call: then nothing is stuck.
    if (stopped || thread.seq !== tripped) return;
    const error = new SyncLoopError(typeof label === 'function' ? label() : label, ranMs, limitMs, options.flag);
    if (options.onOverrun) options.onOverrun(error);
    else exitWithMessage(error, options.lastWords);
  });

  return {
    // The counter moves by plain stores, not Atomics.add: the watcher only needs to see a change
    // within one poll (~100 ms), which a plain store to shared memory gives in nanoseconds, and the
    // pair then costs what an empty call does (measured: Atomics.add added 60-90 ns a pair on Node 20).
    enter(name) {
      if (stopped) return;
      if (depth++ === 0) {
        label = name;
        state[SLOTS.SEQ] = ++thread.seq;
      }
    },
    leave() {
      if (stopped || depth === 0) return;
      if (--depth === 0) state[SLOTS.SEQ] = ++thread.seq;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      watchdogs.delete(id);
      // an open slice is closed, so the next owner starts from a counter at rest
      if ((thread.seq & 1) === 1) state[SLOTS.SEQ] = ++thread.seq;
      thread.owner = 0;
      Atomics.store(state, SLOTS.OWNER, 0);
      if (thread === shared) return;
      Atomics.store(state, SLOTS.STOP, 1);
      Atomics.notify(state, SLOTS.STOP);
      void thread.worker.terminate();
    },
  };
}

/**
 * The default end of a stuck run. Written with `writeSync` because the event loop is blocked (an
 * async stream write would never flush). Node prints "Waiting for the debugger to disconnect..."
 * at exit while the watchdog's inspector session is open, and that session is the one running
 * this code, so it cannot be closed first: the last exit listener points stderr at /dev/null after
 * every other listener has written what it had to.
 */
function exitWithMessage(error: SyncLoopError, lastWords?: (error: SyncLoopError) => void): never {
  writeSync(2, `${error.message}\n`);
  try {
    lastWords?.(error);
  } catch (failure) {
    try {
      writeSync(2, `geosim: could not print the output before stopping: ${failure instanceof Error ? failure.message : String(failure)}\n`);
    } catch {
      // stderr itself is gone: the exit code still says it
    }
  }
  process.once('exit', silenceStderr);
  process.exitCode = error.exitCode;
  try {
    process.exit(error.exitCode);
  } catch {
    // A test runner's process.exit that throws instead (vitest's, in a forked worker): the throw
    // ends only this hook, not the loop, which would run on with the hook called again and again.
  }
  // process.exit did not end the process (replaced, or thrown out of): Node's own exit does, so a
  // test suite whose handler is stuck fails at once, its runner reporting the process's exit.
  // (the exit listeners do not run: the debugger line is silenced here)
  silenceStderr();
  const reallyExit: (code: number) => never = (process as unknown as { reallyExit(code: number): never }).reallyExit.bind(process);
  reallyExit(error.exitCode);
}

function silenceStderr(): void {
  if (process.platform === 'win32') return;
  try {
    closeSync(2);
    // The lowest free descriptor is 2 again: Node's own last line goes nowhere.
    openSync('/dev/null', 'w');
  } catch {
    // Nothing to do: at worst the debugger line shows.
  }
}
