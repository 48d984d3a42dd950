import { z } from 'zod';
import { PLAIN_TAGS } from '../dynamodb/plain.js';
import { DEFAULT_IDEMPOTENCY, DEFAULT_STRATEGY, IDEMPOTENCY_MODES, STRATEGIES } from '../app/event-processor.js';
import { MODES } from './mrsc-checks.js';
import type { FaultKindName } from '../trace/events.js';
import { COUNT_NAMES } from '../trace/count-names.js';
import { MAX_TIME_MS } from './limits.js';
import { COMPOUND_SOURCE, compoundMs, TIME_UNITS, UNIT_MS, type TimeUnit } from './time-units.js';

/**
 * The scenario file format, as zod schemas. This is the single source of truth: the loader
 * validates with it and `geosim schema` exports it as JSON Schema for editors.
 * Every object is strict so a misspelled key is an error, not silently ignored.
 */

/** The words of a malformed region name's problem (the loader knows the problem by them, to add the declared regions). */
export const REGION_FORMAT = 'a region name such as us-east-1 or eu-west-1';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const regionName = z
  .string()
  .regex(REGION, REGION_FORMAT)
  .describe('An AWS region name, e.g. us-east-1.');

/** Times and durations stop at MAX_TIME_MS (365 days): Date arithmetic from the epoch stays safe. */
const TOO_LONG = `at most 365 days (${MAX_TIME_MS} ms) of virtual time`;
// zod runs a refinement even after the regex failed: a string that is no duration passes here
// (the regex has reported it), so refinements read durations with `durationOrNaN`, never throwing.
const withinMaxTime = (v: number | string) => {
  const ms = durationOrNaN(v);
  return Number.isNaN(ms) || Math.abs(ms) <= MAX_TIME_MS;
};

/** One number and its unit (`1.5s`, `800 ms`), or the views' compound notation (`1m04s`, `2d03h`: time-units.ts). */
const DURATION = new RegExp(`^(?:\\d+(\\.\\d+)?\\s*(${TIME_UNITS})|${COMPOUND_SOURCE})$`);
const SIGNED_DURATION = new RegExp(`^-?(?:\\d+(\\.\\d+)?\\s*(${TIME_UNITS})|${COMPOUND_SOURCE})$`);
const ONE_UNIT = new RegExp(`^-?\\d+(\\.\\d+)?\\s*(${TIME_UNITS})$`);

/** Milliseconds as a number, or a string with a unit: "250ms", "1.5s", "2m", "6h", "2d". */
export const duration = z
  .union([
    z.number().nonnegative('a time or duration cannot be negative').max(MAX_TIME_MS, TOO_LONG),
    z.string().regex(DURATION, 'expected a duration such as 250, "250ms", "1.5s", "2m", "6h" or "2d" (not negative)').refine(withinMaxTime, TOO_LONG),
  ])
  .describe('Virtual time in ms, or a string with a unit: "250ms", "1.5s", "2m", "6h", "2d". At most 365 days.');

const signedDuration = z.union([
  z.number().min(-MAX_TIME_MS, TOO_LONG).max(MAX_TIME_MS, TOO_LONG),
  z.string().regex(SIGNED_DURATION, 'a duration such as -1500, "-1.5s", "200ms" or "-1h"').refine(withinMaxTime, TOO_LONG),
]);

/**
 * "What may vary" (issue 14): in place of a fixed time, `{ between: [lo, hi] }`, inclusive, whole
 * ms. `geosim run` draws it once from the seed (src/explore/ranges.ts); `geosim explore` varies it.
 * lo ≤ hi is checked with the other semantic rules (units resolved).
 */
export function between<T extends z.ZodType>(bound: T) {
  return z
    .strictObject({ between: z.tuple([bound, bound]).describe('[lo, hi], inclusive: each run takes one value in this range.') })
    .describe('A range instead of a fixed value: `geosim run` draws it from the seed, `geosim explore` varies it.');
}

/** A duration or a range of them (`at` of steps and faults). */
const rangedDuration = z
  .union([...duration.options, between(duration)])
  .describe('Virtual time in ms or with a unit ("1.5s"), or a range { between: [lo, hi] } that each run draws from.');
/** A signed duration or a range of them (a clock-skew fault's `skew`). */
const rangedSignedDuration = z.union([...signedDuration.options, between(signedDuration)]);

/** A range as the schema gives it, or a fixed value. */
export type Ranged<T> = T | { between: [T, T] };

/** Whether a value is a `{ between: [lo, hi] }` range. */
export function isBetween(value: unknown): value is { between: [number | string, number | string] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as { between?: unknown }).between);
}

/** Whether a value is a `{ oneOf: [...] }` choice. */
export function isOneOf(value: unknown): value is { oneOf: string[] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as { oneOf?: unknown }).oneOf);
}

/** The earliest and latest ms a fixed or ranged duration can take. */
export function durationBounds(value: Ranged<number | string>): [number, number] {
  if (isBetween(value)) return [durationMs(value.between[0]), durationMs(value.between[1])];
  const ms = durationMs(value);
  return [ms, ms];
}

/** A region, or a choice of regions each run draws one of (event and retry steps). */
const regionChoice = z
  .union([
    regionName,
    z
      .strictObject({ oneOf: z.array(regionName).min(1).max(1000).describe('Each run takes one of these regions.') })
      .describe('A choice of regions: `geosim run` draws one from the seed, `geosim explore` varies it.'),
  ]);

export function durationMs(value: number | string): number {
  const ms = durationOrNaN(value);
  if (Number.isNaN(ms)) throw new Error(`not a duration: ${String(value)}`);
  return ms;
}

