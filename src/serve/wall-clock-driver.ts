/**
 * Drives the model's agenda on the wall clock for `geosim serve`: virtual time = wall ms since the
 * start × `timeScale` (virtual ms per wall ms, as `run --time-scale`). The model stays
 * deterministic and never reads the clock; this module is the only place of serve that does, and
 * takes the clock and the timers as parameters so a unit test drives it with fake ones.
 */

/** What the driver advances: the World's agenda and its clock. */
export interface Agenda {
  now: number;
  nextTime(): number | undefined;
  runNext(): boolean | Promise<boolean>;
}

/** Wall-clock milliseconds (Date.now in production). */
export type WallClock = () => number;

/** setTimeout / clearTimeout, or fakes. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface DriverOptions {
  /** Virtual ms per wall ms, more than 0. */
  timeScale: number;
  clock?: WallClock;
  timers?: Timers;
  /** A task on the agenda threw: the driver keeps going, the caller decides what to tell. */
  onError?: (error: unknown) => void;
}

/**
 * The longest delay a timer takes: Node turns a longer one (2^31 ms, about 24.8 days) into 1 ms with
 * a TimeoutOverflowWarning. A task due later (a 30-day TTL's delete) waits in steps of at most this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class WallClockDriver {
  private readonly clock: WallClock;
  private readonly timers: Timers;
  private readonly startWall: number;
  /** Everything that touches the World runs on this chain, one at a time, in arrival order. */
  private chain: Promise<unknown> = Promise.resolve();
  private timer: unknown;
  private timerFor: number | undefined;
  private stopped = false;
  /** Answers held back for their round trip (after): released at once when the session stops. */
  private readonly holds = new Map<{ timer?: unknown }, () => void>();

  constructor(
    private readonly agenda: Agenda,
    private readonly options: DriverOptions,
  ) {
    if (!(options.timeScale > 0) || !Number.isFinite(options.timeScale)) throw new RangeError('timeScale must be a positive number');
    this.clock = options.clock ?? Date.now;
    this.timers = options.timers ?? realTimers;
    this.startWall = this.clock();
  }

  /** Virtual ms the wall clock has reached. Floored: a task due at t never runs before its wall time. */
  virtualNow(): number {
    return Math.floor((this.clock() - this.startWall) * this.options.timeScale);
  }

  /** Arms the timer for what is already on the agenda (fault transitions). */
  start(): void {
    this.arm();
  }

  /**
   * Runs `work` against the model at the current virtual time: first every agenda task due by
   * then (in order, each at its own time), then the clock is set to now, then `work`. Calls are
   * serialised, so a request never sees a half-run task and two requests never interleave.
   */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    const next = this.chain.then(async () => {
      await this.catchUp();
      try {
        return await work();
      } finally {
        this.arm();
      }
    });
    // The chain itself must survive a failed request.
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Resolves once `virtualMs` of virtual time has passed on the wall clock: an MRSC write's answer
   * held back for its round trip. Other requests go on meanwhile (it is not on the chain).
   */
  after(virtualMs: number): Promise<void> {
    if (this.stopped || !(virtualMs > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      // one hold across the timers of a wait longer than one may be (MAX_TIMER_MS)
      const hold: { timer?: unknown } = {};
      const wait = (wallMs: number) => {
        const step = Math.min(wallMs, MAX_TIMER_MS);
        hold.timer = this.timers.set(() => {
          if (wallMs > step) return wait(wallMs - step);
          this.holds.delete(hold);
          resolve();
        }, step);
      };
      wait(Math.ceil(virtualMs / this.options.timeScale));
      this.holds.set(hold, resolve);
    });
  }

  /** Stops the timer and waits for the work in progress; nothing runs on the agenda afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    // Held answers go out now: a stopping server does not keep its callers (or the process) waiting.
    for (const [hold, release] of this.holds) {
      this.timers.clear(hold.timer);
      release();
    }
    this.holds.clear();
    await this.chain;
  }

  private async catchUp(): Promise<void> {
    const now = this.virtualNow();
    for (let due = this.agenda.nextTime(); due !== undefined && due <= now && !this.stopped; due = this.agenda.nextTime()) {
      try {
        await this.agenda.runNext();
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    // Tasks ran at their own times; requests now happen at the wall clock's time.
    if (this.agenda.now < now) this.agenda.now = now;
  }

  /** A timer for the next due task, so replication arrives on time with no request to prompt it. */
  private arm(): void {
    if (this.stopped) return;
    const next = this.agenda.nextTime();
    if (next === this.timerFor && this.timer !== undefined) return;
    this.disarm();
    if (next === undefined) return;
    // (a task due past the longest timer is armed for then, and armed again when that fires: run() re-arms)
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(this.startWall + next / this.options.timeScale - this.clock())));
    this.timerFor = next;
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      this.timerFor = undefined;
      void this.run(() => undefined);
    }, delay);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.timerFor = undefined;
  }
}
