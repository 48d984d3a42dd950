import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { randomBytes } from 'node:crypto';
import { describeCondition } from '../../app/condition.js';
import type { Item } from '../../app/item.js';
import { writeOpId, type TablePort } from '../../app/table-port.js';
import { EnvironmentError, UserError } from '../../errors.js';
import type { Scenario } from '../../scenario/model.js';
import { EventQueue } from '../../sim/event-queue.js';
import { RegionOutages } from '../../sim/faults/region-outages.js';
import { outageRefusal } from '../../sim/faults/outage-refusal.js';
import { Fibers } from '../../sim/fibers.js';
import type { Rng } from '../../sim/rng.js';
import type { SendOptions, StreamChange, Substrate, Task } from '../../sim/substrate.js';
import { requestOrigin, type TraceEventInput } from '../../trace/events.js';
import type { TraceSink } from '../../trace/recorder.js';
import { ApiRequests } from './api-requests.js';
import { stripHidden } from './attribute-codec.js';
import { createDynamoClient, createStreamsClient } from './client.js';
import { dropCreatedTable, ensureTable, type TableHandle } from './create-table.js';
import { EmulatedReplication, type RegionTable } from './emulated-replication.js';
import { redactEndpoint } from './errors.js';
import { isLoopback, resolveEndpoints } from './endpoints.js';
import { countRoundTrips, createRoundTripCounter, type RoundTripCounter } from './round-trips.js';
import { scanTable } from './scan.js';
import { DEFAULT_TABLE_NAME } from './schema.js';
import { scenarioName } from './item-keys.js';
import { primaryTable, scenarioTables } from '../../sim/tables.js';
import type { TableSpec } from '../../scenario/model.js';
import { StreamReader, type ChangeRecordRaw } from './stream-reader.js';
import { DynamoTablePort, type WriteObservation } from './table-port.js';
import { WallClock } from './wall-clock.js';

export interface DynamoSubstrateOptions {
  /** One URL for every region, one per region, or undefined for real AWS. */
  endpoints: Record<string, string> | string | undefined;
  /** Shared-config profile for real AWS; loopback endpoints use DynamoDB Local credentials unless a profile is given. */
  profile?: string;
  /** The tables are on a DynamoDB Local server geosim started (it dies with its tables). */
  local: boolean;
  /** `emulate`: geosim replicates between the regional tables; `native`: a real global table does. */
  replication: 'emulate' | 'native';
  /** `native` only: virtual ms per wall ms (AWS replicates on the wall clock). */
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

/** Wall ms without progress after which geosim gives up on a stream that owes it records. */
const STREAM_STALL_MS = 15_000;

/**
 * The Substrate over real DynamoDB tables (DynamoDB Local, or AWS): one table per region. With
 * `emulate` replication geosim owns everything that takes time — replication (read from each
 * table's stream, applied to the others after the scenario's lag, whole-item last-writer-wins on
 * hidden 2017.11.29-style attributes) and the agenda — so the run's time is virtual: it waits only
 * for the tables and their streams to answer, and skips idle time (a scenario spanning minutes runs
 * in the seconds its requests take). With `native` replication AWS replicates on its own clock, so
 * the run follows the wall clock scaled by `timeScale`.
 */
export class DynamoDbSubstrate implements Substrate {
  cause: string | undefined;
  caller: string | undefined;
  /** A team's handler talks to real tables here, with real timers (Substrate.wallClock). */
  readonly wallClock = true;
  private readonly agenda = new EventQueue<Task>();
  private readonly fibers: Fibers;
  /** `emulate`: the run's time (virtual, moved by the agenda); `native`: the wall clock. */
  private time = 0;
  private readonly wall: WallClock | undefined;
  /** Every table of the run: region by region, each region's tables in declaration order (the scenario's first). */
  private readonly tables: RegionTable[] = [];
  private readonly handles: TableHandle[] = [];
  private readonly ports = new Map<string, DynamoTablePort>();
  private readonly readers: StreamReader[] = [];
  /** One per region, in scenario order. */
  private readonly streamClients: DynamoDBStreamsClient[] = [];
  private readonly listeners = new Map<string, Array<(record: StreamChange) => void>>();
  private replication: EmulatedReplication | undefined;
  private readonly api: ApiRequests;
  private transactions = 0;
  /** The signal that interrupted the run, if one did; `wake` ends the wait for a running task. */
  private interrupted: NodeJS.Signals | undefined;
  private wake: (() => void) | undefined;
  private releaseSignals: (() => void) | undefined;
  private fatal: Error | undefined;
  private lastProgress = Date.now();
  private settleUntil = 0;
  private readonly counter: RoundTripCounter;
  /** Active outages per region, and the work (stream consumers) waiting for it to return: as the model's World. */
  private readonly outages = new RegionOutages((task) => this.schedule(this.now, task));
  private readonly endpoints: Record<string, string | undefined>;

