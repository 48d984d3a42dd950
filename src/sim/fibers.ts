import type { Task } from './substrate.js';
import { poolWorkInFlight } from './virtual-time/pool-work.js';
import { real } from './virtual-time/real.js';

/** A watchdog over slices of user code (src/sim/watchdog), and what to call the slice running now. */
export interface SliceWatch {
  enter(label: () => string): void;
  leave(): void;
  label(): string;
}

/** Who a request is for, as the substrate records it on what the request does (Substrate.cause, Substrate.caller). */
export interface RequestOrigin {
  cause: string | undefined;
  caller: string | undefined;
}

/** What a fiber carries across a wait: the run's request origin (the event or step its writes are traced for, and the function's region). */
export interface FiberContext {
  get(): RequestOrigin | undefined;
  set(value: RequestOrigin | undefined): void;
}

interface Fiber {
  /** The task's own promise: settles when everything it awaited is done. */
  done: Promise<void>;
  /** Set when the fiber parked on a continuation before anyone waited for it. */
  parkedEarly: boolean;
  /** Ends the current wait for the fiber (it parked on a continuation). */
  park: (() => void) | undefined;
  /** Its context while it waits. */
  saved: RequestOrigin | undefined;
}

/**
 * Continuations on an agenda. A task the agenda runs is a fiber: the agenda waits for it until it
 * finishes or parks on `after(ms)`, then moves on to other work; `after` schedules the fiber's
 * resumption `ms` later, and that agenda entry waits for it the same way. So two Lambda invocations
 * in two regions, each waiting on its own requests, interleave in the run's time instead of one
 * running to its end first.
 *
 * Only one fiber runs at a time (the agenda awaits it before running anything else), so the fiber
 * that calls `after` is the one being run. A fiber waits on one continuation at a time: the
 * application's calls to its table are sequential. A run without latencies never parks, so its
 * agenda awaits each task directly (`enabled` false): continuations cost nothing there.
 *
 * Quiet mode (`quiescent`, a run with a user module): user code does not park explicitly; it awaits
 * the SDK, virtual timers and `after(ms)` from anywhere (see runQuiet).
 */
export class Fibers {
  private current: Fiber | undefined;

  constructor(
    private readonly clock: { readonly now: number },
    private readonly schedule: (at: number, task: Task) => void,
    /** Whether any continuation may be longer than 0 ms in this run. */
    readonly enabled: boolean,
    /** Saved when a fiber parks and restored when it resumes, so interleaved fibers keep their own. */
    private readonly context: FiberContext = { get: () => undefined, set: () => {} },
    /** Quiet mode: a task runs until its promise settles or nothing is left to run but waits in virtual time. */
    readonly quiescent = false,
  ) {
    if (quiescent) this.enabled = true;
  }

  /**
   * Quiet mode: brackets each agenda step, from its start until the process is quiet, so a
   * watchdog can tell a slice of user code that never yields (a synchronous loop).
   */
  slices: SliceWatch | undefined;

  /** A fiber's failure that surfaced after the agenda had moved on from it (quiet mode), thrown by the step running then. */
  private failure: { error: unknown } | undefined;

  /** Runs `task` as a fiber; resolves when it is done or parked. */
  run(task: Task): void | Promise<void> {
    if (!this.enabled) return task();
    if (this.quiescent) return this.runQuiet(task);
    const outer = this.current;
    const fiber: Fiber = { done: undefined as unknown as Promise<void>, parkedEarly: false, park: undefined, saved: undefined };
    this.current = fiber;
    let started: void | Promise<void>;
    try {
      started = task();
    } catch (error) {
      this.current = outer;
      throw error;
    }
    if (!started) {
      this.current = outer;
      return;
    }
    fiber.done = started;
    return this.until(fiber, outer);
  }

