import type { Item } from '../app/item.js';
import type { DynamoDBEndpoint } from '../dynamodb/endpoint.js';
import { DynamoDBError } from '../dynamodb/errors.js';
import type { Scenario } from '../scenario/model.js';
import { ClientClocks } from '../sim/faults/client-clocks.js';
import { FaultSchedule } from '../sim/faults/fault-schedule.js';
import { Rng } from '../sim/rng.js';
import { World } from '../sim/world.js';
import type { TraceEvent, TraceEventInput } from '../trace/events.js';
import type { TraceSink } from '../trace/recorder.js';
import type { RunStop } from '../trace/report.js';
import { WallClockDriver, type DriverOptions } from './wall-clock-driver.js';

/** What serve takes from a scenario: its regions, replication, faults and mode (its steps are not run). */
export type ServedScenario = Pick<Scenario, 'name' | 'file' | 'regions' | 'replication' | 'faults' | 'clockSkew' | 'indexLagMs' | 'ttlDelayMs' | 'tables'> & {
  description?: string;
  /** `mrsc`: the World enforces multi-Region strong consistency (quorum, round trips, no transactions). Default mrec. */
  mode?: Scenario['mode'];
  witness?: string;
};

/** What a stopped session hands to the pipeline, which counts it and makes the report (pipeline/serve-report.ts). */
export interface SessionRecord {
  scenario: ServedScenario;
  seed: number;
  timeScale: number;
  trace: TraceEvent[];
  /** Items per region of the scenario's table when the session stopped. */
  snapshot: Record<string, Record<string, Item>>;
  /**
   * Present when the session ended with tables besides the scenario's (created by the client, or a
   * scenario's own `tables:`): every table's items by table (the scenario's first), then region.
   */
  tables?: Record<string, Record<string, Record<string, Item>>>;
  endedAt: number;
  /** Present when the trace reached `--max-trace-events`. */
  stopped?: RunStop;
}

export interface SessionOptions extends DriverOptions {
  seed: number;
  /** The trace keeps at most this many events (`--max-trace-events`); later ones are counted, not kept. */
  maxTraceEvents: number;
  /** Wall-clock ms of virtual time 0, for what DynamoDB stamps with real time (TTL, creation times). */
  epochMs: number;
  /** Told once, when the trace reaches `maxTraceEvents`. */
  onTraceFull?: () => void;
  /** Milliseconds a write takes to reach the global secondary indexes (`--index-lag`). Default 0. */
  indexLagMs?: number;
  /** Milliseconds after its TTL expiry an item is deleted (default the scenario's, else 0). */
  ttlDelayMs?: number;
}

/**
 * The trace of a session, bounded: the first `max` events are kept, the rest only counted, so a
 * server left running for days does not grow without end.
 */
export class BoundedTrace implements TraceSink {
  readonly events: TraceEvent[] = [];
  /** Events emitted, kept or not. */
  emitted = 0;
  replicated = 0;
  /** Virtual ms of the first event not kept. */
  fullAt: number | undefined;

  constructor(
    private readonly max: number,
    private readonly onFull?: () => void,
  ) {}

  emit(event: TraceEventInput): void {
    this.emitted++;
    if (event.kind === 'replication-applied') this.replicated++;
    if (this.events.length < this.max) {
      const numbered = event as TraceEvent;
      numbered.seq = this.events.length + 1;
      this.events.push(numbered);
      return;
    }
    if (this.fullAt === undefined) {
      this.fullAt = event.t;
      this.onFull?.();
    }
  }
}

/**
 * One `geosim serve` session: the model's World for the scenario's regions, its faults on the
 * timeline, and each region's DynamoDB endpoint driven on the wall clock. A table created in any
 * region is created in every region (World.call), so every table is a global table.
 */
export class ServeSession {
  readonly world: World;
  readonly trace: BoundedTrace;
  readonly driver: WallClockDriver;
  requests = 0;

