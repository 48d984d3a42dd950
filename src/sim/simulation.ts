import { ConflictResolver } from '../app/conflict-resolver.js';
import { envelopeFor } from '../app/envelope.js';
import type { AppEvent } from '../app/event.js';
import { homeRegion } from '../app/home-region.js';
import { EventProcessor } from '../app/event-processor.js';
import { createRepairConsumer, mayNeedRepair } from '../app/repair-consumer.js';
import { createMergeConsumer } from '../app/merge-consumer.js';
import { mergeItems, type DataMerge } from '../app/merges.js';
import { isMergeStrategy, type MergeStrategy } from '../app/strategies.js';
import { canonicalItem, isIdempotencyRecordId, type Item } from '../app/item.js';
import { SCENARIO_TABLE } from './replica.js';
import { writeOpId, type TablePort } from '../app/table-port.js';
import type { EventSpec, Scenario, Step } from '../scenario/model.js';
import type { AssertionResult } from '../trace/report.js';
import { CONSUMER_CAUSES, MERGE_FUNCTION_ERROR, stepPath, type ClientEventTrace, type EventOutcomeTrace, type TraceEvent } from '../trace/events.js';
import type { TraceSink } from '../trace/recorder.js';
import type { ProcessResult } from '../app/event-processor.js';
import { ClientClocks } from './faults/client-clocks.js';
import { failoverTarget } from './faults/failover.js';
import { FaultSchedule } from './faults/fault-schedule.js';
import { EventEntry } from './lambda/event-entry.js';
import type { EventJob, LambdaContext } from './lambda/invocation.js';
import { LatentPort } from './latent-port.js';
import { SDK_RETRY_STREAM, SdkRetryPort } from './sdk-retry.js';
import { performRequestStep, requestAssertionName, type RequestStepContext } from './steps/request-steps.js';
import type { StepChecks } from './steps/step-checks.js';
import { performTableStep, type TableStepContext } from './steps/table-steps.js';
import { resultOf, UserApplication, type InvocationEnd, type UserAppHost } from './user-app/user-application.js';
import { SQS_DEFAULTS, type SqsBatchResult } from './lambda/sqs-source.js';
import { TableStreamSource, type StreamBatchResult, type TableStreamRecord } from './lambda/table-stream-source.js';
import type { UserModuleCode } from '../app/user-module/types.js';
import type { StreamChange, Substrate } from './substrate.js';
import { primaryTable, scenarioTables } from './tables.js';
import type { StreamTable } from './user-app/event-shapes.js';
import type { SqsReceived } from './lambda/sqs-source.js';

/** A task that does nothing: a consumer invocation that would drop its record at once. */
const NOTHING = (): void => {};

/** Client clocks start here (2026-01-01T00:00:00Z), so envelopes carry realistic, repeatable times. */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

export interface SimulationOptions {
  /** How steps' expectations are judged (src/check's stepChecks). */
  checks: StepChecks;
  /** The trace so far, when kept: timed checks count from it. */
  traceSoFar?: () => readonly TraceEvent[];
  /** The `custom` strategy's merge function, loaded (scenario.application.merge). */
  mergeFunction?: DataMerge;
  /** The team's handler module, loaded (scenario.application.module): it replaces the built-in application. */
  userModule?: UserModuleCode;
}

/**
 * A scenario run on a substrate (the model or DynamoDB), written once: one EventProcessor per
 * region over its table, (client-lww) a repair consumer on every region's stream, Lambda
 * invocation and retries, dead-letter queues and redrive, Step Functions, faults and failover, and
 * the steps. Steps are handed in by the driver, so a generated workload can be fed lazily.
 */