  private constructor(
    private readonly scenario: Scenario,
    private readonly options: DynamoSubstrateOptions,
    private readonly rng: Rng,
    private readonly trace: TraceSink,
  ) {
    if (options.replication === 'native') this.wall = new WallClock(options.timeScale);
    this.counter = options.roundTrips ?? createRoundTripCounter();
    this.endpoints = resolveEndpoints(scenario.regions, options.endpoints);
    this.fibers = new Fibers(this, (at, task) => this.schedule(at, task), (scenario.application.requestLatency ?? 0) > 0, {
      get: () => (this.cause === undefined && this.caller === undefined ? undefined : { cause: this.cause, caller: this.caller }),
      set: (origin) => {
        this.cause = origin?.cause;
        this.caller = origin?.caller;
      },
    });
    this.api = new ApiRequests({
      table: (region) => this.tables.find((t) => t.region === region)!,
      tables: (region) => this.tables.filter((t) => t.region === region),
      stamp: (region, id, table) => this.replication?.stamp(region, id, table),
      observe: (region, observation) => this.observe(region, observation),
      transactionId: () => this.nextTransaction(),
      emulatedReplicas: (region) => (this.replication ? this.regions.filter((r) => r !== region) : undefined),
      emit: (event) => this.emit(event),
      now: () => this.now,
      cause: () => this.cause,
      caller: () => this.caller,
    });
  }

  /**
   * Creates (or, `native`, checks) the table in every region and starts reading their streams. The
   * caller must `close()` it, whatever happens: that deletes the tables this run created.
   */
  static async open(scenario: Scenario, options: DynamoSubstrateOptions, rng: Rng, trace: TraceSink): Promise<DynamoDbSubstrate> {
    const substrate = new DynamoDbSubstrate(scenario, options, rng, trace);
    substrate.releaseSignals = substrate.trapSignals();
    try {
      await substrate.setUp();
      substrate.stopIfInterrupted();
    } catch (error) {
      await substrate.close();
      throw error;
    }
    return substrate;
  }

  get now(): number {
    return this.wall ? this.wall.now() : this.time;
  }

  get regions(): readonly string[] {
    return this.scenario.regions;
  }

  get random(): Rng {
    return this.rng;
  }

  /** What the report says ran the scenario. */
  get backendName(): string {
    const where = this.options.local ? 'DynamoDB Local' : this.options.endpoints !== undefined ? 'custom endpoint' : 'AWS';
    const pace = this.wall ? `time scale ${this.options.timeScale}` : 'idle time skipped';
    return `dynamodb (${where}, ${this.options.replication} replication, ${pace})`;
  }

  // ---- agenda -----------------------------------------------------------------------------------

  schedule(at: number, task: Task): void {
    this.agenda.push(Math.max(at, this.now), task);
  }

  after(ms: number): Promise<void> {
    return this.fibers.after(ms);
  }

  /**
   * A team's handler runs on the wall clock here, so its Lambda timeout is a wall-clock timer
   * (unref'd: it never keeps the process alive on its own).
   */
  deadline(at: number, fire: () => void): () => void {
    const timer = setTimeout(fire, Math.max(0, at - this.now));
    timer.unref();
    return () => clearTimeout(timer);
  }

  whenUp(region: string, task: Task): void | Promise<void> {
    return this.outages.whenUp(region, task);
  }

  advanceTo(t: number): void | Promise<void> {
    if (this.wall) return this.waitForWall(t);
    if (t > this.time) this.time = t;
  }

  nextTime(): number | undefined {
    return this.agenda.peekTime();
  }

