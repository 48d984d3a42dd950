import { AsyncResource } from 'node:async_hooks';

/** What the virtual timers need from the run: its clock and its agenda (see VirtualTimeHost). */
export interface TimerHost {
  readonly now: number;
  schedule(at: number, task: () => void | Promise<void>): void;
  /** A timer callback threw (in Node an uncaught exception); without it the error propagates out of the agenda task. */
  uncaught?(error: unknown): void;
  /** Runs one timer callback: a place to bracket it (a watchdog's enter/leave). Default: calls it. */
  slice?(label: string, run: () => void): void;
}

type Callback = (...args: unknown[]) => void;

/** Node's limit: a longer (or invalid, or < 1) delay is 1 ms (lib/internal/timers.js). */
const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * setTimeout and setInterval as agenda tasks at their due virtual time.
 *
 * Why our own timers rather than @sinonjs/fake-timers' queue: the run's agenda already orders
 * everything by (virtual time, insertion order); a second queue with its own order (callAt, then
 * timer id) would need an agenda wake per timer and could disagree with the agenda on ties. Here a
 * timer is one agenda entry, so a timer and a replication delivery due at the same virtual time run
 * in the order they were scheduled, like any two tasks of the model. Clearing a timer leaves its
 * entry on the agenda as a no-op (the agenda has no removal), which is cheap and keeps the order of
 * the others.
 *
 * Each callback is bound with AsyncResource.bind when the timer is created, so it runs in the async
 * context of the code that set it (its AsyncLocalStorage stores: the invocation that set a retry's
 * backoff is the one whose writes the retry makes), not in the context of whatever ran the agenda.
 */
export class VirtualTimers {
  private nextId = 1;
  private readonly active = new Map<number, VirtualTimeout>();
  /** Set by uninstall: timers still on the agenda then do nothing. */
  disposed = false;

  constructor(private readonly host: TimerHost) {}

  /** How many timers are set and not yet fired or cleared (an interval counts until cleared). */
  get pending(): number {
    return this.active.size;
  }

  readonly setTimeout = (callback: Callback, delay?: number, ...args: unknown[]): VirtualTimeout => this.create(callback, delay, args, false);

  readonly setInterval = (callback: Callback, delay?: number, ...args: unknown[]): VirtualTimeout => this.create(callback, delay, args, true);

  /** clearTimeout and clearInterval (interchangeable in Node): a timer, or its numeric id. */
  readonly clear = (handle: unknown): void => {
    const id = handle instanceof VirtualTimeout ? handle.id : typeof handle === 'number' || typeof handle === 'string' ? Number(handle) : undefined;
    if (id === undefined) return;
    const timer = this.active.get(id);
    if (!timer) return;
    timer.cleared = true;
    this.active.delete(id);
  };

  private create(callback: Callback, delay: number | undefined, args: unknown[], repeat: boolean): VirtualTimeout {
    if (typeof callback !== 'function') {
      const error = new TypeError(`The "callback" argument must be of type function. Received ${callback === null ? 'null' : typeof callback}`);
      (error as { code?: string }).code = 'ERR_INVALID_ARG_TYPE';
      throw error;
    }
    const timer = new VirtualTimeout(this, this.nextId++, AsyncResource.bind(guarded(this.host, callback)), args, toDelay(delay), repeat);
    this.active.set(timer.id, timer);
    this.arm(timer);
    return timer;
  }

  /** Puts the timer's next firing on the agenda; a refresh or a re-arm makes older entries stale. */
  arm(timer: VirtualTimeout): void {
    const generation = ++timer.generation;
    this.host.schedule(this.host.now + timer.delay, () => {
      if (this.disposed || timer.cleared || timer.generation !== generation) return;
      this.fire(timer);
    });
  }

  private fire(timer: VirtualTimeout): void {
    const run = () => {
      try {
        timer.callback(...timer.args);
      } finally {
        // As Node does: an interval is set again after its callback, unless the callback cleared it.
        if (timer.repeat && !timer.cleared) this.arm(timer);
        else if (!timer.repeat) this.active.delete(timer.id);
      }
    };
    if (this.host.slice) this.host.slice(timer.repeat ? 'setInterval callback' : 'setTimeout callback', run);
    else run();
  }

  /** Timeout.refresh: the delay starts again from now; a timer that already fired is set again. */
  refresh(timer: VirtualTimeout): void {
    if (timer.cleared) return;
    this.active.set(timer.id, timer);
    this.arm(timer);
  }
}

/**
 * The callback with its throw reported to `host.uncaught`, inside the async context it is bound
 * to: the host can tell which invocation's timer (or async crypto callback) threw (its
 * AsyncLocalStorage store).
 */
export function guarded<A extends unknown[]>(host: Pick<TimerHost, 'uncaught'>, callback: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      callback(...args);
    } catch (error) {
      if (!host.uncaught) throw error;
      host.uncaught(error);
    }
  };
}

/** What setTimeout returns in Node (a Timeout), as far as code uses it: ref/unref, refresh, a numeric id. */
export class VirtualTimeout {
  generation = 0;
  cleared = false;
  private referenced = true;

  constructor(
    private readonly owner: VirtualTimers,
    readonly id: number,
    readonly callback: Callback,
    readonly args: unknown[],
    readonly delay: number,
    readonly repeat: boolean,
  ) {}

  /**
   * Kept for the API only: an unreferenced timer still fires in the run's time (nothing waits on the
   * process here; the agenda decides when the run ends).
   */
  ref(): this {
    this.referenced = true;
    return this;
  }

  unref(): this {
    this.referenced = false;
    return this;
  }

  hasRef(): boolean {
    return this.referenced;
  }

  /** Starts the timer's delay again from now (a fired setTimeout is set again, as in Node). */
  refresh(): this {
    this.owner.refresh(this);
    return this;
  }

  close(): this {
    this.owner.clear(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

function toDelay(delay: unknown): number {
  let ms = Number(delay);
  if (!(ms >= 1 && ms <= TIMEOUT_MAX)) ms = 1;
  // Virtual times stay whole milliseconds; a timer never fires before its delay (libuv's are in ms too).
  return Math.ceil(ms);
}
