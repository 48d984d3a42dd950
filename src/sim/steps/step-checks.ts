import type { AttributeValue, Item } from '../../app/item.js';
import type { Expectation, ItemExpectation } from '../../scenario/model.js';
import type { TraceEvent } from '../../trace/events.js';
import type { AssertionResult } from '../../trace/report.js';

/**
 * How the steps that carry an expectation are judged. The judging is src/check's (which reads the
 * trace and never runs anything); the run pipeline hands it to the simulation, so the simulation
 * never imports the checks.
 */
export interface StepChecks {
  /** A read's result against what the step expected. */
  read(name: string, expected: ItemExpectation, actual: Item | undefined, at: number): AssertionResult;
  /** A timed check (`name`): every region's items now and the trace so far against the step's expectation. */
  state(expect: Expectation, items: Record<string, Record<string, Item>>, trace: readonly TraceEvent[], name: string, at: number): AssertionResult[];
  /** Whether `actual` holds every attribute of `expected` (nested maps as subsets). */
  matchesSubset(expected: Record<string, AttributeValue>, actual: Record<string, AttributeValue>): boolean;
}
