import type { Tmf688Envelope } from '../app/event.js';
import type { Item } from './item.js';

/**
 * The hidden per-item write timestamp the service keeps for last-writer-wins (aws-semantics §1.3):
 * virtual ms of the write in its origin region, plus that region to make ties explicit.
 */
export interface VersionStamp {
  ts: number;
  region: string;
}

/**
 * How the trace names a scenario step (a plain write's cause, a request a region refused): by its
 * path in the file, `steps[3]`, the name the loader's problems and explore's shrinking give it, so
 * a step seen in the timeline is the step a message about the file names (not a count from 1).
 */
export function stepPath(index: number): string {
  return `steps[${index}]`;
}

/** A fault as the scenario file names it (`faults[0]`), as problems and explore's ranges do. */
export function faultPath(index: number): string {
  return `faults[${index}]`;
}

/** A version's identity as one string, e.g. "1200@us-east-1": the model keys versions by it, the counts pair conflicts by it. */
export function stampKey(s: VersionStamp): string {
  return `${s.ts}@${s.region}`;
}

interface At {
  /** Position in the trace, from 1. */
  seq: number;
  /** Virtual time, ms since the scenario started. */
  t: number;
}

/** Items of a table other than the scenario's own (`GlobalEventTable`) name it, e.g. in a `geosim serve` session. */
export interface OnTable {
  table?: string;
}

/** A client sent an event (first attempt or retry) to the application in a region. */
export interface ClientEventTrace extends At {
  kind: 'client-event';
  region: string;
  eventId: string;
  idempotencyKey: string;
  itemId: string;
  attempt: number;
  retryOf?: string;
  clientTime: number;
  envelope: Tmf688Envelope;
  /** The increments the event asks for (its `add:`, for the counter strategy), when it has any: the envelope carries only what it sets. */
  add?: Record<string, number>;
}

/** The application finished with an event. */
export interface EventOutcomeTrace extends At {
  kind: 'event-outcome';
  region: string;
  eventId: string;
  idempotencyKey: string;
  itemId: string;
  /**
   * applied: the data change was written; duplicate: the idempotency record already existed in
   * this region; superseded: a newer client write was already there (client-lww); failed: gave up.
   */
  outcome: 'applied' | 'duplicate' | 'superseded' | 'failed';
  /** Conditional-write attempts the processor made (version strategy retries). */
  attempts: number;
  detail?: string;
  /**
   * A team's handler handled it (`module#export`): its outcome is read from what the attempt did
   * (applied: it wrote data or made a recorded call; duplicate: it made no change).
   */
  handler?: string;
}

/** A write accepted by one region's replica from a client or the application. */
export interface LocalWriteTrace extends At, OnTable {
  kind: 'local-write';
  region: string;
  itemId: string;
  op: 'put' | 'update' | 'delete';
  before: Item | null;
  after: Item | null;
  version: VersionStamp;
  /** The event or step (`steps[3]`, stepPath) that caused it. */
  cause?: string;
  /** The region of the Lambda that made the request, when not `region` (a write or read in a home region). */
  caller?: string;
  /** Set when the write was part of a TransactWriteItems. */
  transaction?: string;
  /** Set on Time to Live's delete of an expired item: the service's own write, not a client's. */
  expired?: true;
  /** MRSC: when the write's answer reaches its caller (after the round trip to the nearest other region). */
  answeredAt?: number;
  /**
   * `replication.unchangedWrites: skip`: the write left the item as it was, so it made no new
   * version (the item keeps `version`) and nothing replicates: no stream record, as DynamoDB
   * Streams writes none for it.
   */
  unchanged?: true;
}

/** A conditional write (or a transaction) rejected by the local replica. */
export interface ConditionFailedTrace extends At, OnTable {
  kind: 'condition-failed';
  region: string;
  itemId: string;
  condition: string;
  current: Item | null;
  cause?: string;
  /** The region of the Lambda that made the request, when not `region` (a write or read in a home region). */
  caller?: string;
  transaction?: string;
}

/**
 * A write (or a whole transaction) DynamoDB refused for what the item holds, e.g. `ADD` on a
 * string: the item is unchanged. `error` is DynamoDB's exception name and message.
 */
export interface OperationFailedTrace extends At, OnTable {
  kind: 'operation-failed';
  region: string;
  itemId: string;
  op: 'put' | 'update' | 'delete';
  error: { name: string; message: string };
  current: Item | null;
  cause?: string;
  /** The region of the Lambda that made the request, when not `region` (a write or read in a home region). */
  caller?: string;
  transaction?: string;
}

