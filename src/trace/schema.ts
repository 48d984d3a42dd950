import { z } from 'zod';
import type { AttributeValue, Item } from './item.js';
import { FAULT_KIND_NAMES, type TraceEvent, type TraceKind } from './events.js';
import { COUNT_NAMES, type CountName } from './count-names.js';
import type { RunReport } from './report.js';

/**
 * A recorded run (`geosim run --format json`, `geosim serve --trace`) as zod schemas, so a file
 * read back is checked before a renderer draws it: what a renderer reads is there, of its type.
 * events.ts and report.ts stay the description of the trace; these schemas are held to them by the
 * compiler (see `_noDrift` below): a kind without a schema, a field missing or added, optional where
 * the type requires it or the other way round, a value of an enum added or removed, fails the build.
 * Items and attribute values are any JSON object and any JSON value: what an item holds is the
 * user's data, which every view shows as it is. Fields a schema does not name are not checked (a
 * newer geosim may add some); a kind it does not know is refused by the reader.
 */

/** Builds the schemas: on first use, as only a command that reads a recorded run needs them (every command loads this module). */
function buildSchemas() {
  const str = z.string();
  const num = z.number();
  const bool = z.boolean();

  /** An item: any object (a `geosim serve` session's tables may key items by other attributes than a string `Id`). */
  const item = z.custom<Item>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'must be an item (an object)');
  const itemOrNull = item.nullable();
  /** Any JSON value is an attribute value. */
  const attributeValue = z.custom<AttributeValue>((v) => v !== undefined);
  const stamp = z.object({ ts: num, region: str });
  const failure = z.object({ name: str, message: str });
  const opt = <T extends z.ZodType>(schema: T) => schema.exactOptional();
  const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values);

  const at = { seq: num, t: num };
  const onTable = { table: opt(str) };
  const request = { cause: opt(str), caller: opt(str) };
  const writeOp = oneOf(['put', 'update', 'delete']);
  /** What every replication-discarded event holds, whatever it lost to. */
  const discarded = {
    ...at,
    ...onTable,
    kind: z.literal('replication-discarded'),
    from: str,
    to: str,
    itemId: str,
    incoming: itemOrNull,
    incomingVersion: stamp,
    heldSince: opt(num),
  };

  const envelope = z.object({
    eventId: str,
    eventTime: str,
    eventType: str,
    correlationId: str,
    domain: str,
    priority: str,
    timeOcurred: str,
    event: z.record(str, z.record(str, attributeValue)),
  });

  const faultKind = z.enum(FAULT_KIND_NAMES);

  /** One schema per trace kind, named by it. */
  const events = {
    'client-event': z.object({
      ...at,
      kind: z.literal('client-event'),
      region: str,
      eventId: str,
      idempotencyKey: str,
      itemId: str,
      attempt: num,
      retryOf: opt(str),
      clientTime: num,
      envelope,
      add: opt(z.record(str, num)),
    }),
    'event-outcome': z.object({
      ...at,
      kind: z.literal('event-outcome'),
      region: str,
      eventId: str,
      idempotencyKey: str,
      itemId: str,
      outcome: oneOf(['applied', 'duplicate', 'superseded', 'failed']),
      attempts: num,
      detail: opt(str),
      handler: opt(str),
    }),
    'local-write': z.object({
      ...at,
      ...onTable,
      kind: z.literal('local-write'),
      region: str,
      itemId: str,
      op: writeOp,
      before: itemOrNull,
      after: itemOrNull,
      version: stamp,
      ...request,
      transaction: opt(str),
      expired: opt(z.literal(true)),
      answeredAt: opt(num),
      unchanged: opt(z.literal(true)),
    }),
    'condition-failed': z.object({
      ...at,
      ...onTable,
      kind: z.literal('condition-failed'),
      region: str,
      itemId: str,
      condition: str,
      current: itemOrNull,
      ...request,
      transaction: opt(str),
    }),
    'operation-failed': z.object({
      ...at,
      ...onTable,
      kind: z.literal('operation-failed'),
      region: str,
      itemId: str,
      op: writeOp,
      error: failure,
      current: itemOrNull,
      ...request,
      transaction: opt(str),
    }),
    'replication-sent': z.object({ ...at, ...onTable, kind: z.literal('replication-sent'), from: str, to: str, itemId: str, version: stamp, arrivesAt: num }),
    'replication-applied': z.object({
      ...at,
      ...onTable,
      kind: z.literal('replication-applied'),
      from: str,
      to: str,
      itemId: str,
      before: itemOrNull,
      after: itemOrNull,
      version: stamp,
      replacedVersion: opt(stamp),
      conflict: bool,
      heldSince: opt(num),
      fromQuorum: opt(z.literal(true)),
    }),
    // lost to last-writer-wins (what it lost to is kept), or dropped with its deleted table
    'replication-discarded': z.discriminatedUnion('reason', [
      z.object({ ...discarded, kept: itemOrNull, keptVersion: stamp, reason: oneOf(['older', 'tie-lost']), conflict: bool, fromQuorum: opt(z.literal(true)) }),
      z.object({ ...discarded, reason: z.literal('table-deleted'), conflict: z.literal(false) }),
    ]),
    'replication-coalesced': z.object({ ...at, ...onTable, kind: z.literal('replication-coalesced'), from: str, to: str, itemId: str, dropped: stamp, by: stamp }),
    'conflict-repaired': z.object({ ...at, kind: z.literal('conflict-repaired'), region: str, itemId: str, winner: item, loser: item }),
    'conflict-resolved': z.object({
      ...at,
      kind: z.literal('conflict-resolved'),
      region: str,
      itemId: str,
      by: oneOf(['service', 'application']),
      strategy: str,
      versions: z.tuple([itemOrNull, itemOrNull]),
      result: itemOrNull,
    }),
    read: z.object({
      ...at,
      ...onTable,
      kind: z.literal('read'),
      region: str,
      itemId: str,
      consistency: oneOf(['eventual', 'strong']),
      item: itemOrNull,
      request: opt(
        z.object({
          operation: oneOf(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']),
          table: str,
          index: opt(str),
          keyCondition: opt(str),
          filter: opt(str),
          projection: opt(str),
          values: opt(item),
        }),
      ),
      items: opt(z.array(item)),
      count: opt(num),
      error: opt(failure),
      ...request,
      askedAt: opt(num),
    }),
    checkpoint: z.object({ ...at, kind: z.literal('checkpoint'), name: str, passed: bool }),
    'fault-started': z.object({
      ...at,
      kind: z.literal('fault-started'),
      fault: faultKind,
      index: num,
      description: str,
      regions: z.array(str),
      until: opt(num),
      effectiveAt: opt(num),
    }),
    'fault-ended': z.object({ ...at, kind: z.literal('fault-ended'), fault: faultKind, index: num, description: str, regions: z.array(str), released: opt(num) }),
    'replication-held': z.object({ ...at, ...onTable, kind: z.literal('replication-held'), from: str, to: str, itemId: str, version: stamp }),
    'request-rejected': z.object({
      ...at,
      kind: z.literal('request-rejected'),
      region: str,
      eventId: str,
      request: opt(str),
      reason: z.literal('region-outage'),
      failoverTo: opt(str),
      failoverAt: opt(num),
    }),
    'lambda-attempt-failed': z.object({
      ...at,
      kind: z.literal('lambda-attempt-failed'),
      region: str,
      invocation: oneOf(['direct', 'async', 'stream', 'step-functions', 'sqs', 'table-stream', 'redrive']),
      eventIds: z.array(str),
      attempt: num,
      error: oneOf(['throw', 'timeout', 'function-error']),
      message: str,
    }),
    'lambda-retry-scheduled': z.object({
      ...at,
      kind: z.literal('lambda-retry-scheduled'),
      region: str,
      invocation: oneOf(['async', 'stream', 'step-functions', 'sqs', 'table-stream']),
      eventIds: z.array(str),
      attempt: num,
      at: num,
      bisected: opt(bool),
    }),
    'dead-lettered': z.object({
      ...at,
      kind: z.literal('dead-lettered'),
      region: str,
      eventId: str,
      idempotencyKey: str,
      itemId: str,
      source: oneOf(['async', 'stream', 'step-functions', 'sqs']),
      error: str,
      attempts: num,
      metadataOnly: bool,
    }),
    'event-lost': z.object({ ...at, kind: z.literal('event-lost'), region: str, eventId: str, reason: str }),
    'stream-records-discarded': z.object({
      ...at,
      kind: z.literal('stream-records-discarded'),
      region: str,
      records: z.array(str),
      firstSequenceNumber: str,
      lastSequenceNumber: str,
      reason: oneOf(['RetryAttemptsExhausted', 'record-expired']),
      attempts: num,
      error: str,
    }),
    redriven: z.object({ ...at, kind: z.literal('redriven'), region: str, eventId: str }),
    'redrive-empty': z.object({ ...at, kind: z.literal('redrive-empty'), region: opt(str), eventIds: z.array(str) }),
    'execution-started': z.object({ ...at, kind: z.literal('execution-started'), region: str, workflow: oneOf(['standard', 'express']), name: str, executionId: str, eventId: str }),
    'execution-deduplicated': z.object({ ...at, kind: z.literal('execution-deduplicated'), region: str, name: str, executionId: str, eventId: str }),
    'execution-rejected': z.object({
      ...at,
      kind: z.literal('execution-rejected'),
      region: str,
      name: str,
      executionId: str,
      eventId: str,
      error: z.literal('ExecutionAlreadyExists'),
      reason: oneOf(['different-input', 'closed']),
    }),
    'state-entered': z.object({ ...at, kind: z.literal('state-entered'), region: str, executionId: str, eventId: str, state: str }),
    'execution-closed': z.object({ ...at, kind: z.literal('execution-closed'), region: str, executionId: str, eventId: str, status: oneOf(['SUCCEEDED', 'FAILED']) }),
    'clock-skew-changed': z.object({ ...at, kind: z.literal('clock-skew-changed'), region: str, from: num, to: num }),
    'side-effect': z.object({ ...at, kind: z.literal('side-effect'), region: str, eventId: str, service: oneOf(['sqs', 'sns', 'eventbridge']), operation: str }),
    'handler-problem': z.object({ ...at, kind: z.literal('handler-problem'), region: str, eventId: str, problem: oneOf(['refused', 'late-error']), message: str }),
    'sdk-retry': z.object({ ...at, kind: z.literal('sdk-retry'), region: str, itemId: str, error: failure, attempt: num, delayMs: num }),
    'cold-start': z.object({ ...at, kind: z.literal('cold-start'), region: str, function: str, reason: oneOf(['first', 'busy', 'reset']), eventId: opt(str), environments: num }),
  } satisfies { [K in TraceKind]: z.ZodType };

  const counts = z.object({
    ...(Object.fromEntries(COUNT_NAMES.map((name) => [name, num])) as Record<CountName, typeof num>),
    effects: z.record(str, num),
  });

  const assertionFields = { name: str, passed: bool, expected: z.unknown(), actual: z.unknown(), at: opt(num), detail: opt(str) };

  /**
   * One run of a recorded JSON document, its trace aside (each event is checked on its own against
   * the event schemas, so a bad one is named by its index and kind): the RunReport as
   * `jsonChunks` writes it, the lag in words (the reader parses them).
   */
  const run = z.object({
    scenario: z.object({ name: str, file: str, description: opt(str) }),
    seed: num,
    mode: oneOf(['mrec', 'mrsc']),
    strategy: str,
    idempotency: str,
    regions: z.array(str),
    witness: opt(str),
    lag: z.array(str),
    delivery: opt(oneOf(['async', 'stream', 'sqs', 'eventbridge', 'step-functions'])),
    backend: str,
    // each event is checked on its own (by the event schemas): here only that it is a list, not copied
    trace: z.custom<unknown[]>((v) => Array.isArray(v), 'must be a list'),
    final: z.record(str, z.record(str, item)),
    records: opt(z.array(str)),
    tables: opt(z.record(str, z.record(str, z.record(str, item)))),
    counts,
    assertions: z.array(
      z.discriminatedUnion('source', [
        z.object({ ...assertionFields, source: z.literal('check'), check: str }),
        z.object({ ...assertionFields, source: oneOf(['expectation', 'step', 'invariant', 'limit']) }),
      ]),
    ),
    endedAt: num,
    stopped: opt(
      z.discriminatedUnion('limit', [
        z.object({ limit: z.literal('horizon'), at: num, horizon: num, scriptedEnd: num, nextDue: num }),
        z.object({ limit: z.literal('trace-events'), at: num, maxTraceEvents: num }),
        z.object({ limit: z.literal('sync-limit'), at: num, syncLimit: num, handler: str }),
      ]),
    ),
    drawn: opt(z.record(str, z.union([num, str]))),
    sometimes: opt(z.array(z.object({ name: str, hit: bool }))),
  });
  return { events, run };
}

