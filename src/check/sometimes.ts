import type { SometimesSpec } from '../scenario/model.js';
import type { CountName, RunCounts, SometimesResult } from '../trace/report.js';
import { checkExpectation, type CheckedState } from './expectations.js';

/**
 * The scenario's `sometimes` entries at the end of a run: each is hit when every key it gives
 * holds (the keys of `expect`, judged by the same checks, plus `atLeast` lower bounds on counts).
 * Not an assertion: `geosim run` reports it, `geosim explore` fails when one is never hit.
 */
export function evaluateSometimes(entries: readonly SometimesSpec[], state: CheckedState): SometimesResult[] {
  return entries.map(({ name, atLeast, ...condition }) => ({
    name,
    hit: checkExpectation(condition, state, { source: 'expectation' }).every((r) => r.passed) && atLeastHolds(atLeast, state.counts),
  }));
}

function atLeastHolds(atLeast: SometimesSpec['atLeast'], counts: RunCounts): boolean {
  for (const [name, n] of Object.entries(atLeast ?? {})) if (counts[name as CountName] < n!) return false;
  return true;
}