export interface ReplicationSentTrace extends At, OnTable {
  kind: 'replication-sent';
  from: string;
  to: string;
  itemId: string;
  version: VersionStamp;
  arrivesAt: number;
}

export interface ReplicationAppliedTrace extends At, OnTable {
  kind: 'replication-applied';
  from: string;
  to: string;
  itemId: string;
  before: Item | null;
  after: Item | null;
  version: VersionStamp;
  /** The receiver's version that this write replaced, if any. */
  replacedVersion?: VersionStamp;
  /** The receiving replica held a version the sender had not seen: a concurrent write was overwritten. */
  conflict: boolean;
  /** Set when a paused link (replication pause, outage) held this write from then on: a late arrival. */
  heldSince?: number;
  /**
   * MRSC: taken from the quorum before it arrived, by a write or strongly consistent read in the
   * receiving region, or ahead of a later write of the item there (MRSC applies an item's writes in order).
   */
  fromQuorum?: true;
}

/**
 * A replicated write that arrived and was never applied: the end of its `replication-sent`, as
 * `replication-applied` is of one that was. `reason` says why: see each kind below.
 */
export type ReplicationDiscardedTrace = ReplicationLwwDiscardedTrace | ReplicationTableDeletedTrace;

/** A replicated write older than the receiving replica's item: silently dropped (aws-semantics §1.3). */
export interface ReplicationLwwDiscardedTrace extends At, OnTable {
  kind: 'replication-discarded';
  from: string;
  to: string;
  itemId: string;
  incoming: Item | null;
  kept: Item | null;
  incomingVersion: VersionStamp;
  keptVersion: VersionStamp;
  reason: 'older' | 'tie-lost';
  /** The two versions were written concurrently (neither saw the other). */
  conflict: boolean;
  /** Set when a paused link (replication pause, outage) held this write from then on: a late arrival. */
  heldSince?: number;
  /** MRSC: taken from the quorum before it arrived (see ReplicationAppliedTrace.fromQuorum). */
  fromQuorum?: true;
}

/**
 * A replicated write whose table was deleted while it was on its way (`geosim serve`, the library:
 * DeleteTable): it went with its table, and a table created again under the name since never gets
 * it. Nothing was weighed against it, so nothing is kept and it is no conflict.
 */
export interface ReplicationTableDeletedTrace extends At, OnTable {
  kind: 'replication-discarded';
  from: string;
  to: string;
  itemId: string;
  incoming: Item | null;
  incomingVersion: VersionStamp;
  reason: 'table-deleted';
  conflict: false;
  /** Set when a paused link (replication pause, outage) held this write from then on: a late arrival. */
  heldSince?: number;
}

/** Several quick changes to one item merged into one replicated write (aws-semantics §1.2). */
export interface ReplicationCoalescedTrace extends At, OnTable {
  kind: 'replication-coalesced';
  from: string;
  to: string;
  itemId: string;
  dropped: VersionStamp;
  by: VersionStamp;
}

/** A stream consumer rewrote an item so every region converges on the resolver's winner. */
export interface ConflictRepairedTrace extends At {
  kind: 'conflict-repaired';
  region: string;
  itemId: string;
  winner: Item;
  loser: Item;
}

/**
 * The application resolved a conflict (issue 15): a merge strategy's stream consumer wrote the merge
 * of two concurrent versions the service's last-writer-wins had replaced one of. `versions` are the
 * replaced version and its replacement; `result` is what the application wrote. The service's own
 * resolutions are `replication-applied` / `replication-discarded` with `conflict: true`.
 */
export interface ConflictResolvedTrace extends At {
  kind: 'conflict-resolved';
  region: string;
  itemId: string;
  by: 'service' | 'application';
  strategy: string;
  versions: [Item | null, Item | null];
  result: Item | null;
}

export interface ReadTrace extends At, OnTable {
  kind: 'read';
  region: string;
  /** The item's Id; for a query, the index (or table) and key condition; for a scan, the index (or table) and its filter (see scanLabel). */
  itemId: string;
  consistency: 'eventual' | 'strong';
  item: Item | null;
  /** A step in DynamoDB syntax (GetItem, Query), or a program's or team's handler's request (also BatchGetItem, TransactGetItems: one read per item): the request as written. */
  request?: {
    operation: 'GetItem' | 'Query' | 'Scan' | 'BatchGetItem' | 'TransactGetItems';
    table: string;
    index?: string;
    keyCondition?: string;
    filter?: string;
    projection?: string;
    /** A program's or team's handler's Query: its ExpressionAttributeValues, so two queries of one condition are told apart. */
    values?: Item;
  };
  /** Query, Scan: the items returned, in order (a query step's: every page unless it gave a limit; a handler's: its page). */
  items?: Item[];
  /** A query's or scan's Select COUNT: how many items matched (its answer holds no items). */
  count?: number;
  /** DynamoDB refused the read: its exception name and message. */
  error?: { name: string; message: string };
  /** A team's handler's read: the event it was handling (or the invocation's cause), as on its writes. */
  cause?: string;
  /** The region of the Lambda that made the request, when not `region` (a write or read in a home region). */
  caller?: string;
  /**
   * A step's read whose answer took time (an MRSC strongly consistent read's round trip): when it
   * was asked; `t` is when its answer came. The item is the one the replica held when asked.
   */
  askedAt?: number;
}