  /**
   * Quiet mode. A step of the agenda (a task, a timer's callback, a continuation) runs until its
   * promise settles or the process is quiet: the microtask queue drained (a real setImmediate ran
   * after it) and no file-system request or immediate of user code is pending. Then every fiber is
   * waiting on the run's time (a virtual timer, `after`), so other work due may run. Waiting for
   * pending fs requests matters: the SDK reads its shared config files on the first send() unless
   * every setting is given explicitly, and moving time on while a read is in flight would make the
   * order of what follows depend on the disk.
   *
   * A fiber's promise that rejects after its first step is rethrown by the step during which it
   * rejected (the step whose resumption failed it), as in the parking mode.
   */
  private runQuiet(task: Task): Promise<void> {
    const before = this.context.get();
    const slices = this.slices;
    slices?.enter(slices.label);
    let started: void | Promise<void>;
    try {
      started = task();
    } catch (error) {
      slices?.leave();
      return Promise.reject(error);
    }
    let settled = false;
    if (started) {
      started.then(
        () => {
          settled = true;
        },
        (error: unknown) => {
          settled = true;
          this.failure ??= { error };
        },
      );
    }
    return this.quiet(() => settled).then(() => {
      slices?.leave();
      this.context.set(before);
      const failure = this.failure;
      if (failure) {
        this.failure = undefined;
        throw failure.error;
      }
    });
  }

  /** Resolves once `done()` or the process is quiet (see runQuiet). */
  private quiet(done: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const check = () => {
        if (done() || !pendingWork()) resolve();
        else real.setImmediate(check);
      };
      real.setImmediate(check);
    });
  }

  /** See Timeline.after. */
  after(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    if (this.quiescent) return this.afterQuiet(ms);
    const fiber = this.current;
    if (!this.enabled || fiber === undefined) throw new Error(`a continuation of ${ms} ms outside a fiber (Fibers.enabled is ${this.enabled})`);
    return new Promise<void>((resume) => {
      fiber.saved = this.context.get();
      this.context.set(undefined);
      if (fiber.park) fiber.park();
      else fiber.parkedEarly = true;
      this.schedule(this.clock.now + ms, () => {
        const outer = this.current;
        this.current = fiber;
        fiber.parkedEarly = false;
        fiber.park = undefined;
        this.context.set(fiber.saved);
        resume();
        return this.until(fiber, outer);
      });
    });
  }

  /** Quiet mode: no current fiber to park; the resumption is an agenda step like any other. */
  private afterQuiet(ms: number): Promise<void> {
    const saved = this.context.get();
    return new Promise<void>((resume) => {
      this.schedule(this.clock.now + ms, () => {
        this.context.set(saved);
        resume();
      });
    });
  }

  private async until(fiber: Fiber, outer: Fiber | undefined): Promise<void> {
    try {
      if (fiber.parkedEarly) return;
      const parked = new Promise<void>((resolve) => {
        fiber.park = resolve;
      });
      await Promise.race([fiber.done, parked]);
    } finally {
      fiber.park = undefined;
      this.current = outer;
    }
  }
}

/**
 * Whether the process still has work of its own to finish before the run's time may move on: an
 * in-flight libuv request (FSReqCallback, FSReqPromise, CloseReq when fs/promises closes the file
 * it read, GetAddrInfoReqWrap…), or an immediate someone set (setImmediate stays real). The quiet
 * check's own immediate has already run when this is asked. Handles (sockets, pipes, real timers
 * of the test runner) are not waited for: they are not requests that complete by themselves. Work
 * on the thread pool has no request object: virtual time counts what user code hands it (async
 * crypto, zlib's one-call methods: see pool-work.ts), seeds randomUUID so the SDK makes none, and
 * calls back async randomBytes, randomFill and randomInt on the next tick, before the check.
 */
function pendingWork(): boolean {
  if (poolWorkInFlight()) return true;
  for (const resource of process.getActiveResourcesInfo()) {
    if (resource === 'Immediate' || resource.includes('Req')) return true;
  }
  return false;
}