/** A duration in ms, or NaN when `value` is not one (for refinements, which run on invalid input too). */
function durationOrNaN(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = ONE_UNIT.exec(value);
  if (!m) {
    const negative = value.startsWith('-');
    const ms = compoundMs(negative ? value.slice(1) : value);
    return ms === undefined ? Number.NaN : negative ? -ms : ms;
  }
  const n = Number(value.slice(0, value.length - m[2]!.length).trim());
  // To the microsecond, as a number of ms given as a number keeps its fraction ("0.6ms" is 0.6, as
  // 0.6 is), without binary noise ("1.1s" is 1100, not 1100.0000000000002).
  return Math.round(n * UNIT_MS[m[2] as TimeUnit] * 1000) / 1000;
}

export const lag = z
  .discriminatedUnion('distribution', [
    z.strictObject({ distribution: z.literal('fixed'), ms: duration }),
    z.strictObject({ distribution: z.literal('uniform'), min: duration, max: duration }),
    z.strictObject({ distribution: z.literal('normal'), mean: duration, stddev: duration }),
    z.strictObject({ distribution: z.literal('exponential'), mean: duration }),
    z.strictObject({ distribution: z.literal('sequence'), ms: z.array(duration).min(1).max(1_000_000) }),
  ])
  .describe('Replication lag of a link: fixed, uniform, normal (clamped at 0), exponential, or a sequence (the n-th write on the link takes the n-th value, the last repeats; what `geosim explore` pins in a repro), in ms.');

/** The lag of a link the scenario gives none: "typically within a second" (aws-semantics §1.2). */
export const DEFAULT_LAG = { distribution: 'uniform', min: 500, max: 1500 } as const satisfies z.output<typeof lag>;

const attributeValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(attributeValue), z.record(z.string(), attributeValue)]),
);
const attributes = z.record(z.string(), attributeValue);

type ConditionInput =
  | { notExists: string }
  | { exists: string }
  | { equals: Record<string, unknown> }
  | { lessThan: Record<string, number | string> }
  | { and: ConditionInput[] }
  | { or: ConditionInput[] };

export const condition: z.ZodType<ConditionInput> = z.lazy(() =>
  z.union([
    z.strictObject({ notExists: z.string().describe('attribute_not_exists(attr)') }),
    z.strictObject({ exists: z.string().describe('attribute_exists(attr)') }),
    z.strictObject({ equals: attributes.describe('attr = value, for each entry (ANDed)') }),
    z.strictObject({ lessThan: z.record(z.string(), z.union([z.number(), z.string()])) }),
    z.strictObject({ and: z.array(condition).min(1) }),
    z.strictObject({ or: z.array(condition).min(1) }),
  ]),
);

const itemId = z.string().min(1).describe('Partition key (Id) of an item.');

const putOp = z.strictObject({
  region: regionName,
  item: z.looseObject({ Id: itemId }).describe('The whole item, Id included.'),
  condition: condition.optional(),
});
const updateOp = z.strictObject({
  region: regionName,
  id: itemId,
  set: attributes.optional().describe('SET attr = value for each entry.'),
  add: z.record(z.string(), z.number()).optional().describe('ADD attr n for each entry (missing counts as 0).'),
  condition: condition.optional(),
});
const deleteOp = z.strictObject({ region: regionName, id: itemId, condition: condition.optional() });
/*
 * Steps in DynamoDB's own syntax (issue 11 item 8), beside the short forms above: the request's
 * expressions as DynamoDB takes them, placeholders in `names` and `values`, values in plain YAML
 * as DocumentClient marshals them ($SS, $NS, $BS, $B, $N for the types YAML lacks,
 * src/dynamodb/plain.ts). Each is a union with its short form: the keys tell them apart.
 */
const tableName = z.string().min(1).optional().describe("The table; default the scenario's table, GlobalEventTable.");
const expressionNames = z.record(z.string(), z.string()).optional().describe("ExpressionAttributeNames: '#s': status.");
const expressionValues = attributes.optional().describe("ExpressionAttributeValues in plain YAML: ':v': 3, ':tags': {$SS: [a, b]}.");
const keyMap = attributes.describe('The key of the item, e.g. {Id: ORDER#1}.');
const conditionExpression = z.string().min(1).describe('ConditionExpression, e.g. "attribute_not_exists(Id)".');

const putExpressionOp = z
  .strictObject({
    region: regionName,
    table: tableName,
    item: attributes.describe('The whole item, key included, in plain YAML.'),
    condition: conditionExpression.optional(),
    names: expressionNames,
    values: expressionValues,
  })
  // Without these a put is the short form (and an item without Id is its problem, not DynamoDB's).
  // `abort` makes this branch fail like a type error, so the union reports the short form's problems.
  .refine((p) => isExpressionPut(p), { message: 'a put in DynamoDB syntax has a string condition, a table, names, values or a typed value', abort: true })
  .describe('PutItem in DynamoDB syntax: item, condition (ConditionExpression), names, values, table.');

/** A put written in DynamoDB syntax: a string condition, a table, placeholders, or a typed value ($SS, ...) in the item. */
export function isExpressionPut(put: { item: unknown; condition?: unknown; table?: unknown; names?: unknown; values?: unknown }): boolean {
  return typeof put.condition === 'string' || put.table !== undefined || put.names !== undefined || put.values !== undefined || holdsTypedValue(put.item) || keyedOtherwise(put.item);
}

/**
 * An item with no `Id` but with other attributes is one for a table of the scenario's own
 * (`tables:`, keys such as pk/sk, or `id`): only DynamoDB syntax reaches those, the short form names
 * items by Id. On GlobalEventTable such a put is DynamoDB's refusal, whose hint names a near miss
 * of Id (`id`, `ID`).
 */
function keyedOtherwise(item: unknown): boolean {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  const keys = Object.keys(item);
  return keys.length > 0 && !keys.includes('Id');
}

const TYPED_TAGS: ReadonlySet<string> = new Set(PLAIN_TAGS);

function holdsTypedValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsTypedValue);
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  if (keys.length === 1 && TYPED_TAGS.has(keys[0]!)) return true;
  return Object.values(value).some(holdsTypedValue);
}
const updateExpressionOp = z.strictObject({
  region: regionName,
  table: tableName,
  key: keyMap,
  expression: z.string().min(1).describe('UpdateExpression, e.g. "SET #s = :s ADD Views :one".'),
  condition: conditionExpression.optional(),
  names: expressionNames,
  values: expressionValues,
}).describe('UpdateItem in DynamoDB syntax: key, expression (UpdateExpression), condition, names, values, table.');
const deleteExpressionOp = z.strictObject({
  region: regionName,
  table: tableName,
  key: keyMap,
  condition: conditionExpression.optional(),
  names: expressionNames,
  values: expressionValues,
}).describe('DeleteItem in DynamoDB syntax: key, condition, names, values, table.');
const readExpressionStep = z.strictObject({
  region: regionName,
  table: tableName,
  key: keyMap,
  projection: z.string().min(1).optional().describe('ProjectionExpression, e.g. "#s, Views".'),
  names: expressionNames,
  consistent: z.boolean().optional().describe('ConsistentRead (on MREC, current only for writes made in this region); default false.'),
  expect: z.lazy(() => itemExpectation).optional().describe('What GetItem must return (a subset match), or null: no item.'),
}).describe('GetItem in DynamoDB syntax: key, projection, names, consistent, table, expect.');
const queryStep = z
  .strictObject({
    region: regionName,
    table: tableName,
    index: z.string().min(1).optional().describe('IndexName, e.g. IdempotencyIndex; default the table itself.'),
    key: z.string().min(1).describe('KeyConditionExpression, e.g. "IdempotencyKey = :k".'),
    filter: z.string().min(1).optional().describe('FilterExpression.'),
    projection: z.string().min(1).optional().describe('ProjectionExpression.'),
    names: expressionNames,
    values: expressionValues,
    limit: z.number().int().min(1).optional().describe('Limit: at most this many items evaluated (one page); default every page.'),
    consistent: z.boolean().optional().describe('ConsistentRead (not on a global secondary index); default false.'),
    forward: z.boolean().optional().describe('ScanIndexForward; default true.'),
    expect: z
      .strictObject({
        count: z.number().int().nonnegative().optional().describe('How many items the query returns.'),
        items: z.array(attributes).optional().describe('The items returned, in order, each a subset match; as many as returned.'),
      })
      .optional(),
  })
  .describe('Query in DynamoDB syntax on the table or a global secondary index.');

const txOp = z.union([
  z.strictObject({ put: putOp.omit({ region: true }) }),
  z.strictObject({ update: updateOp.omit({ region: true }) }),
  z.strictObject({ delete: deleteOp.omit({ region: true }) }),
]);

const itemExpectation = z
  .union([attributes, z.null()])
  .describe('Attributes the item must have (a subset match; nested maps match as subsets too), or null: the item must be absent.');
const itemsExpectation = z.record(z.string(), itemExpectation);


const expectation = z
  .strictObject({
    converged: z.boolean().optional().describe('All replicas hold the same items (true) or differ (false).'),
    items: itemsExpectation.optional().describe('Items every region must hold, by Id.'),
    regions: z.record(regionName, itemsExpectation).optional().describe('Items one region must hold, by region then Id.'),
    counts: z
      .partialRecord(z.enum(COUNT_NAMES), z.number().int().nonnegative())
      .optional()
      .describe('Exact counts over the run so far: ' + COUNT_NAMES.join(', ') + '.'),
    effects: z
      .record(z.string(), z.number().int().nonnegative())
      .optional()
      .describe('Data writes applied per idempotency key, summed over regions (1 = exactly once).'),
  })
  .describe('What must hold. At the end of the run (expect) or at a step time (check).');

const eventStep = z.strictObject({
  id: z.string().min(1).describe('Event id (TMF688 eventId); retries refer to it.'),
  region: regionChoice.describe('Where the event is sent, or { oneOf: [regions] }: each run takes one.'),
  key: z.string().min(1).optional().describe('Idempotency key; defaults to the event id.'),
  item: itemId,
  data: attributes.optional().describe("Attributes the event sets in the item's Data map (data, add or both)."),
  add: z
    .record(z.string().min(1), z.number().finite())
    .optional()
    .describe("Increments the event asks for, by attribute of the item's Data map (a missing attribute counts as 0); how they apply depends on application.strategy."),
  type: z.string().default('ResourceAttributeValueChangeEvent').describe('TMF688 eventType.'),
  domain: z.string().default('geosim').describe('TMF688 domain.'),
  priority: z.string().default('5').describe('TMF688 priority.'),
  correlationId: z.string().optional().describe('TMF688 correlationId; defaults to the event id.'),
});

const retryStep = z.strictObject({
  of: z.string().min(1).describe('The id of an earlier event to send again, with the same idempotency key.'),
  region: regionChoice.describe('Where the retry lands; another region than the first attempt shows the cross-region race. Or { oneOf: [regions] }: each run takes one.'),
});

const readStep = z.strictObject({
  region: regionName,
  item: itemId,
  consistency: z.enum(['eventual', 'strong']).default('eventual'),
  expect: itemExpectation.optional().describe('What the read must return.'),
});

const redriveStep = z
  .strictObject({
    region: regionName.optional().describe("Whose dead-letter queue to replay; default every region's."),
    events: z.array(z.string().min(1)).min(1).optional().describe('Only these event ids; default every dead-lettered event.'),
  })
  .describe("geosim's own redrive: replay dead-lettered events through the processor (SQS StartMessageMoveTask cannot move them, aws-semantics §6.3).");

const step = z
  .strictObject({
    at: rangedDuration.describe('When the step happens, in virtual time from the start; or { between: [lo, hi] }.'),
    event: eventStep.optional(),
    retry: retryStep.optional(),
    read: z.union([readStep, readExpressionStep]).optional(),
    query: queryStep.optional(),
    put: z.union([putOp, putExpressionOp]).optional(),
    update: z.union([updateOp, updateExpressionOp]).optional(),
    delete: z.union([deleteOp, deleteExpressionOp]).optional(),
    transact: z
      .strictObject({ region: regionName, ops: z.array(txOp).min(1).max(100) })
      .optional()
      .describe('TransactWriteItems in one region: atomic there, replicated item by item.'),
    check: expectation.extend({ name: z.string().optional().describe('Shown with each result; default "check at <time>ms".') }).optional(),
    redrive: redriveStep.optional(),
  })
  .describe('One timed step: exactly one of event, retry, read, query, put, update, delete, transact, check, redrive.');