/** A scenario check at a given time; its result is also in the report's assertions. */
export interface CheckpointTrace extends At {
  kind: 'checkpoint';
  name: string;
  passed: boolean;
}

// ---- faults and failure paths (issue 7) -------------------------------------------------------

/**
 * The fault kinds, as the trace names them: the one list. A scenario writes each in camelCase
 * (`pauseReplication`); the scenario schema, `FaultSpec` and the fault schedule are checked
 * against this list when they compile.
 */
export const FAULT_KIND_NAMES = ['pause-replication', 'outage', 'lambda-failure', 'clock-skew'] as const;
export type FaultKindName = (typeof FAULT_KIND_NAMES)[number];

/** A fault's window opened (for a pause with `continuesFor`, replication stops `effectiveAt`). */
export interface FaultStartedTrace extends At {
  kind: 'fault-started';
  fault: FaultKindName;
  /** Position in the scenario's `faults` list, from 0. */
  index: number;
  /** One line for people, e.g. "replication paused into and out of eu-west-1". */
  description: string;
  regions: string[];
  until?: number;
  effectiveAt?: number;
}

export interface FaultEndedTrace extends At {
  kind: 'fault-ended';
  fault: FaultKindName;
  index: number;
  description: string;
  regions: string[];
  /** Replicated writes held by the fault and now sent on. */
  released?: number;
}

/** A replicated write reached a paused link: it waits, in per-item order, for the pause to end (aws-semantics §3, §1.9). */
export interface ReplicationHeldTrace extends At, OnTable {
  kind: 'replication-held';
  from: string;
  to: string;
  itemId: string;
  version: VersionStamp;
}

/** A region refused a client request (an outage), or Step Functions refused a start. */
export interface RequestRejectedTrace extends At {
  kind: 'request-rejected';
  region: string;
  /** The event, or the step (`steps[3]`, stepPath) for a plain read or write. */
  eventId: string;
  /** A step's request in words (`read ORDER#1 (strong)`, `update ORDER#1`): absent for an event. */
  request?: string;
  reason: 'region-outage';
  /** The client fails over: it sends again to this region at `failoverAt`. */
  failoverTo?: string;
  failoverAt?: number;
}

/**
 * One Lambda invocation failed (a thrown error, a timeout, or the processor gave up). `sqs`: a batch
 * from the region's SQS queue (or the messages its `batchItemFailures` named); `table-stream`: a
 * batch of the table's own stream records given to the application's stream handler; `redrive`:
 * geosim's redrive replaying a dead-lettered event (it goes back to the queue).
 */
export interface LambdaAttemptFailedTrace extends At {
  kind: 'lambda-attempt-failed';
  region: string;
  invocation: 'direct' | 'async' | 'stream' | 'step-functions' | 'sqs' | 'table-stream' | 'redrive';
  /**
   * The events in the failed invocation: one, or a batch. A table-stream batch holds item changes,
   * not events: each is named `itemId#n`, n its place in the region's stream (see TableStreamSource).
   */
  eventIds: string[];
  attempt: number;
  error: 'throw' | 'timeout' | 'function-error';
  message: string;
}

/**
 * Lambda will try again: after 1 then 2 minutes (async, aws-semantics §6.2), the stream's backoff
 * (§6.1), or, from SQS, when the messages become visible again after the visibility timeout (§6.4).
 */
export interface LambdaRetryScheduledTrace extends At {
  kind: 'lambda-retry-scheduled';
  region: string;
  invocation: 'async' | 'stream' | 'step-functions' | 'sqs' | 'table-stream';
  eventIds: string[];
  /** The attempt that will run. */
  attempt: number;
  at: number;
  /** A stream batch split in two (BisectBatchOnFunctionError); does not use the retry quota. */
  bisected?: boolean;
}

