/**
 * The model as a library: a global table's regions, each a DynamoDB endpoint, in virtual time.
 * Any code written for DynamoDB talks to it through the AWS SDK (in-process, no socket); time moves
 * only when the caller says so, so a test can stop between a write and its replication.
 *
 * @example
 * ```ts
 * import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
 * import { GlobalTables } from 'geosim';
 *
 * const model = new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], lag: 1000 });
 * const client = (region: string) => new DynamoDBClient({ region, requestHandler: model.requestHandler, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * await client('us-east-1').send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: 'o-1' } } }));
 * await client('eu-west-1').send(new GetItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: 'o-1' } } })); // no Item yet
 * await model.advance(1000); // replication arrives
 * ```
 */
import type { DynamoDBEndpoint } from '../dynamodb/endpoint.js';
import { DynamoDBError } from '../dynamodb/errors.js';
import { createInProcessRequestHandler, inProcessClientConfig, type InProcessRequestHandler } from '../dynamodb/sdk-request-handler.js';
import type { LagSpec, TieBreak } from '../scenario/model.js';
import { durationMs, lag as lagSchema, regionName, TIE_BREAKS, UNCHANGED_WRITES } from '../scenario/schema.js';
import { toLag } from '../scenario/to-scenario.js';
import type { TraceEvent } from '../trace/events.js';
import { TraceRecorder } from '../trace/recorder.js';
import { Rng } from './rng.js';
import { World } from './world.js';

export interface GlobalTablesOptions {
  /** The regions of every table, e.g. `['us-east-1', 'eu-west-1']`; requests signed for another region are refused. */
  regions: string[];
  /** Replication lag of every directed pair of regions: ms (fixed) or a distribution. Default 1000 ms. */
  lag?: number | LagSpec;
  /** Seeds the lag distributions: same seed, same run. Default 1. */
  seed?: number;
  /** Which region wins a last-writer-wins tie (same ms). Default `higher-region`. */
  tieBreak?: TieBreak;
  /** Merge quick changes to an item in flight into one replicated write. Default false. */
  coalesce?: boolean;
  /** A write that leaves its item as it was: `replicate` (a new version that replicates, the default) or `skip` (none; AWS does not say which). */
  unchangedWrites?: (typeof UNCHANGED_WRITES)[number];
  /** Wall-clock ms of virtual time 0 (what TTL compares with). Default 2026-01-01T00:00:00Z. */
  epochMs?: number;
  /** Milliseconds a write takes to reach the global secondary indexes (they are eventually consistent; `settle()` waits for them). Default 0. */
  indexLagMs?: number;
  /** Milliseconds after its Time to Live expiry an item is deleted (DynamoDB: within a few days). Default 0: at its expiry. */
  ttlDelayMs?: number;
}

/** Refuses an option that is none of its `choices` (from JavaScript, where the type does not stop a misspelt one). */
function oneOf(name: string, value: string | undefined, choices: readonly string[]): void {
  if (value !== undefined && !choices.includes(value)) throw new RangeError(`${name} takes ${choices.map((t) => `'${t}'`).join(' or ')}, got ${JSON.stringify(value)}`);
}

export class GlobalTables {
  readonly regions: readonly string[];
  readonly world: World;
  /** Everything that happened, in geosim's trace format (what `geosim diagram` and the views read). */
  readonly trace: readonly TraceEvent[];
  /** For `new DynamoDBClient({ region, requestHandler })`: the request goes to the replica of its region. */
  readonly requestHandler: InProcessRequestHandler;

