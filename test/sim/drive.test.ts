import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/scenario/model.js';
import { drive } from '../../src/sim/drive.js';
import type { Simulation } from '../../src/sim/simulation.js';
import type { Substrate } from '../../src/sim/substrate.js';

/**
 * A substrate on the wall clock (DynamoDB with native replication) reaches a step's time only when
 * the wall clock does: its advanceTo resolves later, and the step must not run before that.
 */
describe('drive', () => {
  it('waits for an asynchronous advanceTo before running the step due then', async () => {
    const log: string[] = [];
    let now = 0;
    const substrate = {
      get now() {
        return now;
      },
      settle: () => undefined,
      nextTime: () => undefined,
      runNext: async () => false,
      runNow: (task: () => void | Promise<void>) => task(),
      advanceTo: async (t: number) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        now = t;
        log.push(`advanced to ${t}`);
      },
    } as unknown as Substrate;
    const sim = {
      substrate,
      perform: async (step: Step) => {
        log.push(`step ${step.index} at ${now}`);
      },
    } as unknown as Simulation;
    const steps = [
      { at: 1000, index: 0, kind: 'check', expect: {} },
      { at: 2000, index: 1, kind: 'check', expect: {} },
    ] as unknown as Step[];
    await drive(sim, steps);
    expect(log).toEqual(['advanced to 1000', 'step 0 at 1000', 'advanced to 2000', 'step 1 at 2000']);
  });
});
