import { Console } from 'node:console';
import { Writable } from 'node:stream';
import type { UserModuleCode } from '../app/user-module/types.js';
import type { SyncLoopError } from '../sim/watchdog/index.js';
import { trackedTimers } from '../app/user-module/module-timers.js';
import { UserError } from '../errors.js';
import type { UserModuleRef } from '../scenario/model.js';
import { EPOCH_MS } from '../sim/simulation.js';
import type { Substrate } from '../sim/substrate.js';
import { crashInvocation, environmentStartedAt, latestInvocation, reportLateErrorsTo } from '../sim/user-app/invocation-scope.js';
import { World } from '../sim/world.js';

/** Whether a model run with a team's handler is in progress in this process (they patch globals). */
let modelRunActive = false;

/** Default of `--sync-limit`: wall-clock time one slice of a team's handler may run without yielding. */
export const DEFAULT_SYNC_LIMIT_MS = 10_000;

/** What a run with a team's handler holds while it runs, and gives back after. */
export interface UserModuleRuntime {
  code: UserModuleCode;
  /** Puts back every global, stops the watchdog, removes the listeners. */
  stop(): void;
}

/**
 * Loads the team's module and, in the model, makes the process the handler sees the run's: its
 * clock, timers and randomness virtual and seeded (src/sim/virtual-time), a watchdog over every
 * slice of its code (a synchronous loop cannot hang the run), and its unhandled rejections failing
 * the invocation they came from rather than geosim. On a real backend the handler's world is the
 * machine's own. The loader and virtual time load only here: a scenario without a module never
 * pays for esbuild, the SDK or fake timers.
 */
export async function startUserModule(ref: UserModuleRef, substrate: Substrate, options: StartOptions): Promise<UserModuleRuntime> {
  if (!(substrate instanceof World)) return start(ref, substrate, options);
  if (modelRunActive) {
    throw new UserError(
      "geosim: runs of the model with your own handler take turns in one process (virtual time replaces Date, the timers and Math.random for the whole process while one runs): await one run() before starting the next, or run such tests one at a time",
    );
  }
  modelRunActive = true;
  try {
    const runtime = await start(ref, substrate, options);
    return {
      code: runtime.code,
      stop: () => {
        modelRunActive = false;
        runtime.stop();
      },
    };
  } catch (error) {
    modelRunActive = false;
    throw error;
  }
}

interface StartOptions {
  syncLimitMs?: number;
  /** What sets the limit, named in the overrun's message: `--sync-limit` (default), `syncLimitMs` for run(). */
  syncLimitName?: string;
  /** Which run this is, for a message that stops the process (geosim explore: `explore run 37 of seed 1`). */
  runLabel?: string;
  quietConsole?: boolean;
  /** Where the module's console writes (default the process's stderr). */
  moduleLog?: NodeJS.WritableStream;
  /**
   * What to print, synchronously, when a slice of the handler passes --sync-limit: after the
   * message and before geosim exits 2 (the loop cannot be interrupted). The run's globals are put
   * back first.
   */
  lastWords?: (error: SyncLoopError) => void;
}

/** A console whose every method does nothing: what a team's module sees in a quiet run. */
const SILENT_CONSOLE = Object.fromEntries(Object.keys(console).map((name) => [name, typeof (console as unknown as Record<string, unknown>)[name] === 'function' ? () => {} : (console as unknown as Record<string, unknown>)[name]])) as unknown as Console;

/** Where a quiet run's module writes to process.stdout or process.stderr: nowhere. */
const DISCARDED = new Writable({ write: (_chunk, _encoding, done) => done() });

