import type { Condition } from '../app/condition.js';
import type { IdempotencyMode, Strategy } from '../app/event-processor.js';
import type { AttributeValue, Item } from '../app/item.js';
import type { WriteOp } from '../app/table-port.js';
import type { FaultKindName } from '../trace/events.js';
import type { CountName } from '../trace/count-names.js';
import type { LagInput, TIE_BREAKS } from './schema.js';
import type { SETTING_LOCATIONS, SettingLocations } from './setting-locations.js';

/**
 * A validated scenario with defaults applied, times in ms, steps in time order (stable for equal
 * times) and conditions as trees. The model, the backends and the checks read only this.
 */
export interface Scenario {
  name: string;
  file: string;
  description?: string;
  seed: number;
  mode: 'mrec' | 'mrsc';
  regions: string[];
  /** mode mrsc with two regions: the witness's region (no replica; quorum and latency only). */
  witness?: string;
  replication: {
    /** One entry per directed region pair, in `regions` order. */
    links: LinkSpec[];
    coalesce: boolean;
    tieBreak: TieBreak;
    /** Present (`seeded`): tasks due at the same ms run in an order drawn from the seed; absent: as scheduled. */
    simultaneous?: 'seeded';
    /** Present (`skip`): a write that leaves its item as it was makes no version and replicates nothing; absent: it replicates (`replicate`). */
    unchangedWrites?: 'skip';
    /** MRSC with a witness: the lag of every leg to and from the witness (`replication.lag`). */
    witnessLag?: LagSpec;
  };
  /** Client clock skew per region, ms (0 when absent). */
  clockSkew: Record<string, number>;
  /** Milliseconds a write takes to reach its region's global secondary indexes (absent: 0, at once). */
  indexLagMs?: number;
  /** Milliseconds after its TTL expiry an item is deleted (absent: 0, at its expiry). */
  ttlDelayMs?: number;
  application: ApplicationSpec;
  /**
   * The scenario's own tables (`tables:`), in declaration order; absent: GlobalEventTable as
   * infra/template.yaml declares it. The first is "the scenario's table" (report.final, expect).
   */
  tables?: TableSpec[];
  steps: Step[];
  expect?: Expectation;
  /** Faults in start-time order (issue 7); absent or empty: nothing breaks. */
  faults?: FaultSpec[];
  /** How events reach the processor; absent: `direct` (the client calls it and sees the result). */
  lambda?: LambdaSpec;
  /** Present: clients start a Step Functions workflow per event instead of invoking the processor. */
  stepFunctions?: StepFunctionsSpec;
  /** Present: clients retry a rejected request in another region. */
  failover?: FailoverSpec;
  /** Event ids the conservation invariant may find lost. */
  expectLost?: string[];
  /** `geosim explore`'s settings, defaults applied (only when the file has an `explore:` section). */
  explore?: ExploreSpec;
  /** Conditions some run should reach, reported as hit or not (issue 14). */
  sometimes?: SometimesSpec[];
  /**
   * Present when the file holds ranges (`{ between }`, `{ oneOf }`): the values this scenario was
   * drawn with, by readable path ("steps[3].at"), and what it takes to draw again for another seed.
   */
  ranges?: DrawnRanges;
  /** Where the file writes the settings whose mistakes show only when the run starts (setting-locations.ts). */
  [SETTING_LOCATIONS]?: SettingLocations;
}

export interface ExploreSpec {
  runs: number;
  bias: number;
  simultaneous: boolean;
  lags: boolean;
}

export interface SometimesSpec extends Expectation {
  name: string;
  atLeast?: Partial<Record<CountName, number>>;
}

export interface DrawnRanges {
  /** The seed the values were drawn with (stream 'ranges'). */
  seed: number;
  /** Label → value drawn (times and skews in ms, regions by name), in file order. */
  drawn: Record<string, number | string>;
  /** The scenario as written (ranges in place), to draw again for another seed. */
  template: Record<string, unknown>;
}

/** What each fault kind holds, times in ms; keyed by the trace's list of kinds, so none is missing. */
interface FaultFields {
  'pause-replication': { region?: string; from?: string; to?: string; continuesFor: number };
  outage: { region: string };
  'lambda-failure': { region?: string; event?: string; attempts?: number[]; probability: number; error: 'throw' | 'timeout'; message: string };
  'clock-skew': { region: string; skew: number };
}

/** A fault and its window: from `at` until `until` (absent: to the end of the run). */
export type FaultSpec = { [K in FaultKindName]: { index: number; at: number; until?: number; kind: K } & FaultFields[K] }[FaultKindName];

export type FaultKind = FaultSpec['kind'];

export interface LambdaSpec {
  invocation: 'direct' | 'async' | 'stream' | 'sqs';
  /** Retries after the first attempt; -1: until the record expires (streams). */
  maximumRetryAttempts: number;
  deadLetterQueue: boolean;
  timeout: number;
  batchSize: number;
  bisectBatchOnFunctionError: boolean;
  retryDelay: number;
  maximumRecordAge: number;
  /** stream: ms Lambda gathers records before invoking (MaximumBatchingWindowInSeconds); 0: at once. */
  maximumBatchingWindow?: number;
  /** sqs: how long a received message stays invisible (ms). */
  visibilityTimeout: number;
  /** sqs: receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** sqs: the handler reports batchItemFailures, so only failed messages come back. */
  reportBatchItemFailures: boolean;
}