export class Simulation {
  readonly assertions: AssertionResult[] = [];
  private readonly tables = new Map<string, TablePort>();
  private readonly processors = new Map<string, EventProcessor>();
  /**
   * Attempts of the events sent more than once (retries, failovers); any other has had one. A run
   * keeps nothing of the other events it sent: a retry step carries the event it resends, and a
   * map of every event sent was a fortieth of a long run's time and a tenth of what it held.
   */
  private readonly attempts = new Map<string, number>();
  /** Faults and failure paths (issue 7): client clocks that can jump, the fault timeline, and the way events reach the processor. */
  private readonly clocks: ClientClocks;
  readonly faults: FaultSchedule;
  readonly entry: EventEntry;
  private readonly checks: StepChecks;
  private readonly traceSoFar: () => readonly TraceEvent[];
  private readonly tableSteps: TableStepContext;
  private readonly requestSteps: RequestStepContext;
  /** The team's own handler, when the scenario names a module (issue 13). */
  private readonly userApp: UserApplication | undefined;

  constructor(
    readonly substrate: Substrate,
    private readonly scenario: Scenario,
    private readonly trace: TraceSink,
    options: SimulationOptions,
  ) {
    this.checks = options.checks;
    this.traceSoFar = options.traceSoFar ?? (() => []);
    const app = scenario.application;
    if (app.module) {
      if (!options.userModule) throw new Error(`the module ${app.module.given} was not loaded before the run`);
      this.userApp = new UserApplication(app.module, options.userModule, userAppHost(substrate, trace, scenario), (region) => (substrate.wallClock ? 0 : app.module!.latency[region] ?? 0));
    }
    const latency = app.requestLatency ?? 0;
    for (const region of scenario.regions) {
      const port = substrate.port(region);
      this.tables.set(region, latency > 0 ? new LatentPort(port, substrate, latency) : port);
    }
    const homeTable = (key: string) => this.tables.get(homeRegion(key, scenario.regions))!;
    // MRSC: the built-in application's client retries a refused write as the SDK does (sdk-retry.ts).
    const sdkRetries = scenario.mode === 'mrsc' ? substrate.random.stream(SDK_RETRY_STREAM) : undefined;
    for (const [region, table] of this.userApp ? [] : this.tables) {
      this.processors.set(
        region,
        new EventProcessor({
          table: sdkRetries ? new SdkRetryPort(table, substrate, trace, sdkRetries) : table,
          ...(scenario.mode === 'mrsc' ? { consistency: 'mrsc' as const } : {}),
          strategy: app.strategy,
          idempotency: { mode: app.idempotency, ttlSeconds: app.idempotencyTtlSeconds, homeTable },
          maxRetries: app.maxRetries,
          // The processor's own clock (no client skew): idempotency records expire from when they were written.
          now: () => EPOCH_MS + substrate.now,
          merge: options.mergeFunction,
        }),
      );
    }
    // The repair consumer reads GlobalEventTable's stream: a scenario with its own tables has none.
    if (app.strategy === 'client-lww' && !this.userApp && scenario.tables === undefined) this.wireRepairConsumers(app.consumerDelay);
    if (isMergeStrategy(app.strategy) && !this.userApp && scenario.tables === undefined) this.wireMergeConsumers(app.strategy, app.consumerDelay, options.mergeFunction);
    this.clocks = new ClientClocks(scenario.clockSkew);
    this.faults = new FaultSchedule(scenario.faults ?? [], substrate, trace, this.clocks, scenario.witness);
    this.faults.start();
    const userApp = this.userApp;
    this.entry = new EventEntry(scenario, substrate, trace, this.faults, { process: (job) => this.process(job), processed: (job, result) => this.processed(job, result) }, userApp ? (region, messages, ctx) => this.userSqsBatch(userApp, region, messages, ctx) : undefined);
    if (userApp?.hasStreamHandler) {
      const stream = app.module!.stream;
      // The handler gets one table's stream: the scenario's (the first declared) or application.stream.table.
      const spec = stream.table !== undefined ? scenarioTables(scenario).find((t) => t.name === stream.table)! : primaryTable(scenario);
      const named = spec.name === primaryTable(scenario).name ? undefined : spec.name;
      const table: StreamTable = { name: spec.name, keyNames: spec.keyNames };
      const oneTable: Pick<Substrate, 'onStream' | 'regions'> = {
        regions: substrate.regions,
        onStream: (region, listener) => substrate.onStream(region, (change) => (change.table === named ? listener(change) : undefined)),
      };
      new TableStreamSource({ world: substrate, trace }, stream, (region, records) => this.userStreamBatch(userApp, region, records, table, stream.reportBatchItemFailures)).attach(oneTable);
    }
    this.tableSteps = this.tableStepContext();
    this.requestSteps = this.requestStepContext();
  }