export const STEP_KINDS = ['event', 'retry', 'read', 'query', 'put', 'update', 'delete', 'transact', 'check', 'redrive'] as const;

/** A fault kind as a scenario writes it: the trace's name in camelCase (`pause-replication` → `pauseReplication`). */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
export type FaultKeyword = CamelCase<FaultKindName>;

/** Each fault kind's fields; the compiler holds these keys to the trace's list of kinds (FAULT_KIND_NAMES). */
const faultKinds = {
  pauseReplication: z.strictObject({
    region: regionName.optional().describe('Pause replication into and out of this region (FIS global-table-pause-replication).'),
    from: regionName.optional().describe('Or pause one directed link: from this region...'),
    to: regionName.optional().describe('...to this one.'),
    continuesFor: duration.default(0).describe('Replication keeps flowing this long after the start (FIS: up to 5 minutes).'),
  }),
  outage: z.strictObject({ region: regionName }).describe('The region rejects client requests and stops replicating until the fault ends.'),
  lambdaFailure: z.strictObject({
    region: regionName.optional().describe('Only invocations in this region; default every region.'),
    event: z.string().min(1).optional().describe('Only this event id; default every event.'),
    attempts: z.array(z.number().int().positive()).min(1).optional().describe('Only these attempt numbers (1 = first); default every attempt.'),
    probability: z.number().min(0).max(1).default(1).describe("Fail a matching attempt with this probability, drawn from the fault's own stream of the seed."),
    error: z.enum(['throw', 'timeout']).default('throw').describe('throw: fails before writing; timeout: the write happens, then the invocation times out.'),
    message: z.string().optional().describe('The error message; default "injected failure" (throw) or "Task timed out" (timeout).'),
  }),
  clockSkew: z
    .strictObject({ region: regionName, skew: rangedSignedDuration.describe('The new client clock offset, e.g. -2s; or { between: [lo, hi] }.') })
    .describe("Changes one region's client clock skew at `at` (back to the previous one after `duration`, if given)."),
} satisfies Record<FaultKeyword, z.ZodType>;

