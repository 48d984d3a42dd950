import type { ProcessResult } from '../../app/event-processor.js';
// The context only: the loader (esbuild, the SDK) loads when a scenario names a module (run-scenario.ts).
import { lambdaContext, type LambdaContext } from '../../app/user-module/lambda-context.js';
import { trackedTimers } from '../../app/user-module/module-timers.js';
import { frozenBetweenInvocations, type EnvironmentTimers } from './frozen-timers.js';
import { thrownAt } from '../../app/user-module/thrown-at.js';
import type { EffectCall, RegionServices, UserModuleCode, UserModuleInstance } from '../../app/user-module/types.js';
import { ModuleInitError } from '../../errors.js';
import type { UserModuleRef } from '../../scenario/model.js';
import { MODULE_SCOPE_CAUSE, SQS_BATCH_CAUSE, STREAM_HANDLER_CAUSE, type ColdStartTrace } from '../../trace/events.js';
import type { TraceSink } from '../../trace/recorder.js';
import type { EventJob } from '../lambda/invocation.js';
import type { Substrate } from '../substrate.js';
import { singleEvent, sqsEvent, sqsMessageId, stableId, streamEvent, type StreamRecordInput, type StreamTable } from './event-shapes.js';
import { crashInvocation, enterEvent, environmentScope, invocationEnded, invocationScope, invocationStarted, reportLateErrorsTo, type EnvironmentStore, type HandledEvent, type Invocation, type InvocationStore } from './invocation-scope.js';
import { eventFor } from './batch-attribution.js';
import { PowertoolsRecords } from './powertools-records.js';
import { substrateRequestHandler } from './request-handler.js';
import { WallDeadline } from './wall-deadline.js';
import type { SqsReceived } from '../lambda/sqs-source.js';

/** How one invocation of the team's handler ended. */
export type InvocationEnd =
  | { ok: true; value: unknown }
  | { ok: false; error: 'throw' | 'timeout' | 'function-error'; message: string };

/** What the team's application needs from the run around it. */
export interface UserAppHost {
  substrate: Substrate;
  trace: TraceSink;
  /** The function timeout (lambda.timeout), ms of the run's time. */
  timeoutMs: number;
  /** Epoch ms of the run's time 0 (the clock the events carry). */
  epochMs: number;
  /** Calls `fire` at `at` unless cancelled first; without leaving anything on the agenda once cancelled. */
  deadline(at: number, fire: () => void): () => void;
  /** The scenario's tables, named when the handler asks for one that is not there. */
  tables: readonly string[];
}

/** One SQS message handed to a batch invocation; its times are virtual ms (SqsReceived). */
export type SqsDelivery = SqsReceived;

/** Per message of an SQS batch: what its attempt did, and whether it failed. */
export interface SqsBatchEnd {
  end: InvocationEnd;
  /** Messages the handler reported in batchItemFailures (by job), when the invocation succeeded. */
  failed: Set<EventJob>;
  /**
   * Why the handler's batchItemFailures make the whole batch a failure, when they do: an entry with
   * a null, empty or missing itemIdentifier, one naming no message of the batch, or a list that is
   * not a list (Lambda reads such a response as a complete failure, aws-semantics §6.4).
   */
  invalid?: string;
  effects: Map<EventJob, number>;
}

/**
 * One execution environment of the function: an instance of the module (its module-scope state
 * and clients), busy while an invocation runs in it.
 */
interface Environment {
  instance: UserModuleInstance;
  busy: boolean;
  /** Its invocation timed out, crashed (an uncaught error) or exited: Lambda resets it, so it is not used again. */
  reset: boolean;
  /** Its module's timers: frozen while it runs no invocation, taken back when it is reset. */
  timers: EnvironmentTimers;
  /** The invocation it runs now, if any. */
  current: Invocation | undefined;
  /** When it last stopped working (its last invocation ended): frozen only after that moment. */
  idleSince: number;
  /** What its code sees of it (environmentScope). */
  scope: EnvironmentStore;
}