  constructor(
    private readonly scenario: ServedScenario,
    private readonly options: SessionOptions,
  ) {
    this.trace = new BoundedTrace(options.maxTraceEvents, options.onTraceFull);
    // Streams on every table and TTL that expires as time passes: a session is a live service, not a run that ends.
    this.world = new World(scenario, new Rng(options.seed), this.trace, { epochMs: options.epochMs, streams: true, ttl: 'always', traceReads: true, holdsAnswers: true, indexLagMs: options.indexLagMs ?? scenario.indexLagMs ?? 0, ttlDelayMs: options.ttlDelayMs ?? scenario.ttlDelayMs ?? 0 });
    const faults = new FaultSchedule(scenario.faults ?? [], this.world, this.trace, new ClientClocks(scenario.clockSkew), scenario.witness);
    faults.start();
    this.driver = new WallClockDriver(this.world, options);
    this.driver.start();
  }

  /**
   * The endpoint of `region` as the HTTP server resolves it: each request runs after the agenda
   * has caught up with the wall clock. A region the session does not serve, or one down in an
   * outage fault, answers an error the SDK shows.
   */
  endpointFor(region: string): DynamoDBEndpoint {
    if (!this.world.replicas.has(region)) {
      const served = this.world.regions.join(', ');
      // an MRSC witness holds the table's replication log, not a replica: DynamoDB has no table there to send a request to
      if (region === this.scenario.witness) throw new DynamoDBError('ResourceNotFoundException', `${region} is this MRSC global table's witness: it holds no replica and serves no requests; geosim serve serves ${served} (set the client's region to one of them)`);
      throw new DynamoDBError('ResourceNotFoundException', `geosim serve has no region ${region}; it serves ${served} (set the client's region to one of them; the regions served are the scenario's, or --regions' when serve runs without one)`);
    }
    return {
      handle: async (operation, input) => {
        // An MRSC write's answer (or its ReplicatedWriteConflictException) reaches the caller after
        // the round trip to the nearest region, as the model's runs have it (local-write.answeredAt).
        let delay = 0;
        try {
          return await this.driver.run(() => {
            this.requests++;
            if (this.world.isRegionDown(region)) {
              this.trace.emit({ kind: 'request-rejected', t: this.world.now, region, eventId: `${operation} (request ${this.requests})`, reason: 'region-outage' });
              // What a client of a region in an outage sees: the service failing (the SDK retries 500s, then gives up).
              throw new DynamoDBError('InternalServerError', `${region} is down (an outage fault of the scenario); requests to it fail until the fault ends`);
            }
            try {
              return this.world.call(region, operation, input);
            } finally {
              delay = this.world.takeAnswerDelay();
            }
          });
        } finally {
          if (delay > 0) await this.driver.after(delay);
        }
      },
    };
  }

  /** Stops the clock (nothing runs afterwards) and returns what happened; `serveReport` makes it a report as `geosim run` reports a run. */
  async stop(): Promise<SessionRecord> {
    await this.driver.stop();
    const s = this.scenario;
    const snapshot: Record<string, Record<string, Item>> = {};
    // The scenario's table: GlobalEventTable, or the first of a served scenario's own `tables:`.
    // (a client may have deleted the scenario's table: then it ends with none)
    const exists = (region: string, name: string) => this.world.replica(region).endpoint.database.tableIfExists(name) !== undefined;
    for (const region of s.regions) snapshot[region] = exists(region, this.world.primary) ? this.world.replica(region).snapshot(this.world.primary) : {};
    // every table exists in every region (a global table): the first region's list names them all
    const names = this.world.replica(s.regions[0]!).endpoint.database.tableNames().filter((name) => name !== this.world.primary);
    let tables: SessionRecord['tables'];
    if (names.length > 0) {
      tables = { [this.world.primary]: snapshot };
      for (const name of names) {
        const items: Record<string, Record<string, Item>> = {};
        for (const region of s.regions) items[region] = this.world.replica(region).snapshot(name);
        tables[name] = items;
      }
    }
    return {
      scenario: s,
      ...(tables !== undefined ? { tables } : {}),
      seed: this.options.seed,
      timeScale: this.options.timeScale,
      trace: this.trace.events,
      snapshot,
      endedAt: this.world.now,
      ...(this.trace.fullAt !== undefined ? { stopped: { limit: 'trace-events' as const, at: this.trace.fullAt, maxTraceEvents: this.options.maxTraceEvents } } : {}),
    };
  }
}
