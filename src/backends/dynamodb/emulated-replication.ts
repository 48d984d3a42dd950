import { PutItemCommand, DeleteItemCommand, ConditionalCheckFailedException, type DynamoDBClient, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../app/item.js';
import type { Scenario, TieBreak } from '../../scenario/model.js';
import { LinkPauses } from '../../sim/link-pauses.js';
import { ReplicationLink, type Delivery } from '../../sim/replication-link.js';
import type { Rng } from '../../sim/rng.js';
import { beats, concurrent, stampKey, type StoredVersion } from '../../sim/version.js';
import type { TraceEventInput, VersionStamp } from '../../trace/events.js';
import type { Item as WireItem } from '../../dynamodb/values.js';
import { marshallItem, REP_UPDATE_REGION, REP_UPDATE_TIME, sdkValue, stripHidden, unmarshallRaw, wireValue } from './attribute-codec.js';
import { mapAwsError } from './errors.js';
import { ExpressionBuilder } from './expression.js';
import { idTarget, scenarioName, type ItemTarget, type SdkKey, type TableKeys } from './item-keys.js';
import type { ChangeRecordRaw } from './stream-reader.js';
import { applyOp, type WriteObservation } from './table-port.js';

/** One of the run's tables in one region (a scenario's `tables:` give each region several). */
export interface RegionTable extends TableKeys {
  region: string;
  client: DynamoDBClient;
  tableName: string;
  endpoint?: string;
}

/** What the replicator needs from the run: scheduling on the wall-clock agenda and a trace sink. */
export interface ReplicationHost {
  now(): number;
  schedule(at: number, task: () => Promise<void>): void;
  emit(event: TraceEventInput): void;
}

/**
 * Replication between regional tables the way global tables version 2017.11.29 did it on top of
 * Streams (aws-semantics §1.7): read each replica's stream, and apply each local change to the
 * other replicas after the scenario's lag, with a conditional write that keeps whole-item
 * last-writer-wins on the hidden `aws:rep:updatetime` / `aws:rep:updateregion` attributes
 * (aws-semantics §1.3). The lag, per-item ordering and coalescing come from the model's own
 * ReplicationLink, so the emulation and the model share one definition of the links.
 *
 * geosim is the only writer of these tables, so it also keeps what it knows of every item's
 * version (stamp, version vector) to tell conflicts from plain overwrites, the way the model does;
 * the service itself keeps no vector.
 */
export class EmulatedReplication {
  /** region + table (as the scenario names it) → that region's table. */
  private readonly tables = new Map<string, RegionTable>();
  /** The scenario's table (the first declared): the one trace events leave unnamed, as the model's. */
  private readonly primary: string;
  private readonly regionIndex = new Map<string, number>();
  private readonly outbound = new Map<string, ReplicationLink[]>();
  private readonly tieBreak: TieBreak;
  /** region|table|id → the version the region's table holds, as far as geosim wrote it (null item = deleted). */
  private readonly known = new Map<string, StoredVersion>();
  /** Version vectors by item and stamp, so a stream image's stamp finds its vector. */
  private readonly clocks = new Map<string, number[]>();
  /** region|id → stamps of local deletes whose REMOVE record has not been read yet. */
  private readonly localDeletes = new Map<string, VersionStamp[]>();
  /** region|id → replicated deletes applied whose REMOVE record has not been read yet. */
  private readonly appliedRemoves = new Map<string, number>();
  /** region|id|stamp → virtual time a replicated write landed (for stream consumers' timing). */
  private readonly appliedAt = new Map<string, number>();
  private readonly expected = new Map<string, number>();
  private readonly seen = new Map<string, number>();
  private inFlight = 0;
  /** Paused links and the deliveries they hold: the model's own LinkPauses. */
  private readonly pauses = new LinkPauses<{ link: ReplicationLink; delivery: Delivery }>();
  private releases: Promise<void> = Promise.resolve();
  /** Releases whose writes are still being applied. */
  private releasesInFlight = 0;
  /** Stream records waiting for geosim to note the write behind them, per region, in stream order. */
  private readonly parked = new Map<string, Array<{ record: ChangeRecordRaw; consumers: ((at: number) => void) | undefined }>>();

  constructor(
    scenario: Pick<Scenario, 'regions' | 'replication'>,
    tables: RegionTable[],
    private readonly rng: Rng,
    private readonly host: ReplicationHost,
  ) {
    scenario.regions.forEach((region, i) => {
      this.regionIndex.set(region, i);
      this.outbound.set(region, []);
      this.expected.set(region, 0);
      this.seen.set(region, 0);
    });
    for (const table of tables) this.tables.set(tableKey(table.region, scenarioName(table)), table);
    this.primary = tables.length > 0 ? scenarioName(tables[0]!) : '';
    // Each link draws its lags from its own stream of the seed (ReplicationLink), so the model and
    // the DynamoDB backend draw the same lags, and no fault's chances shift them.
    for (const link of scenario.replication.links) {
      this.outbound.get(link.from)!.push(new ReplicationLink(link.from, link.to, link.lag, this.rng, scenario.replication.coalesce));
    }
    this.tieBreak = scenario.replication.tieBreak;
  }

  /** The stamp for a local write to `id` in `region`: now, kept strictly increasing per item as the model does. */
  stamp(region: string, id: string, table: string = this.primary): VersionStamp {
    let ts = this.host.now();
    const previous = this.known.get(key(region, { table, id }));
    if (previous && !beats({ ts, region }, previous.stamp, this.tieBreak)) ts = previous.stamp.ts + 1;
    return { ts, region };
  }

  /** Port observer for `region`: records local writes (trace + bookkeeping). */
  observe(region: string, observation: WriteObservation, origin: { cause?: string; caller?: string }): void {
    if (observation.kind !== 'written') return; // refusals are traced by the run, which knows the cause
    // The built-in application's port writes GlobalEventTable's items by Id; requests name their item.
    const target = observation.target ?? idTarget(this.table(region, this.primary), observation.op.kind === 'put' ? observation.op.item.Id : observation.op.id);
    const t = this.host.now();
    const stamp = observation.stamp!;
    const previous = this.known.get(key(region, target));
    // Inside a transaction the API returns no images; geosim wrote every version of this table, so
    // its own record of the item is the pre-image.
    const before = observation.before !== undefined ? observation.before : (previous?.item ?? null);
    const after = observation.after !== undefined ? observation.after : (applyOp(observation.op, before ?? undefined) ?? null);
    if (before === null && after === null) return; // deleting nothing changes nothing and streams nothing
    const clock = previous ? previous.clock.slice() : new Array<number>(this.regionIndex.size).fill(0);
    clock[this.regionIndex.get(region)!]!++;
    this.known.set(key(region, target), { item: after, stamp, clock });
    this.clocks.set(versionKey(target, stamp), clock);
    this.bump(this.expected, region);
    if (after === null) push(this.localDeletes, key(region, target), stamp);
    this.host.emit({
      kind: 'local-write',
      t,
      region,
      itemId: target.id,
      ...this.onTable(target.table),
      op: observation.op.kind,
      before,
      after,
      version: stamp,
      ...origin,
      ...(observation.transaction !== undefined ? { transaction: observation.transaction } : {}),
    });
    // Only now may this write's stream record (if already read) be replicated.
    this.drainParked(region);
  }

  /**
   * A record read from `region`'s stream. A change that originated here is sent on every outbound
   * link; one that arrived by replication is not sent again. `consumers` is called with the
   * virtual time of the write the record shows, before the change is replicated (the model's order).
   *
   * The stream can deliver a record before the request that caused it has returned to geosim; such
   * a record waits (and every later record of its region with it, to keep the stream's order) until
   * geosim has noted that write, so it is classified and timed from geosim's own bookkeeping.
   */
  onRecord(record: ChangeRecordRaw, consumers?: (at: number) => void): void {
    let queue = this.parked.get(record.region);
    if (!queue) this.parked.set(record.region, (queue = []));
    queue.push({ record, consumers });
    this.drainParked(record.region);
  }

  private drainParked(region: string): void {
    const queue = this.parked.get(region);
    while (queue !== undefined && queue.length > 0 && this.ready(queue[0]!.record)) {
      const { record, consumers } = queue.shift()!;
      this.process(record, consumers);
    }
  }

  /** Whether geosim has noted the write behind a record (its response came back). */
  private ready(record: ChangeRecordRaw): boolean {
    const k = key(record.region, targetOfRecord(record));
    if (record.eventName === 'REMOVE') return (this.appliedRemoves.get(k) ?? 0) > 0 || (this.localDeletes.get(k)?.length ?? 0) > 0;
    const stamp = stampOf(record.newImage);
    if (stamp === undefined) return true; // not written by geosim: nothing to wait for
    return stamp.region === record.region ? this.clocks.has(versionKey(targetOfRecord(record), stamp)) : this.appliedAt.has(`${k}|${stampKey(stamp)}`);
  }

  private process(record: ChangeRecordRaw, consumers: ((at: number) => void) | undefined): void {
    const { region } = record;
    const target = targetOfRecord(record);
    const k = key(region, target);
    this.bump(this.seen, region);
    let stamp: VersionStamp;
    if (record.eventName === 'REMOVE') {
      const applied = this.appliedRemoves.get(k) ?? 0;
      if (applied > 0) {
        this.appliedRemoves.set(k, applied - 1);
        consumers?.(this.host.now());
        return;
      }
      stamp = this.localDeletes.get(k)!.shift()!;
    } else {
      const s = stampOf(record.newImage);
      if (s !== undefined && s.region !== region) {
        consumers?.(this.appliedAt.get(`${k}|${stampKey(s)}`)!);
        return;
      }
      stamp = s ?? { ts: this.host.now(), region };
    }
    consumers?.(stamp.ts);
    const clock = this.clocks.get(versionKey(target, stamp)) ?? new Array<number>(this.regionIndex.size).fill(0);
    const item = record.eventName === 'REMOVE' || record.newImage === undefined ? null : stripHidden(record.newImage);
    const version: StoredVersion = { item, stamp, clock };
    for (const link of this.outbound.get(region)!) this.send(link, target, version);
  }

  /** True when every write geosim made so far has come back through its table's stream. */
  get caughtUp(): boolean {
    for (const [region, n] of this.expected) if ((this.seen.get(region) ?? 0) < n) return false;
    return true;
  }

  /** Caught up, and no replicated write is waiting to be applied (a paused link may keep holding some). */
  get drained(): boolean {
    return this.inFlight === this.pauses.heldCount && this.caughtUp;
  }

  // ---- faults: paused links, with the model's semantics (src/sim/world.ts, aws-semantics §3) ----

  pauseLink(from: string, to: string): void {
    this.pauses.pause(from, to);
  }

  /** Ends one pause; when none is left, what the link held waits for `releaseHeld`. Returns how many. */
  resumeLink(from: string, to: string): number {
    return this.pauses.resume(from, to);
  }

  /**
   * Applies what resumed links held, at once and in the order it reached each link (per-item order,
   * §1.2). The model does this synchronously inside the fault transition; here the writes are
   * requests, so the caller awaits `settleReleases()` before anything else happens at this time.
   */
  releaseHeld(): void {
    const released = this.pauses.takeReleased();
    if (released.length === 0) return;
    const previous = this.releases;
    this.releasesInFlight++;
    this.releases = (async () => {
      try {
        await previous;
        for (const { link, delivery } of released) await this.deliverTracked(link, delivery);
      } finally {
        this.releasesInFlight--;
      }
    })();
  }

  /** Whether held writes a resumed link released are still being applied (see `settleReleases`). */
  get releasing(): boolean {
    return this.releasesInFlight > 0;
  }

  settleReleases(): Promise<void> {
    return this.releases;
  }

  /** Regions whose stream is short of records, for an error message. */
  lagging(): string[] {
    return [...this.expected].filter(([r, n]) => (this.seen.get(r) ?? 0) < n).map(([r, n]) => `${r} (${this.seen.get(r) ?? 0} of ${n} records)`);
  }

  private send(link: ReplicationLink, target: ItemTarget, version: StoredVersion): void {
    // Per-item order and coalescing go by table and key; the trace names the key string (and the table, if not the first).
    const ref = { table: target.table, key: wireValue(target.key) as WireItem, itemId: target.id };
    const { delivery, coalesced } = link.send(version.stamp.ts, `${target.table}\u0000${target.id}`, version, ref);
    const itemId = target.id;
    const table = this.onTable(target.table);
    if (coalesced) {
      this.host.emit({ kind: 'replication-coalesced', t: version.stamp.ts, from: link.from, to: link.to, itemId, ...table, dropped: coalesced.stamp, by: version.stamp });
      return;
    }
    this.host.emit({ kind: 'replication-sent', t: version.stamp.ts, from: link.from, to: link.to, itemId, ...table, version: version.stamp, arrivesAt: delivery.arrival });
    this.inFlight++;
    this.host.schedule(delivery.arrival, () => this.deliverTracked(link, delivery));
  }

  private async deliverTracked(link: ReplicationLink, delivery: Delivery): Promise<void> {
    if (this.pauses.isPaused(link.from, link.to)) {
      // Held by a paused link: still in flight, applied when the pause ends.
      this.pauses.hold(link.from, link.to, { link, delivery });
      // As the model's World: the write arrives late, and the trace says since when (the views' "late: held since").
      delivery.heldSince ??= this.host.now();
      const target = deliveryTarget(delivery);
      this.host.emit({ kind: 'replication-held', t: this.host.now(), from: link.from, to: link.to, itemId: target.id, ...this.onTable(target.table), version: delivery.version.stamp });
      return;
    }
    try {
      await this.deliver(link, delivery);
    } finally {
      this.inFlight--;
    }
  }

  /** Applies a replicated write if it is newer than the receiver's item (aws-semantics §1.3). */
  private async deliver(link: ReplicationLink, delivery: Delivery): Promise<void> {
    link.delivered(delivery);
    const incoming = delivery.version;
    const target = deliveryTarget(delivery);
    const table = this.table(link.to, target.table);
    const t = this.host.now();
    const current = this.known.get(key(link.to, target));
    const conflict = current !== undefined && concurrent(current.clock, incoming.clock);
    // A deleted item leaves no attribute to compare against; geosim keeps its tombstone instead.
    if (current && current.item === null && !beats(incoming.stamp, current.stamp, this.tieBreak)) {
      this.discarded(link, target, incoming, current.item, current.stamp, conflict, t, delivery.heldSince);
      return;
    }
    const builder = new ExpressionBuilder();
    const time = builder.name(REP_UPDATE_TIME);
    const region = builder.name(REP_UPDATE_REGION);
    const ts = builder.value(incoming.stamp.ts);
    const from = builder.value(incoming.stamp.region);
    const tieWins = this.tieBreak === 'higher-region' ? '<' : '>';
    const condition = `attribute_not_exists(${time}) OR ${time} < ${ts} OR (${time} = ${ts} AND ${region} ${tieWins} ${from})`;
    let old: Record<string, SdkAttributeValue> | undefined;
    try {
      if (incoming.item !== null) {
        const item = { ...incoming.item, [REP_UPDATE_TIME]: incoming.stamp.ts, [REP_UPDATE_REGION]: incoming.stamp.region } as Item;
        old = (
          await table.client.send(
            new PutItemCommand({
              TableName: table.tableName,
              Item: marshallItem(item),
              ConditionExpression: condition,
              ReturnValues: 'ALL_OLD',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              ...builder.attributes(),
            }),
          )
        ).Attributes;
        this.bump(this.expected, link.to);
      } else {
        old = (
          await table.client.send(
            new DeleteItemCommand({
              TableName: table.tableName,
              Key: target.key,
              ConditionExpression: condition,
              ReturnValues: 'ALL_OLD',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              ...builder.attributes(),
            }),
          )
        ).Attributes;
        if (old !== undefined && Object.keys(old).length > 0) {
          this.bump(this.expected, link.to);
          this.appliedRemoves.set(key(link.to, target), (this.appliedRemoves.get(key(link.to, target)) ?? 0) + 1);
        }
      }
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const kept = unmarshallRaw(error.Item);
        const keptStamp = stampOf(kept) ?? current?.stamp ?? { ts: 0, region: link.to };
        this.discarded(link, target, incoming, kept ? stripHidden(kept) : null, keptStamp, conflict, t, delivery.heldSince);
        return;
      }
      throw mapAwsError(error, { operation: incoming.item ? 'PutItem' : 'DeleteItem', region: link.to, tableName: table.tableName, ...(table.endpoint ? { endpoint: table.endpoint } : {}) });
    }
    const beforeRaw = unmarshallRaw(old);
    this.known.set(key(link.to, target), incoming);
    this.appliedAt.set(`${key(link.to, target)}|${stampKey(incoming.stamp)}`, t);
    this.drainParked(link.to);
    const replaced = stampOf(beforeRaw) ?? current?.stamp;
    this.host.emit({
      kind: 'replication-applied',
      t,
      from: link.from,
      to: link.to,
      itemId: target.id,
      ...this.onTable(target.table),
      before: beforeRaw ? stripHidden(beforeRaw) : null,
      after: incoming.item,
      version: incoming.stamp,
      conflict, // the model's order of fields, so the JSON trace reads the same on both backends
      ...(replaced ? { replacedVersion: replaced } : {}),
      ...(delivery.heldSince !== undefined ? { heldSince: delivery.heldSince } : {}),
    });
  }

  private discarded(link: ReplicationLink, target: ItemTarget, incoming: StoredVersion, kept: Item | null, keptStamp: VersionStamp, conflict: boolean, t: number, heldSince: number | undefined): void {
    this.host.emit({
      kind: 'replication-discarded',
      t,
      from: link.from,
      to: link.to,
      itemId: target.id,
      ...this.onTable(target.table),
      incoming: incoming.item,
      kept,
      incomingVersion: incoming.stamp,
      keptVersion: keptStamp,
      reason: incoming.stamp.ts === keptStamp.ts ? 'tie-lost' : 'older',
      conflict,
      ...(heldSince !== undefined ? { heldSince } : {}),
    });
  }

  /** A region's table, by the name the scenario gives it. */
  private table(region: string, name: string): RegionTable {
    const table = this.tables.get(tableKey(region, name));
    if (table === undefined) throw new Error(`no table ${name} in ${region}`);
    return table;
  }

  /** Trace events name the table only when it is not the scenario's own (the first declared), as the model's. */
  private onTable(table: string): { table?: string } {
    return table === this.primary ? {} : { table };
  }

  private bump(counter: Map<string, number>, region: string): void {
    counter.set(region, (counter.get(region) ?? 0) + 1);
  }
}

function tableKey(region: string, table: string): string {
  return `${region}\u0000${table}`;
}

/** An item's place in one region: NUL-separated, since a key string may hold `|` (`pk|sk`). */
function key(region: string, target: Pick<ItemTarget, 'table' | 'id'>): string {
  return `${region}\u0000${target.table}\u0000${target.id}`;
}

function versionKey(target: Pick<ItemTarget, 'table' | 'id'>, stamp: VersionStamp): string {
  return `${target.table}\u0000${target.id}|${stampKey(stamp)}`;
}

function targetOfRecord(record: ChangeRecordRaw): ItemTarget {
  return { table: record.table, id: record.itemId, key: record.key };
}

function deliveryTarget(delivery: Delivery): ItemTarget {
  const ref = delivery.ref!;
  return { table: ref.table, id: ref.itemId, key: sdkValue(ref.key) as SdkKey };
}

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}

/** The 2017.11.29 stamp on an item image, if it has one. */
export function stampOf(image: Item | undefined): VersionStamp | undefined {
  if (image === undefined) return undefined;
  const ts = image[REP_UPDATE_TIME];
  const region = image[REP_UPDATE_REGION];
  return typeof ts === 'number' && typeof region === 'string' ? { ts, region } : undefined;
}