/** Retries exhausted: the event went to the region's SQS dead-letter queue with its error. */
export interface DeadLetteredTrace extends At {
  kind: 'dead-lettered';
  region: string;
  eventId: string;
  idempotencyKey: string;
  itemId: string;
  source: 'async' | 'stream' | 'step-functions' | 'sqs';
  error: string;
  attempts: number;
  /** Stream on-failure destinations get batch metadata, not the record (aws-semantics §6.1). */
  metadataOnly: boolean;
}

/** Retries exhausted and nowhere to put the event: Lambda dropped it. */
export interface EventLostTrace extends At {
  kind: 'event-lost';
  region: string;
  eventId: string;
  reason: string;
}

/**
 * A stream handler's batch of table-stream records ran out of retries (MaximumRetryAttempts) or
 * aged out (MaximumRecordAge, the stream's 24 h): Lambda discards the records and the shard moves
 * on (aws-semantics §6.1). Records hold item changes, not events, so no event's fate changes.
 */
export interface StreamRecordsDiscardedTrace extends At {
  kind: 'stream-records-discarded';
  region: string;
  /** The records, named `itemId#n` as in `lambda-attempt-failed`. */
  records: string[];
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  reason: 'RetryAttemptsExhausted' | 'record-expired';
  /** Invocations of the batch's most tried record. */
  attempts: number;
  error: string;
}

/** geosim's redrive took the event out of the dead-letter queue to process it again. */
export interface RedrivenTrace extends At {
  kind: 'redriven';
  region: string;
  eventId: string;
}

/**
 * A redrive step that found nothing to take: the events it names (all, when it names none) are not
 * in the dead-letter queue (of `region`, or of any region): never dead-lettered, or redriven already.
 */
export interface RedriveEmptyTrace extends At {
  kind: 'redrive-empty';
  /** The step's region; absent: every region's queue. */
  region?: string;
  /** The events asked for and not in the queue; empty: the step named none, and the queue was empty. */
  eventIds: string[];
}

export interface ExecutionStartedTrace extends At {
  kind: 'execution-started';
  region: string;
  workflow: 'standard' | 'express';
  name: string;
  executionId: string;
  eventId: string;
}

/** StartExecution with the name and input of a running Standard execution returns that execution (aws-semantics §5). */
export interface ExecutionDeduplicatedTrace extends At {
  kind: 'execution-deduplicated';
  region: string;
  name: string;
  executionId: string;
  eventId: string;
}

/** StartExecution failed with ExecutionAlreadyExists: other input, or the execution had closed (aws-semantics §5). */
export interface ExecutionRejectedTrace extends At {
  kind: 'execution-rejected';
  region: string;
  name: string;
  executionId: string;
  eventId: string;
  error: 'ExecutionAlreadyExists';
  reason: 'different-input' | 'closed';
}

export interface StateEnteredTrace extends At {
  kind: 'state-entered';
  region: string;
  executionId: string;
  eventId: string;
  state: string;
}

export interface ExecutionClosedTrace extends At {
  kind: 'execution-closed';
  region: string;
  executionId: string;
  eventId: string;
  status: 'SUCCEEDED' | 'FAILED';
}

/** A region's client clock jumped (NTP step, a bad host): the Timestamp attribute follows it. */
export interface ClockSkewChangedTrace extends At {
  kind: 'clock-skew-changed';
  region: string;
  from: number;
  to: number;
}

/**
 * A team's handler called a service outside the table that geosim records rather than runs (SQS
 * SendMessage, SNS Publish, EventBridge PutEvents): an effect of the event it was handling, so
 * at-most-once covers side effects outside the table too.
 */
export interface SideEffectTrace extends At {
  kind: 'side-effect';
  region: string;
  /** The event being handled (or the invocation's cause when no single event can claim it). */
  eventId: string;
  service: 'sqs' | 'sns' | 'eventbridge';
  operation: string;
}

/**
 * Something a team's handler did that geosim cannot run as AWS would: a call to a service geosim
 * does not model or to the network (`refused`: that invocation failed), or an error thrown where no
 * invocation could catch it, after its invocation had ended (`late-error`: in Lambda it would crash
 * the runtime). Either fails the run (the invariant "the handler stayed inside the model").
 */
export interface HandlerProblemTrace extends At {
  kind: 'handler-problem';
  region: string;
  /** The event (or invocation cause) whose code it was. */
  eventId: string;
  problem: 'refused' | 'late-error';
  message: string;
}

/**
 * MRSC: the SDK's retry of a write the service refused with a retryable error
 * (ReplicatedWriteConflictException): `attempt` is the attempt about to be made (2, 3), after `delayMs`.
 */