/**
 * A team's Lambda handler in the middle (issue 13): its module instantiated per region (its
 * module-scope state and clients are that region's, as with one function per region), invoked
 * with the event shapes AWS delivers, its SDK calls answered by the region's replica in the run's
 * time, and what each attempt did credited to the event it was handling.
 *
 * As Lambda runs a function, an invocation goes to an idle execution environment of its region
 * (the one made first, so runs repeat), and one that arrives while every environment there is
 * busy gets a new one: a cold start, whose module scope runs again then (its requests traced
 * `module scope`). Two overlapping invocations never share module-scope state, as they do not on
 * AWS (a logger's appended keys, a request context kept at module level); one after another
 * reuse the warm one, unless it timed out, crashed or exited (see inEnvironment).
 */
export class UserApplication {
  /** Each function's execution environments, by functionKey. */
  private readonly environments = new Map<string, Environment[]>();
  private readonly services = new Map<string, RegionServices>();
  /** The records of Powertools' idempotency utility the function wrote, in every region and environment (one lock, one record). */
  readonly powertools = new PowertoolsRecords();
  private invocations = 0;

  constructor(
    private readonly ref: UserModuleRef,
    private readonly code: UserModuleCode,
    private readonly host: UserAppHost,
    /** Virtual latency of each SDK call (0 on a real backend: its network is real). */
    private readonly latencyOf: (region: string) => number,
  ) {
    // an error of a module scope's leftovers is its environment's region's (not the first region's)
    reportLateErrorsTo((error, invocation) => this.problem(invocation?.region ?? environmentScope.getStore()?.region ?? host.substrate.regions[0]!, invocation?.cause ?? MODULE_SCOPE_CAUSE, 'late-error', this.thrownMessage(error)));
    // the first environment of each region's function is made up front: a module that cannot load fails the run before it starts
    for (const region of host.substrate.regions) this.environments.set(functionKey('handler', region), [this.environment('handler', region, { reason: 'first', environments: 1 })]);
  }

  /**
   * A new execution environment of the function (`handler`, or `stream`: the streamHandler is a
   * function of its own, as two handlers are two Lambda functions, each with its own environments)
   * in `region`. The environments of one function share what the function has: its request
   * handler (and Powertools' locks).
   */
  private environment(fn: FunctionKind, region: string, start: { reason: ColdStartTrace['reason']; environments: number; cause?: string }): Environment {
    const key = functionKey(fn, region);
    // before its module scope runs: the requests traced `module scope` follow it
    const name = fn === 'handler' ? this.name : `${this.ref.given}#${this.ref.streamHandler}`;
    const cause = start.cause !== undefined ? { eventId: start.cause } : {};
    this.host.trace.emit({ kind: 'cold-start', t: this.host.substrate.now, region, function: name, reason: start.reason, ...cause, environments: start.environments });
    let services = this.services.get(key);
    if (services === undefined) {
      services = {
        region,
        dynamodbRequestHandler: substrateRequestHandler(this.host.substrate, region, this.latencyOf(region), this.host.tables, this.powertools),
        recordEffect: (call) => this.recordEffect(region, call),
        onRefusal: (message) => {
          const store = invocationScope.getStore();
          if (store && store.invocation.refusal === undefined) store.invocation.refusal = message;
          this.problem(region, store?.event?.eventId ?? store?.invocation.cause ?? MODULE_SCOPE_CAUSE, 'refused', message);
        },
        onExit: (error) => {
          const store = invocationScope.getStore();
          if (store !== undefined && !store.invocation.ended) store.invocation.exit(error);
        },
      };
      this.services.set(key, services);
    }
    const substrate = this.host.substrate;
    const environment = { busy: false, reset: false, current: undefined, idleSince: substrate.now } as Environment;
    environment.scope = { running: () => environment.current, startedAt: substrate.now, region };
    environment.timers = frozenBetweenInvocations(
      trackedTimers(),
      () => environment.busy,
      // a timer's throw ends the process: the invocation its environment runs fails, whoever set the timer
      (error) => {
        if (!crashInvocation(error)) throw error;
      },
    );
    try {
      const own = { ...services, timers: environment.timers, timerModules: environment.timers.modules };
      // its module scope in its scope: what that leaves behind (a timer, a promise) is the environment's
      environment.instance = environmentScope.run(environment.scope, () => this.code.instantiate(own));
    } catch (error) {
      // a module scope that threw leaves no environment: what it set before it threw goes too
      environment.timers.clearAll();
      throw error;
    }
    return environment;
  }

