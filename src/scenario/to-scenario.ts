import { canonicalStrategy } from '../app/strategies.js';
import { equals, exists, lessThan, notExists, type Condition } from '../app/condition.js';
import type { AttributeValue, Item } from '../app/item.js';
import type { WriteOp } from '../app/table-port.js';
import type { EventSpec, Expectation, FaultSpec, ItemExpectation, LagSpec, LinkSpec, Scenario, Step, TableStreamSpec, UserModuleRef } from './model.js';
import { expressionStep, toApiRequest } from './api-steps.js';
import { toTableSpec } from './table-checks.js';
import { basename, dirname, extname, resolve } from 'node:path';
import { fromPlain, tagOf, toPlain, type PlainValue } from '../dynamodb/plain.js';
import { normalizeValue } from '../dynamodb/value-ops.js';
import { EXPLORE_DEFAULTS, DEFAULT_BATCH_SIZE, DEFAULT_RETRY_ATTEMPTS, DEFAULT_SDK_LATENCY_MS, LAMBDA_DEFAULTS, USER_EVENT_SOURCES, durationMs, FAULT_KINDS, type ConditionYaml, type ExpectationInput, type ShortDeleteYaml, type ShortPutYaml, type ShortReadYaml, type ShortUpdateYaml, type LagInput, type ScenarioParsed } from './schema.js';

/** Builds the runtime Scenario from validated input. Pure; the input is known to be valid. */
export function toScenario(s: ScenarioParsed, name: string, file: string): Scenario {
  const defaultLag = toLag(s.replication.lag);
  const links: LinkSpec[] = [];
  for (const from of s.regions) {
    for (const to of s.regions) {
      if (from === to) continue;
      const given = s.replication.links?.find((l) => l.from === from && l.to === to);
      links.push({ from, to, lag: given ? toLag(given.lag) : defaultLag });
    }
  }
  const clockSkew: Record<string, number> = {};
  for (const region of s.regions) clockSkew[region] = s.clocks?.[region] ? durationMs(s.clocks[region].skew) : 0;

  const tables = s.tables?.map(toTableSpec);
  // a retry carries the event it sends again: the one of that id, in a step that runs before it
  // (semantic-checks), wherever the file lists it
  const events = new Map<string, EventSpec>();
  for (const raw of s.steps) if (raw.event && !events.has(raw.event.id)) events.set(raw.event.id, toEvent(raw.event));
  const steps = s.steps.map((raw, index) => toStep(raw, index, tables?.[0]?.name, events)).sort((a, b) => a.at - b.at || a.index - b.index);

  return {
    name,
    file,
    ...(s.description !== undefined ? { description: s.description.trim() } : {}),
    seed: s.seed,
    mode: s.mode,
    regions: [...s.regions],
    ...(s.witness !== undefined ? { witness: s.witness } : {}),
    replication: { links, coalesce: s.replication.coalesce, tieBreak: s.replication.tieBreak, ...(s.replication.simultaneous === 'seeded' ? { simultaneous: 'seeded' as const } : {}), ...(s.replication.unchangedWrites === 'skip' ? { unchangedWrites: 'skip' as const } : {}), ...(s.witness !== undefined ? { witnessLag: defaultLag } : {}) },
    clockSkew,
    indexLagMs: durationMs(s.indexLag),
    ...(durationMs(s.ttlDelay) > 0 ? { ttlDelayMs: durationMs(s.ttlDelay) } : {}),
    ...(tables !== undefined ? { tables } : {}),
    application: {
      strategy: canonicalStrategy(s.application.strategy),
      ...(s.application.strategy !== canonicalStrategy(s.application.strategy) ? { strategyAlias: s.application.strategy } : {}),
      idempotency: s.application.idempotency,
      idempotencyTtlSeconds: s.application.idempotencyTtlSeconds,
      maxRetries: s.application.maxRetries,
      consumerDelay: durationMs(s.application.consumerDelay),
      // absent (0) when calls answer at once, so a scenario without latency reads as before
      ...(durationMs(s.application.requestLatency) > 0 ? { requestLatency: durationMs(s.application.requestLatency) } : {}),
      ...(s.application.module !== undefined ? { module: toUserModule(s, file) } : {}),
      ...(s.application.merge !== undefined ? { merge: { path: resolve(dirname(file), s.application.merge.module), given: s.application.merge.module, function: s.application.merge.function } } : {}),
    },
    steps,
    ...(s.expect ? { expect: toExpectation(s.expect) } : {}),
    ...faultParts(s),
    ...(s.explore ? { explore: { ...EXPLORE_DEFAULTS, ...s.explore } } : {}),
    ...(s.sometimes ? { sometimes: s.sometimes.map(({ name, atLeast, ...condition }) => ({ name, ...toExpectation(condition), ...(atLeast ? { atLeast: { ...atLeast } } : {}) })) } : {}),
  };
}

