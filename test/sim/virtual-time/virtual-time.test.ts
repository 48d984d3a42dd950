import { AsyncLocalStorage } from 'node:async_hooks';
import * as nodeCrypto from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { performance as perfHooksPerformance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { installVirtualTime, real, type VirtualTimeInstallation } from '../../../src/sim/virtual-time/index.js';
import { Rng } from '../../../src/sim/rng.js';
import { World } from '../../../src/sim/world.js';
import { CountingSink } from '../../../src/trace/recorder.js';

const require = createRequire(import.meta.url);
const EPOCH = Date.UTC(2025, 0, 1);

/** A quiet-mode World with virtual time installed over it, as a run with a user module has. */
function virtualRun(seed = 1) {
  const world = new World(
    { regions: ['us-east-1', 'eu-west-1'], replication: { links: [], coalesce: false, tieBreak: 'higher-region' } },
    new Rng(seed),
    new CountingSink(),
    { epochMs: EPOCH, quiescent: true },
  );
  const stream = new Rng(seed).stream('user-code');
  const installation = installVirtualTime(
    { get now() { return world.now; }, epochMs: EPOCH, schedule: (at, task) => world.schedule(at, task) },
    () => stream.next(),
  );
  installed = installation;
  return {
    world,
    installation,
    /** Virtual ms since the run began, as user code sees it. */
    elapsed: () => Date.now() - EPOCH,
    async drain(): Promise<void> {
      while (await world.runNext());
    },
  };
}

let installed: VirtualTimeInstallation | undefined;
afterEach(() => {
  installed?.uninstall();
  installed = undefined;
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('virtual time: timers and clocks follow the run', () => {
  it('a handler that sleeps 250 ms with setTimeout sees 250 virtual ms pass (and a 10-minute sleep does not wait 10 minutes)', async () => {
    const run = virtualRun();
    const seen: number[] = [];
    run.world.schedule(0, async () => {
      const started = Date.now();
      await sleep(250);
      seen.push(Date.now() - started, run.world.now, performance.now(), perfHooksPerformance.now(), Number(process.hrtime.bigint() / 1_000_000n));
      await sleep(600_000);
      seen.push(run.elapsed());
    });
    await run.drain();
    expect(seen).toEqual([250, 250, 250, 250, 250, 600_250]);
    expect(new Date().toISOString()).toBe(new real.Date(EPOCH + 600_250).toISOString());
  });

  it('two fibers waiting on timers interleave in virtual time', async () => {
    const run = virtualRun();
    const log: string[] = [];
    const handler = (name: string, delay: number) => async () => {
      for (let i = 1; i <= 3; i++) {
        log.push(`${run.elapsed()} ${name}${i}`);
        await sleep(delay);
      }
      log.push(`${run.elapsed()} ${name} done`);
    };
    run.world.schedule(0, handler('A', 100));
    run.world.schedule(0, handler('B', 150));
    await run.drain();
    // At 300 both are due: B's timer was set first (at 150), A's at 200, and the agenda keeps that order.
    expect(log).toEqual(['0 A1', '0 B1', '100 A2', '150 B2', '200 A3', '300 B3', '300 A done', '450 B done']);
  });

  it('setInterval fires every interval until clearInterval; a cleared setTimeout never fires', async () => {
    const run = virtualRun();
    const ticks: number[] = [];
    let fired = false;
    run.world.schedule(0, () => {
      const interval = setInterval(() => {
        ticks.push(run.elapsed());
        if (ticks.length === 3) clearInterval(interval);
      }, 100);
      const timeout = setTimeout(() => (fired = true), 50);
      clearTimeout(timeout);
    });
    await run.drain();
    expect(ticks).toEqual([100, 200, 300]);
    expect(fired).toBe(false);
    expect(run.installation.pendingTimers).toBe(0);
  });

  it('node:timers and node:timers/promises follow the run too, and a timer keeps Node’s Timeout API', async () => {
    const run = virtualRun();
    const seen: unknown[] = [];
    run.world.schedule(0, async () => {
      const timers = require('node:timers') as typeof import('node:timers');
      const promises = require('node:timers/promises') as typeof import('node:timers/promises');
      await new Promise((r) => timers.setTimeout(r, 40));
      seen.push(run.elapsed(), await promises.setTimeout(60, 'value'), run.elapsed());
      // util.promisify(setTimeout) takes Node’s promise form (it threw: the callback argument was a number)
      seen.push(await promisify(setTimeout)(10, 'promisified'), run.elapsed());
      await promisify(timers.setTimeout)(0); // node:timers' too; 0 ms is 1 ms, as in Node
      const t = setTimeout(() => seen.push(`refreshed at ${run.elapsed()}`), 30);
      expect(t.unref().hasRef()).toBe(false);
      expect(typeof +t).toBe('number');
      await sleep(20);
      t.refresh();
    });
    await run.drain();
    expect(seen).toEqual([40, 'value', 100, 'promisified', 110, 'refreshed at 161']);
  });

  it('node:timers/promises’ setInterval and scheduler.wait, and AbortSignal.timeout, follow the run: Node keeps their timers apart, and they ran in real time', async () => {
    const run = virtualRun();
    const seen: unknown[] = [];
    run.world.schedule(0, async () => {
      const promises = require('node:timers/promises') as typeof import('node:timers/promises');
      for await (const value of promises.setInterval(25, 'tick')) {
        seen.push(`${value} ${run.elapsed()}`);
        if (seen.length === 2) break; // return(): the interval is cleared
      }
      await promises.scheduler.wait(50);
      seen.push(`waited ${run.elapsed()}`);
      // as Node’s (an async generator): the interval starts at the first next()
      const ticks = promises.setInterval(10, 'late');
      await sleep(35);
      for (let i = 0; i < 3; i++) seen.push(`${(await ticks.next()).value} ${run.elapsed()}`);
      await ticks.return!();
      const deadline = AbortSignal.timeout(30);
      await sleep(29);
      seen.push(`aborted at ${run.elapsed()}: ${deadline.aborted}`);
      await sleep(1);
      seen.push(`aborted at ${run.elapsed()}: ${deadline.aborted} (${(deadline.reason as Error).name})`);
      // an interval's waiting next() rejects when its signal aborts
      const controller = new AbortController();
      const aborted = promises.setInterval(100, 'never', { signal: controller.signal }).next();
      setTimeout(() => controller.abort(), 5);
      await aborted.catch((error: Error) => seen.push(`${error.name} at ${run.elapsed()}`));
    });
    await run.drain();
    expect(seen).toEqual(['tick 25', 'tick 50', 'waited 100', 'late 145', 'late 155', 'late 165', 'aborted at 194: false', 'aborted at 195: true (TimeoutError)', 'AbortError at 200']);
    expect(run.installation.pendingTimers).toBe(0);
  });

  it('Intl.DateTimeFormat’s format() and formatToParts() without a date, and process.uptime(), are the run’s (V8 read the machine’s clock)', async () => {
    const run = virtualRun();
    const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
    const seen: unknown[] = [];
    run.world.schedule(0, async () => {
      await sleep(36 * 3600 * 1000); // a day and a half of the run’s time
      seen.push(day.format(), day.formatToParts().find((p) => p.type === 'day')!.value, day.format(new Date(0)), process.uptime());
      seen.push(day.format === day.format, day instanceof Intl.DateTimeFormat, Object.keys(Object.getPrototypeOf(day)).length);
    });
    await run.drain();
    expect(seen).toEqual(['2025-01-02', '02', '1970-01-01', 129_600, true, true, 0]);
  });

  it('AbortSignal.timeout refuses what Node refuses, with Node’s error', () => {
    virtualRun();
    expect(() => AbortSignal.timeout(-1)).toThrow(/delay/);
  });

  it('a timer callback runs in the AsyncLocalStorage context of the code that set it, not of the agenda', async () => {
    const run = virtualRun();
    const scope = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    // Set inside a store, fired by the agenda from outside any store.
    scope.run('set-by-A', () => setTimeout(() => seen.push(`callback sees ${scope.getStore()}`), 10));
    // Two invocations in their own stores, interleaving on timers: each continues in its own.
    for (const name of ['A', 'B']) {
      run.world.schedule(0, () =>
        scope.run(name, async () => {
          for (let i = 0; i < 2; i++) {
            await sleep(name === 'A' ? 30 : 20);
            seen.push(`${run.elapsed()} ${name} sees ${scope.getStore()}`);
          }
        }),
      );
    }
    expect(scope.getStore()).toBeUndefined();
    await run.drain();
    expect(seen).toEqual(['callback sees set-by-A', '20 B sees B', '30 A sees A', '40 B sees B', '60 A sees A']);
  });

  it('after(ms) works from any async context in quiet mode, and the world waits for a pending file read before moving on', async () => {
    const run = virtualRun();
    const log: string[] = [];
    run.world.schedule(0, async () => {
      await run.world.after(5);
      // Real I/O inside user code: time must not move on to the task due at 6 while it is pending.
      await readFile(new URL(import.meta.url));
      log.push(`read done at ${run.elapsed()}`);
      await run.world.after(10);
      log.push(`resumed at ${run.elapsed()}`);
    });
    run.world.schedule(6, () => void log.push(`other work at ${run.elapsed()}`));
    await run.drain();
    expect(log).toEqual(['read done at 5', 'other work at 6', 'resumed at 15']);
  });

  it('a fiber that fails after waiting fails the agenda step that resumed it', async () => {
    const run = virtualRun();
    run.world.schedule(0, async () => {
      await sleep(100);
      throw new Error('handler failed after its backoff');
    });
    await expect(run.world.runNext()).resolves.toBe(true);
    expect(run.world.now).toBe(0);
    await expect(run.world.runNext()).rejects.toThrow('handler failed after its backoff');
    expect(run.world.now).toBe(100);
  });

  it('a hanging handler leaves the agenda (the run can end or time it out) instead of blocking it', async () => {
    const run = virtualRun();
    run.world.schedule(0, () => new Promise<void>(() => {}));
    await run.drain();
    expect(run.world.nextTime()).toBeUndefined();
  });
});

describe('virtual time: random draws are the run’s', () => {
  it('Math.random and crypto.randomUUID (global and node:crypto) come from the seeded stream', () => {
    const draw = () => {
      const run = virtualRun(7);
      const out = [Math.random(), globalThis.crypto.randomUUID(), nodeCrypto.randomUUID(), (require('node:crypto') as typeof nodeCrypto).randomUUID()];
      run.installation.uninstall();
      return out;
    };
    const a = draw();
    const b = draw();
    expect(a).toEqual(b);
    expect(a[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(a.slice(1)).size).toBe(3);
  });

  it('random bytes from Web Crypto and node:crypto (getRandomValues, randomFillSync, randomBytes, randomInt) come from the seeded stream', () => {
    const draw = (seed: number) => {
      const run = virtualRun(seed);
      const required = require('node:crypto') as typeof nodeCrypto;
      const hex = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('hex');
      const out = [
        hex(globalThis.crypto.getRandomValues(new Uint8Array(8))),
        hex(nodeCrypto.webcrypto.getRandomValues(new BigUint64Array(1))),
        hex(required.getRandomValues(new Int16Array(4))),
        hex(nodeCrypto.randomFillSync(new Uint8Array(8))),
        hex(required.randomFillSync(Buffer.alloc(8))),
        nodeCrypto.randomBytes(8).toString('hex'),
        required.randomBytes(8).toString('hex'),
        nodeCrypto.randomInt(1_000_000),
        required.randomInt(-5, 2 ** 40),
      ];
      run.installation.uninstall();
      return out;
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    const other = draw(8);
    for (const [i, value] of a.entries()) expect(other[i], `draw ${i}`).not.toEqual(value);
    expect(new Set(a).size).toBe(a.length);
  });

  it('randomFillSync fills only the range asked (offset and size count elements of a typed array), as Node does', () => {
    virtualRun();
    const words = nodeCrypto.randomFillSync(new Uint16Array(4), 1, 2);
    expect([words[0], words[3]]).toEqual([0, 0]);
    const buffer = new ArrayBuffer(6);
    nodeCrypto.randomFillSync(buffer, 4);
    expect([...new Uint8Array(buffer, 0, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('arguments Node refuses are refused with Node’s own errors', () => {
    const { getRandomValues } = globalThis.crypto;
    const refusals = () =>
      [
        () => nodeCrypto.randomInt(5, 2),
        () => nodeCrypto.randomInt(2 ** 49),
        () => nodeCrypto.randomBytes(-1),
        () => nodeCrypto.randomBytes(4, 'not a callback' as never),
        () => nodeCrypto.randomFillSync(new Uint8Array(4), 5),
        () => nodeCrypto.randomFillSync('text' as never),
        () => nodeCrypto.randomFill(new Uint8Array(4)),
        () => globalThis.crypto.getRandomValues(new Float64Array(1) as never),
        () => getRandomValues(new Uint8Array(1)),
      ].map((call) => {
        try {
          call();
          return 'no error';
        } catch (error) {
          return `${(error as Error).name} ${(error as { code?: string }).code}: ${(error as Error).message}`;
        }
      });
    const real = refusals();
    virtualRun();
    expect(refusals()).toEqual(real);
    expect(real).not.toContain('no error');
  });

  it('async randomBytes, randomFill and randomInt call back later, at the same virtual time, in the caller’s async context', async () => {
    const draw = async (seed: number) => {
      const run = virtualRun(seed);
      const scope = new AsyncLocalStorage<string>();
      const log: string[] = [];
      run.world.schedule(100, () =>
        scope.run('handler', async () => {
          const back = (name: string) => (error: Error | null, value: Buffer | Uint8Array | number) => {
            log.push(`${name} ${typeof value === 'number' ? value : Buffer.from(value).toString('hex')} at ${run.elapsed()} in ${scope.getStore()}`);
          };
          nodeCrypto.randomBytes(4, back('randomBytes'));
          nodeCrypto.randomFill(new Uint8Array(4), back('randomFill'));
          nodeCrypto.randomFill(new Uint8Array(4), 2, back('randomFill from 2'));
          nodeCrypto.randomInt(1000, back('randomInt'));
          log.push('caller ran on');
        }),
      );
      await run.drain();
      run.installation.uninstall();
      return log;
    };
    const log = await draw(3);
    expect(log[0]).toBe('caller ran on');
    expect(log.slice(1).map((line) => line.replace(/ \S+ at/, ' … at'))).toEqual([
      'randomBytes … at 100 in handler',
      'randomFill … at 100 in handler',
      'randomFill from 2 … at 100 in handler',
      'randomInt … at 100 in handler',
    ]);
    expect(log[3]).toMatch(/^randomFill from 2 0000[0-9a-f]{4} /);
    expect(await draw(3)).toEqual(log);
    expect(await draw(4)).not.toEqual(log);
  });
});

describe('virtual time: install and uninstall', () => {
  it('uninstall restores every global exactly, and a second install while one is active throws', () => {
    const timersModule = require('node:timers') as Record<string, unknown>;
    const cryptoModule = require('node:crypto') as Record<string, unknown>;
    // every global virtual time replaces, as it stands now
    const globals = () => ({
      Date: globalThis.Date,
      setTimeout: globalThis.setTimeout,
      setInterval: globalThis.setInterval,
      clearTimeout: globalThis.clearTimeout,
      clearInterval: globalThis.clearInterval,
      setImmediate: globalThis.setImmediate,
      random: Math.random,
      performance: globalThis.performance,
      perfNow: perfHooksPerformance.now,
      hrtime: process.hrtime,
      timersSetTimeout: timersModule.setTimeout,
      promisesSetTimeout: (require('node:timers/promises') as Record<string, unknown>).setTimeout,
      promisesSetInterval: (require('node:timers/promises') as Record<string, unknown>).setInterval,
      schedulerWait: (require('node:timers/promises') as typeof import('node:timers/promises')).scheduler.wait,
      abortTimeout: AbortSignal.timeout,
      pbkdf2: cryptoModule.pbkdf2,
      gzip: (require('node:zlib') as Record<string, unknown>).gzip,
      subtleSign: globalThis.crypto.subtle.sign,
      dateFormat: Object.getOwnPropertyDescriptor(Intl.DateTimeFormat.prototype, 'format')!.get,
      formatToParts: Intl.DateTimeFormat.prototype.formatToParts,
      uptime: process.uptime,
      nodeUUID: cryptoModule.randomUUID,
      webUUIDOwn: Object.getOwnPropertyDescriptor(globalThis.crypto, 'randomUUID'),
      randomBytes: cryptoModule.randomBytes,
      randomFillSync: cryptoModule.randomFillSync,
      randomFill: cryptoModule.randomFill,
      randomInt: cryptoModule.randomInt,
      esmRandomBytes: nodeCrypto.randomBytes,
      webGetRandomValuesOwn: Object.getOwnPropertyDescriptor(globalThis.crypto, 'getRandomValues'),
      webGetRandomValues: globalThis.crypto.getRandomValues,
    });
    const before = globals();
    const run = virtualRun();
    expect(globalThis.Date).not.toBe(before.Date);
    expect(globalThis.setTimeout).not.toBe(before.setTimeout);
    expect(Math.random).not.toBe(before.random);
    expect(cryptoModule.randomBytes).not.toBe(before.randomBytes);
    expect(nodeCrypto.randomBytes).not.toBe(before.esmRandomBytes);
    expect(globalThis.crypto.getRandomValues).not.toBe(before.webGetRandomValues);
    expect(globalThis.setImmediate).toBe(before.setImmediate);
    expect(() => installVirtualTime({ now: 0, epochMs: 0, schedule: () => {} }, () => 0.5)).toThrow(/already installed/);
    run.installation.uninstall();
    const after = globals();
    for (const key of Object.keys(before) as (keyof typeof before)[]) expect(after[key], key).toBe(before[key]);
    expect(before.webUUIDOwn).toBeUndefined();
    expect(before.webGetRandomValuesOwn).toBeUndefined();
    // The real ones draw real randomness again.
    expect(nodeCrypto.randomBytes(16).equals(nodeCrypto.randomBytes(16))).toBe(false);
    expect(Date.now()).toBeGreaterThan(EPOCH); // the real clock again
    // And it can be installed again once uninstalled.
    virtualRun().installation.uninstall();
  });

  it('a timer left on the agenda does nothing once virtual time is uninstalled', async () => {
    const run = virtualRun();
    let fired = false;
    setTimeout(() => (fired = true), 10);
    run.installation.uninstall();
    while (await run.world.runNext());
    expect(fired).toBe(false);
  });
});
