import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, WallClockDriver, type Agenda, type Timers } from '../../src/serve/wall-clock-driver.js';

/** A fake wall clock and timers: time moves only when the test says so. */
function fakeTime(start = 1_000_000) {
  let wall = start;
  const pending = new Map<number, { at: number; callback: () => void }>();
  let ids = 0;
  const timers: Timers = {
    set: (callback, ms) => {
      pending.set(++ids, { at: wall + ms, callback });
      return ids;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  return {
    clock: () => wall,
    timers,
    pending,
    /** Moves the wall clock and fires the timers now due, as the event loop would. */
    async advance(ms: number) {
      wall += ms;
      for (const [id, t] of [...pending]) {
        if (t.at <= wall) {
          pending.delete(id);
          t.callback();
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** An agenda like World's: tasks at virtual times, run in order, `now` set to each task's time. */
function agenda(): Agenda & { ran: Array<{ name: string; at: number }>; add(at: number, name: string, then?: () => void): void } {
  const tasks: Array<{ at: number; name: string; then?: () => void }> = [];
  const a = {
    now: 0,
    ran: [] as Array<{ name: string; at: number }>,
    add(at: number, name: string, then?: () => void) {
      tasks.push({ at, name, ...(then ? { then } : {}) });
      tasks.sort((x, y) => x.at - y.at);
    },
    nextTime: () => tasks[0]?.at,
    async runNext() {
      const t = tasks.shift();
      if (!t) return false;
      a.now = t.at;
      a.ran.push({ name: t.name, at: a.now });
      t.then?.();
      return true;
    },
  };
  return a;
}

describe('WallClockDriver', () => {
  it('runs a due task on its timer, with no request, at its own virtual time', async () => {
    const time = fakeTime();
    const world = agenda();
    world.add(300, 'replication arrives');
    const driver = new WallClockDriver(world, { timeScale: 1, clock: time.clock, timers: time.timers });
    driver.start();
    await time.advance(299);
    expect(world.ran).toEqual([]);
    await time.advance(1);
    expect(world.ran).toEqual([{ name: 'replication arrives', at: 300 }]);
    expect(world.now).toBe(300);
  });

  it('before serving a request, runs every task due by now in order, then sets now to the wall time', async () => {
    const time = fakeTime();
    const world = agenda();
    world.add(100, 'a');
    world.add(200, 'b');
    world.add(900, 'later');
    const driver = new WallClockDriver(world, { timeScale: 1, clock: time.clock, timers: { set: () => 0, clear: () => {} } });
    await time.advance(250);
    const seen = await driver.run(() => world.now);
    expect(world.ran.map((r) => r.name)).toEqual(['a', 'b']);
    expect(seen).toBe(250);
  });

  it('scales virtual time by --time-scale, and wakes at the scaled wall time', async () => {
    const time = fakeTime();
    const world = agenda();
    world.add(1000, 'fault ends');
    const driver = new WallClockDriver(world, { timeScale: 10, clock: time.clock, timers: time.timers });
    driver.start();
    expect([...time.pending.values()][0]!.at - time.clock()).toBe(100);
    await time.advance(37);
    expect(driver.virtualNow()).toBe(370);
    await time.advance(63);
    expect(world.ran).toEqual([{ name: 'fault ends', at: 1000 }]);
  });

  it('re-arms for a task a request scheduled (a write sends replication)', async () => {
    const time = fakeTime();
    const world = agenda();
    const driver = new WallClockDriver(world, { timeScale: 1, clock: time.clock, timers: time.timers });
    driver.start();
    expect(time.pending.size).toBe(0);
    await time.advance(50);
    await driver.run(() => world.add(world.now + 300, 'arrival'));
    expect(time.pending.size).toBe(1);
    await time.advance(300);
    expect(world.ran).toEqual([{ name: 'arrival', at: 350 }]);
  });

  it('serialises requests: the second starts after the first is done', async () => {
    const time = fakeTime();
    const world = agenda();
    const driver = new WallClockDriver(world, { timeScale: 1, clock: time.clock, timers: time.timers });
    const order: string[] = [];
    let release!: () => void;
    const first = driver.run(async () => {
      order.push('first starts');
      await new Promise<void>((r) => (release = r));
      order.push('first ends');
    });
    const second = driver.run(() => order.push('second'));
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second']);
  });

  it('a failing request does not stop the ones after it; a failing task is reported and the rest run', async () => {
    const time = fakeTime();
    const world = agenda();
    const errors: unknown[] = [];
    world.add(10, 'boom', () => {
      throw new Error('task failed');
    });
    world.add(20, 'after');
    const driver = new WallClockDriver(world, { timeScale: 1, clock: time.clock, timers: { set: () => 0, clear: () => {} }, onError: (e) => errors.push(e) });
    await expect(
      driver.run(() => {
        throw new Error('request failed');
      }),
    ).rejects.toThrow('request failed');
    await time.advance(30);
    await driver.run(() => undefined);
    expect(world.ran.map((r) => r.name)).toEqual(['boom', 'after']);
    expect(errors).toHaveLength(1);
  });

  it('after stop, nothing runs and no timer is left', async () => {
    const time = fakeTime();
    const world = agenda();
    world.add(100, 'never');
    const driver = new WallClockDriver(world, { timeScale: 1, clock: time.clock, timers: time.timers });
    driver.start();
    await driver.stop();
    expect(time.pending.size).toBe(0);
    await time.advance(200);
    expect(world.ran).toEqual([]);
  });

  it('a task due past the longest timer (a 30-day TTL) waits in steps Node takes, and runs at its time (Node made the overflowing delay 1 ms: a busy loop)', async () => {
    const time = fakeTime();
    const world = agenda();
    const DAY = 86_400_000;
    world.add(30 * DAY, 'TTL delete');
    const asked: number[] = [];
    const timers: Timers = { set: (callback, ms) => (asked.push(ms), time.timers.set(callback, ms)), clear: time.timers.clear };
    const driver = new WallClockDriver(world, { timeScale: 1, clock: time.clock, timers });
    driver.start();
    expect(asked).toEqual([MAX_TIMER_MS]);
    await time.advance(MAX_TIMER_MS);
    expect(world.ran).toEqual([]);
    expect(asked).toEqual([MAX_TIMER_MS, 30 * DAY - MAX_TIMER_MS]);
    await time.advance(30 * DAY - MAX_TIMER_MS);
    expect(world.ran).toEqual([{ name: 'TTL delete', at: 30 * DAY }]);
    // an answer held back that long waits as long, in steps too
    let released = false;
    void driver.after(30 * DAY).then(() => (released = true));
    expect(asked.slice(-1)).toEqual([MAX_TIMER_MS]);
    await time.advance(MAX_TIMER_MS);
    expect(released).toBe(false);
    await time.advance(30 * DAY - MAX_TIMER_MS);
    expect(released).toBe(true);
    expect(asked.every((ms) => ms <= MAX_TIMER_MS)).toBe(true);
    await driver.stop();
  });

  it('refuses a time scale that is not a positive number', () => {
    expect(() => new WallClockDriver(agenda(), { timeScale: 0 })).toThrow(RangeError);
  });
});
