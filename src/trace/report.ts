import type { LinkSpec } from '../scenario/model.js';
import type { Item } from './item.js';
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
  /**
   * The replication lag of every link, as the scenario declared it. Renderers word it (JSON output
   * too: "us-east-1→eu-west-1 uniform 300..900ms"), so the model never makes words for users.
   */
  lag: LinkSpec[];
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

export interface RunCounts {
  events: number;
  applied: number;
  duplicates: number;
  superseded: number;
  failed: number;
  conflicts: number;
  discardedWrites: number;
  conditionFailures: number;
  /** Writes DynamoDB refused for what the item holds (`operation-failed` steps). */
  operationFailures?: number;
  repairs: number;
  replicatedWrites: number;
  // Faults and failure paths (issue 7). Optional so reports built before them still type-check;
  // countTrace always fills them.
  /** Client requests a region refused during an outage. */
  rejected?: number;
  /** Of those, requests the client sent again to another region. */
  failovers?: number;
  /** Replicated writes that waited on a paused link. */
  heldWrites?: number;
  /** Failed Lambda invocations (a stream batch counts once). */
  lambdaFailures?: number;
  /** Lambda retries scheduled (bisections included). */
  lambdaRetries?: number;
  deadLettered?: number;
  redriven?: number;
  /** Events dropped with nowhere to go. */
  lost?: number;
  executions?: number;
  executionsDeduplicated?: number;
  executionsRejected?: number;
  /** Data writes the processor applied, per idempotency key, summed over regions. */
  effects: Record<string, number>;
}

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
