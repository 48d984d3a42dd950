import type { Step } from '../scenario/model.js';
import type { Simulation } from './simulation.js';

/**
 * Runs steps (in time order) interleaved with the world's agenda until both are exhausted: a step
 * runs before agenda tasks due at the same time. Steps are pulled lazily, so a generated workload of
 * any length never sits in the agenda at once.
 */
export async function drive(sim: Simulation, steps: Iterable<Step>): Promise<void> {
  const world = sim.world;
  const pending = steps[Symbol.iterator]();
  let next = pending.next();
  for (;;) {
    const due = world.nextTime();
    if (!next.done && (due === undefined || next.value.at <= due)) {
      world.now = Math.max(world.now, next.value.at);
      await sim.perform(next.value);
      next = pending.next();
    } else if (!(await world.runNext())) {
      return;
    }
  }
}
