import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { randomBytes } from 'node:crypto';
import { ConflictResolver } from '../../app/conflict-resolver.js';
import { describeCondition } from '../../app/condition.js';
import { envelopeFor } from '../../app/envelope.js';
import { EventProcessor } from '../../app/event-processor.js';
import { createRepairConsumer } from '../../app/repair-consumer.js';
import { writeOpId } from '../../app/table-port.js';
import { countTrace } from '../../check/counts.js';
import { performTableStep } from '../../check/table-steps.js';
import { endOfRunAssertions, finalState, reportHeader } from '../../check/end-of-run.js';
import { EnvironmentError, UserError } from '../../cli/errors.js';
import type { EventSpec, Scenario, Step } from '../../scenario/model.js';
import { EventQueue } from '../../sim/event-queue.js';
import { ClientClocks } from '../../sim/faults/client-clocks.js';
import { RegionOutages } from '../../sim/faults/region-outages.js';
import { failoverTarget } from '../../sim/faults/failover.js';
import { FaultSchedule, type FaultTarget } from '../../sim/faults/fault-schedule.js';
import { Rng } from '../../sim/rng.js';
import { homeRegion } from '../../app/home-region.js';
import { EPOCH_MS } from '../../sim/simulation.js';
import type { TraceEvent, TraceEventInput } from '../../trace/events.js';
import type { AssertionResult, RunReport } from '../../trace/report.js';
import { isIdempotencyRecordId, type Item } from '../../app/item.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dynamodb-local/server.js';
import { stripHidden } from './attribute-codec.js';
import { createDynamoClient, createStreamsClient } from './client.js';
import { dropCreatedTable, ensureTable, type TableHandle } from './create-table.js';
import { EmulatedReplication, type RegionTable } from './emulated-replication.js';
import { redactEndpoint } from './errors.js';
import { isLoopback, resolveEndpoints } from './endpoints.js';
import { countRoundTrips, createRoundTripCounter, type RoundTripCounter } from './round-trips.js';
import { scanTable } from './scan.js';
import { DEFAULT_TABLE_NAME } from './schema.js';
import { StreamReader } from './stream-reader.js';
import { DynamoTablePort, type WriteObservation } from './table-port.js';
import { WallClock } from './wall-clock.js';

export interface DynamoRunOptions {
  seed: number;
  /** One URL for every region, one per region, or undefined for real AWS. */
  endpoints: Record<string, string> | string | undefined;
  /** Shared-config profile for real AWS; loopback endpoints use DynamoDB Local credentials unless a profile is given. */
  profile?: string;
  /** Start DynamoDB Local on 127.0.0.1 for this run (implies `emulate`). */
  local: boolean;
  /** `emulate`: geosim replicates between the regional tables; `native`: a real global table does. */
  replication: 'emulate' | 'native';
  /** Virtual ms per wall ms: 10 runs the scenario ten times faster than written. */
  timeScale: number;
  /** Prefix of the tables `emulate` creates (default `geosim-`); they are deleted after the run. */
  tablePrefix?: string;
  /** `native`: the existing global table (default GlobalEventTable). */
  tableName?: string;
  /** `native`: wall ms to wait at the end for the regions to converge (default 30 s). */
  settleMs?: number;
  /** Wall ms one attempt of a request may take (`--request-timeout`); default 10 s, 3 attempts. */
  requestTimeoutMs?: number;
  /** Filled with every DynamoDB request the run sent (benchmarks, tests). */
  roundTrips?: RoundTripCounter;
}

type Task = () => Promise<void>;

/**
 * Runs a scenario with each region's replica a real DynamoDB table: the same EventProcessor, repair
 * consumer and checks as the model, on the wall clock scaled by `timeScale`. Steps and replicated
 * writes run one at a time in virtual-time order, like the model's agenda; stream polling runs
 * alongside and feeds the agenda. Produces the same RunReport the model does, so every renderer
 * and check works unchanged.
 */
/**
 * Why the DynamoDB backend cannot run a scenario, or undefined when it can. It runs the
 * application against real tables with emulated (or native) MREC replication, and injects the
 * faults geosim itself controls there: paused replication, region outages (refused client requests,
 * failover) and client clock skew. The Lambda machinery (injected function failures, asynchronous
 * and stream invocation with their retries and dead-letter queues, Step Functions, redrive) exists
 * only inside the model, so scenarios that use it are the model's.
 */
