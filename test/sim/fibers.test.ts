import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/event-queue.js';
import { Fibers } from '../../src/sim/fibers.js';
import type { Task } from '../../src/sim/substrate.js';

/** A minimal agenda over Fibers, as World and the DynamoDB substrate run theirs. */
function agenda(enabled = true) {
  const queue = new EventQueue<Task>();
  const clock = { now: 0 };
  const fibers = new Fibers(clock, (at, task) => queue.push(Math.max(at, clock.now), task), enabled);
  return {
    clock,
    fibers,
    schedule: (at: number, task: Task) => queue.push(at, task),
    async run(): Promise<void> {
      for (let next = queue.pop(); next; next = queue.pop()) {
        clock.now = next.time;
        const pending = fibers.run(next.task);
        if (pending) await pending;
      }
    },
  };
}

describe('Fibers: continuations on the agenda', () => {
  it('interleaves two tasks that wait on their calls instead of running one to its end first', async () => {
    const a = agenda();
    const log: string[] = [];
    const invocation = (name: string, latency: number) => async () => {
      for (let call = 1; call <= 3; call++) {
        log.push(`${a.clock.now} ${name}${call}`);
        await a.fibers.after(latency);
      }
      log.push(`${a.clock.now} ${name} done`);
    };
    a.schedule(0, invocation('A', 10));
    a.schedule(0, invocation('B', 15));
    await a.run();
    // At 30 both resume: B's continuation was scheduled first (at 15), A's at 20.
    expect(log).toEqual(['0 A1', '0 B1', '10 A2', '15 B2', '20 A3', '30 B3', '30 A done', '45 B done']);
  });

  it('lets work due meanwhile run while a task waits, and resumes it at its time', async () => {
    const a = agenda();
    const log: string[] = [];
    a.schedule(0, async () => {
      await a.fibers.after(100);
      log.push(`resumed at ${a.clock.now}`);
    });
    a.schedule(50, () => {
      log.push(`other work at ${a.clock.now}`);
    });
    await a.run();
    expect(log).toEqual(['other work at 50', 'resumed at 100']);
  });

  it('awaits a task that never waits as it is, and a 0 ms continuation does not go through the agenda', async () => {
    const a = agenda();
    const log: string[] = [];
    a.schedule(0, async () => {
      await a.fibers.after(0);
      log.push('first');
    });
    a.schedule(0, () => {
      log.push('second');
    });
    await a.run();
    expect(log).toEqual(['first', 'second']);
  });

  it('passes a failure of a resumed task on to the agenda', async () => {
    const a = agenda();
    a.schedule(0, async () => {
      await a.fibers.after(5);
      throw new Error('boom');
    });
    await expect(a.run()).rejects.toThrow('boom');
  });

  it('refuses a continuation longer than 0 ms when the run has none (enabled false), instead of hanging', async () => {
    const a = agenda(false);
    a.schedule(0, async () => {
      await a.fibers.after(5);
    });
    await expect(a.run()).rejects.toThrow('a continuation of 5 ms outside a fiber (Fibers.enabled is false)');
  });
});