export interface StepFunctionsSpec {
  type: 'standard' | 'express';
  stateDuration: number;
  retry: { interval: number; maxAttempts: number; backoffRate: number };
}

export interface FailoverSpec {
  after: number;
  regions?: string[];
}

export type TieBreak = (typeof TIE_BREAKS)[number];

export interface ApplicationSpec {
  /** The strategy the application runs: an alias is normalised (`service-lww` → `lww-item`). */
  strategy: Strategy;
  /** Present when the scenario wrote an alias (`service-lww`): reports keep printing the name it wrote. */
  strategyAlias?: string;
  /** The `custom` strategy's merge function: the module's absolute path, as written, and the export. */
  merge?: { path: string; given: string; function: string };
  idempotency: IdempotencyMode;
  idempotencyTtlSeconds: number;
  maxRetries: number;
  consumerDelay: number;
  /** Virtual ms from a table call to its answer; absent or 0: at once. */
  requestLatency?: number;
  /** Present: the team's own handler module replaces the built-in application (issue 13). */
  module?: UserModuleRef;
}

/** How events reach a team's handler: the shape they arrive in and the Lambda rules around it. */
export type UserEventSource = 'direct' | 'apigateway' | 'eventbridge' | 'sqs';

export interface UserModuleRef {
  /** Absolute path of the module (resolved against the scenario file). */
  path: string;
  /** As the scenario wrote it, for messages. */
  given: string;
  handler: string;
  streamHandler?: string;
  event: UserEventSource;
  env: Record<string, string>;
  /** Virtual ms each SDK call takes, per region. */
  latency: Record<string, number>;
  /** The stream handler's event source mapping. */
  stream: TableStreamSpec;
  functionName: string;
}

/** A declared table: the CreateTable request the model makes in every region, and what reads it need. */
export interface TableSpec {
  name: string;
  /** CreateTable input with the keys the model uses (no stream: the run decides that). */
  definition: Record<string, unknown>;
  /** Partition key, then the sort key if any. */
  keyNames: string[];
  /** TimeToLiveSpecification, when enabled. */
  ttlAttribute?: string;
}

export interface TableStreamSpec {
  /** With `tables:`, the table whose stream the stream handler gets (default the first). */
  table?: string;
  batchSize: number;
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  retryDelay: number;
  /** ms; 24 h when unlimited (the stream's retention). */
  maximumRecordAge: number;
  /** ms Lambda gathers records before invoking (MaximumBatchingWindowInSeconds); 0: at once. */
  maximumBatchingWindow: number;
  eventNames?: Array<'INSERT' | 'MODIFY' | 'REMOVE'>;
  /** FunctionResponseTypes: [ReportBatchItemFailures]; without it Lambda ignores the handler's response. */
  reportBatchItemFailures: boolean;
}

export type { IdempotencyMode, Strategy };

/** A lag as the scenario schema declares it (`lag`), every duration in ms. */
export type LagSpec = LagInput extends infer L ? (L extends { distribution: string } ? { [K in keyof L]: K extends 'distribution' ? L[K] : L[K] extends unknown[] ? number[] : number } : never) : never;

export interface LinkSpec {
  from: string;
  to: string;
  lag: LagSpec;
}

export interface EventSpec {
  id: string;
  region: string;
  key: string;
  item: string;
  data: Record<string, AttributeValue>;
  /** Increments of the item's `Data` attributes the event asks for (present only when the scenario wrote `add`). */
  add?: Record<string, number>;
  type: string;
  domain: string;
  priority: string;
  correlationId: string;
}

export type Step = { at: number; index: number } & (
  | { kind: 'event'; event: EventSpec }
  /** `event`: the event `of` names (an earlier step's), so a run need not keep every event it sent for a retry that may come. */
  | { kind: 'retry'; of: string; region: string; event: EventSpec }
  | { kind: 'read'; region: string; item: string; consistency: 'eventual' | 'strong'; expect?: ItemExpectation }
  | { kind: 'write'; region: string; op: WriteOp }
  | { kind: 'transact'; region: string; ops: WriteOp[] }
  | { kind: 'request'; region: string; request: ApiRequest }
  | { kind: 'check'; name: string; expect: Expectation }
  | { kind: 'redrive'; region?: string; events?: string[] }
);

export type StepKind = Step['kind'];

/**
 * A step in DynamoDB's own syntax (issue 11 item 8): one request of the DynamoDB API, as the JSON
 * 1.0 protocol carries it (wire attribute values), checked when the file loaded.
 */
export interface ApiRequest {
  /** The scenario's action it was written as. */
  action: 'put' | 'update' | 'delete' | 'read' | 'query';
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'GetItem' | 'Query';
  input: Record<string, unknown>;
  /** read: what GetItem must return (plain values, typed forms canonical); query: count and items. */
  expect?: { item: ItemExpectation } | { count?: number; items?: Array<Record<string, AttributeValue>> };
}

/** Attributes an item must have (subset match), or null: absent. */
export type ItemExpectation = Record<string, AttributeValue> | null;

export interface Expectation {
  converged?: boolean;
  items?: Record<string, ItemExpectation>;
  regions?: Record<string, Record<string, ItemExpectation>>;
  counts?: Partial<Record<CountName, number>>;
  effects?: Record<string, number>;
}

export type { Condition, Item };
