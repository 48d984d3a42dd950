import { countTrace } from '../check/counts.js';
import { checkExpectation } from '../check/expectations.js';
import { invariantsFor } from '../check/invariants.js';
import type { Scenario } from '../scenario/model.js';
import { TraceRecorder } from '../trace/recorder.js';
import type { RunReport } from '../trace/report.js';
import { drive } from './drive.js';
import { describeLag } from './lag.js';
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
  const final = sim.snapshot();
  const counts = countTrace(recorder.events);
  const endAssertions = scenario.expect ? checkExpectation(scenario.expect, { items: final, counts }) : [];
  // The model's own invariants (conservation, convergence), on every run (issue 7).
  endAssertions.push(...invariantsFor(scenario, { trace: recorder.events, final, counts }));
  return {
    scenario: { name: scenario.name, file: scenario.file, ...(scenario.description ? { description: scenario.description } : {}) },
    seed,
    mode: scenario.mode,
    strategy: scenario.application.strategy,
    idempotency: scenario.application.idempotency,
    regions: [...scenario.regions],
    lag: scenario.replication.links.map((l) => `${l.from}→${l.to} ${describeLag(l.lag)}`),
    backend: 'memory',
    trace: recorder.events,
    final,
    counts,
    assertions: [...sim.assertions, ...endAssertions],
    endedAt: world.now,
  };
}
