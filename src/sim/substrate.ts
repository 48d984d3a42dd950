import type { Item } from '../app/item.js';
import type { TablePort } from '../app/table-port.js';
import type { Rng } from './rng.js';

/** Work on the agenda: a step, a replicated write arriving, a retry, a continuation. */
export type Task = () => void | Promise<void>;

/** A change as a replica's stream shows it: old and new images, and no origin marker (aws-semantics §1.7). */
export interface StreamChange {
  region: string;
  /** The table changed, when it is not the scenario's own (the first declared, or GlobalEventTable). */
  table?: string;
  itemId: string;
  oldImage: Item | undefined;
  newImage: Item | undefined;
  /** A Time to Live delete (the service's own, not a request's): its stream record names the service as its userIdentity. */
  expired?: true;
  /**
   * When the change happened in the run's time, if not now: a backend that reads its stream after
   * the fact (DynamoDB Streams) says when the write was made, so consumers run at the same moment
   * on every substrate.
   */
  at?: number;
}

/**
 * The run's time and agenda: what the application's surroundings (Lambda invocation and retries,
 * dead-letter queues, Step Functions, faults) need, and all they need, from the substrate.
 */
export interface Timeline {
  /** The current instant of the run, in virtual milliseconds. */
  readonly now: number;
  /** The run's regions, in scenario order. */
  readonly regions: readonly string[];
  /** Runs `task` at `at` (never before now); tasks due at the same instant run in the order scheduled. */
  schedule(at: number, task: Task): void;
  /** Runs `task` now if the region is up, else when its outage ends (its consumers and Lambdas are down too). */
  whenUp(region: string, task: Task): void | Promise<void>;
  /**
   * Resumes the caller `ms` later in the run's time, letting other work due meanwhile run first (a
   * continuation on the agenda). 0 resumes at once, without a trip through the agenda. One fiber
   * (a task and what it awaits) waits on one continuation at a time.
   */
  after(ms: number): Promise<void>;
  /**
   * Calls `fire` at `at` unless the returned function cancels it first (a Lambda timeout that
   * usually does not happen). A cancelled deadline does not move the clock.
   */
  deadline(at: number, fire: () => void): () => void;
}

/** How `Substrate.send` treats one request beyond serving it. */
export interface SendOptions {
  /** Trace a read (GetItem, Query; BatchGetItem and TransactGetItems item by item) with the substrate's `cause`: what a team's handler saw. */
  traceRead?: boolean;
  /** The event one item of a multi-item read is for, when not the substrate's `cause` (an SQS batch: the record the key names). */
  readCause?: (key: unknown) => string | undefined;
}

/**
 * What one Simulation runs on: the clock and agenda, each region's DynamoDB endpoint, replication
 * between them (links that can pause, regions that can go down), each region's stream, and a
 * snapshot of every replica. Two implementations: the in-memory model (`World`, virtual time) and
 * real DynamoDB tables (`DynamoDbSubstrate`: DynamoDB Local or AWS, replication emulated by geosim
 * or native). Everything above it — the application, Lambda, retries, dead-letter queues, Step
 * Functions, failover, the checks — is written once, in `Simulation`.
 */
export interface Substrate extends Timeline {
  /** The event or step being handled, recorded on the writes it causes. */
  cause: string | undefined;
  /**
   * The region of the function making requests now (a Lambda handling `cause`), recorded on what a
   * request does in another region's table (`caller`): a home-region write is the calling region's Lambda's.
   */
  caller: string | undefined;
  /**
   * Whether a team's handler runs on the wall clock here (a real backend: its timers, Date and SDK
   * calls are real) rather than in the run's virtual time (the model).
   */
  readonly wallClock: boolean;
  /** The run's seeded RNG: whatever draws chances must use it (never Math.random) to stay repeatable. */
  readonly random: Rng;

  // ---- faults --------------------------------------------------------------------------------
  /** Stops replication on one directed link until `resumeLink`; writes reaching it meanwhile are held. */
  pauseLink(from: string, to: string): void;
  /** Ends one pause; returns how many held writes `releaseHeld` will now deliver. */
  resumeLink(from: string, to: string): number;
  /** Delivers what resumed links held, in the order it reached each link. */
  releaseHeld(): void;
  setRegionDown(region: string, down: boolean): void;
  isRegionDown(region: string): boolean;
  /**
   * Given by the run's fault timeline: when two regions next stop reaching each other (MRSC: a
   * write's confirmation cannot come from a region cut off before it arrives). Optional: only the
   * model decides MRSC quorum.
   */
  forecastCuts?(forecast: CutForecast): void;

  // ---- each region's DynamoDB endpoint --------------------------------------------------------
  /** The application's table in `region`, behind the narrow port it is written against. */
  port(region: string): TablePort;
  /**
   * One request of the DynamoDB API (JSON 1.0 shapes, binary as base64) to `region`'s endpoint on
   * the scenario's table: writes are traced and replicated; a refusal is traced and thrown as a
   * DynamoDBError, as DynamoDB names it.
   */
  send(region: string, operation: string, input: Record<string, unknown>, options?: SendOptions): Promise<Record<string, unknown>>;
  /** Subscribes to a region's stream: every local and replicated change, in per-item order. */
  onStream(region: string, listener: (record: StreamChange) => void): void;
  /** Live items of a table (default the scenario's) per region, regions in scenario order, by key string, sorted. */
  snapshot(table?: string): Promise<Record<string, Record<string, Item>>>;

  // ---- driving --------------------------------------------------------------------------------
  /**
   * Moves the clock forward to `t` (a scripted step due then); never back. A substrate on the wall
   * clock (DynamoDB with native replication) resolves once the wall clock has reached `t`.
   */
  advanceTo(t: number): void | Promise<void>;
  /**
   * Waits until work outside the agenda has caught up (a real backend's streams read up to geosim's
   * own writes), so `nextTime` tells the truth. Undefined when there is nothing to wait for.
   */
  settle(): Promise<void> | undefined;
  /**
   * Time of the next task on the agenda, if any. Work that does not keep a run going on its own (a
   * team's timers) counts only while `moreScripted` (steps remain) or other work is queued.
   */
  nextTime(moreScripted?: boolean): number | undefined;
  /**
   * Runs the next task until it finishes or waits on a continuation; false when the agenda is
   * empty. Answers at once (no promise) when the task finished without waiting.
   */
  runNext(): boolean | Promise<boolean>;
  /** Runs `task` (a scripted step) now, the way the agenda runs its own: until it finishes or waits on a continuation. */
  runNow(task: Task): void | Promise<void>;
}

/** The first time after `after` at which regions `a` and `b` stop reaching each other both ways (a fault starts), or undefined. */
export type CutForecast = (a: string, b: string, after: number) => number | undefined;
