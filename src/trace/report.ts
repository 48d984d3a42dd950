import type { Item } from '../app/item.js';
import type { TraceEvent } from './events.js';

/**
 * Everything one run produced: the single input every renderer and check reads. JSON output is
 * this object as is (`geosim run --format json`), so its shape is a documented contract.
 */
export interface RunReport {
  scenario: { name: string; file: string; description?: string };
  seed: number;
  mode: 'mrec';
  strategy: string;
  idempotency: string;
  regions: string[];
  /** Human summary of the replication lag per link, e.g. "us-east-1→eu-west-1 uniform 300..900ms". */
  lag: string[];
  backend: string;
  trace: TraceEvent[];
  /** Items per region at the end of the run, keys sorted, the service's hidden attributes left out. */
  final: Record<string, Record<string, Item>>;
  counts: RunCounts;
  assertions: AssertionResult[];
  /** Virtual ms at which the run ended (replication drained), or stopped at a limit. */
  endedAt: number;
  /** Present when the run hit a limit before its work was done (`geosim run` then exits 2). */
  stopped?: RunStop;
}

/**
 * Why a run stopped before its work was done: something was due after the virtual-time horizon
 * (`--horizon`), or the trace reached its size limit (`--max-trace-events`).
 */
export type RunStop =
  | { limit: 'horizon'; at: number; horizon: number; scriptedEnd: number; nextDue: number }
  | { limit: 'trace-events'; at: number; maxTraceEvents: number };

/**
 * Every count a run reports and a scenario's `counts:` may assert, in the report's order: the one
 * list of count names (the scenario schema, `RunCounts` and `countTrace` all derive from it).
 * What each counts: README "Assertions", and `countTrace` (src/check/counts.ts).
 */
export const COUNT_NAMES = [
  'events',
  'applied',
  'duplicates',
  'superseded',
  'failed',
  'conflicts',
  'discardedWrites',
  'conditionFailures',
  'operationFailures',
  'repairs',
  'replicatedWrites',
  'rejected',
  'failovers',
  'heldWrites',
  'lambdaFailures',
  'lambdaRetries',
  'deadLettered',
  'redriven',
  'lost',
  'executions',
  'executionsDeduplicated',
  'executionsRejected',
] as const;

export type CountName = (typeof COUNT_NAMES)[number];

export type RunCounts = Record<CountName, number> & {
  /** Data writes the processor applied, per idempotency key, summed over regions. */
  effects: Record<string, number>;
};

/**
 * Assertions whose name starts with this are the model's own invariants (conservation,
 * convergence), checked on every run besides the scenario's assertions; a failed one fails the run.
 */
export const INVARIANT_PREFIX = 'invariant: ';

export interface AssertionResult {
  /** What was checked, e.g. "converged", "eu-west-1 ORDER#1.Data.status", "duplicates". */
  name: string;
  passed: boolean;
  expected: unknown;
  actual: unknown;
  /** Virtual ms of a timed check; absent for end-of-run checks. */
  at?: number;
  /** What differs, when it does not fit in `actual` alone. */
  detail?: string;
}