/** The schemas of a recorded run: `events`, one per trace kind, named by it; `run`, a run's own fields. */
export type RecordedSchemas = ReturnType<typeof buildSchemas>;
let built: RecordedSchemas | undefined;

/** The schemas, built once, on first use. */
export function recordedSchemas(): RecordedSchemas {
  return (built ??= buildSchemas());
}

// ---- fast: a check compiled from a schema ----------------------------------------------------------

/** Whether a value passes a schema, without zod's copy of it: a recorded run has millions of events. */
export type Check = (value: unknown) => boolean;

/**
 * A schema made a plain function: the same answer as `schema.safeParse(v).success` for any value
 * JSON.parse gives (test/trace/schema.test.ts holds them to it), an order of magnitude faster, as it
 * builds no output and no issue: the reader asks zod only for the words of a value that fails here.
 * Each object, list and map of the schema becomes a function of its own, written out field by field
 * (`v.region`), so each reads one shape of object; one function walking every schema would read
 * every shape and be several times slower. Where code cannot be generated (node
 * --disallow-code-generation-from-strings), the same checks as closures. Only the schema forms this
 * file uses compile; another (a refinement, say, which would be dropped) throws when compiled.
 */
export function compileCheck(schema: z.core.$ZodType, how: { generated: boolean } = { generated: true }): Check {
  if (!how.generated) return closureCheck(schema);
  try {
    return generatedCheck(schema);
  } catch (error) {
    if (error instanceof EvalError) return closureCheck(schema);
    throw error;
  }
}