  constructor(options: GlobalTablesOptions) {
    if (!Array.isArray(options.regions) || options.regions.length === 0 || new Set(options.regions).size !== options.regions.length) {
      throw new RangeError(`regions must be distinct and at least one, got ${JSON.stringify(options.regions)}`);
    }
    // as a scenario's regions are checked: a name the SDK would refuse later, deep in a request ("Region not accepted"), is said here
    const misnamed = options.regions.find((r) => typeof r !== 'string' || !regionName.safeParse(r).success);
    if (misnamed !== undefined) {
      throw new RangeError(`regions must be AWS region names such as us-east-1 or eu-west-1, got ${JSON.stringify(misnamed)}`);
    }
    for (const name of ['indexLagMs', 'ttlDelayMs', 'epochMs'] as const) {
      const value = options[name];
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || (name !== 'epochMs' && value < 0))) {
        throw new RangeError(`${name} takes a finite number of ms${name === 'epochMs' ? '' : ' >= 0'}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
      }
    }
    // a misspelt one made the lower region win, silently (the type says so; a JavaScript caller has no type)
    oneOf('tieBreak', options.tieBreak, TIE_BREAKS);
    oneOf('unchangedWrites', options.unchangedWrites, UNCHANGED_WRITES);
    this.regions = [...options.regions];
    const lag = libraryLag(options.lag);
    const links = this.regions.flatMap((from) => this.regions.filter((to) => to !== from).map((to) => ({ from, to, lag })));
    const recorder = new TraceRecorder();
    this.trace = recorder.events;
    const replication = { links, coalesce: options.coalesce ?? false, tieBreak: options.tieBreak ?? 'higher-region', ...(options.unchangedWrites === 'skip' ? { unchangedWrites: 'skip' as const } : {}) } as const;
    // time passes when the caller advances it, so TTL deletes run whenever they are due; tables stream for the Streams API
    this.world = new World({ regions: this.regions as string[], replication }, new Rng(options.seed ?? 1), recorder, {
      epochMs: options.epochMs ?? Date.UTC(2026, 0, 1),
      streams: true,
      ttl: 'always',
      traceReads: true,
      indexLagMs: options.indexLagMs ?? 0,
      ttlDelayMs: options.ttlDelayMs ?? 0,
    });
    this.requestHandler = createInProcessRequestHandler({ endpointFor: (region) => this.endpoint(region), defaultRegion: this.regions[0]! });
  }

  /**
   * The settings of a fast DynamoDBClient (or DocumentClient over it) of one region:
   * `new DynamoDBClient(model.clientConfig('eu-west-1'))`. Its requests are not signed (nothing
   * checks a signature in-process), which takes about a third off each call; the answers are those
   * of any client with `requestHandler`.
   */
  clientConfig(region: string): ReturnType<typeof inProcessClientConfig> {
    return inProcessClientConfig({ region, endpointFor: (r) => this.endpoint(r) });
  }

  /** Virtual ms since the model started. */
  get now(): number {
    return this.world.now;
  }

  /** The DynamoDB endpoint of one region (the direct path, without the SDK). */
  endpoint(region: string): DynamoDBEndpoint {
    if (!this.regions.includes(region)) {
      throw new DynamoDBError('ResourceNotFoundException', `Region ${region} is not a region of this model (${this.regions.join(', ')})`);
    }
    return this.world.endpoint(region);
  }

  /** Moves virtual time forward by `ms`, delivering every replicated write due meanwhile. */
  async advance(ms: number): Promise<void> {
    // Infinity too: the model's clock would stay there, every later write stamped at Infinity
    if (!(ms >= 0 && Number.isFinite(ms))) throw new RangeError(`advance takes a finite number of ms >= 0, got ${ms}`);
    await this.runUntil(this.world.now + ms);
  }

  /**
   * Runs until nothing is in flight, so every region reads what the others wrote, its global
   * secondary indexes included: every replicated write is delivered, and with `indexLagMs` the
   * clock then moves on until the last write (replicated or not) has reached the indexes. Time to
   * Live deletes due by then run too (and replicate, and reach the indexes). A later expiry waits
   * for `advance`: settling does not move the clock to it (an item expiring in a day, an
   * idempotency record, stays). Writes held on a paused link stay held until it is resumed.
   */
  async settle(): Promise<void> {
    for (;;) {
      while (this.world.hasQueuedTask()) await this.world.runNext();
      // An index update is no task on the agenda: a GSI read compares the clock with the write's
      // time. Without this a Query on a GSI right after settle() missed the writes of the last
      // indexLagMs, the very ones a test settles for.
      const indexed = this.world.indexesCurrentAt();
      if (indexed === undefined || indexed <= this.world.now) return;
      // a TTL delete due meanwhile is a write to replicate and index: the loop goes round again
      await this.runUntil(indexed);
    }
  }

  /** Runs everything due up to `until` (replicated writes, TTL deletes), then sets the clock there. */
  private async runUntil(until: number): Promise<void> {
    while (this.world.nextTime() !== undefined && this.world.nextTime()! <= until) await this.world.runNext();
    this.world.now = until;
  }

  /** Stops replication from one region to another (writes keep being accepted, held until resumed). */
  pauseReplication(from: string, to: string): void {
    this.checkLink('pauseReplication', from, to);
    this.world.pauseLink(from, to);
  }

  /** Ends a pause: what the link held is delivered now, in per-item order. */
  resumeReplication(from: string, to: string): void {
    this.checkLink('resumeReplication', from, to);
    this.world.resumeLink(from, to);
    this.world.releaseHeld();
  }

  /** A link is two different regions of the model: a misspelt one would pause nothing, and the test would go on as if it had. */
  private checkLink(method: string, from: string, to: string): void {
    if (this.regions.includes(from) && this.regions.includes(to) && from !== to) return;
    throw new RangeError(`${method} takes two different regions of this model (${this.regions.join(', ')}), got ${JSON.stringify(from)} to ${JSON.stringify(to)}`);
  }
}

/**
 * The lag option checked as a scenario's `replication.lag` is (the same schema): a number of ms, or
 * a distribution in ms; anything else is a RangeError (NaN, a negative number, a uniform whose min
 * is above its max: replication never came, or came at once).
 */
function libraryLag(given: number | LagSpec | undefined): LagSpec {
  const input = given === undefined ? { distribution: 'fixed', ms: 1000 } : typeof given === 'object' && given !== null ? given : { distribution: 'fixed', ms: given };
  const parsed = lagSchema.safeParse(input);
  const backwards = parsed.success && parsed.data.distribution === 'uniform' && durationMs(parsed.data.min) > durationMs(parsed.data.max);
  if (!parsed.success || backwards) {
    const shown = typeof given === 'number' ? String(given) : JSON.stringify(given);
    throw new RangeError(`lag takes ms from 0 to 365 days, or { distribution: 'fixed' | 'uniform' | 'normal' | 'exponential' | 'sequence', ... } in such ms (uniform: min <= max), got ${shown}`);
  }
  return toLag(parsed.data);
}