  /**
   * Emulate: waits until every write geosim made has come back through its table's stream (so the
   * replicated writes it owes are on the agenda) and held writes a resumed link released have landed.
   * Native: waits for the wall clock to reach the next task, or, with nothing left, for the regions
   * to converge (at most `settleMs`).
   */
  settle(): Promise<void> | undefined {
    this.wall?.unpin();
    if (this.fatal || this.interrupted !== undefined) return this.failed();
    if (this.wall) return this.settleNative();
    if (this.replication!.caughtUp && !this.replication!.releasing) return undefined;
    return this.settleEmulated();
  }

  async runNext(): Promise<boolean> {
    this.wall?.unpin();
    const next = this.agenda.pop();
    if (!next) return false;
    if (this.wall) this.wall.pin(next.time);
    else this.time = Math.max(this.time, next.time);
    const pending = this.fibers.run(next.task);
    if (pending) await this.unlessInterrupted(pending);
    // A fault that resumed a link released held writes: they land before anything else happens.
    const releases = this.replication?.settleReleases();
    if (releases) await this.unlessInterrupted(releases);
    this.lastProgress = Date.now();
    return true;
  }

  async runNow(task: Task): Promise<void> {
    const pending = this.fibers.run(task);
    if (pending) await this.unlessInterrupted(pending);
  }

  private async failed(): Promise<void> {
    this.stopIfInterrupted();
    throw this.fatal;
  }

  private async settleEmulated(): Promise<void> {
    const replication = this.replication!;
    for (;;) {
      this.stopIfInterrupted();
      if (this.fatal) throw this.fatal;
      if (!replication.caughtUp) {
        // Stream latency (tens of wall ms on DynamoDB Local) must not stretch the scenario's lag:
        // virtual time waits for every record geosim is owed.
        if (Date.now() - this.lastProgress > STREAM_STALL_MS) {
          throw new EnvironmentError(`DynamoDB streams stopped short of geosim's writes: ${replication.lagging().join(', ')}`);
        }
        await sleep(2);
        continue;
      }
      await this.unlessInterrupted(replication.settleReleases());
      if (replication.caughtUp && !replication.releasing) return;
    }
  }

  private async settleNative(): Promise<void> {
    const wall = this.wall!;
    for (;;) {
      this.stopIfInterrupted();
      if (this.fatal) throw this.fatal;
      const next = this.agenda.peekTime();
      if (next !== undefined) {
        const wait = wall.wallDelayUntil(next);
        if (wait <= 0) return;
        // New, earlier work may arrive from a stream meanwhile: wait in short slices.
        await sleep(Math.min(wait, 10));
        continue;
      }
      if (this.settleUntil === 0) this.settleUntil = Date.now() + (this.options.settleMs ?? 30_000);
      if (this.readers.every((r) => r.idle) && (Date.now() > this.settleUntil || (await this.converged()))) return;
      await sleep(200);
    }
  }

  private async waitForWall(t: number): Promise<void> {
    const wall = this.wall!;
    for (;;) {
      this.stopIfInterrupted();
      const wait = wall.wallDelayUntil(t);
      if (wait <= 0) break;
      await sleep(Math.min(wait, 10));
    }
    wall.pin(t);
  }

  /** Whether every table holds the same items in every region. */
  private async converged(): Promise<boolean> {
    for (const spec of scenarioTables(this.scenario)) {
      const regions = Object.values(await this.snapshot(spec.name));
      if (!regions.every((r) => JSON.stringify(r) === JSON.stringify(regions[0]))) return false;
    }
    return true;
  }

  // ---- faults -------------------------------------------------------------------------------------

  pauseLink(from: string, to: string): void {
    this.replication?.pauseLink(from, to);
  }

  resumeLink(from: string, to: string): number {
    return this.replication?.resumeLink(from, to) ?? 0;
  }

  releaseHeld(): void {
    this.replication?.releaseHeld();
  }

  setRegionDown(region: string, down: boolean): void {
    this.outages.setDown(region, down);
  }

  isRegionDown(region: string): boolean {
    return this.outages.isDown(region);
  }

  // ---- endpoints ----------------------------------------------------------------------------------

  port(region: string): TablePort {
    const port = this.ports.get(region);
    if (!port) throw new Error(`unknown region ${region}`);
    return port;
  }