  /**
   * Runs `invoke` in an idle environment of the function in `region` (a new one when all are busy,
   * or it has none yet), busy until it ends. One whose invocation timed out, crashed or exited is
   * dropped: Lambda resets the environment then, so the next invocation initializes afresh (a
   * cold start).
   */
  private async inEnvironment(fn: FunctionKind, region: string, cause: string, invoke: (environment: Environment) => Promise<InvocationEnd>): Promise<InvocationEnd> {
    const key = functionKey(fn, region);
    let pool = this.environments.get(key);
    const first = pool === undefined;
    if (pool === undefined) this.environments.set(key, (pool = []));
    let environment = pool.find((e) => !e.busy);
    if (environment === undefined) {
      // none idle: all busy, or none left (the last was reset), or the function's first
      const reason = first ? 'first' : pool.length > 0 ? 'busy' : 'reset';
      try {
        environment = this.environment(fn, region, { reason, environments: pool.length + 1, cause });
      } catch (error) {
        // A cold start whose module scope threw: that invocation fails, as an init error fails it
        // on Lambda, and the next one tries again (the first environment's throw stops the run
        // before it starts instead: see the constructor).
        if (!(error instanceof ModuleInitError)) throw error;
        return { ok: false, error: 'throw', message: `the module threw while loading in a new execution environment (a cold start): ${error.thrown}` };
      }
      pool.push(environment);
    }
    environment.busy = true;
    try {
      return await invoke(environment);
    } finally {
      environment.busy = false;
      environment.idleSince = this.host.substrate.now;
      if (environment.reset) {
        pool.splice(pool.indexOf(environment), 1);
        environment.timers.clearAll();
      }
    }
  }

  /** How the trace names the handler: `module#export`. */
  get name(): string {
    return `${this.ref.given}#${this.ref.handler}`;
  }

  get hasStreamHandler(): boolean {
    return this.ref.streamHandler !== undefined;
  }

  /** One client event, delivered directly, through API Gateway or through EventBridge. */
  async invokeEvent(job: EventJob): Promise<ProcessResult> {
    const { spec, region } = job;
    const handled: HandledEvent = { eventId: spec.id, effects: 0 };
    const source = this.ref.event === 'sqs' ? 'direct' : this.ref.event;
    const payload = singleEvent(source, job.envelope, { region, idempotencyKey: spec.key, attempt: job.attempts, at: this.host.epochMs + this.host.substrate.now });
    let end = await this.inEnvironment('handler', region, spec.id, (environment) => this.run(environment, region, spec.id, { invocation: undefined!, event: handled }, (context) => environment.instance.handler(payload, context)));
    // The runtime sends the result as JSON: one that cannot be is the invocation's error.
    if (end.ok) {
      const unsendable = notJson(end.value);
      if (unsendable !== undefined) end = { ok: false, error: 'function-error', message: `the handler's result cannot be sent as JSON (${unsendable})` };
    }
    // A proxy integration's 5xx is the client's failure even though Lambda returned; so is a
    // response API Gateway cannot read, which it answers with 502.
    if (end.ok && source === 'apigateway') {
      const malformed = malformedProxyResponse(end.value);
      // a numeric string is a status code too (AWS's own blueprints answer statusCode: '200')
      const status = Number((end.value as { statusCode?: unknown } | undefined)?.statusCode);
      if (malformed !== undefined) end = { ok: false, error: 'function-error', message: `API Gateway answered HTTP 502: malformed Lambda proxy response (${malformed})` };
      else if (status >= 500) end = { ok: false, error: 'function-error', message: `the handler answered HTTP ${status}` };
    }
    return resultOf(handled.effects, end);
  }