/** A schema's def, its form checked as one compileCheck takes. */
function defOf(schema: z.core.$ZodType): z.core.$ZodTypeDef & Record<string, unknown> {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const checks = def.checks as unknown[] | undefined;
  if (checks !== undefined && checks.length > 0) throw new Error(`compileCheck: a ${def.type} with refinements does not compile`);
  if (def.type === 'tuple' && def.rest !== null) throw new Error('compileCheck: a tuple with a rest does not compile');
  if (def.type === 'record' && (def.keyType as z.core.$ZodType)._zod.def.type !== 'string') throw new Error('compileCheck: a record of other keys than strings does not compile');
  if (def.type === 'object' && def.catchall !== undefined) throw new Error('compileCheck: an object with a catchall does not compile');
  if (!['string', 'number', 'boolean', 'unknown', 'literal', 'enum', 'custom', 'optional', 'nullable', 'array', 'tuple', 'record', 'object', 'union'].includes(def.type)) {
    throw new Error(`compileCheck: a schema of type ${def.type} does not compile`);
  }
  return def;
}

function literalValues(def: Record<string, unknown>): unknown[] {
  return def.type === 'literal' ? (def.values as unknown[]) : Object.values(def.entries as object);
}

/** compileCheck by generated code: a function per object, list and map, the rest inline. */
function generatedCheck(schema: z.core.$ZodType): Check {
  // what the generated code calls: custom checks, and the functions of nested objects, lists and maps
  const called: unknown[] = [];
  const call = (fn: unknown) => `h[${called.push(fn) - 1}]`;
  const fn = (body: string): Check => new Function('h', `"use strict"; return function check(v) { ${body} };`)(called) as Check;
  let locals = 0;
  const expr = (s: z.core.$ZodType, v: string): string => {
    const def = defOf(s);
    switch (def.type) {
      case 'string':
        return `typeof ${v} === "string"`;
      case 'number':
        return `(typeof ${v} === "number" && ${v} - ${v} === 0)`;
      case 'boolean':
        return `typeof ${v} === "boolean"`;
      case 'unknown':
        return 'true';
      case 'literal':
      case 'enum':
        return `(${literalValues(def).map((value) => `${v} === ${JSON.stringify(value)}`).join(' || ')})`;
      case 'custom':
        return `${call(def.fn)}(${v}) === true`;
      case 'optional':
        return `(${v} === undefined || ${expr(def.innerType as z.core.$ZodType, v)})`;
      case 'nullable':
        return `(${v} === null || ${expr(def.innerType as z.core.$ZodType, v)})`;
      case 'union':
        return `(${(def.options as z.core.$ZodType[]).map((o) => expr(o, v)).join(' || ')})`;
      case 'tuple': {
        const items = def.items as z.core.$ZodType[];
        return `(Array.isArray(${v}) && ${v}.length === ${items.length}${items.map((item, i) => ` && ${expr(item, `${v}[${i}]`)}`).join('')})`;
      }
      default:
        return `${call(nested(s))}(${v})`;
    }
  };
  const nested = (s: z.core.$ZodType): Check => {
    const def = defOf(s);
    const x = `x${locals++}`;
    switch (def.type) {
      case 'array':
        return fn(`if (!Array.isArray(v)) return false; for (let i = 0; i < v.length; i++) { const ${x} = v[i]; if (!(${expr(def.element as z.core.$ZodType, x)})) return false; } return true;`);
      case 'record':
        return fn(
          `if (v === null || typeof v !== "object" || Array.isArray(v)) return false; for (const k in v) { if (!Object.hasOwn(v, k)) continue; const ${x} = v[k]; if (!(${expr(def.valueType as z.core.$ZodType, x)})) return false; } return true;`,
        );
      case 'object': {
        const fields = Object.entries(def.shape as Record<string, z.core.$ZodType>).map(([key, field]) => {
          const name = JSON.stringify(key);
          // exactOptional: absent, or of its type (not undefined, as zod has it; JSON holds none)
          if (isExactOptional(field)) return `${x} = v[${name}]; if (${x} === undefined ? ${name} in v : !(${expr(innerOf(field), x)})) return false;`;
          return `${x} = v[${name}]; if (!(${expr(field, x)})) return false;`;
        });
        return fn(`if (v === null || typeof v !== "object" || Array.isArray(v)) return false; let ${x}; ${fields.join(' ')} return true;`);
      }
      default: {
        const inline = expr(s, 'v');
        return fn(`return ${inline};`);
      }
    }
  };
  return nested(schema);
}