async function start(ref: UserModuleRef, substrate: Substrate, options: StartOptions): Promise<UserModuleRuntime> {
  const { loadUserModule } = await import('../app/user-module/load.js');
  const loaded = await loadUserModule({ path: ref.path, handler: ref.handler, ...(ref.streamHandler ? { streamHandler: ref.streamHandler } : {}), env: ref.env, functionName: ref.functionName });
  // A function's logs go to its log stream in Lambda, never to its caller: here every console
  // method writes to stderr, so stdout carries only geosim's output (--format json stays JSON).
  const moduleConsole = options.quietConsole ? SILENT_CONSOLE : new Console({ stdout: options.moduleLog ?? process.stderr, stderr: options.moduleLog ?? process.stderr });
  // and so does what it writes to process.stdout or process.stderr itself (a logger's own Console)
  const output = options.quietConsole ? DISCARDED : (options.moduleLog ?? process.stderr);
  const code: UserModuleCode = { instantiate: (services) => loaded.instantiate({ ...services, console: moduleConsole, output }) };
  // Node's default for a rejection nobody handles is to crash the process: in Lambda it crashes the
  // function's runtime, so here it fails the invocation it came from (or, after that ended, the run).
  const onRejection = (reason: unknown) => {
    if (!crashInvocation(reason)) throw reason;
  };
  process.on('unhandledRejection', onRejection);
  // On a real backend the handler's timers are the machine's: a throw in one is an uncaught
  // exception, which in Lambda crashes the runtime and so fails the invocation that set the timer
  // (in the model, virtual time routes such throws the same way). Anything else is geosim's own
  // bug and crashes as usual, with its stack, once this listener is gone.
  const onUncaught = (error: unknown) => {
    if (crashInvocation(error)) return;
    process.off('uncaughtException', onUncaught);
    queueMicrotask(() => {
      throw error;
    });
  };
  const onRealClock = !(substrate instanceof World);
  if (onRealClock) process.on('uncaughtException', onUncaught);
  const stopListening = () => {
    process.off('unhandledRejection', onRejection);
    // A rejection the module's code left when the run ended (a module scope that rejected a promise
    // and then failed to load: no export) surfaces after this turn: it is the team's, and the run
    // has said what failed, so it does not crash geosim with Node's trace. Until the next macrotask
    // only: Node reports unhandled rejections before it.
    const leftBehind = () => {};
    process.on('unhandledRejection', leftBehind);
    setImmediate(() => process.off('unhandledRejection', leftBehind));
    if (onRealClock) process.off('uncaughtException', onUncaught);
    reportLateErrorsTo(undefined);
  };
  if (!(substrate instanceof World)) {
    // The machine's clock: the module's timers are tracked so that none outlives the run (over
    // those its execution environment gives it, which go when the environment is reset).
    const tracked: Array<{ clearAll(): void }> = [];
    return {
      code: {
        instantiate: (services) => {
          const timers = trackedTimers(services.timers);
          tracked.push(timers);
          return code.instantiate({ ...services, timers });
        },
      },
      stop: () => {
        for (const timers of tracked) timers.clearAll();
        stopListening();
      },
    };
  }
  const world = substrate;
  const { installVirtualTime } = await import('../sim/virtual-time/install.js');
  const { startWatchdog } = await import('../sim/watchdog/index.js');
  const random = world.random.stream('user module');
  const virtualTime = installVirtualTime(
    {
      get now() {
        return world.now;
      },
      // A team's timers never keep the run going on their own (a module-scope setInterval).
      schedule: (at, task) => world.scheduleBackground(at, task),
      epochMs: EPOCH_MS,
      // each execution environment's own, from its cold start
      processStartedAt: environmentStartedAt,
      uncaught: (error) => {
        if (!crashInvocation(error)) throw error;
      },
    },
    () => random.next(),
  );
  // set below: the globals are put back before the last words, which print the run's output
  let putBack = () => {};
  const { lastWords } = options;
  const startWatching = (): ReturnType<typeof startWatchdog> => {
    try {
      return startWatchdog({
        limitMs: options.syncLimitMs ?? DEFAULT_SYNC_LIMIT_MS,
        flag: options.syncLimitName ?? '--sync-limit',
        ...(lastWords
          ? {
              lastWords: (error: SyncLoopError) => {
                try {
                  putBack();
                } catch {
                  // the output matters more than a global left patched in a process about to exit
                }
                lastWords(error);
              },
            }
          : {}),
      });
    } catch (error) {
      // the process's clock, timers and listeners are its own again before the error leaves
      virtualTime.uninstall();
      stopListening();
      throw error;
    }
  };
  const watchdog = startWatching();
  const inRun = (label: string) => (options.runLabel === undefined ? label : `${options.runLabel}: ${label}`);
  // Module scope runs when each region's instance is made: a loop there is caught too.
  const watched: UserModuleCode = {
    instantiate: (services) => {
      watchdog.enter(inRun(`module scope of ${ref.given} in ${services.region}`));
      try {
        return code.instantiate(services);
      } finally {
        watchdog.leave();
      }
    },
  };
  world.watchSlices({ enter: (label) => watchdog.enter(typeof label === 'function' ? () => inRun(label()) : inRun(label)), leave: () => watchdog.leave(), label: () => latestInvocation()?.label ?? `module ${ref.given}` });
  putBack = () => {
    stopListening();
    world.watchSlices(undefined);
    watchdog.stop();
    virtualTime.uninstall();
  };
  return { code: watched, stop: () => putBack() };
}