/** Each field of `shapes`, optional. */
function optionalEach<T extends Record<string, z.ZodType>>(shapes: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(shapes).map(([key, shape]) => [key, shape.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> };
}

/** The fault kinds as a scenario writes them, in the schema's order. */
export const FAULT_KINDS = Object.keys(faultKinds) as FaultKeyword[];

const fault = z
  .strictObject({
    at: rangedDuration.default(0).describe('When the fault starts; or { between: [lo, hi] }.'),
    duration: duration.optional().describe('How long it lasts (or give `until`).'),
    until: duration.optional().describe('When it ends (or give `duration`).'),
    ...optionalEach(faultKinds),
  })
  .describe(`One fault: exactly one of ${FAULT_KINDS.join(', ')}, with its time window.`);

/** A duration within an AWS limit, checked once units are resolved; `limit` names the limit and its source. */
function durationWithin(minMs: number, maxMs: number, limit: string, wholeSeconds = false) {
  return duration.refine((v) => {
    const ms = durationOrNaN(v);
    return Number.isNaN(ms) || (ms >= minMs && ms <= maxMs && (!wholeSeconds || ms % 1000 === 0));
  }, limit);
}

const DAY_MS = 86_400_000;

/**
 * Retries after a failed first attempt when `maximumRetryAttempts` is not given, per invocation
 * type: async retries twice (aws-semantics §6.2), a stream until the record expires (-1, §6.1),
 * a direct call never (the client sees the error).
 */
export const DEFAULT_RETRY_ATTEMPTS = { direct: 0, async: 2, stream: -1, sqs: 0 } as const;
/** How events can reach the processor Lambda. */
export const LAMBDA_INVOCATIONS = ['direct', 'async', 'stream', 'sqs'] as const;
/** Records per batch of an event source mapping when the scenario does not say (AWS's defaults). */
export const DEFAULT_BATCH_SIZE = { stream: 100, sqs: 10 } as const;
/** How events reach a team's handler (`application.event`), and the Lambda invocation each implies. */
export const USER_EVENT_SOURCES = { direct: 'direct', apigateway: 'direct', eventbridge: 'async', sqs: 'sqs' } as const;
/** The virtual time each SDK call of a team's handler takes when the scenario does not say. */
export const DEFAULT_SDK_LATENCY_MS = 5;

/** The ConditionalWrite state's Retry in infra/statemachine.asl.json. */
const STEP_FUNCTIONS_RETRY_DEFAULTS = { interval: 2000, maxAttempts: 2, backoffRate: 2 } as const;

/**
 * AWS's own limits on the Lambda and Step Functions settings (aws-semantics §5, §6): a value AWS
 * would refuse is refused here too, with the limit in the message, so no setting can make a run
 * retry for ever.
 */
const lambdaConfig = z
  .strictObject({
    invocation: z
      .enum(LAMBDA_INVOCATIONS)
      .default('direct')
      .describe('direct: the client calls the processor and sees its result (no retries); async: Lambda asynchronous invocation; stream: a DynamoDB Streams event source mapping; sqs: an SQS queue and its event source mapping.'),
    maximumRetryAttempts: z
      .number()
      .int('MaximumRetryAttempts is a whole number')
      .min(-1, 'MaximumRetryAttempts of a stream event source mapping is -1 (until the record expires) to 10000 (AWS Lambda limit)')
      .max(10_000, 'MaximumRetryAttempts of a stream event source mapping is -1 (until the record expires) to 10000 (AWS Lambda limit)')
      .optional()
      .describe(`async: 0..2, default ${DEFAULT_RETRY_ATTEMPTS.async}; stream: -1 (until the record expires) to 10000, default ${DEFAULT_RETRY_ATTEMPTS.stream}; direct: no retries.`),
    deadLetterQueue: z.boolean().default(true).describe('Send events whose retries are exhausted to the SQS dead-letter queue (on-failure destination for streams).'),
    timeout: durationWithin(1000, 900_000, 'a Lambda function timeout is 1s to 900s (15 minutes), in whole seconds (AWS Lambda limit)', true)
      .default(3000)
      .describe('Function timeout: what a timed-out attempt costs. 1s to 900s; default 3s.'),
    batchSize: z
      .number()
      .int('BatchSize is a whole number')
      .min(1, 'BatchSize of an event source mapping is 1 to 10000 (AWS Lambda limit)')
      .max(10_000, 'BatchSize of an event source mapping is 1 to 10000 (AWS Lambda limit)')
      .optional()
      .describe(`stream: records per batch, 1 to 10000, default ${DEFAULT_BATCH_SIZE.stream}; sqs: messages per batch, 1 to 10 (no batching window), default ${DEFAULT_BATCH_SIZE.sqs}.`),
    visibilityTimeout: durationWithin(0, 43_200_000, 'an SQS visibility timeout is 0s to 12 hours (SQS limit)', true)
      .default(30_000)
      .describe('sqs: how long a received message stays invisible; a failed one comes back after it. Default 30s; at least the function timeout (Lambda refuses less).'),
    maxReceiveCount: z
      .number()
      .int('maxReceiveCount is a whole number')
      .min(1, 'maxReceiveCount of an SQS redrive policy is 1 to 1000 (SQS limit)')
      .max(1000, 'maxReceiveCount of an SQS redrive policy is 1 to 1000 (SQS limit)')
      .default(3)
      .describe('sqs: receives before a message moves to the dead-letter queue; default 3.'),
    reportBatchItemFailures: z.boolean().default(true).describe('sqs: the handler returns batchItemFailures, so only the failed messages come back (FunctionResponseTypes: ReportBatchItemFailures).'),
    bisectBatchOnFunctionError: z.boolean().default(false).describe('stream: split a failing batch in two and retry each half.'),
    retryDelay: durationWithin(1, 60_000, 'the wait before a stream retry is 1ms to 1m: Lambda backs off between retries (geosim doubles this wait per retry, up to 1m)')
      .default(1000)
      .describe('stream: wait before retrying a failed batch, 1ms to 1m (undocumented by AWS; geosim doubles it per retry, capped at 1m).'),
    maximumBatchingWindow: durationWithin(0, 300_000, 'MaximumBatchingWindowInSeconds is whole seconds, 0s to 300s (AWS Lambda limit)', true)
      .default(0)
      .describe('stream: how long Lambda gathers records before invoking (MaximumBatchingWindowInSeconds): a batch goes when it is full or its oldest record has waited this long. Whole seconds, 0s to 300s; default 0 (at once).'),
    maximumRecordAge: z
      .union([z.number(), z.string().regex(DURATION, 'expected -1 or a duration such as 60s, "10m" or "7d"')])
      .refine(
        (v) => v === -1 || (durationOrNaN(v) >= 60_000 && durationOrNaN(v) <= 7 * DAY_MS) || Number.isNaN(durationOrNaN(v)),
        'MaximumRecordAgeInSeconds is -1 (infinite) or 60s to 604800s (7 days) (AWS Lambda limit)',
      )
      .default(-1)
      .describe("stream: give up on a record older than this: 60s to 7 days, or -1 (none); a DynamoDB stream keeps records 24h, so a record expires at 24h at the latest."),
  })
  .describe('How events reach the processor Lambda (aws-semantics §6).');

/** The Lambda settings of a scenario that says nothing but whose handler's events need them (application.event). */
export const LAMBDA_DEFAULTS = lambdaConfig.parse({});

const stepFunctionsConfig = z
  .strictObject({
    type: z.enum(['standard', 'express']).default('standard').describe('standard dedupes StartExecution by name while running; express never does.'),
    stateDuration: durationWithin(0, 900_000, 'a task state runs the processor Lambda, so it takes at most 900s (the Lambda timeout limit)')
      .default(100)
      .describe('Virtual time each task state takes, so an execution runs for a while; at most 900s.'),
    retry: z
      .strictObject({
        // ASL allows IntervalSeconds up to 99999999 s; every duration here stops at 365 days.
        interval: durationWithin(
          1000,
          MAX_TIME_MS,
          'IntervalSeconds is a whole number of seconds, at least 1 (Amazon States Language limit) and at most 365 days; a bare number is milliseconds: 2000 or "2s"',
          true,
        )
          .default(STEP_FUNCTIONS_RETRY_DEFAULTS.interval)
          .describe('Wait before the first retry: whole seconds, 1s to 365 days (a bare number is ms).'),
        maxAttempts: z
          .number()
          .int('MaxAttempts is a whole number')
          .min(0, 'MaxAttempts is 0 to 99999999 (Amazon States Language limit)')
          .max(99_999_999, 'MaxAttempts is 0 to 99999999 (Amazon States Language limit)')
          .default(STEP_FUNCTIONS_RETRY_DEFAULTS.maxAttempts),
        backoffRate: z.number().min(1, 'BackoffRate is at least 1.0 (Amazon States Language limit)').default(STEP_FUNCTIONS_RETRY_DEFAULTS.backoffRate),
      })
      .default(STEP_FUNCTIONS_RETRY_DEFAULTS)
      .describe('The ConditionalWrite state Retry on States.TaskFailed (infra/statemachine.asl.json).'),
  })
  .describe('Clients start a workflow (StartExecution, name = idempotency key) instead of invoking the processor.');

const failoverConfig = z
  .strictObject({
    after: duration.default(500).describe('How long the client waits on a rejected request before trying the next region.'),
    regions: z.array(regionName).min(1).optional().describe('Order of regions to try; default the scenario order after the failed one.'),
  })
  .describe('Clients retry a rejected request in another region.');

/** Which origin wins a same-millisecond write (undocumented by AWS, so a choice). */
export const TIE_BREAKS = ['higher-region', 'lower-region'] as const;

/** What replication is when a scenario says nothing (serve without a scenario too). */
const SEED_RANGE = `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`;

/** How tasks due at the same virtual ms are ordered: as scheduled (default), or drawn from the seed. */
export const SIMULTANEOUS_ORDERS = ['scheduled', 'seeded'] as const;
/** `replication.unchangedWrites`: whether a write that changes nothing replicates (AWS does not say). */
export const UNCHANGED_WRITES = ['replicate', 'skip'] as const;

/** `geosim explore`'s settings when the scenario's `explore:` section leaves them out. */
export const EXPLORE_DEFAULTS = { runs: 1000, bias: 0.5, simultaneous: true, lags: true } as const;
/** Most runs one search takes, from the file (`explore.runs`) or the command line (`--runs`). */
export const MAX_EXPLORE_RUNS = 1_000_000_000;

/** What a `sometimes` entry may ask: the keys of `expect`, plus lower bounds on counts. */
const sometimesEntry = z
  .strictObject({
    name: z.string().min(1).describe('Names the entry in reports; unique.'),
    ...expectation.shape,
    atLeast: z
      .partialRecord(z.enum(COUNT_NAMES), z.number().int().nonnegative())
      .optional()
      .describe('Lower bounds on counts at the end of the run, e.g. {conflicts: 1}: ' + COUNT_NAMES.join(', ') + '.'),
  })
  .describe('Something that should happen in some runs: it holds in a run when every key given holds at its end.');

export const REPLICATION_DEFAULTS = { lag: DEFAULT_LAG, coalesce: false, tieBreak: TIE_BREAKS[0] } as const;

/** Your own handler in the middle (issue 13): a module of the team's, run unchanged in every region. */
const userModuleFields = {
  module: z
    .string()
    .min(1)
    .optional()
    .describe('Your own Lambda handler module, relative to the scenario file (.ts, .mts, .js, .mjs, .cjs); it replaces the built-in application.'),
  handler: z.string().min(1).optional().describe('With module: the export Lambda calls as (event, context); default handler.'),
  streamHandler: z.string().min(1).optional().describe("With module: an export that gets the table's DynamoDB stream batches in every region."),
  event: z
    .enum(Object.keys(USER_EVENT_SOURCES) as ['direct', 'apigateway', 'eventbridge', 'sqs'])
    .optional()
    .describe('With module: how events reach the handler. direct: synchronous invoke, no retries; apigateway: synchronous proxy; eventbridge: asynchronous, two retries, then the dead-letter queue; sqs: an SQS queue and event source (batches, batchItemFailures, visibility timeout, maxReceiveCount). Default direct.'),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name is letters, digits and _, not starting with a digit'), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe("With module: the function's environment variables (AWS_REGION is set per region)."),
  latency: z
    .union([duration, z.record(regionName, duration)])
    .optional()
    .describe(`With module: virtual time each call of the handler's SDK takes, one duration or one per region; default ${DEFAULT_SDK_LATENCY_MS}ms.`),
  stream: z
    .strictObject({
      batchSize: z
        .number()
        .int('BatchSize is a whole number')
        .min(1, 'BatchSize of a DynamoDB Streams event source mapping is 1 to 10000 (AWS Lambda limit)')
        .max(10_000, 'BatchSize of a DynamoDB Streams event source mapping is 1 to 10000 (AWS Lambda limit)')
        .default(DEFAULT_BATCH_SIZE.stream),
      maximumRetryAttempts: z
        .number()
        .int('MaximumRetryAttempts is a whole number')
        .min(-1, 'MaximumRetryAttempts of a stream event source mapping is -1 (until the record expires) to 10000 (AWS Lambda limit)')
        .max(10_000, 'MaximumRetryAttempts of a stream event source mapping is -1 (until the record expires) to 10000 (AWS Lambda limit)')
        .default(-1),
      bisectBatchOnFunctionError: z.boolean().default(false),
      retryDelay: durationWithin(1, 60_000, 'the wait before a stream retry is 1ms to 1m').default(1000),
      maximumBatchingWindow: durationWithin(0, 300_000, 'MaximumBatchingWindowInSeconds is whole seconds, 0s to 300s (AWS Lambda limit)', true)
        .default(0)
        .describe('How long Lambda gathers records before invoking the stream handler (MaximumBatchingWindowInSeconds): a batch goes when it is full or its oldest record has waited this long. Whole seconds, 0s to 300s; default 0 (at once).'),
      maximumRecordAge: z
        .union([z.number(), z.string().regex(DURATION, 'expected -1 or a duration such as 60s, "10m" or "7d"')])
        .refine(
          (v) => v === -1 || (durationOrNaN(v) >= 60_000 && durationOrNaN(v) <= 7 * DAY_MS) || Number.isNaN(durationOrNaN(v)),
          'MaximumRecordAgeInSeconds is -1 (infinite) or 60s to 604800s (7 days) (AWS Lambda limit)',
        )
        .default(-1),
      eventNames: z.array(z.enum(['INSERT', 'MODIFY', 'REMOVE'])).min(1).optional().describe('Filter criteria: only these changes invoke the stream handler.'),
      reportBatchItemFailures: z
        .boolean()
        .default(true)
        .describe("The mapping has FunctionResponseTypes: ReportBatchItemFailures (as infra/template.yaml deploys it): the handler's batchItemFailures retry the batch from the lowest sequence number named; false: Lambda ignores the response and the batch succeeds."),
      table: z.string().min(1).optional().describe('With tables: the declared table whose stream the handler gets; default the first declared table.'),
    })
    .optional()
    .describe("With streamHandler: the stream event source mapping's settings (AWS's defaults)."),
  functionName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a Lambda function name is 1 to 64 letters, digits, - and _').optional().describe("With module: the function's name (context.functionName); default the module's file name."),
};

/*
 * The scenario's own tables (issue 13), in CreateTable's shape: what a team copies from its
 * CloudFormation `AWS::DynamoDB::GlobalTable`/`Table` Properties or its CreateTable call. Keys the
 * model does not use (billing, encryption, class, protection, tags) are accepted so such a copy
 * loads as it is; they change nothing in a run.
 */
const keySchema = z
  .array(z.strictObject({ AttributeName: z.string().min(1), KeyType: z.enum(['HASH', 'RANGE']) }))
  .min(1)
  .max(2)
  .describe('The key: a HASH attribute, then optionally a RANGE attribute.');
const provisionedThroughput = z
  .strictObject({ ReadCapacityUnits: z.number().int().nonnegative(), WriteCapacityUnits: z.number().int().nonnegative() })
  .describe('Accepted, not modeled: capacity is never exhausted in a run.');
const projection = z.strictObject({ ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(), NonKeyAttributes: z.array(z.string().min(1)).optional() });
const secondaryIndex = z.strictObject({
  IndexName: z.string().min(1),
  KeySchema: keySchema,
  Projection: projection,
  ProvisionedThroughput: provisionedThroughput.optional(),
});
export const tableDefinition = z
  .strictObject({
    TableName: z.string().min(1).describe('The name your code uses (TableName in its requests).'),
    KeySchema: keySchema,
    AttributeDefinitions: z
      .array(z.strictObject({ AttributeName: z.string().min(1), AttributeType: z.enum(['S', 'N', 'B']) }))
      .min(1)
      .describe('Every key attribute of the table and its indexes, and no other.'),
    GlobalSecondaryIndexes: z.array(secondaryIndex).min(1).max(20).optional().describe('Global secondary indexes, queried with Query IndexName.'),
    LocalSecondaryIndexes: z.array(secondaryIndex).min(1).max(5).optional().describe('Not modeled yet: a table that declares them is refused.'),
    TimeToLiveSpecification: z
      .strictObject({ AttributeName: z.string().min(1), Enabled: z.boolean() })
      .optional()
      .describe('TTL: items whose AttributeName (epoch seconds) has passed are deleted, in the run\'s time.'),
    BillingMode: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).optional().describe('Accepted, not modeled. Without it CreateTable needs ProvisionedThroughput.'),
    ProvisionedThroughput: provisionedThroughput.optional(),
    StreamSpecification: z
      .strictObject({ StreamEnabled: z.boolean().optional(), StreamViewType: z.string().optional() })
      .optional()
      .describe('Accepted when it is what a global table needs: StreamViewType NEW_AND_OLD_IMAGES.'),
    SSESpecification: z
      .strictObject({ Enabled: z.boolean().optional(), SSEEnabled: z.boolean().optional(), SSEType: z.string().optional(), KMSMasterKeyId: z.string().optional() })
      .optional()
      .describe('Accepted, not modeled.'),
    TableClass: z.enum(['STANDARD', 'STANDARD_INFREQUENT_ACCESS']).optional().describe('Accepted, not modeled.'),
    DeletionProtectionEnabled: z.boolean().optional().describe('DeleteTable refuses to delete the table, as DynamoDB does.'),
    Tags: z.array(z.strictObject({ Key: z.string().min(1), Value: z.string() })).optional().describe('Accepted, not modeled.'),
  })
  .describe('One table in CreateTable shape: TableName, KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, TimeToLiveSpecification.');