  private wireRepairConsumers(delay: number): void {
    const resolver = new ConflictResolver();
    this.consumeDataItemChanges(
      delay,
      CONSUMER_CAUSES.repair,
      (table) => {
        const consume = createRepairConsumer(table, resolver);
        return async (region, record) => {
          const repair = await consume(record);
          if (repair) this.trace.emit({ kind: 'conflict-repaired', t: this.substrate.now, region, itemId: record.itemId, winner: repair.winner, loser: repair.loser });
        };
      },
      mayNeedRepair,
    );
  }

  /**
   * A merge strategy's stream consumer in every region (merge-consumer.ts), filtered and delayed as
   * the client-lww repair consumer is. A merge that throws (a team's `custom` function) fails that
   * invocation: traced as an operation failure of the item, the run goes on.
   */
  private wireMergeConsumers(strategy: MergeStrategy, delay: number, custom: DataMerge | undefined): void {
    const merge = (a: Item, b: Item) => mergeItems(strategy, a, b, custom);
    this.consumeDataItemChanges(delay, CONSUMER_CAUSES.merge, (table) => {
      const consume = createMergeConsumer(table, merge);
      return async (region, record) => {
        try {
          const merged = await consume(record);
          // In canonical attribute order: every backend returns an item's attributes in its own order.
          if (merged) this.trace.emit({ kind: 'conflict-resolved', t: this.substrate.now, region, itemId: record.itemId, by: 'application', strategy, versions: [canonicalItem(merged.versions[0]), canonicalItem(merged.versions[1])], result: canonicalItem(merged.result) });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.trace.emit({ kind: 'operation-failed', t: this.substrate.now, region, itemId: record.itemId, op: 'put', error: { name: MERGE_FUNCTION_ERROR, message }, current: record.newImage ?? null, cause: `${CONSUMER_CAUSES.merge} ${record.itemId}` });
        }
      };
    });
  }

  /**
   * A stream consumer of the scenario's data items in every region, as its Lambda's event filter
   * has it: MODIFY records of data items only (inserts, deletes and idempotency records never need
   * a repair or a merge, so they never invoke it), `delay` after the change, and in a region that
   * is down only once it returns (issue 7 outages). Its writes name `<label> <item>` as their cause.
   */
  private consumeDataItemChanges(
    delay: number,
    label: string,
    consumerFor: (table: TablePort) => (region: string, record: StreamChange & { oldImage: Item; newImage: Item }) => Promise<void>,
    /** The consumer's own first check, a function of the record alone: a record it drops is still an invocation at its time, that does nothing. */
    mayAct?: (record: StreamChange) => boolean,
  ): void {
    const substrate = this.substrate;
    for (const [region, table] of this.tables) {
      const consume = consumerFor(table);
      substrate.onStream(region, (record) => {
        if (!record.oldImage || !record.newImage || record.table !== undefined || isIdempotencyRecordId(record.itemId)) return;
        if (mayAct !== undefined && !mayAct(record)) {
          // kept on the agenda (the run's timeline and a seeded order of simultaneous tasks are as before), without the invocation
          substrate.schedule((record.at ?? substrate.now) + delay, NOTHING);
          return;
        }
        const change = record as StreamChange & { oldImage: Item; newImage: Item };
        substrate.schedule((record.at ?? substrate.now) + delay, () =>
          substrate.whenUp(region, async () => {
            substrate.cause = `${label} ${record.itemId}`;
            substrate.caller = region;
            try {
              await consume(region, change);
            } finally {
              substrate.cause = undefined;
              substrate.caller = undefined;
            }
          }),
        );
      });
    }
  }