/** compileCheck by closures, where no code may be generated: the same checks, slower. */
function closureCheck(schema: z.core.$ZodType): Check {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'unknown':
      return () => true;
    case 'literal':
    case 'enum': {
      const values = new Set<unknown>(literalValues(def));
      return (v) => values.has(v);
    }
    case 'custom': {
      const fn = def.fn as (v: unknown) => unknown;
      return (v) => fn(v) === true;
    }
    case 'optional': {
      const inner = closureCheck(def.innerType as z.core.$ZodType);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = closureCheck(def.innerType as z.core.$ZodType);
      return (v) => v === null || inner(v);
    }
    case 'array': {
      const element = closureCheck(def.element as z.core.$ZodType);
      return (v) => Array.isArray(v) && v.every((e) => element(e));
    }
    case 'tuple': {
      const items = (def.items as z.core.$ZodType[]).map(closureCheck);
      return (v) => Array.isArray(v) && v.length === items.length && items.every((check, i) => check(v[i]));
    }
    case 'record': {
      const value = closureCheck(def.valueType as z.core.$ZodType);
      return (v) => isObject(v) && Object.values(v).every((e) => value(e));
    }
    case 'object': {
      const fields = Object.entries(def.shape as Record<string, z.core.$ZodType>).map(([key, field]) => {
        if (!isExactOptional(field)) return [key, closureCheck(field)] as const;
        const inner = closureCheck(innerOf(field));
        return [key, (v: unknown, object: object) => (v === undefined ? !(key in object) : inner(v))] as const;
      });
      return (v) => isObject(v) && fields.every(([key, check]) => check((v as Record<string, unknown>)[key], v));
    }
    default: {
      const options = (def.options as z.core.$ZodType[]).map(closureCheck);
      return (v) => options.some((check) => check(v));
    }
  }
}

