import { countTrace } from '../check/counts.js';
import { endOfRunAssertions, finalState, reportHeader } from '../check/end-of-run.js';
import type { Scenario } from '../scenario/model.js';
import { TraceRecorder } from '../trace/recorder.js';
import type { AssertionResult, RunReport, RunStop } from '../trace/report.js';
import { drive } from './drive.js';
import { Simulation } from './simulation.js';

/**
 * Default virtual-time horizon of a run, after its last scripted step or fault: 10 years. A scenario
 * may declare delays of up to a year each (MAX_TIME_MS) that chain (a lag, then a consumer delay,
 * then a lag); the horizon only stops work that never ends, and the trace limit stops fast loops.
 */
export const DEFAULT_HORIZON_MS = 3650 * 86_400_000;
/** Default limit on trace events per run: with small items about 175 MB of trace in the model and 335 MB as JSON (README, Run limits). */
export const DEFAULT_MAX_TRACE_EVENTS = 500_000;

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Virtual ms after which nothing runs (default DEFAULT_HORIZON_MS). */
  horizon?: number;
  /** The run stops once its trace holds this many events (default DEFAULT_MAX_TRACE_EVENTS). */
  maxTraceEvents?: number;
}

/**
 * Runs a scenario in the in-memory model: every step at its virtual time, then replication (and
 * stream consumers) until nothing is left in flight; then the end-of-run expectations. A run that
 * still has work due after its horizon, or whose trace reaches its size limit, stops there: its
 * report carries `stopped` and one failed assertion instead of the end-of-run ones, which would
 * judge a world that never settled.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunReport> {
  const seed = options.seed ?? scenario.seed;
  const recorder = new TraceRecorder();
  const sim = new Simulation(scenario, seed, recorder, recorder.events);
  const world = sim.world;
  const stopped = await drive(sim, scenario.steps, {
    horizon: options.horizon ?? DEFAULT_HORIZON_MS,
    scriptedEnd: scriptedEnd(scenario),
    maxTraceEvents: options.maxTraceEvents ?? DEFAULT_MAX_TRACE_EVENTS,
    traceSize: () => recorder.events.length,
  });
  const final = finalState(sim.snapshot(), scenario.regions);
  const counts = countTrace(recorder.events);
  const trace = recorder.events;
  return {
    ...reportHeader(scenario, seed, 'memory'),
    trace,
    final,
    counts,
    assertions: [...sim.assertions, ...(stopped ? [limitAssertion(stopped)] : endOfRunAssertions(scenario, { trace, final, counts }))],
    endedAt: world.now,
    ...(stopped ? { stopped } : {}),
  };
}

/** The scenario's last scripted moment: its latest step, or a fault's start or end. */
function scriptedEnd(scenario: Scenario): number {
  let end = 0;
  for (const step of scenario.steps) end = Math.max(end, step.at);
  for (const fault of scenario.faults ?? []) end = Math.max(end, fault.at, fault.until ?? 0);
  return end;
}

function limitAssertion(stop: RunStop): AssertionResult {
  if (stop.limit === 'horizon') {
    return {
      name: 'run finished within its horizon (--horizon)',
      source: 'limit',
      passed: false,
      expected: `nothing due more than ${stop.horizon}ms after the last scripted step or fault (${stop.scriptedEnd}ms)`,
      actual: `work still due at ${stop.nextDue}ms`,
      detail: 'the run was stopped at its virtual-time horizon; raise it with --horizon if the scenario needs longer',
    };
  }
  return {
    name: 'run finished within its trace limit (--max-trace-events)',
    source: 'limit',
    passed: false,
    expected: `at most ${stop.maxTraceEvents} trace events`,
    actual: `work still due after ${stop.maxTraceEvents} trace events`,
    detail: 'the run was stopped when its trace reached the limit; raise it with --max-trace-events if the scenario needs more',
  };
}
