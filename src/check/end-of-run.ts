import type { Item } from '../app/item.js';
import type { Scenario } from '../scenario/model.js';
import { describeLag } from '../sim/lag.js';
import type { TraceEvent } from '../trace/events.js';
import type { AssertionResult, RunCounts, RunReport } from '../trace/report.js';
import { checkExpectation } from './expectations.js';
import { invariantsFor } from './invariants.js';

/** What a finished run hands to the checks, whatever backend produced it. */
export interface FinishedRun {
  trace: readonly TraceEvent[];
  final: Record<string, Record<string, Item>>;
  counts: RunCounts;
}

/**
 * The end-of-run verdict: the scenario's `expect` block, then the invariants every run is held to.
 * Every backend calls this one function, so the model and DynamoDB are judged alike.
 */
export function endOfRunAssertions(scenario: Scenario, run: FinishedRun): AssertionResult[] {
  const expected = scenario.expect ? checkExpectation(scenario.expect, { items: run.final, counts: run.counts }) : [];
  return [...expected, ...invariantsFor(scenario, run)];
}

/** The report fields that describe the scenario and the run's setting, shared by every backend. */
export function reportHeader(scenario: Scenario, seed: number, backend: string): Pick<RunReport, 'scenario' | 'seed' | 'mode' | 'strategy' | 'idempotency' | 'regions' | 'lag' | 'backend'> {
  return {
    scenario: { name: scenario.name, file: scenario.file, ...(scenario.description ? { description: scenario.description } : {}) },
    seed,
    mode: scenario.mode,
    strategy: scenario.application.strategy,
    idempotency: scenario.application.idempotency,
    regions: [...scenario.regions],
    lag: scenario.replication.links.map((l) => `${l.from}→${l.to} ${describeLag(l.lag)}`),
    backend,
  };
}