export interface SdkRetryTrace extends At {
  kind: 'sdk-retry';
  region: string;
  itemId: string;
  error: { name: string; message: string };
  attempt: number;
  delayMs: number;
}

/**
 * A team's function got a new execution environment (a cold start): its module scope runs now,
 * its requests traced `module scope`. `reason`: the function's first in the region (the handler's
 * at the run's start), every environment it had there was busy with an invocation, or the one it
 * had was reset (its invocation timed out, crashed or exited).
 */
export interface ColdStartTrace extends At {
  kind: 'cold-start';
  region: string;
  /** The function, as `module#export`: the handler, or the stream handler (a function of its own). */
  function: string;
  reason: 'first' | 'busy' | 'reset';
  /** The invocation it starts for: its event, or its cause (`stream handler <region>`, an SQS batch); none for the handler's first. */
  eventId?: string;
  /** The function's execution environments in the region, this one included. */
  environments: number;
}

/** Why a cold start happened, in words every view uses. */
export function coldStartReason(e: Pick<ColdStartTrace, 'reason' | 'environments'>): string {
  if (e.reason === 'first') return 'its first';
  if (e.reason === 'reset') return 'the last one was reset';
  return `${e.environments - 1} busy: now ${e.environments}`;
}

/** The cause a team's stream handler's writes carry (`stream handler <region>`): a Lambda's writes, not a client's. */
export const STREAM_HANDLER_CAUSE = 'stream handler';

/**
 * The causes the built-in application's stream consumers give their writes (`repair <item>`,
 * `merge <item>`): the client-lww repair and a merge strategy's consumer, Lambdas too.
 */
export const CONSUMER_CAUSES = { repair: 'repair', merge: 'merge' } as const;

/** The error name of a custom merge function that threw (or returned no map): traced as an `operation-failed` of the item. */
export const MERGE_FUNCTION_ERROR = 'MergeFunctionError';

/** A request's `cause` and `caller` as a trace event carries them: the caller only when it is not the event's region. */
export function requestOrigin(cause: string | undefined, caller: string | undefined, region: string): { cause?: string; caller?: string } {
  return { ...(cause !== undefined ? { cause } : {}), ...(caller !== undefined && caller !== region ? { caller } : {}) };
}

/** The cause of a team's module's requests outside any invocation (its init code, run when the function loads). */
export const MODULE_SCOPE_CAUSE = 'module scope';

/** The cause an SQS batch invocation of a team's handler gives a request no record of the batch claims (`sqs batch of 3`). */
export const SQS_BATCH_CAUSE = 'sqs batch of';

/** Whether a request's cause is a Lambda's own rather than a client's: a stream consumer, an SQS batch, a module's init code. */
export function isFunctionCause(cause: string | undefined): boolean {
  return isConsumerCause(cause) || cause === MODULE_SCOPE_CAUSE || (cause !== undefined && cause.startsWith(`${SQS_BATCH_CAUSE} `));
}

/** Whether a write's cause is a stream consumer's (a team's handler or the built-in repair or merge): a Lambda's write. */
function isConsumerCause(cause: string | undefined): boolean {
  if (cause === undefined) return false;
  return cause.startsWith(`${STREAM_HANDLER_CAUSE} `) || cause.startsWith(`${CONSUMER_CAUSES.repair} `) || cause.startsWith(`${CONSUMER_CAUSES.merge} `);
}

export type TraceEvent =
  | ClientEventTrace
  | EventOutcomeTrace
  | LocalWriteTrace
  | ConditionFailedTrace
  | OperationFailedTrace
  | ReplicationSentTrace
  | ReplicationAppliedTrace
  | ReplicationDiscardedTrace
  | ReplicationCoalescedTrace
  | ConflictRepairedTrace
  | ConflictResolvedTrace
  | ReadTrace
  | CheckpointTrace
  | FaultStartedTrace
  | FaultEndedTrace
  | ReplicationHeldTrace
  | RequestRejectedTrace
  | LambdaAttemptFailedTrace
  | LambdaRetryScheduledTrace
  | DeadLetteredTrace
  | EventLostTrace
  | StreamRecordsDiscardedTrace
  | RedrivenTrace
  | ExecutionStartedTrace
  | ExecutionDeduplicatedTrace
  | ExecutionRejectedTrace
  | StateEnteredTrace
  | ExecutionClosedTrace
  | ClockSkewChangedTrace
  | SideEffectTrace
  | HandlerProblemTrace
  | SdkRetryTrace
  | ColdStartTrace
  | RedriveEmptyTrace;

export type TraceKind = TraceEvent['kind'];

/** A trace event before the recorder numbers it. */
export type TraceEventInput = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq'> : never) : never;
