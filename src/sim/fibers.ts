import type { Task } from './substrate.js';

/** What a fiber carries across a wait: the run's `cause` (the event or step its writes are traced for). */
export interface FiberContext {
  get(): string | undefined;
  set(value: string | undefined): void;
}

interface Fiber {
  /** The task's own promise: settles when everything it awaited is done. */
  done: Promise<void>;
  /** Set when the fiber parked on a continuation before anyone waited for it. */
  parkedEarly: boolean;
  /** Ends the current wait for the fiber (it parked on a continuation). */
  park: (() => void) | undefined;
  /** Its context while it waits. */
  saved: string | undefined;
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
  ) {}

  /** Runs `task` as a fiber; resolves when it is done or parked. */
  run(task: Task): void | Promise<void> {
    if (!this.enabled) return task();
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

  /** See Timeline.after. */
  after(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
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