  /** One SQS batch (Lambda's SQS event source); records credit their writes to their own event. */
  async invokeSqsBatch(region: string, deliveries: readonly SqsDelivery[]): Promise<SqsBatchEnd> {
    const handled = deliveries.map((d) => ({ eventId: d.job.spec.id, effects: 0 }));
    const event = sqsEvent(
      // SentTimestamp when the queue got it, ApproximateFirstReceiveTimestamp its first receive (kept through redeliveries)
      deliveries.map((d) => ({ envelope: d.job.envelope, eventId: d.job.spec.id, receiveCount: d.receiveCount, sentAt: this.host.epochMs + d.sentAt, receivedAt: this.host.epochMs + d.firstReceivedAt })),
      region,
      this.ref.functionName,
    );
    // Reading a record's body marks the code that follows as working on that record's event.
    event.Records.forEach((record, i) => {
      const body = record.body;
      Object.defineProperty(record, 'body', {
        enumerable: true,
        configurable: true,
        get() {
          enterEvent(handled[i]!);
          return body;
        },
      });
    });
    const cause = deliveries.length === 1 ? deliveries[0]!.job.spec.id : `${SQS_BATCH_CAUSE} ${deliveries.length}`;
    // several records: a write that names one record's event is that record's (batch-attribution.ts)
    const batch = deliveries.length > 1 ? deliveries.map((d, i) => ({ event: handled[i]!, ids: [d.job.spec.id, d.job.spec.key], items: [d.job.spec.item] })) : undefined;
    const end = await this.inEnvironment('handler', region, cause, (environment) => this.run(environment, region, cause, { invocation: undefined!, event: deliveries.length === 1 ? handled[0] : undefined, batch }, (context) => environment.instance.handler(event, context)));
    const failed = new Set<EventJob>();
    const effects = new Map(deliveries.map((d, i) => [d.job, handled[i]!.effects]));
    if (!end.ok) return { end, failed, effects };
    const reported = batchItemFailures(end.value);
    if ('invalid' in reported) return { end, failed, effects, invalid: reported.invalid };
    const byId = new Map(deliveries.map((d) => [sqsMessageId(d.job.spec.id), d.job]));
    for (const id of reported.ids) {
      const job = byId.get(id);
      // the classic mistake: the order's id or the body's, not the record's messageId
      if (job === undefined) return { end, failed, effects, invalid: `batchItemFailures named ${JSON.stringify(id)}, not the messageId of a message of the batch` };
      failed.add(job);
    }
    return { end, failed, effects };
  }

  /**
   * One batch of the table's stream (the streamHandler), NEW_AND_OLD_IMAGES. `reportsFailures`: the
   * mapping has ReportBatchItemFailures; without it Lambda ignores what the handler returned, so a
   * response naming failures (or a malformed one) is a success (aws-semantics §6.1).
   */
  async invokeStream(region: string, records: readonly StreamRecordInput[], table?: StreamTable, reportsFailures = true): Promise<{ end: InvocationEnd; failedFrom: string | undefined }> {
    const event = streamEvent(records, region, table);
    const cause = `${STREAM_HANDLER_CAUSE} ${region}`;
    const end = await this.inEnvironment('stream', region, cause, (environment) => this.run(environment, region, cause, { invocation: undefined!, event: undefined }, (context) => environment.instance.streamHandler!(event, context)));
    if (!end.ok || !reportsFailures) return { end, failedFrom: undefined };
    const reported = batchItemFailures(end.value);
    if ('invalid' in reported) return { end: { ok: false, error: 'function-error', message: reported.invalid }, failedFrom: undefined };
    // a sequence number that is not the batch's fails the whole batch, whichever other ones came with it
    const inBatch = new Set(records.map((r) => r.sequenceNumber));
    const stranger = [...reported.ids].find((id) => !inBatch.has(id));
    if (stranger !== undefined) return { end: { ok: false, error: 'function-error', message: `batchItemFailures named ${JSON.stringify(stranger)}, not the sequence number of a record of the batch` }, failedFrom: undefined };
    // Lambda retries from the lowest sequence number reported.
    const ids = [...reported.ids].sort();
    return { end, failedFrom: ids[0] };
  }