  send(region: string, operation: string, input: Record<string, unknown>, options: SendOptions = {}): Promise<Record<string, unknown>> {
    // a region in an outage answers nobody, as in the model (another region's Lambda included)
    if (this.isRegionDown(region)) {
      const { trace, error } = outageRefusal(this.now, region, operation, this.cause, this.caller);
      this.emit(trace);
      return Promise.reject(error);
    }
    return this.api.send(region, operation, input, options);
  }

  onStream(region: string, listener: (record: StreamChange) => void): void {
    let listeners = this.listeners.get(region);
    if (!listeners) this.listeners.set(region, (listeners = []));
    listeners.push(listener);
  }

  async snapshot(table: string = primaryTable(this.scenario).name): Promise<Record<string, Record<string, Item>>> {
    const out: Record<string, Record<string, Item>> = {};
    for (const t of this.tables) if (scenarioName(t) === table) out[t.region] = await scanTable(t);
    return out;
  }

  /** A change read from a region's stream, to the run's stream consumers, at the moment it was made. */
  private publish(record: ChangeRecordRaw, at: number): void {
    const listeners = this.listeners.get(record.region);
    if (!listeners) return;
    const change: StreamChange = {
      region: record.region,
      // The scenario's table stays unnamed, as the model's World publishes it.
      ...(record.table !== primaryTable(this.scenario).name ? { table: record.table } : {}),
      itemId: record.itemId,
      oldImage: record.oldImage ? stripHidden(record.oldImage) : undefined,
      newImage: record.newImage ? stripHidden(record.newImage) : undefined,
      ...(record.expired ? { expired: true as const } : {}),
      at,
    };
    for (const listener of listeners) listener(change);
  }

  private nextTransaction(): string {
    return `tx${++this.transactions}`;
  }

  private emit(event: TraceEventInput): void {
    this.trace.emit(event);
  }

