import { describe, expect, it } from 'vitest';
import type { ModuleTimers } from '../../../src/app/user-module/module-timers.js';
import { frozenBetweenInvocations } from '../../../src/sim/user-app/frozen-timers.js';

/** Timers on a hand-driven clock: `advance(ms)` fires what comes due, in time order. */
function manualTimers() {
  let now = 0;
  let ids = 0;
  const pending = new Map<number, { at: number; every?: number; fn: () => void }>();
  // handles as Node's Timeout: an object with a numeric id (`+timer`) and close()
  const handle = (id: number) => ({
    [Symbol.toPrimitive]: () => id,
    close() {
      pending.delete(id);
      return this;
    },
    refresh() {
      const timer = pending.get(id);
      if (timer?.every !== undefined) timer.at = now + timer.every;
      return this;
    },
  });
  const base = {
    setTimeout: ((fn: () => void, ms = 0) => {
      const id = ++ids;
      pending.set(id, { at: now + ms, fn });
      return handle(id);
    }) as unknown as ModuleTimers['setTimeout'],
    setInterval: ((fn: () => void, ms = 0) => {
      const id = ++ids;
      pending.set(id, { at: now + ms, every: ms, fn });
      return handle(id);
    }) as unknown as ModuleTimers['setInterval'],
    setImmediate: (() => 0) as unknown as ModuleTimers['setImmediate'],
    clearTimeout: ((id: unknown) => void pending.delete(Number(id))) as unknown as ModuleTimers['clearTimeout'],
    clearInterval: ((id: unknown) => void pending.delete(Number(id))) as unknown as ModuleTimers['clearInterval'],
    clearImmediate: (() => {}) as unknown as ModuleTimers['clearImmediate'],
    clearAll: () => pending.clear(),
  };
  /** Fires what comes due up to `to` (before it, when `before`: a scripted invocation at a moment starts before the timers due then, as the run orders them). */
  const advance = (to: number, before = false) => {
    for (;;) {
      const next = [...pending.entries()].filter(([, t]) => (before ? t.at < to : t.at <= to)).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
      if (next === undefined) break;
      const [id, timer] = next;
      now = timer.at;
      if (timer.every === undefined) pending.delete(id);
      else timer.at += timer.every;
      timer.fn();
    }
    now = to;
  };
  return { base, advance, now: () => now };
}

describe('an execution environment’s timers, frozen between invocations', () => {
  function setup() {
    const clock = manualTimers();
    let busy = false;
    const thrown: unknown[] = [];
    const timers = frozenBetweenInvocations(clock.base, () => busy, (error) => thrown.push(error));
    const log: string[] = [];
    const invoke = (at: number, lasts: number) => {
      clock.advance(at, true);
      busy = true;
      timers.thaw();
      clock.advance(at + lasts);
      busy = false;
    };
    return { clock, timers, log, invoke, thrown };
  }

  it('fires an interval only while an invocation runs, what it missed once at the next one, and then every period from there, as Node reschedules an overdue interval', () => {
    const { timers, log, invoke, clock } = setup();
    timers.setInterval(() => log.push(`tick ${clock.now()}`), 100);
    invoke(250, 120); // missed 100 (and stopped): once at 250, then 350
    invoke(1000, 0); // missed 450: once at 1000
    expect(log).toEqual(['tick 250', 'tick 350', 'tick 1000']);
  });

  it('fires a timer left behind in the next invocation, in the order timers came due; a cleared one never', () => {
    const { timers, log, invoke, clock } = setup();
    timers.setTimeout(() => log.push(`late b ${clock.now()}`), 80);
    timers.setTimeout(() => log.push(`late a ${clock.now()}`), 50);
    const cleared = timers.setTimeout(() => log.push('cleared'), 60);
    clock.advance(70);
    timers.clearTimeout(cleared);
    invoke(500, 10);
    expect(log).toEqual(['late a 500', 'late b 500']);
  });

  it('hands a thawed callback’s throw on and runs no more of that thaw (the runtime is gone), and takes back every timer and waiting callback with clearAll', () => {
    const { timers, log, invoke, thrown, clock } = setup();
    timers.setTimeout(() => {
      throw new Error('flush failed');
    }, 10);
    timers.setInterval(() => log.push('tick'), 10);
    clock.advance(50);
    invoke(60, 0);
    expect((thrown[0] as Error).message).toBe('flush failed');
    expect(log).toEqual([]);
    timers.setInterval(() => log.push('tick'), 10);
    clock.advance(100);
    timers.clearAll();
    invoke(200, 50);
    expect(log).toEqual([]);
  });
});

describe('a thaw runs overdue timers one by one, as Node does', () => {
  it('skips one that a callback before it cleared (by handle, by numeric id, or with close())', () => {
    const clock = manualTimers();
    let busy = false;
    const timers = frozenBetweenInvocations(clock.base, () => busy, () => {});
    const log: string[] = [];
    let fallback: NodeJS.Timeout | undefined;
    timers.setTimeout(() => {
      log.push('flush');
      timers.clearTimeout(fallback);
    }, 50);
    fallback = timers.setTimeout(() => log.push('fallback'), 80);
    clock.advance(100);
    busy = true;
    timers.thaw();
    expect(log).toEqual(['flush']);
    // the same, cleared by its numeric id, and with close()
    busy = false;
    let byId: NodeJS.Timeout | undefined;
    let closed: NodeJS.Timeout | undefined;
    timers.setTimeout(() => {
      timers.clearTimeout(Number(byId));
      closed!.close();
    }, 10);
    byId = timers.setTimeout(() => log.push('by id'), 20);
    closed = timers.setTimeout(() => log.push('closed'), 30);
    clock.advance(200);
    busy = true;
    timers.thaw();
    expect(log).toEqual(['flush']);
  });
});

describe('an interval a thaw started again', () => {
  it('is still its first handle’s: close() stops it and refresh() starts its period again', () => {
    const clock = manualTimers();
    let busy = false;
    const timers = frozenBetweenInvocations(clock.base, () => busy, () => {});
    const log: number[] = [];
    const interval = timers.setInterval(() => log.push(clock.now()), 100);
    clock.advance(150); // its tick at 100 waits
    busy = true;
    timers.thaw(); // at 150, then every 100 ms from there
    clock.advance(300);
    interval.refresh(); // at 300: the next at 400, not 350
    clock.advance(450);
    interval.close();
    clock.advance(1000);
    expect(log).toEqual([150, 250, 400]);
  });
});
