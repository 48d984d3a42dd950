import type { LinkSpec } from '../scenario/model.js';
import { isIdempotencyRecordId, type Item } from './item.js';
import type { TraceEvent } from './events.js';

/**
 * Everything one run produced: the single input every renderer and check reads. JSON output is
 * this object as is (`geosim run --format json`), so its shape is a documented contract.
 */
export interface RunReport {
  scenario: { name: string; file: string; description?: string };
  seed: number;
  mode: 'mrec' | 'mrsc';
  strategy: string;
  idempotency: string;
  regions: string[];
  /** mode mrsc with two regions: the witness's region (present only then). */
  witness?: string;
  /**
   * The replication lag of every link, as the scenario declared it. Renderers word it (JSON output
   * too: "us-east-1→eu-west-1 uniform 300..900ms"), so the model never makes words for users.
   */
  lag: LinkSpec[];
  /**
   * Present when a client does not wait for the function's answer: how its events reach the
   * function (an asynchronous invocation, a stream, a queue, EventBridge, a Step Functions
   * workflow). Absent: the client calls it and gets its result (direct, API Gateway).
   */
  delivery?: 'async' | 'stream' | 'sqs' | 'eventbridge' | 'step-functions';
  backend: string;
  trace: TraceEvent[];
  /** Items per region at the end of the run, keys sorted, the service's hidden attributes left out. */
  final: Record<string, Record<string, Item>>;
  /**
   * Present when a team's handler wrote idempotency records with Powertools for AWS Lambda's
   * idempotency utility: the ids of every one it wrote in the scenario's table (sorted), those it
   * deleted again included (the steps show them). Views count them as records, as geosim's own
   * `IDEMPOTENCY#…` items: claims, not data (see `recordTest`).
   */
  records?: string[];
  /**
   * Present when the scenario declares `tables:` (every declared table), or a `geosim serve`
   * session ended with tables besides the scenario's (every table it had): items by table name,
   * then region, then key string (as `final`, whose items are the first table's).
   */
  tables?: Record<string, Record<string, Record<string, Item>>>;
  counts: RunCounts;
  assertions: AssertionResult[];
  /** Virtual ms at which the run ended (replication drained), or stopped at a limit. */
  endedAt: number;
  /** Present when the run hit a limit before its work was done (`geosim run` then exits 2). */
  stopped?: RunStop;
  /**
   * Present when the scenario has ranges: the value drawn for each, by readable path
   * ("steps[3].at": ms, "faults[0].skew": ms, "steps[5].retry.region": a region), in file order.
   */
  drawn?: Record<string, number | string>;
  /** Present when the scenario declares `sometimes`: whether each was reached in this run (not a failure). */
  sometimes?: SometimesResult[];
}

/** Whether an id of the scenario's table is an idempotency record: geosim's own (`IDEMPOTENCY#…`) or one `report.records` names. */
export function recordTest(report: Pick<RunReport, 'records'>): (id: string | null | undefined) => boolean {
  const others = report.records === undefined || report.records.length === 0 ? undefined : new Set(report.records);
  return others === undefined ? (id) => typeof id === 'string' && isIdempotencyRecordId(id) : (id) => typeof id === 'string' && (isIdempotencyRecordId(id) || others.has(id));
}

/** A `sometimes` entry of the scenario and whether this run reached it. */
export interface SometimesResult {
  name: string;
  hit: boolean;
}

/**
 * Why a run stopped before its work was done: something was due after the virtual-time horizon
 * (`--horizon`), the trace reached its size limit (`--max-trace-events`), or a slice of a team's
 * handler ran longer than `--sync-limit` (ms of wall-clock time) without yielding: `handler` names
 * it, as the message on stderr does (the run then ended geosim: a synchronous loop cannot be
 * interrupted, so nothing ran after it).
 */
export type RunStop =
  | { limit: 'horizon'; at: number; horizon: number; scriptedEnd: number; nextDue: number }
  | { limit: 'trace-events'; at: number; maxTraceEvents: number }
  | { limit: 'sync-limit'; at: number; syncLimit: number; handler: string };

/** The flag that sets the limit a run stopped at. */
export function limitFlag(stop: Pick<RunStop, 'limit'>): '--horizon' | '--max-trace-events' | '--sync-limit' {
  return stop.limit === 'horizon' ? '--horizon' : stop.limit === 'trace-events' ? '--max-trace-events' : '--sync-limit';
}

export { COUNT_NAMES, type CountName } from './count-names.js';
import type { CountName } from './count-names.js';

export type RunCounts = Record<CountName, number> & {
  /** Data writes the processor applied, per idempotency key, summed over regions. */
  effects: Record<string, number>;
};

/**
 * Where an assertion comes from:
 * - `expectation`: the scenario's end-of-run `expect`;
 * - `check`: a `check` step, named in `check`;
 * - `step`: a read or query step's own `expect` (or the step, refused by a region that is down);
 * - `invariant`: one of the model's own invariants (conservation, convergence, effects), checked on
 *   every run besides the scenario's assertions;
 * - `limit`: the run stopped at a limit before its work was done.
 * A failed assertion of any source fails the run.
 */
export type AssertionSource = AssertionResult['source'];

export type AssertionResult = AssertionFields & ({ source: 'check'; /** The check step's name. */ check: string } | { source: 'expectation' | 'step' | 'invariant' | 'limit' });

/** What every assertion holds, whatever its source. */
export interface AssertionFields {
  /** What was checked, e.g. "converged", "eu-west-1 ORDER#1", "count duplicates"; views add the source's words. */
  name: string;
  passed: boolean;
  expected: unknown;
  actual: unknown;
  /** Virtual ms of a timed check; absent for end-of-run checks. */
  at?: number;
  /** What differs, when it does not fit in `actual` alone. */
  detail?: string;
}