  /** What the table-step interpreter needs. */
  private tableStepContext(): TableStepContext {
    return {
      port: (region) => this.tables.get(region)!,
      now: () => this.substrate.now,
      emit: (event) => this.trace.emit(event),
      setCause: (cause) => {
        this.substrate.cause = cause;
      },
      snapshot: () => this.snapshot(),
      trace: () => this.traceSoFar(),
      assertions: this.assertions,
      checks: this.checks,
    };
  }

  /**
   * Runs one step at the current virtual time: a promise, or nothing for a step done at once. Not an
   * async function: a step is most often an event, whose send is a promise already (an async
   * wrapper adopting it added a promise and microtask turns per event of a run); a step that fails
   * rejects, as before.
   */
  perform(step: Step): void | Promise<void> {
    const substrate = this.substrate;
    try {
      // Fault transitions due now happen before the step (an outage at 1s refuses a request at 1s).
      this.faults.catchUp(substrate.now);
      // A resumed link's held writes land before the step, on a backend where that takes requests.
      const settling = substrate.settle();
      if (settling) return settling.then(() => this.performSettled(step));
      return this.performSettled(step);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `perform` once the substrate has settled. */
  private performSettled(step: Step): void | Promise<void> {
    const substrate = this.substrate;
    if ((step.kind === 'read' || step.kind === 'write' || step.kind === 'transact' || step.kind === 'request') && substrate.isRegionDown(step.region)) return this.rejectStep(step);
    switch (step.kind) {
      case 'event':
        return this.send(step.event, step.event.region, 1);
      case 'retry':
        return this.send(step.event, step.region, this.nextAttempt(step.of), step.of);
      case 'read':
      case 'write':
      case 'transact':
      case 'check':
        return performTableStep(step, this.tableSteps);
      case 'request':
        return performRequestStep(step, this.requestSteps);
      case 'redrive':
        return this.entry.redrive(step.region, step.events);
    }
  }

  /** What a step in DynamoDB syntax needs: every replica is a DynamoDB endpoint (Substrate.send). */
  private requestStepContext(): RequestStepContext {
    return {
      caller: { send: (region, operation, input) => this.substrate.send(region, operation, input) },
      now: () => this.substrate.now,
      emit: (event) => this.trace.emit(event),
      setCause: (cause) => {
        this.substrate.cause = cause;
      },
      assertions: this.assertions,
      checks: this.checks,
    };
  }

  /** A plain read or write sent to a region that is down: refused, and a read's expectation fails. */
  private rejectStep(step: Extract<Step, { kind: 'read' | 'write' | 'transact' | 'request' }>): void {
    const t = this.substrate.now;
    this.trace.emit({ kind: 'request-rejected', t, region: step.region, eventId: stepPath(step.index), request: stepRequestText(step), reason: 'region-outage' });
    if (step.kind === 'read' && step.expect !== undefined) {
      this.assertions.push({ name: `read ${step.region} ${step.item} (${step.consistency})`, source: 'step', passed: false, expected: step.expect, actual: 'rejected', at: t, detail: `${step.region} is down` });
    }
    if (step.kind === 'request' && step.request.expect !== undefined) {
      this.assertions.push({ name: requestAssertionName(step), source: 'step', passed: false, expected: step.request.expect, actual: 'rejected', at: t, detail: `${step.region} is down` });
    }
  }

  /** The client sends an event (not an async function, for the reason `perform` gives; it throws nothing its callers would not). */
  private send(spec: EventSpec, region: string, attempt: number, retryOf?: string, tried?: string[]): void | Promise<void> {
    const substrate = this.substrate;
    const clientTime = EPOCH_MS + substrate.now + this.clocks.skew(region);
    const envelope = envelopeFor(spec, clientTime);
    const sent: ClientEventTrace = { seq: 0, kind: 'client-event', t: substrate.now, region, eventId: spec.id, idempotencyKey: spec.key, itemId: spec.item, attempt, clientTime, envelope };
    if (retryOf) sent.retryOf = retryOf;
    if (spec.add !== undefined) sent.add = spec.add;
    this.trace.emit(sent);
    // `tried` has no default: an empty array made for every event sent, read only when a region is down
    if (substrate.isRegionDown(region)) return this.rejectEvent(spec, tried === undefined ? [region] : [...tried, region]);
    return this.entry.submit({ spec, region, envelope, clientTime, attempts: 0 });
  }

  /**
   * The region refused the request (an outage). With a failover policy the client sends it again
   * to the next region it has not tried, after its timeout; otherwise it gets the error.
   */
  private rejectEvent(spec: EventSpec, tried: string[]): void {
    const substrate = this.substrate;
    const region = tried[tried.length - 1]!;
    const to = this.scenario.failover ? failoverTarget(this.scenario.failover, this.scenario.regions, tried) : undefined;
    const at = substrate.now + (this.scenario.failover?.after ?? 0);
    this.trace.emit({ kind: 'request-rejected', t: substrate.now, region, eventId: spec.id, reason: 'region-outage', ...(to ? { failoverTo: to, failoverAt: at } : {}) });
    if (!to) return;
    substrate.schedule(at, () => this.send(spec, to, this.nextAttempt(spec.id), spec.id, tried));
  }

  /** The number of an event's next attempt, counted as sent. */
  private nextAttempt(id: string): number {
    const attempt = (this.attempts.get(id) ?? 1) + 1;
    this.attempts.set(id, attempt);
    return attempt;
  }

  /**
   * Runs the processor for a job in its region: its answer, which `processed` traces once the
   * attempt has it (every Lambda attempt ends there). Not an async function awaiting the answer
   * itself, which was one more per event; it rejects, never throws, as one did.
   */
  private process(job: EventJob): Promise<ProcessResult> {
    const substrate = this.substrate;
    const { spec, region } = job;
    try {
      substrate.cause = spec.id;
      // the region's Lambda makes the requests, also those to a key's home region
      substrate.caller = region;
      return this.userApp ? this.userApp.invokeEvent(job) : this.processors.get(region)!.processEvent(appEvent(job));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The processor's answer to an attempt (see `process`): the request origin cleared, the outcome traced. */
  private processed(job: EventJob, result: ProcessResult): void {
    this.substrate.cause = undefined;
    this.substrate.caller = undefined;
    this.traceOutcome(job, result);
  }

  private traceOutcome(job: EventJob, result: ProcessResult): void {
    const { spec, region } = job;
    // the optional members assigned, not spread in: this runs for every attempt of every event
    const event: Omit<EventOutcomeTrace, 'seq'> = { kind: 'event-outcome', t: this.substrate.now, region, eventId: spec.id, idempotencyKey: spec.key, itemId: spec.item, outcome: result.outcome, attempts: result.attempts };
    if (result.detail) event.detail = result.detail;
    if (this.userApp) event.handler = this.userApp.name;
    this.trace.emit(event);
  }

  /**
   * One SQS batch through the team's handler: an injected throw or timeout fails it before it runs
   * (a crash of the function); otherwise every message's attempt is traced with what it did.
   */
  private async userSqsBatch(userApp: UserApplication, region: string, messages: SqsReceived[], ctx: LambdaContext): Promise<SqsBatchResult> {
    const substrate = this.substrate;
    for (const { job } of messages) {
      const injected = this.faults.lambdaFailure(job.region, job.spec.id, job.attempts);
      if (injected?.error === 'throw') return { ok: false, error: 'throw', message: injected.message, failedAt: substrate.now };
      if (injected?.error === 'timeout') return { ok: false, error: 'timeout', message: injected.message, failedAt: substrate.now + ctx.timeout };
    }
    // SentTimestamp is SQS's clock (the queue's time, not the client's skewed one), as is the first receive
    const batch = await userApp.invokeSqsBatch(region, messages);
    // Without ReportBatchItemFailures on the mapping, Lambda reads nothing of what the handler returned.
    const reports = this.scenario.lambda?.reportBatchItemFailures ?? SQS_DEFAULTS.reportBatchItemFailures;
    const invalid = reports && batch.end.ok ? batch.invalid : undefined;
    const batchEnd: InvocationEnd = invalid !== undefined ? { ok: false, error: 'function-error', message: invalid } : batch.end;
    for (const { job } of messages) {
      const failedItem = reports && batchEnd.ok && batch.failed.has(job);
      const end = failedItem ? { ok: false as const, error: 'function-error' as const, message: 'reported in batchItemFailures' } : batchEnd;
      this.traceOutcome(job, resultOf(batch.effects.get(job) ?? 0, end));
    }
    if (!batchEnd.ok) return { ok: false, error: batchEnd.error, message: batchEnd.message, failedAt: substrate.now };
    return { ok: true, failed: reports ? messages.filter(({ job }) => batch.failed.has(job)).map(({ job }) => job) : [] };
  }

  /** One batch of a region's table stream through the team's streamHandler (`reportsFailures`: application.stream.reportBatchItemFailures). */
  private async userStreamBatch(userApp: UserApplication, region: string, records: TableStreamRecord[], table: StreamTable, reportsFailures: boolean): Promise<StreamBatchResult> {
    const out = await userApp.invokeStream(
      region,
      records.map((r) => ({ itemId: r.change.itemId, eventName: r.eventName, oldImage: r.change.oldImage, newImage: r.change.newImage, sequenceNumber: r.sequenceNumber, at: EPOCH_MS + r.arrivedAt, ...(r.change.expired ? { expired: true as const } : {}) })),
      table,
      reportsFailures,
    );
    if (!out.end.ok) return { ok: false, error: out.end.error, message: out.end.message, failedAt: this.substrate.now };
    return out.failedFrom !== undefined ? { ok: true, failedFrom: out.failedFrom } : { ok: true };
  }

  /** Live items of a table (default the scenario's) per region, regions in scenario order, by key string, sorted. */
  /** Ids of `table`'s items a team's handler wrote as Powertools idempotency records (none without a handler). */
  powertoolsRecordIds(table: string): ReadonlySet<string> {
    return this.userApp?.powertools.idsIn(table) ?? new Set();
  }

  snapshot(table?: string): Promise<Record<string, Record<string, Item>>> {
    return table === undefined ? this.substrate.snapshot() : this.substrate.snapshot(table);
  }
}

/** What the team's application needs from this run: its substrate, trace, timeout and clock. */
function userAppHost(substrate: Substrate, trace: TraceSink, scenario: Scenario): UserAppHost {
  return {
    substrate,
    trace,
    timeoutMs: scenario.lambda?.timeout ?? 3000,
    epochMs: EPOCH_MS,
    tables: scenario.tables?.map((t) => t.name) ?? [SCENARIO_TABLE],
    deadline: (at, fire) => substrate.deadline(at, fire),
  };
}

/** The built-in processor's event of a job (two literals, not a spread: this runs for every attempt of every event). */
function appEvent(job: EventJob): AppEvent {
  const spec = job.spec;
  return spec.add === undefined
    ? { envelope: job.envelope, idempotencyKey: spec.key, itemId: spec.item, data: spec.data, clientTime: job.clientTime }
    : { envelope: job.envelope, idempotencyKey: spec.key, itemId: spec.item, data: spec.data, add: spec.add, clientTime: job.clientTime };
}

/** A table step's request in words, for a trace event that names the step (`read ORDER#1 (strong)`). */
function stepRequestText(step: Extract<Step, { kind: 'read' | 'write' | 'transact' | 'request' }>): string {
  switch (step.kind) {
    case 'read':
      return `read ${step.item} (${step.consistency})`;
    case 'write':
      return `${step.op.kind} ${writeOpId(step.op)}`;
    case 'transact':
      return `transaction of ${step.ops.map(writeOpId).join(', ')}`;
    case 'request': {
      const key = (step.request.input.Key ?? step.request.input.Item) as Record<string, { S?: unknown }> | undefined;
      const id = key !== undefined ? Object.values(key).find((v) => typeof v?.S === 'string')?.S : undefined;
      return `${step.request.operation}${typeof id === 'string' ? ` ${id}` : ''}`;
    }
  }
}
