import type { Step } from '../scenario/model.js';
import type { RunStop } from '../trace/report.js';
import type { Simulation } from './simulation.js';

/** Bounds on one run, so that no scenario can run (or grow its trace) for ever. */
export interface RunLimits {
  /**
   * Virtual ms allowed after the scenario's last scripted moment (`scriptedEnd`, or the latest step
   * run so far): work the run makes for itself (retries, redeliveries) due later stops the run.
   * Scripted steps always run, whatever their time: the horizon bounds what never ends, not the script.
   */
  horizon: number;
  /** The last step's time or fault boundary of the scenario, when known up front. */
  scriptedEnd?: number;
  /** The run stops once the trace holds this many events (with `traceSize`). */
  maxTraceEvents?: number;
  traceSize?: () => number;
}

/**
 * Runs steps (in time order) interleaved with the substrate's agenda until both are exhausted: a
 * step runs before agenda tasks due at the same time. Steps are pulled lazily, so a generated workload of
 * any length never sits in the agenda at once. With limits, returns why the run stopped early, if it
 * did: work due more than the horizon after the script's end, or a trace that reached its size limit.
 */
export async function drive(sim: Simulation, steps: Iterable<Step>, limits?: RunLimits): Promise<RunStop | undefined> {
  const substrate = sim.substrate;
  const pending = steps[Symbol.iterator]();
  let next = pending.next();
  let scriptedEnd = limits?.scriptedEnd ?? 0;
  // One task for every step, reading the step to run: `runNow` calls it at once (no closure per step).
  let stepNow: Step | undefined;
  const performStep = () => sim.perform(stepNow!);
  for (;;) {
    // A real backend's streams catch up with geosim's writes first, so the agenda is complete.
    const settling = substrate.settle();
    if (settling) await settling;
    const due = substrate.nextTime(!next.done);
    const stepFirst = !next.done && (due === undefined || next.value.at <= due);
    const nextAt = stepFirst ? next.value!.at : due;
    if (limits && !stepFirst && nextAt !== undefined && nextAt > scriptedEnd + limits.horizon) {
      return { limit: 'horizon', at: substrate.now, horizon: limits.horizon, scriptedEnd, nextDue: nextAt };
    }
    if (stepFirst) {
      const advancing = substrate.advanceTo(next.value!.at);
      if (advancing) await advancing;
      scriptedEnd = Math.max(scriptedEnd, next.value!.at);
      stepNow = next.value!;
      const performing = substrate.runNow(performStep);
      if (performing) await performing;
      next = pending.next();
    } else {
      // Nothing due that keeps the run going (a team's background timers may remain).
      if (due === undefined) return undefined;
      // awaited only when the task waited: most finish at once (see Substrate.runNext)
      const ran = substrate.runNext();
      if (!(typeof ran === 'boolean' ? ran : await ran)) return undefined;
    }
    if (limits?.maxTraceEvents !== undefined && limits.traceSize && limits.traceSize() > limits.maxTraceEvents) {
      if (next.done && substrate.nextTime() === undefined) return undefined;
      return { limit: 'trace-events', at: substrate.now, maxTraceEvents: limits.maxTraceEvents };
    }
  }
}