/** The team's handler module (issue 13): path resolved against the scenario file, defaults applied. */
function toUserModule(s: ScenarioParsed, file: string): UserModuleRef {
  const a = s.application;
  const given = a.module!;
  const latency: Record<string, number> = {};
  for (const region of s.regions) {
    const l = a.latency;
    latency[region] = l === undefined ? DEFAULT_SDK_LATENCY_MS : typeof l === 'object' ? (l[region] !== undefined ? durationMs(l[region]) : DEFAULT_SDK_LATENCY_MS) : durationMs(l);
  }
  const st = a.stream;
  const stream: TableStreamSpec = {
    batchSize: st?.batchSize ?? DEFAULT_BATCH_SIZE.stream,
    maximumRetryAttempts: st?.maximumRetryAttempts ?? -1,
    bisectBatchOnFunctionError: st?.bisectBatchOnFunctionError ?? false,
    retryDelay: st ? durationMs(st.retryDelay) : 1000,
    maximumRecordAge: st && st.maximumRecordAge !== -1 ? durationMs(st.maximumRecordAge) : 24 * 3_600_000,
    maximumBatchingWindow: st ? durationMs(st.maximumBatchingWindow) : 0,
    ...(st?.eventNames ? { eventNames: [...st.eventNames] } : {}),
    reportBatchItemFailures: st?.reportBatchItemFailures ?? true,
    ...(st?.table !== undefined ? { table: st.table } : {}),
  };
  const path = resolve(dirname(file), given);
  return {
    path,
    given,
    handler: a.handler ?? 'handler',
    ...(a.streamHandler !== undefined ? { streamHandler: a.streamHandler } : {}),
    event: a.event ?? 'direct',
    env: Object.fromEntries(Object.entries(a.env ?? {}).map(([k, v]) => [k, String(v)])),
    latency,
    stream,
    functionName: a.functionName ?? (basename(path, extname(path)).replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'handler'),
  };
}

/** Faults, the Lambda and Step Functions set-up, failover, and the lost-event allowance (issue 7). */
function faultParts(s: ScenarioParsed): Pick<Scenario, 'faults' | 'lambda' | 'stepFunctions' | 'failover' | 'expectLost'> {
  const out: Pick<Scenario, 'faults' | 'lambda' | 'stepFunctions' | 'failover' | 'expectLost'> = {};
  if (s.faults?.length) out.faults = s.faults.map(toFault).sort((a, b) => a.at - b.at || a.index - b.index);
  // A team's handler says how its events arrive (application.event); the checks made sure a
  // `lambda.invocation` agrees, so the Lambda set-up follows the event source.
  const userInvocation = s.application.module !== undefined ? USER_EVENT_SOURCES[s.application.event ?? 'direct'] : undefined;
  const lambda = s.lambda ?? (userInvocation !== undefined && userInvocation !== 'direct' ? LAMBDA_DEFAULTS : undefined);
  if (lambda) {
    const l = lambda;
    const invocation = userInvocation ?? l.invocation;
    out.lambda = {
      invocation,
      maximumRetryAttempts: l.maximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS[invocation],
      deadLetterQueue: l.deadLetterQueue,
      timeout: durationMs(l.timeout),
      batchSize: l.batchSize ?? (invocation === 'sqs' ? DEFAULT_BATCH_SIZE.sqs : DEFAULT_BATCH_SIZE.stream),
      visibilityTimeout: durationMs(l.visibilityTimeout),
      maxReceiveCount: l.maxReceiveCount,
      reportBatchItemFailures: l.reportBatchItemFailures,
      bisectBatchOnFunctionError: l.bisectBatchOnFunctionError,
      retryDelay: durationMs(l.retryDelay),
      maximumBatchingWindow: durationMs(l.maximumBatchingWindow),
      // §6.1: -1 retries until the record expires; DynamoDB Streams keeps records 24 hours.
      maximumRecordAge: l.maximumRecordAge !== -1 ? durationMs(l.maximumRecordAge) : 24 * 3_600_000,
    };
  }
  if (s.stepFunctions) {
    const f = s.stepFunctions;
    out.stepFunctions = { type: f.type, stateDuration: durationMs(f.stateDuration), retry: { interval: durationMs(f.retry.interval), maxAttempts: f.retry.maxAttempts, backoffRate: f.retry.backoffRate } };
  }
  if (s.failover) out.failover = { after: durationMs(s.failover.after), ...(s.failover.regions ? { regions: [...s.failover.regions] } : {}) };
  if (s.expect?.lost) out.expectLost = [...s.expect.lost];
  return out;
}