const APPLICATION_DEFAULTS = {
  strategy: DEFAULT_STRATEGY,
  idempotency: DEFAULT_IDEMPOTENCY,
  idempotencyTtlSeconds: 86_400,
  maxRetries: 3,
  consumerDelay: 100,
  requestLatency: 0,
} as const;

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('Defaults to the file name without extension.'),
    description: z.string().optional(),
    // one wording for every wrong seed, as --seed words it (the int check's own names negative bounds)
    seed: z.number().int(SEED_RANGE).nonnegative(SEED_RANGE).default(1).describe('PRNG seed; --seed overrides it.'),
    mode: z
      .enum(MODES)
      .default('mrec')
      .describe('Consistency mode: mrec (multi-Region eventual, the default) or mrsc (multi-Region strong: three regions of one MRSC region set, or two and a witness).'),
    witness: regionName.optional().describe('mode: mrsc with two regions: the region of the witness (stores no readable data; counts for quorum and write latency).'),
    regions: z.array(regionName).min(2, 'a global table needs at least two regions').describe('Regions holding a replica, at least two.'),
    replication: z
      .strictObject({
        lag: lag.default(REPLICATION_DEFAULTS.lag).describe('Lag of every link unless a link says otherwise.'),
        links: z
          .array(z.strictObject({ from: regionName, to: regionName, lag }))
          .optional()
          .describe('Per directed region pair.'),
        coalesce: z.boolean().default(REPLICATION_DEFAULTS.coalesce).describe('Merge quick successive changes to an item in flight into one replicated write. MREC only: every MRSC replica\'s stream holds the same records.'),
        tieBreak: z
          .enum(TIE_BREAKS)
          .default(REPLICATION_DEFAULTS.tieBreak)
          .describe('Which origin wins when two writes carry the same service timestamp (undocumented by AWS).'),
        simultaneous: z
          .enum(SIMULTANEOUS_ORDERS)
          .optional()
          .describe('Tasks due at the same virtual ms (deliveries that meet): scheduled (default) runs them in the order they were scheduled; seeded in an order drawn from the seed.'),
        unchangedWrites: z
          .enum(UNCHANGED_WRITES)
          .optional()
          .describe('A write that leaves its item as it was (a put of the same item, an update to the values it holds): replicate (default) makes a new version that replicates and takes part in last-writer-wins; skip makes none (DynamoDB Streams records no change for it, and MREC replicates from the stream; AWS does not document which). MREC only.'),
      })
      .default(REPLICATION_DEFAULTS),
    tables: z
      .array(tableDefinition)
      .min(1)
      .max(10)
      .optional()
      .describe("The scenario's own tables (1 to 10), in CreateTable shape; every region holds each as a global table. Default: GlobalEventTable as infra/template.yaml declares it."),
    indexLag: duration
      .default(0)
      .describe('How long a write takes to reach the global secondary indexes (IdempotencyIndex) of its region: a query step on an index misses younger writes (the model only; DynamoDB has its own).'),
    ttlDelay: duration
      .default(0)
      .describe('How long after its Time to Live expiry an item is deleted (default 0: at its expiry). DynamoDB deletes expired items within a few days, and reads see them until then: give e.g. 2d to exercise a read guard such as FilterExpression ExpiresAt > :now (the model only; DynamoDB has its own).'),
    clocks: z
      .record(regionName, z.strictObject({ skew: signedDuration.describe('Client clock offset; negative = behind, e.g. -2s.') }))
      .optional()
      .describe('Client clock skew per region (the Timestamp attribute the app writes); a region not listed has none (0).'),
    application: z
      .strictObject({
        strategy: z
          .enum(STRATEGIES)
          .default(APPLICATION_DEFAULTS.strategy)
          .describe('lww-item (alias service-lww): let the table reconcile; client-lww: the seed, client Timestamp wins, stream consumers repair; version: optimistic locking on Version.'),
        idempotency: z
          .enum(IDEMPOTENCY_MODES)
          .default(APPLICATION_DEFAULTS.idempotency)
          .describe('none: no record; local: record + change in one local transaction; home-region: record written in the key\'s home region first.'),
        idempotencyTtlSeconds: z.number().int().positive().default(APPLICATION_DEFAULTS.idempotencyTtlSeconds).describe('Expiry of idempotency records (TTL attribute ExpiresAt). MREC only: MRSC has no Time to Live.'),
        maxRetries: z.number().int().min(0).max(20).default(APPLICATION_DEFAULTS.maxRetries).describe('Conditional-write retries (version strategy).'),
        consumerDelay: duration.default(APPLICATION_DEFAULTS.consumerDelay).describe('Delay before a stream consumer sees a record (client-lww repairs).'),
        requestLatency: duration
          .default(APPLICATION_DEFAULTS.requestLatency)
          .describe('Time from each call the application makes to its table until the answer reaches it (the call takes effect when made). Invocations in two regions interleave while they wait. 0: every call answers at once.'),
        merge: z
          .strictObject({
            module: z.string().min(1).describe('The module, relative to the scenario file (.ts, .mts, .cts, .js, .mjs, .cjs).'),
            function: z.string().min(1).default('merge').describe('The export: (stored, incoming, info) => the merged Data map; default merge.'),
          })
          .optional()
          .describe('The custom strategy\'s merge function, as a Lambda conflict handler would be; required for and only allowed with strategy: custom.'),
        ...userModuleFields,
      })
      .default(APPLICATION_DEFAULTS),
    steps: z.array(step).min(1, 'a scenario needs at least one step'),
    faults: z.array(fault).optional().describe('Faults injected at given times: paused replication, region outages, Lambda failures, clock skew changes.'),
    lambda: lambdaConfig.optional(),
    stepFunctions: stepFunctionsConfig.optional(),
    failover: failoverConfig.optional(),
    explore: z
      .strictObject({
        runs: z.number().int('runs is a whole number').min(1, 'at least 1 run').max(MAX_EXPLORE_RUNS, 'at most 1000000000 runs').default(EXPLORE_DEFAULTS.runs).describe(`Runs per explore (the budget when the command line gives neither --runs nor --time); default ${EXPLORE_DEFAULTS.runs}.`),
        bias: z.number().min(0, 'a share from 0 to 1').max(1, 'a share from 0 to 1').default(EXPLORE_DEFAULTS.bias).describe('Share of runs drawn by the biased strategies (times near each other, lag priorities), 0 to 1; default 0.5.'),
        simultaneous: z.boolean().default(EXPLORE_DEFAULTS.simultaneous).describe('Vary the order of tasks due at the same ms (replication.simultaneous: seeded) unless the scenario fixed it; default true.'),
        lags: z.boolean().default(EXPLORE_DEFAULTS.lags).describe("Vary each replicated write's lag within its link's distribution; default true."),
      })
      .optional()
      .describe('Settings of `geosim explore` (geosim run checks them and ignores them).'),
    sometimes: z
      .array(sometimesEntry)
      .optional()
      .describe('Conditions some run should reach (`geosim run` reports each as hit or not; `geosim explore` fails if one never is).'),
    expect: expectation
      .extend({
        lost: z
          .array(z.string().min(1))
          .optional()
          .describe('Event ids the conservation invariant may find lost (the run fails if others are lost, or these are not).'),
      })
      .optional(),
  })
  .describe('A geosim scenario: regions, replication, the application, timed steps and assertions.');

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioParsed = z.output<typeof scenarioSchema>;
export type ExpectationInput = z.output<typeof expectation>;
export type ConditionYaml = ConditionInput;
export type ShortPutYaml = z.output<typeof putOp>;
export type ShortUpdateYaml = z.output<typeof updateOp>;
export type ShortDeleteYaml = z.output<typeof deleteOp>;
export type ShortReadYaml = z.output<typeof readStep>;
export type PutExpressionYaml = z.output<typeof putExpressionOp>;
export type UpdateExpressionYaml = z.output<typeof updateExpressionOp>;
export type DeleteExpressionYaml = z.output<typeof deleteExpressionOp>;
export type ReadExpressionYaml = z.output<typeof readExpressionStep>;
export type QueryYaml = z.output<typeof queryStep>;
export type LagInput = z.output<typeof lag>;
export type TableDefinitionYaml = z.output<typeof tableDefinition>;