export function dynamoUnsupportedReason(
  scenario: Pick<Scenario, 'mode' | 'faults' | 'lambda' | 'stepFunctions' | 'failover' | 'steps'>,
): string | undefined {
  const reasons: string[] = [];
  if (scenario.mode !== 'mrec') reasons.push(`mode ${String(scenario.mode)} is not emulated (MREC only)`);
  const modelOnlyFaults = (scenario.faults ?? []).filter((f) => f.kind === 'lambda-failure');
  if (modelOnlyFaults.length > 0) reasons.push('lambda-failure faults are injected only in the model');
  if (scenario.lambda !== undefined && scenario.lambda.invocation !== 'direct') {
    reasons.push(`Lambda ${scenario.lambda.invocation} invocation (retries, dead-letter queue) is simulated only in the model`);
  }
  if (scenario.stepFunctions !== undefined) reasons.push('Step Functions workflows are simulated only in the model');
  if (scenario.steps.some((s) => s.kind === 'redrive')) reasons.push("redrive steps need the model's dead-letter queue");
  const requests = scenario.steps.filter((s) => s.kind === 'request');
  if (requests.length > 0) {
    const named = requests.slice(0, 5).map((s) => `steps[${s.index}] (${s.kind === 'request' ? s.request.action : s.kind})`);
    reasons.push(`${named.join(', ')}${requests.length > 5 ? ` and ${requests.length - 5} more` : ''} in DynamoDB syntax run on the model only for now (issue 12 unifies the runners)`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

export async function runOnDynamoDb(scenario: Scenario, options: DynamoRunOptions): Promise<RunReport> {
  if (!(options.timeScale > 0) || !Number.isFinite(options.timeScale)) throw new UserError(`--time-scale must be a positive number, got ${options.timeScale}`);
  if (options.local && options.replication === 'native') {
    throw new UserError('--replication native needs a real global table; DynamoDB Local has none: use --replication emulate with --local');
  }
  const unsupported = dynamoUnsupportedReason(scenario);
  if (unsupported !== undefined) throw new UserError(`${scenario.file}: ${unsupported}`);
  if (options.replication === 'native' && (scenario.faults ?? []).some((f) => f.kind === 'pause-replication' || f.kind === 'outage')) {
    throw new UserError(`${scenario.file}: pause-replication and outage faults need --replication emulate (a real global table's replication is AWS's to pause, through FIS)`);
  }
  if (options.local && options.endpoints !== undefined) throw new UserError('--local starts its own server: leave out --endpoint');
  let server: DynamoDbLocal | undefined;
  if (options.local) server = await startDynamoDbLocal();
  try {
    return await new DynamoRun(scenario, options, server?.endpoint).run();
  } finally {
    await server?.stop();
  }
}

class DynamoRun {
  private readonly clock: WallClock;
  private readonly agenda = new EventQueue<Task>();
  private readonly inputs: TraceEventInput[] = [];
  private readonly assertions: AssertionResult[] = [];
  private readonly tables: RegionTable[] = [];
  private readonly handles: TableHandle[] = [];
  private readonly ports = new Map<string, DynamoTablePort>();
  private readonly processors = new Map<string, EventProcessor>();
  private readonly readers: StreamReader[] = [];
  private readonly streamClients: DynamoDBStreamsClient[] = [];
  private readonly events = new Map<string, { spec: EventSpec; attempts: number }>();
  private replication: EmulatedReplication | undefined;
  private cause: string | undefined;
  /** The signal that interrupted the run, if one did; `wake` ends the wait for a running step. */
  private interrupted: NodeJS.Signals | undefined;
  private wake: (() => void) | undefined;
  private fatal: Error | undefined;
  private readonly counter: RoundTripCounter;
  private readonly rng: Rng;
  private readonly clocks: ClientClocks;
  private faults: FaultSchedule | undefined;
  /** Active outages per region, and the work (stream consumers) waiting for it to return: as the model's World. */
  private readonly outages = new RegionOutages((task) => this.schedule(this.clock.now(), async () => task()));
  private readonly endpoints: Record<string, string | undefined>;

  constructor(
    private readonly scenario: Scenario,
    private readonly options: DynamoRunOptions,
    localEndpoint: string | undefined,
  ) {
    this.clock = new WallClock(options.timeScale);
    this.counter = options.roundTrips ?? createRoundTripCounter();
    this.rng = new Rng(options.seed);
    this.clocks = new ClientClocks(scenario.clockSkew);
    this.endpoints = resolveEndpoints(scenario.regions, localEndpoint ?? options.endpoints);
  }

  async run(): Promise<RunReport> {
    const release = this.trapSignals();
    try {
      await this.setUp();
      this.stopIfInterrupted();
      for (const step of this.scenario.steps) this.schedule(step.at, () => this.perform(step));
      await this.drive();
      const final = finalState(await this.snapshot(), this.scenario.regions);
      const trace = this.numberedTrace();
      const counts = countTrace(trace);
      return {
        ...reportHeader(this.scenario, this.options.seed, this.backendName()),
        trace,
        final,
        counts,
        assertions: [...this.assertions, ...endOfRunAssertions(this.scenario, { trace, final, counts })],
        endedAt: this.clock.now(),
      };
    } finally {
      const left = await this.tearDown();
      release();
      if (this.interrupted !== undefined) this.reportInterrupted(this.interrupted, left);
    }
  }

  /**
   * Ctrl-C (or SIGTERM, SIGHUP) during a run: stop driving, delete the tables this run created
   * (on AWS they cost money), say what was removed or left, then end by the signal as the shell
   * expects. A second signal gives up on the clean-up and names the tables left behind.
   */
  private trapSignals(): () => void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.interrupted !== undefined) {
        process.stderr.write(`geosim: ${signal} again: stopped without cleaning up${this.tableList(this.createdTables())}\n`);
        process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 2));
      }
      this.interrupted = signal;
      process.stderr.write(`geosim: ${signal}: stopping the run${this.options.local ? '' : ' and removing the tables it created'}\n`);
      this.wake?.();
    };
    for (const signal of TRAPPED_SIGNALS) process.on(signal, onSignal);
    return () => {
      for (const signal of TRAPPED_SIGNALS) process.off(signal, onSignal);
    };
  }

  private stopIfInterrupted(): void {
    if (this.interrupted !== undefined) throw new EnvironmentError(`geosim: interrupted by ${this.interrupted}`);
  }

  /** After the clean-up of an interrupted run: one line, then the signal's default action (exit 130 for SIGINT). */
  private reportInterrupted(signal: NodeJS.Signals, left: TableHandle[]): never {
    const removed = this.createdTables().filter((h) => !left.includes(h));
    if (this.options.local) process.stderr.write('geosim: interrupted; DynamoDB Local stopped with its tables\n');
    else if (left.length === 0) process.stderr.write(`geosim: interrupted; removed ${removed.length === 0 ? 'no tables (none created yet)' : this.tableList(removed).slice(2)}\n`);
    else process.stderr.write(`geosim: interrupted; could not remove${this.tableList(left)}: delete ${left.length === 1 ? 'it' : 'them'} yourself\n`);
    process.kill(process.pid, signal);
    // The signal ends the process; should something else handle it, this ends the run.
    throw new EnvironmentError(`geosim: interrupted by ${signal}`);
  }

  private createdTables(): TableHandle[] {
    return this.handles.filter((h) => h.created);
  }

  private tableList(handles: TableHandle[]): string {
    return handles.length === 0 ? '' : `: ${handles.map((h) => `table ${h.tableName} in ${h.region}${h.endpoint !== undefined ? ` at ${redactEndpoint(h.endpoint)}` : ''}`).join(', ')}`;
  }

  private backendName(): string {
    const where = this.options.local ? 'DynamoDB Local' : this.options.endpoints !== undefined ? 'custom endpoint' : 'AWS';
    return `dynamodb (${where}, ${this.options.replication} replication, time scale ${this.options.timeScale})`;
  }

  private async setUp(): Promise<void> {
    const s = this.scenario;
    const emulate = this.options.replication === 'emulate';
    const tableName = emulate
      ? `${this.options.tablePrefix ?? 'geosim-'}${slug(s.name)}-${randomBytes(3).toString('hex')}`
      : (this.options.tableName ?? DEFAULT_TABLE_NAME);
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
      throw new UserError(`table name ${tableName} is not valid in DynamoDB: 3 to 255 of a-z A-Z 0-9 _ - . (check --table-prefix)`);
    }
    for (const region of s.regions) {
      const endpoint = this.endpoints[region];
      const local = this.options.profile === undefined && isLoopback(endpoint);
      const client = createDynamoClient({
        region,
        ...(endpoint !== undefined ? { endpoint } : {}),
        ...(this.options.profile !== undefined ? { profile: this.options.profile } : {}),
        localCredentials: local,
        ...(this.options.requestTimeoutMs !== undefined ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}),
      });
      countRoundTrips(client, this.counter);
      const handle = await ensureTable(client, { tableName, region, ...(endpoint !== undefined ? { endpoint } : {}) }, {
        requireStream: true,
        create: emulate,
        // ExpiresAt is virtual time (the model's clients start on 2026-01-01); DynamoDB's TTL runs on
        // the wall clock and would expire, delete and replicate idempotency records mid-run.
        ttl: false,
      });
      this.handles.push(handle);
      if (emulate && !handle.created) {
        // A fresh name that already exists means two regions share one table namespace on this server.
        throw new EnvironmentError(`regions ${s.regions.join(' and ')} share one table namespace at ${endpoint !== undefined ? redactEndpoint(endpoint) : 'AWS'} (a -sharedDb server?): give each region its own endpoint`);
      }
      if (!emulate) {
        const missing = s.regions.filter((r) => r !== region && !handle.replicaRegions.includes(r));
        if (missing.length > 0) throw new EnvironmentError(`table ${tableName} in ${region} is not a global table with replicas in ${missing.join(', ')}: deploy infra/template.yaml or use --replication emulate`);
      }
      this.tables.push({ region, client, tableName, ...(endpoint !== undefined ? { endpoint } : {}) });
      const streams = createStreamsClient({
        region,
        ...(endpoint !== undefined ? { endpoint } : {}),
        ...(this.options.profile !== undefined ? { profile: this.options.profile } : {}),
        localCredentials: local,
        ...(this.options.requestTimeoutMs !== undefined ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}),
      });
      countRoundTrips(streams as never, this.counter);
      this.streamClients.push(streams);
    }
    if (emulate) {
      this.replication = new EmulatedReplication(s, this.tables, this.rng, {
        now: () => this.clock.now(),
        schedule: (at, task) => this.schedule(at, task),
        emit: (event) => this.emit(event),
      });
    }
    this.faults = new FaultSchedule(s.faults ?? [], this.faultWorld(), { emit: (e) => this.emit(e) }, this.clocks);
    this.faults.start();
    // Transactions are named in the order they start, across regions, as the model names them.
    let transactions = 0;
    const transactionId = (): string => `tx${++transactions}`;
    for (const table of this.tables) {
      const replication = this.replication;
      this.ports.set(
        table.region,
        new DynamoTablePort({
          client: table.client,
          tableName: table.tableName,
          region: table.region,
          ...(table.endpoint !== undefined ? { endpoint: table.endpoint } : {}),
          ...(replication ? { stamp: (id: string) => replication.stamp(table.region, id) } : {}),
          observer: (o) => this.observe(table.region, o),
          transactionId,
        }),
      );
    }
    const app = s.application;
    const homeTable = (key: string) => this.ports.get(homeRegion(key, s.regions))!;
    for (const [region, table] of this.ports) {
      this.processors.set(
        region,
        new EventProcessor({ table, strategy: app.strategy, idempotency: { mode: app.idempotency, ttlSeconds: app.idempotencyTtlSeconds, homeTable }, maxRetries: app.maxRetries, now: () => EPOCH_MS + this.clock.now() }),
      );
    }
    const resolver = new ConflictResolver();
    this.tables.forEach((table, i) => {
      const consume = app.strategy === 'client-lww' ? createRepairConsumer(this.ports.get(table.region)!, resolver) : undefined;
      const handle = this.handles[i]!;
      if (handle.streamArn === undefined) throw new EnvironmentError(`table ${table.tableName} in ${table.region} has no stream`);
      const reader = new StreamReader({
        client: this.streamClients[i]!,
        streamArn: handle.streamArn,
        region: table.region,
        ...(table.endpoint !== undefined ? { endpoint: table.endpoint } : {}),
        startAt: handle.created ? 'TRIM_HORIZON' : 'LATEST',
        onError: (error) => {
          this.fatal ??= error;
        },
        onRecord: (record) => {
          const consumers = (at: number) => {
            // The consumer's event filter, as in the model: MODIFY records of data items only.
            if (consume === undefined || record.eventName !== 'MODIFY' || isIdempotencyRecordId(record.itemId)) return;
            const change = {
              oldImage: record.oldImage ? stripHidden(record.oldImage) : undefined,
              newImage: record.newImage ? stripHidden(record.newImage) : undefined,
            };
            // A consumer in a region that is down runs when the region returns, as in the model.
            this.schedule(at + app.consumerDelay, () =>
              this.whenUp(table.region, async () => {
                this.cause = `repair ${record.itemId}`;
                const repair = await consume(change);
                this.cause = undefined;
                if (repair) this.emit({ kind: 'conflict-repaired', t: this.clock.now(), region: table.region, itemId: record.itemId, winner: repair.winner, loser: repair.loser });
              }),
            );
          };
          if (this.replication) this.replication.onRecord(record, consumers);
          else consumers(this.clock.now());
        },
      });
      this.readers.push(reader);
      reader.start();
    });
  }

  /**
   * The slice of the model's World that its FaultSchedule drives, over this run: so faults follow
   * the model's own timeline and trace events, with replication pauses applied to the emulated
   * links and outages to the clients.
   */
  private faultWorld(): FaultTarget {
    const run = this;
    const replication = this.replication;
    const adapter = {
      get now() {
        return run.clock.now();
      },
      get regions() {
        return [...run.scenario.regions];
      },
      get random() {
        return run.rng;
      },
      schedule: (at: number, task: () => void | Promise<void>) =>
        this.schedule(at, async () => {
          await task();
          await replication?.settleReleases();
        }),
      pauseLink: (from: string, to: string) => replication?.pauseLink(from, to),
      resumeLink: (from: string, to: string) => replication?.resumeLink(from, to) ?? 0,
      releaseHeld: () => replication?.releaseHeld(),
      setRegionDown: (region: string, down: boolean) => this.setRegionDown(region, down),
      isRegionDown: (region: string) => this.isRegionDown(region),
    };
    return adapter;
  }

  private setRegionDown(region: string, down: boolean): void {
    this.outages.setDown(region, down);
  }

  private isRegionDown(region: string): boolean {
    return this.outages.isDown(region);
  }

  private async whenUp(region: string, task: Task): Promise<void> {
    return this.outages.whenUp(region, task);
  }

  private observe(region: string, observation: WriteObservation): void {
    if (observation.kind === 'condition-failed') {
      const op = observation.op;
      this.emit({
        kind: 'condition-failed',
        t: this.clock.now(),
        region,
        itemId: writeOpId(op),
        condition: op.condition ? describeCondition(op.condition) : 'none',
        current: observation.current,
        ...(this.cause !== undefined ? { cause: this.cause } : {}),
        ...(observation.transaction !== undefined ? { transaction: observation.transaction } : {}),
      });
      return;
    }
    if (observation.kind === 'failed') {
      this.emit({
        kind: 'operation-failed',
        t: this.clock.now(),
        region,
        itemId: writeOpId(observation.op),
        op: observation.op.kind,
        error: observation.error,
        current: observation.current,
        ...(this.cause !== undefined ? { cause: this.cause } : {}),
        ...(observation.transaction !== undefined ? { transaction: observation.transaction } : {}),
      });
      return;
    }
    if (this.replication) {
      this.replication.observe(region, observation, this.cause);
      return;
    }
    // native: the service stamps writes itself and geosim cannot see the stamp.
    this.emit({
      kind: 'local-write',
      t: this.clock.now(),
      region,
      itemId: writeOpId(observation.op),
      op: observation.op.kind,
      before: observation.before ?? null,
      after: observation.after ?? null,
      version: { ts: this.clock.now(), region },
      ...(this.cause !== undefined ? { cause: this.cause } : {}),
      ...(observation.transaction !== undefined ? { transaction: observation.transaction } : {}),
    });
  }

  private schedule(at: number, task: Task): void {
    this.agenda.push(at, task);
  }

  private emit(event: TraceEventInput): void {
    this.inputs.push(event);
  }

  /** Runs the agenda on the wall clock until every step ran and replication has drained. */
  private async drive(): Promise<void> {
    const native = this.options.replication === 'native';
    const settleUntil = Date.now() + (this.options.settleMs ?? 30_000);
    let lastProgress = Date.now();
    for (;;) {
      this.stopIfInterrupted();
      if (this.fatal) throw this.fatal;
      // Virtual time never passes a write whose stream record is still unread: stream latency
      // (tens of wall ms on DynamoDB Local) must not stretch the scenario's lag, whatever the
      // time scale. geosim knows how many records each table owes it.
      if (this.replication !== undefined && !this.replication.caughtUp) {
        if (Date.now() - lastProgress > 15_000) {
          throw new EnvironmentError(`DynamoDB streams stopped short of geosim's writes: ${this.replication.lagging().join(', ')}`);
        }
        await sleep(2);
        continue;
      }
      const next = this.agenda.peekTime();
      if (next === undefined) {
        if (this.replication?.drained === true) return;
        if (native && this.readers.every((r) => r.idle)) {
          if (Date.now() > settleUntil || (await this.converged())) return;
          await sleep(200);
          continue;
        }
        if (Date.now() - lastProgress > 15_000) {
          throw new EnvironmentError(`DynamoDB streams stopped short of geosim's writes: ${this.replication?.lagging().join(', ') || 'no records'}`);
        }
        await sleep(5);
        continue;
      }
      const wait = this.clock.wallDelayUntil(next);
      if (wait > 0) {
        // New, earlier work may arrive from a stream meanwhile: wait in short slices.
        await sleep(Math.min(wait, 10));
        continue;
      }
      const task = this.agenda.pop()!;
      this.clock.pin(task.time);
      try {
        await this.unlessInterrupted(task.task());
      } finally {
        this.clock.unpin();
      }
      lastProgress = Date.now();
    }
  }

  /** Waits for `work`, or until a signal interrupts the run (the work is then abandoned). */
  private async unlessInterrupted(work: Promise<void>): Promise<void> {
    work.catch(() => {}); // an abandoned step's failure must not surface as an unhandled rejection
    const interrupted = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    try {
      await Promise.race([work, interrupted]);
    } finally {
      this.wake = undefined;
    }
    this.stopIfInterrupted();
  }

  private async converged(): Promise<boolean> {
    const snapshot = await this.snapshot();
    const regions = Object.values(snapshot);
    return regions.every((r) => JSON.stringify(r) === JSON.stringify(regions[0]));
  }

  /** One step at its virtual time, exactly as the model's Simulation.perform does it. */
  private async perform(step: Step): Promise<void> {
    // Fault transitions due now happen before the step, as in the model.
    this.faults?.catchUp(this.clock.now());
    await this.replication?.settleReleases();
    if ((step.kind === 'read' || step.kind === 'write' || step.kind === 'transact') && this.isRegionDown(step.region)) return this.rejectStep(step);
    switch (step.kind) {
      case 'event':
        this.events.set(step.event.id, { spec: step.event, attempts: 1 });
        return this.send(step.event, step.event.region, 1);
      case 'retry': {
        const sent = this.events.get(step.of);
        if (!sent) throw new UserError(`step ${step.index + 1} retries ${step.of}, which was never sent`);
        sent.attempts++;
        return this.send(sent.spec, step.region, sent.attempts, step.of);
      }
      case 'read':
      case 'write':
      case 'transact':
      case 'check':
        return performTableStep(step, {
          port: (region) => this.ports.get(region)!,
          now: () => this.clock.now(),
          emit: (event) => this.emit(event),
          setCause: (cause) => {
            this.cause = cause;
          },
          snapshot: () => this.snapshot(),
          trace: () => this.numberedTrace(),
          assertions: this.assertions,
        });
      case 'redrive':
        throw new UserError(`step ${step.index + 1}: redrive steps run only in the model`);
      case 'request':
        throw new UserError(`step ${step.index + 1}: steps in DynamoDB syntax run on the model only for now`);
    }
  }

  private async send(spec: EventSpec, region: string, attempt: number, retryOf?: string, tried: string[] = []): Promise<void> {
    const t = this.clock.now();
    // The client's clock is the scenario's virtual time, as in the model, so items match across backends.
    const clientTime = EPOCH_MS + t + this.clocks.skew(region);
    const envelope = envelopeFor(spec, clientTime);
    this.emit({ kind: 'client-event', t, region, eventId: spec.id, idempotencyKey: spec.key, itemId: spec.item, attempt, ...(retryOf ? { retryOf } : {}), clientTime, envelope });
    if (this.isRegionDown(region)) return this.rejectEvent(spec, [...tried, region]);
    this.cause = spec.id;
    const result = await this.processors.get(region)!.processEvent({ envelope, idempotencyKey: spec.key, itemId: spec.item, data: spec.data, clientTime });
    this.cause = undefined;
    this.emit({
      kind: 'event-outcome',
      t: this.clock.now(),
      region,
      eventId: spec.id,
      idempotencyKey: spec.key,
      itemId: spec.item,
      outcome: result.outcome,
      attempts: result.attempts,
      ...(result.detail ? { detail: result.detail } : {}),
    });
  }

  /** A plain read or write sent to a region that is down: refused, and a read's expectation fails (as the model). */
  private rejectStep(step: Extract<Step, { kind: 'read' | 'write' | 'transact' }>): void {
    const t = this.clock.now();
    this.emit({ kind: 'request-rejected', t, region: step.region, eventId: `step ${step.index + 1}`, reason: 'region-outage' });
    if (step.kind === 'read' && step.expect !== undefined) {
      this.assertions.push({ name: `read ${step.region} ${step.item} (${step.consistency})`, source: 'step', passed: false, expected: step.expect, actual: 'rejected', at: t, detail: `${step.region} is down` });
    }
  }

  /** The region refused the request; with a failover policy the client tries the next region after its timeout (as the model). */
  private rejectEvent(spec: EventSpec, tried: string[]): void {
    const t = this.clock.now();
    const region = tried[tried.length - 1]!;
    const to = this.scenario.failover ? failoverTarget(this.scenario.failover, this.scenario.regions, tried) : undefined;
    const at = t + (this.scenario.failover?.after ?? 0);
    this.emit({ kind: 'request-rejected', t, region, eventId: spec.id, reason: 'region-outage', ...(to ? { failoverTo: to, failoverAt: at } : {}) });
    if (!to) return;
    this.schedule(at, () => {
      const sent = this.events.get(spec.id);
      const attempt = sent ? ++sent.attempts : tried.length + 1;
      return this.send(spec, to, attempt, spec.id, tried);
    });
  }

  private async snapshot(): Promise<Record<string, Record<string, Item>>> {
    const out: Record<string, Record<string, Item>> = {};
    for (const table of this.tables) out[table.region] = await scanTable(table);
    return out;
  }

  /** The trace in virtual-time order (stable for equal times), numbered from 1. */
  private numberedTrace(): TraceEvent[] {
    const ordered = this.inputs.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
    return ordered.map(({ e }, i) => ({ ...e, seq: i + 1 }) as TraceEvent);
  }

  /** Stops the readers and deletes the tables this run created; returns those it could not delete. */
  private async tearDown(): Promise<TableHandle[]> {
    await Promise.all(this.readers.map((r) => r.stop()));
    const left: TableHandle[] = [];
    // Tables on a server geosim started die with it; elsewhere geosim removes only what it created.
    if (!this.options.local) {
      for (const handle of this.handles) {
        try {
          await dropCreatedTable(handle);
        } catch (error) {
          // The run's own result (or error) matters more than the clean-up, but a table left
          // behind is named: on AWS it costs money.
          left.push(handle);
          if (this.interrupted === undefined) {
            process.stderr.write(`geosim: could not delete table ${handle.tableName} in ${handle.region} (${error instanceof Error ? error.message : String(error)}): delete it yourself\n`);
          }
        }
      }
    }
    for (const table of this.tables) table.client.destroy();
    for (const client of this.streamClients) client.destroy();
    return left;
  }
}

const TRAPPED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'scenario';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