function toFault(raw: NonNullable<ScenarioParsed['faults']>[number], index: number): FaultSpec {
  const at = fixedMs(raw.at);
  const until = raw.until !== undefined ? durationMs(raw.until) : raw.duration !== undefined ? at + durationMs(raw.duration) : undefined;
  const window = { index, at, ...(until !== undefined ? { until } : {}) };
  // The loader has checked that exactly one kind is given.
  const keyword = FAULT_KINDS.find((k) => raw[k] !== undefined)!;
  switch (keyword) {
    case 'pauseReplication': {
      const p = raw.pauseReplication!;
      return {
        ...window,
        kind: 'pause-replication',
        ...(p.region ? { region: p.region } : {}),
        ...(p.from ? { from: p.from } : {}),
        ...(p.to ? { to: p.to } : {}),
        continuesFor: durationMs(p.continuesFor),
      };
    }
    case 'outage':
      return { ...window, kind: 'outage', region: raw.outage!.region };
    case 'lambdaFailure': {
      const f = raw.lambdaFailure!;
      return {
        ...window,
        kind: 'lambda-failure',
        ...(f.region ? { region: f.region } : {}),
        ...(f.event ? { event: f.event } : {}),
        ...(f.attempts ? { attempts: [...f.attempts] } : {}),
        probability: f.probability,
        error: f.error,
        message: f.message ?? (f.error === 'timeout' ? 'Task timed out' : 'injected failure'),
      };
    }
    case 'clockSkew':
      return { ...window, kind: 'clock-skew', region: raw.clockSkew!.region, skew: fixedMs(raw.clockSkew!.skew) };
    default:
      return unknownFault(keyword);
  }
}

/** A fault kind added to the schema without a conversion here fails to compile. */
function unknownFault(keyword: never): never {
  throw new Error(`no conversion for fault kind ${String(keyword)}`);
}

/** A lag in ms: every field but the distribution is a duration, whatever the distribution. */
export function toLag(lag: LagInput): LagSpec {
  const ms = Object.fromEntries(
    Object.entries(lag).map(([field, value]) => [field, field === 'distribution' ? value : Array.isArray(value) ? value.map((v: number | string) => durationMs(v)) : durationMs(value as number | string)]),
  );
  return ms as LagSpec;
}

type RawStep = ScenarioParsed['steps'][number];

/**
 * A time of a concrete input: the loader pins every range (`{ between }`, `{ oneOf }`) before it
 * builds a Scenario (src/explore/ranges.ts), so one left here is a bug in geosim.
 */
function fixedMs(value: number | string | { between: unknown }): number {
  if (typeof value === 'object') throw new Error('internal: a range reached toScenario unpinned');
  return durationMs(value);
}

function fixedRegion(value: string | { oneOf: unknown }): string {
  if (typeof value === 'object') throw new Error('internal: a region choice reached toScenario unpinned');
  return value;
}

function toStep(raw: RawStep, index: number, defaultTable: string | undefined, events: ReadonlyMap<string, EventSpec>): Step {
  const at = fixedMs(raw.at);
  if (raw.event) return { at, index, kind: 'event', event: events.get(raw.event.id) ?? toEvent(raw.event) };
  if (raw.retry) {
    const event = events.get(raw.retry.of);
    if (event === undefined) throw new Error(`internal: retry of "${raw.retry.of}" reached toScenario without its event`);
    return { at, index, kind: 'retry', of: raw.retry.of, region: fixedRegion(raw.retry.region), event };
  }
  const api = expressionStep(raw);
  if (api) return { at, index, kind: 'request', region: api.region, request: toApiRequest(api, defaultTable) };
  if (raw.read) {
    const read = raw.read as ShortReadYaml;
    return {
      at,
      index,
      kind: 'read',
      region: read.region,
      item: read.item,
      consistency: read.consistency,
      ...(read.expect !== undefined ? { expect: canonicalExpected(read.expect as ItemExpectation) } : {}),
    };
  }
  if (raw.put) return { at, index, kind: 'write', region: raw.put.region, op: toPut(raw.put as ShortPutYaml) };
  if (raw.update) return { at, index, kind: 'write', region: raw.update.region, op: toUpdate(raw.update as ShortUpdateYaml) };
  if (raw.delete) return { at, index, kind: 'write', region: raw.delete.region, op: toDelete(raw.delete as ShortDeleteYaml) };
  if (raw.transact) {
    const ops = raw.transact.ops.map((op): WriteOp => ('put' in op ? toPut(op.put) : 'update' in op ? toUpdate(op.update) : toDelete(op.delete)));
    return { at, index, kind: 'transact', region: raw.transact.region, ops };
  }
  if (raw.redrive) {
    return { at, index, kind: 'redrive', ...(raw.redrive.region ? { region: raw.redrive.region } : {}), ...(raw.redrive.events ? { events: [...raw.redrive.events] } : {}) };
  }
  const { name, ...expect } = raw.check!;
  return { at, index, kind: 'check', name: name ?? `check at ${at}ms`, expect: toExpectation(expect) };
}