  /**
   * Runs one invocation: the handler's promise against the function timeout in the run's time. A
   * throw or rejection is a failure with the error's name and message (and where the team's code
   * threw it, see thrownMessage); a call geosim refused fails the invocation even when the handler
   * caught it.
   */
  private async run(environment: Environment, region: string, cause: string, store: InvocationStore, call: (context: LambdaContext) => unknown): Promise<InvocationEnd> {
    const substrate = this.host.substrate;
    const invocation: Invocation = {
      region,
      cause,
      ended: false,
      refusal: undefined,
      crash: () => {},
      exit: () => {},
      label: `${this.name} in ${region} (${cause})`,
      pauseClock: () => {},
      resumeClock: () => {},
      // not at the moment it stopped working: the runtime posts the answer before Lambda freezes it,
      // so a call the code made as it returned (a thawed timer's, one not awaited) still goes out
      frozen: () => environment.reset || (!environment.busy && substrate.now > environment.idleSince),
    };
    environment.current = invocation;
    store.invocation = invocation;
    const awsRequestId = stableId(`invocation ${++this.invocations}`);
    const deadline = substrate.now + this.host.timeoutMs;
    const context = lambdaContext({ functionName: this.ref.functionName, region, awsRequestId, remainingMs: () => Math.max(0, deadline - substrate.now) });
    let end = await new Promise<InvocationEnd>((resolve) => {
      let settled = false;
      const settle = (result: InvocationEnd) => {
        if (settled) return;
        settled = true;
        cancel();
        resolve(result);
      };
      const timedOut = () => {
        environment.reset = true;
        settle({ ok: false, error: 'timeout', message: `Task timed out after ${(this.host.timeoutMs / 1000).toFixed(2)} seconds` });
      };
      let cancel: () => void;
      if (substrate.wallClock) {
        const wall = new WallDeadline(this.host.timeoutMs, timedOut);
        invocation.pauseClock = () => wall.pause();
        invocation.resumeClock = () => wall.resume();
        cancel = () => wall.cancel();
      } else cancel = this.host.deadline(deadline, timedOut);
      invocation.crash = (error) => {
        environment.reset = true;
        settle({ ok: false, error: 'throw', message: `Uncaught ${this.thrownMessage(error)}` });
      };
      invocation.exit = (error) => {
        environment.reset = true;
        settle({ ok: false, error: 'throw', message: this.thrownMessage(error) });
      };
      invocationStarted(invocation);
      environmentScope.run(environment.scope, () => invocationScope.run(store, () => {
        // what its timers missed while it was frozen runs first
        environment.timers.thaw();
        if (settled) return;
        let pending: Promise<unknown>;
        try {
          pending = Promise.resolve(call(context));
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(
          (value) => settle({ ok: true, value }),
          (error: unknown) => {
            // process.exit (process-view.ts): the runtime is gone
            if (error instanceof Error && error.name === 'Runtime.ExitError') environment.reset = true;
            settle({ ok: false, error: 'throw', message: this.thrownMessage(error) });
          },
        );
      }));
    });
    invocation.ended = true;
    if (environment.current === invocation) environment.current = undefined;
    invocationEnded(invocation);
    if (end.ok && invocation.refusal !== undefined) end = { ok: false, error: 'throw', message: invocation.refusal };
    return end;
  }

  /** An error the team's code threw, on one line: its name and message, and where it was thrown when the stack names a file of the team's. */
  private thrownMessage(error: unknown): string {
    if (!(error instanceof Error)) return errorMessage(error);
    const at = thrownAt(error, this.ref.path);
    return at === undefined ? errorMessage(error) : `${errorMessage(error)} (at ${at})`;
  }

  private problem(region: string, eventId: string, problem: 'refused' | 'late-error', message: string): void {
    this.host.trace.emit({ kind: 'handler-problem', t: this.host.substrate.now, region, eventId, problem, message });
  }

  private recordEffect(region: string, call: EffectCall): void {
    const store = invocationScope.getStore();
    const event = store ? eventFor(store, call.input, false) : undefined;
    if (event) event.effects++;
    this.host.trace.emit({
      kind: 'side-effect',
      t: this.host.substrate.now,
      region,
      eventId: event?.eventId ?? store?.invocation.cause ?? MODULE_SCOPE_CAUSE,
      service: call.service,
      operation: call.operation,
    });
  }
}

/** The two functions a module gives: its `handler`'s and its `streamHandler`'s. */
type FunctionKind = 'handler' | 'stream';

function functionKey(fn: FunctionKind, region: string): string {
  return `${fn} ${region}`;
}

/** The event's outcome from what its attempt did: any effect makes it applied (at-most-once counts it). */
export function resultOf(effects: number, end: InvocationEnd): ProcessResult {
  const failure = end.ok ? undefined : { error: end.error, message: end.message };
  // what this attempt did, in words of their own: "effects" is the per-key count of attempts that
  // took effect (counts.effects, expect.effects), which one attempt of several writes raises by one
  const did = `${effects} data ${effects === 1 ? 'write or call' : 'writes or calls'}`;
  if (effects > 0) return { outcome: 'applied', attempts: 1, detail: failure ? `${did}, then ${failure.error}: ${failure.message}` : did, ...(failure ? { failure } : {}) };
  if (failure) return { outcome: 'failed', attempts: 1, detail: `${failure.error}: ${failure.message}`, failure };
  return { outcome: 'duplicate', attempts: 1, detail: 'it wrote no data and made no recorded call: a duplicate, or nothing to do' };
}

/**
 * The identifiers a batch response reports as failed, or why the response fails the whole batch.
 * Lambda reads no response, an empty one, and a null or empty `batchItemFailures` as a complete
 * success; an entry whose `itemIdentifier` is null, empty, missing (a key misspelt) or not a string
 * as a complete failure (services-sqs-errorhandling, services-ddb-batchfailurereporting).
 */
function batchItemFailures(value: unknown): { ids: Set<string> } | { invalid: string } {
  const ids = new Set<string>();
  if (value === null || typeof value !== 'object') return { ids };
  const list = (value as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return { ids };
  if (!Array.isArray(list)) return { invalid: `batchItemFailures is ${describe(list)}, not a list` };
  for (const entry of list as unknown[]) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return { invalid: `an entry of batchItemFailures is ${describe(entry)}, not { itemIdentifier }` };
    if (!Object.hasOwn(entry, 'itemIdentifier')) return { invalid: `an entry of batchItemFailures has no itemIdentifier (keys: ${Object.keys(entry).join(', ') || 'none'})` };
    const id = (entry as { itemIdentifier: unknown }).itemIdentifier;
    if (typeof id !== 'string') return { invalid: `an itemIdentifier in batchItemFailures is ${describe(id)}, not a string` };
    if (id === '') return { invalid: 'an itemIdentifier in batchItemFailures is empty' };
    ids.add(id);
  }
  return { ids };
}

/** A value as an invalid batch response's message names it. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'undefined' ? 'undefined' : `${typeof value} ${String(value)}`;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  if (typeof error === 'string') return error;
  if (typeof error === 'bigint') return `${error}n`;
  try {
    const json = JSON.stringify(error);
    if (json !== undefined) return json;
  } catch {
    // a value JSON cannot hold (a cycle, a BigInt inside, a toJSON that throws): said as its kind,
    // not as the TypeError describing it would raise
  }
  return error !== null && typeof error === 'object' ? Object.prototype.toString.call(error) : String(error);
}

/** Why a handler's result cannot be sent as JSON (a cycle, a BigInt), or undefined when it can. */
function notJson(value: unknown): string | undefined {
  try {
    JSON.stringify(value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

/**
 * What makes a REST API proxy integration's response one API Gateway cannot read (it answers 502
 * "Malformed Lambda proxy response"): not an object, no `statusCode` that is an integer (or a string
 * of one), a `body` that is not a string, `headers` whose values are not strings.
 */
function malformedProxyResponse(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `the handler returned ${value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}, not { statusCode, body }`;
  const response = value as { statusCode?: unknown; body?: unknown; headers?: unknown };
  const status = response.statusCode;
  if (!Number.isInteger(status) && !(typeof status === 'string' && /^\d+$/.test(status))) return status === undefined ? 'no statusCode' : `statusCode ${JSON.stringify(status)} is not an integer`;
  if (response.body !== undefined && response.body !== null && typeof response.body !== 'string') return `body is ${Array.isArray(response.body) ? 'a list' : typeof response.body}, not a string (JSON.stringify it)`;
  if (response.headers !== undefined && response.headers !== null) {
    if (typeof response.headers !== 'object' || Array.isArray(response.headers)) return 'headers is not an object';
    for (const [name, header] of Object.entries(response.headers)) {
      if (typeof header !== 'string' && typeof header !== 'number' && typeof header !== 'boolean') return `header ${name} is ${header === null ? 'null' : typeof header}, not a string`;
    }
  }
  return undefined;
}
