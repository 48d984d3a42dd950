import { countTrace } from '../check/counts.js';
import { endOfRunAssertions, finalState, reportHeader } from '../check/end-of-run.js';
import type { Scenario } from '../scenario/model.js';
import { TraceRecorder } from '../trace/recorder.js';
import type { RunReport } from '../trace/report.js';
import { drive } from './drive.js';
import { Simulation } from './simulation.js';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
}

/**
 * Runs a scenario in the in-memory model: every step at its virtual time, then replication (and
 * stream consumers) until nothing is left in flight; then the end-of-run expectations.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunReport> {
  const seed = options.seed ?? scenario.seed;
  const recorder = new TraceRecorder();
  const sim = new Simulation(scenario, seed, recorder, recorder.events);
  const world = sim.world;
  await drive(sim, scenario.steps);
  const final = finalState(sim.snapshot(), scenario.regions);
  const counts = countTrace(recorder.events);
  const trace = recorder.events;
  return {
    ...reportHeader(scenario, seed, 'memory'),
    trace,
    final,
    counts,
    assertions: [...sim.assertions, ...endOfRunAssertions(scenario, { trace, final, counts })],
    endedAt: world.now,
  };
}