function withCondition<T extends object>(op: T, condition: ConditionYaml | undefined): T & { condition?: Condition } {
  return condition ? { ...op, condition: toCondition(condition) } : op;
}

function toPut(p: { item: Record<string, unknown>; condition?: ConditionYaml | undefined }): WriteOp {
  return withCondition({ kind: 'put' as const, item: p.item as Item }, p.condition);
}

function toUpdate(u: { id: string; set?: Record<string, unknown> | undefined; add?: Record<string, number> | undefined; condition?: ConditionYaml | undefined }): WriteOp {
  return withCondition(
    {
      kind: 'update' as const,
      id: u.id,
      ...(u.set ? { set: u.set as Record<string, AttributeValue> } : {}),
      ...(u.add ? { add: u.add } : {}),
    },
    u.condition,
  );
}

function toDelete(d: { id: string; condition?: ConditionYaml | undefined }): WriteOp {
  return withCondition({ kind: 'delete' as const, id: d.id }, d.condition);
}

export function toCondition(c: ConditionYaml): Condition {
  if ('notExists' in c) return notExists(c.notExists);
  if ('exists' in c) return exists(c.exists);
  if ('equals' in c) return conjunction(Object.entries(c.equals).map(([k, v]) => equals(k, v as AttributeValue)));
  if ('lessThan' in c) return conjunction(Object.entries(c.lessThan).map(([k, v]) => lessThan(k, v)));
  // Built directly, not spread into and()/or(): a list can hold more entries than a call takes arguments.
  if ('and' in c) return { kind: 'and', all: c.and.map(toCondition) };
  return { kind: 'or', any: c.or.map(toCondition) };
}

function conjunction(conditions: Condition[]): Condition {
  return conditions.length === 1 ? conditions[0]! : { kind: 'and', all: conditions };
}

function toEvent(e: RawStep['event'] & object): EventSpec {
  return {
    id: e.id,
    region: fixedRegion(e.region),
    key: e.key ?? e.id,
    item: e.item,
    data: (e.data ?? {}) as Record<string, AttributeValue>,
    ...(e.add !== undefined ? { add: { ...e.add } } : {}),
    type: e.type,
    domain: e.domain,
    priority: e.priority,
    correlationId: e.correlationId ?? e.id,
  };
}

function toExpectation(e: Omit<ExpectationInput, never>): Expectation {
  const out: Expectation = {};
  if (e.converged !== undefined) out.converged = e.converged;
  if (e.items) out.items = canonicalItems(e.items as Record<string, ItemExpectation>);
  if (e.regions) out.regions = Object.fromEntries(Object.entries(e.regions).map(([region, items]) => [region, canonicalItems(items as Record<string, ItemExpectation>)]));
  if (e.counts) out.counts = e.counts;
  if (e.effects) out.effects = e.effects;
  return out;
}

// Object.fromEntries, not assignment: an id or attribute named `__proto__` stays data (an own key).
function canonicalItems(items: Record<string, ItemExpectation>): Record<string, ItemExpectation> {
  return Object.fromEntries(Object.entries(items).map(([id, item]) => [id, canonicalExpected(item)]));
}

/**
 * An expected item with its tagged values (`{$N: "1E+2"}`, `{$SS: [b, a]}`) as DynamoDB stores them
 * and a read shows them (100; the set in order), so an expectation written the way the scenario
 * wrote the value matches it. Plain maps are walked (they match as subsets); a value DynamoDB would
 * refuse stays as written.
 */
function canonicalExpected(item: ItemExpectation): ItemExpectation {
  if (item === null) return item;
  return canonicalMap(item as Record<string, PlainValue>) as ItemExpectation;
}

function canonicalMap(map: Record<string, PlainValue>): Record<string, PlainValue> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, canonicalPlain(value)]));
}

function canonicalPlain(value: PlainValue): PlainValue {
  if (Array.isArray(value)) return value.map(canonicalPlain);
  if (value === null || typeof value !== 'object') return value;
  if (tagOf(value) === undefined) return canonicalMap(value);
  try {
    return toPlain(normalizeValue(fromPlain(value)));
  } catch {
    return value;
  }
}