function innerOf(schema: z.core.$ZodType): z.core.$ZodType {
  return (schema._zod.def as z.core.$ZodTypeDef & { innerType: z.core.$ZodType }).innerType;
}

function isExactOptional(schema: z.core.$ZodType): boolean {
  return schema._zod.traits.has('$ZodExactOptional');
}

function isObject(v: unknown): v is object {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

let eventChecks: Record<TraceKind, Check> | undefined;
let runCheck: Check | undefined;

/** The event schemas compiled, by kind, on first use. */
export function traceEventChecks(): Record<TraceKind, Check> {
  return (eventChecks ??= Object.fromEntries(Object.entries(recordedSchemas().events).map(([kind, schema]) => [kind, compileCheck(schema)])) as Record<TraceKind, Check>);
}

/** The run's schema compiled, on first use. */
export function recordedRunCheck(): Check {
  return (runCheck ??= compileCheck(recordedSchemas().run));
}

// ---- held to the types: a schema that drifts from events.ts or report.ts does not compile --------

/** true when A and B are one type, at every depth: the same fields, optional the same, of the same types. */
type Same<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;
/** A type with its intersections merged, at every depth (`Omit<X, 'a'> & { a: … }` is then the object it means). */
type Flat<T> = T extends object ? { [K in keyof T]: Flat<T[K]> } : T;
type EventOf<K extends TraceKind> = Extract<TraceEvent, { kind: K }>;
/** The kinds whose schema says other than events.ts: never, or the build fails below. */
type DriftedKinds = { [K in TraceKind]: Same<z.output<RecordedSchemas['events'][K]>, EventOf<K>> extends true ? never : K }[TraceKind];
type RecordedRun = Omit<RunReport, 'lag' | 'trace'> & { lag: string[]; trace: unknown[] };
type RunDrifted = Same<z.output<RecordedSchemas['run']>, RecordedRun>;
// A kind named here is one whose schema and type disagree (or a kind of TraceEvent with no schema:
// `satisfies` above names it); the run's schema the same for RunReport.
const _noDrift: { kinds: [DriftedKinds] extends [never] ? 'none' : DriftedKinds; run: RunDrifted } = { kinds: 'none', run: true };
void _noDrift;