  /** Stops reading the streams and deletes the tables this run created; then reports an interruption. */
  async close(): Promise<void> {
    let left: TableHandle[] = [];
    try {
      left = await this.tearDown();
    } finally {
      this.releaseSignals?.();
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

  /**
   * Each table's name on DynamoDB in this run. Emulated: GlobalEventTable is `geosim-<scenario>-<run
   * id>` as before, a declared table that name then `-<TableName>` (fresh per run, deleted after it).
   * Native: the existing global tables, by their own names (GlobalEventTable: `tableName`).
   */
  private realNames(): Array<[TableSpec, string]> {
    const s = this.scenario;
    const emulate = this.options.replication === 'emulate';
    const run = `${this.options.tablePrefix ?? 'geosim-'}${slug(s.name)}-${randomBytes(3).toString('hex')}`;
    return scenarioTables(s).map((spec) => {
      const tableName = s.tables === undefined ? (emulate ? run : (this.options.tableName ?? DEFAULT_TABLE_NAME)) : emulate ? `${run}-${spec.name}` : spec.name;
      if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
        throw new UserError(`table name ${tableName} is not valid in DynamoDB: 3 to 255 of a-z A-Z 0-9 _ - . (check --table-prefix)`);
      }
      return [spec, tableName];
    });
  }

  private async setUp(): Promise<void> {
    const s = this.scenario;
    const emulate = this.options.replication === 'emulate';
    const realNames = this.realNames();
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
      for (const [spec, tableName] of realNames) {
        const handle = await ensureTable(client, { tableName, region, ...(endpoint !== undefined ? { endpoint } : {}) }, {
          requireStream: true,
          create: emulate,
          // GlobalEventTable's ExpiresAt is virtual time (the model's clients start on 2026-01-01);
          // DynamoDB's TTL runs on the wall clock and would expire, delete and replicate idempotency
          // records mid-run. A declared TTL is the team's: its handler writes wall-clock times here.
          ttl: s.tables !== undefined,
          shape: spec,
        });
        this.handles.push(handle);
        if (emulate && !handle.created) {
          // A fresh name that already exists means two regions share one table namespace on this server.
          throw new EnvironmentError(`regions ${s.regions.join(' and ')} share one table namespace at ${endpoint !== undefined ? redactEndpoint(endpoint) : 'AWS'} (a -sharedDb server?): give each region its own endpoint`);
        }
        if (!emulate) {
          const missing = s.regions.filter((r) => r !== region && !handle.replicaRegions.includes(r));
          const deploy = s.tables === undefined ? 'deploy infra/template.yaml' : 'deploy it as a global table';
          if (missing.length > 0) throw new EnvironmentError(`table ${tableName} in ${region} is not a global table with replicas in ${missing.join(', ')}: ${deploy} or use --replication emulate`);
        }
        this.tables.push({
          region,
          client,
          tableName,
          ...(endpoint !== undefined ? { endpoint } : {}),
          // A declared table is named and keyed as declared; GlobalEventTable by its string Id, as before.
          ...(s.tables !== undefined ? { name: spec.name, keyNames: spec.keyNames, keyTypes: keyTypesOf(spec) } : {}),
        });
      }
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
        now: () => this.now,
        schedule: (at, task) => this.schedule(at, task),
        emit: (event) => this.emit(event),
      });
    }
    // Transactions are named in the order they start, across regions, as the model names them.
    const transactionId = (): string => this.nextTransaction();
    for (const table of this.tables) {
      // The built-in application's port works on the scenario's table (each region's first).
      if (this.ports.has(table.region)) continue;
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
          refuse: (operation) => {
            if (!this.isRegionDown(table.region)) return undefined;
            const { trace, error } = outageRefusal(this.now, table.region, operation, this.cause, this.caller);
            this.emit(trace);
            return { name: error.name, message: error.message };
          },
        }),
      );
    }
    this.tables.forEach((table, i) => {
      const handle = this.handles[i]!;
      if (handle.streamArn === undefined) throw new EnvironmentError(`table ${table.tableName} in ${table.region} has no stream`);
      const reader = new StreamReader({
        client: this.streamClients[s.regions.indexOf(table.region)]!,
        streamArn: handle.streamArn,
        region: table.region,
        ...(s.tables !== undefined ? { table } : {}),
        ...(table.endpoint !== undefined ? { endpoint: table.endpoint } : {}),
        startAt: handle.created ? 'TRIM_HORIZON' : 'LATEST',
        onError: (error) => {
          this.fatal ??= error;
        },
        onRecord: (record) => {
          const consumers = (at: number) => this.publish(record, at);
          if (this.replication) this.replication.onRecord(record, consumers);
          else consumers(this.now);
        },
      });
      this.readers.push(reader);
      reader.start();
    });
  }

  private observe(region: string, observation: WriteObservation): void {
    if (observation.kind === 'condition-failed') {
      const op = observation.op;
      this.emit({
        kind: 'condition-failed',
        t: this.now,
        region,
        itemId: writeOpId(op),
        condition: op.condition ? describeCondition(op.condition) : 'none',
        current: observation.current,
        ...requestOrigin(this.cause, this.caller, region),
        ...(observation.transaction !== undefined ? { transaction: observation.transaction } : {}),
      });
      return;
    }
    if (observation.kind === 'failed') {
      this.emit({
        kind: 'operation-failed',
        t: this.now,
        region,
        itemId: writeOpId(observation.op),
        op: observation.op.kind,
        error: observation.error,
        current: observation.current,
        ...requestOrigin(this.cause, this.caller, region),
        ...(observation.transaction !== undefined ? { transaction: observation.transaction } : {}),
      });
      return;
    }
    if (this.replication) {
      this.replication.observe(region, observation, requestOrigin(this.cause, this.caller, region));
      return;
    }
    // native: the service stamps writes itself and geosim cannot see the stamp.
    this.emit({
      kind: 'local-write',
      t: this.now,
      region,
      itemId: observation.target?.id ?? writeOpId(observation.op),
      ...(observation.target !== undefined && observation.target.table !== primaryTable(this.scenario).name ? { table: observation.target.table } : {}),
      op: observation.op.kind,
      before: observation.before ?? null,
      after: observation.after ?? null,
      version: { ts: this.now, region },
      ...requestOrigin(this.cause, this.caller, region),
      ...(observation.transaction !== undefined ? { transaction: observation.transaction } : {}),
    });
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

/** The declared type (S, N or B) of each key attribute of a table. */
function keyTypesOf(spec: TableSpec): Record<string, string> {
  const definitions = (spec.definition.AttributeDefinitions ?? []) as Array<{ AttributeName: string; AttributeType: string }>;
  return Object.fromEntries(spec.keyNames.map((name) => [name, definitions.find((d) => d.AttributeName === name)?.AttributeType ?? 'S']));
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'scenario';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

