import { and, equals, evaluateCondition, lessThan, notExists, or, type Condition } from './condition.js';
import { addNumbers } from './numbers.js';
import type { AppEvent } from './event.js';
import { idempotencyRecordId, type AttributeValue, type Item } from './item.js';
import type { TablePort, WriteOp } from './table-port.js';
import { TableOperationError } from './table-errors.js';

import { mergeItems, strategyWrite, type DataMerge } from './merges.js';
import { isMergeStrategy, type MergeStrategy, type Strategy } from './strategies.js';
import { concurrent, dominates, versionVector, VERSION_VECTOR } from './version-vector.js';

// The strategy list lives in strategies.ts; importers of this module keep finding it here.
export { DEFAULT_STRATEGY, STRATEGIES, type Strategy } from './strategies.js';
/** The idempotency designs: the one list. */
export const IDEMPOTENCY_MODES = ['none', 'local', 'home-region'] as const;
export type IdempotencyMode = (typeof IDEMPOTENCY_MODES)[number];
export const DEFAULT_IDEMPOTENCY: IdempotencyMode = 'local';

export interface EventProcessorOptions {
  /** The local region's table. */
  table: TablePort;
  strategy: Strategy;
  idempotency: {
    mode: IdempotencyMode;
    /** Lifetime of an idempotency record (the table's TTL attribute `ExpiresAt`). */
    ttlSeconds: number;
    /** For `home-region`: the table of the region that owns a key's idempotency record. */
    homeTable?: (key: string) => TablePort;
  };
  /** Extra conditional-write attempts after a version conflict (`version` strategy). */
  maxRetries: number;
  /** The processor's clock, epoch ms: virtual time in the model, Date.now in Lambda. */
  now: () => number;
  /**
   * The global table's consistency mode (default 'mrec'). On 'mrsc' with `local` idempotency the
   * processor writes no transaction (MRSC refuses them): see processEventMrsc.
   */
  consistency?: 'mrec' | 'mrsc';
  /** The `custom` strategy's merge function (application.merge). */
  merge?: DataMerge | undefined;
}

/** A data item's write for one attempt (planDataWrite). */
interface PlannedWrite {
  dataWrite: WriteOp;
  own?: Item | undefined;
}

export interface ProcessResult {
  outcome: 'applied' | 'duplicate' | 'superseded' | 'failed';
  /** Conditional data-write attempts made. */
  attempts: number;
  detail?: string | undefined;
  /** The invocation failed (a team's handler threw or timed out), whatever it did before. */
  failure?: { error: 'throw' | 'timeout' | 'function-error'; message: string } | undefined;
}

/**
 * Processes one event exactly once per region: an idempotency check and a conditional, versioned
 * write of the data item, behind the table port so the same code runs in the model, in Lambda and
 * against DynamoDB.
 *
 * With `local` idempotency the record and the change are one TransactWriteItems (one round trip for
 * a new event and one for a duplicate). The record is region-local on MREC (aws-semantics §1.5,
 * §4): a retry that lands in another region inside the replication window is not seen as a
 * duplicate. `home-region` closes that window by writing every key's record in one region.
 */
export class EventProcessor {
  /**
   * Merge strategies: the last version of each item this region wrote. Replication can replace it
   * (last-writer-wins) with a concurrent version before the stream consumer merges it back; a
   * write in that window builds on the merge of both, so this region's own counts (its version
   * vector entry, its counter components) never go back. In memory: a Lambda instance's cache in
   * AWS (a fresh instance relies on the stream consumer alone).
   */
  private readonly ownVersions = new Map<string, Item>();

  constructor(private readonly options: EventProcessorOptions) {}

  /**
   * Not an async function: it only picks the design's path, each a promise of its own (a wrapper
   * awaiting it added a promise and a microtask turn per event of a model run).
   */
  processEvent(event: AppEvent): Promise<ProcessResult> {
    const { idempotency } = this.options;
    if (this.options.consistency === 'mrsc' && idempotency.mode === 'local') return this.processEventMrsc(event);
    if (idempotency.mode === 'home-region') return this.processEventHomeRegion(event);
    return this.writeData(event);
  }

  /** `home-region` idempotency: the record claimed in the key's home region first, then the data write. */
  private async processEventHomeRegion(event: AppEvent): Promise<ProcessResult> {
    const home = this.options.idempotency.homeTable?.(event.idempotencyKey) ?? this.options.table;
    let claimed;
    try {
      claimed = await home.write(this.idempotencyPut(event));
    } catch (error) {
      if (!(error instanceof TableOperationError)) throw error;
      return { outcome: 'failed', attempts: 0, detail: `idempotency record refused in home region ${home.region}: ${error.info.name}` };
    }
    if (!claimed.ok) return { outcome: 'duplicate', attempts: 0, detail: `record in home region ${home.region}, ${recordedBy(claimed.current) ?? 'by an earlier attempt'}` };
    return this.writeData(event);
  }

  /**
   * The data write, with the idempotency record in one transaction (`local`), tried again as the
   * strategy says. DynamoDB refusing the write itself (an MRSC region without quorum; the SDK's
   * retries are over) fails the event, as the processor says, not the run (it ended geosim, exit 70).
   *
   * Not an async function: each attempt is a `then` on the port's answer, about half the garbage of
   * an async function awaiting it (every event of a run writes here). Every promise of an attempt
   * ends in `dataWriteRefused`, as the one `try` around the attempts did.
   */
  private writeData(event: AppEvent, attempt = 1): Promise<ProcessResult> {
    let planned: PlannedWrite | Promise<PlannedWrite>;
    try {
      planned = this.planDataWrite(event);
    } catch (error) {
      return Promise.reject(error).then(undefined, dataWriteRefused);
    }
    return planned instanceof Promise ? planned.then((p) => this.writePlanned(event, attempt, p), dataWriteRefused) : this.writePlanned(event, attempt, planned);
  }

  /** One attempt's write, once planned (see writeData). */
  private writePlanned(event: AppEvent, attempt: number, { dataWrite, own }: PlannedWrite): Promise<ProcessResult> {
    const table = this.options.table;
    if (this.options.idempotency.mode === 'local') {
      return table.transactWrite([this.idempotencyPut(event), dataWrite]).then((result) => {
        if (result.ok) return this.applied(own, attempt);
        const [recordReason, dataReason] = result.reasons;
        if (recordReason?.code === 'ConditionalCheckFailed') {
          return { outcome: 'duplicate', attempts: attempt, detail: recordedBy(recordReason.current) };
        }
        return this.retryOrEnd(event, attempt, dataReason?.code === 'ConditionalCheckFailed' ? dataReason.current : undefined);
      }, dataWriteRefused);
    }
    return table.write(dataWrite).then((result) => (result.ok ? this.applied(own, attempt) : this.retryOrEnd(event, attempt, result.current)), dataWriteRefused);
  }

  private applied(own: Item | undefined, attempt: number): ProcessResult {
    if (own) this.ownVersions.set(own.Id, own);
    return { outcome: 'applied', attempts: attempt };
  }

  /** After a data write whose condition failed: the final result, or the next attempt. */
  private retryOrEnd(event: AppEvent, attempt: number, current: Item | undefined): Promise<ProcessResult> {
    return this.afterDataConditionFailed(event, attempt, current).then((decided) => decided ?? this.writeData(event, attempt + 1), dataWriteRefused);
  }

  /**
   * The data item's write for this attempt, as the strategy makes it, and (merge strategies) the
   * item it leaves, kept as this region's own once the write succeeds. Not a promise when nothing
   * was read (client-lww's plain write, the model's most common): no async frame and no microtask
   * turn per event for it.
   */
  private planDataWrite(event: AppEvent): PlannedWrite | Promise<PlannedWrite> {
    const strategy = this.options.strategy;
    if (isMergeStrategy(strategy)) return this.mergeStrategyWrite(strategy, event).then(({ op, written }) => ({ dataWrite: op, own: written }));
    if (event.add !== undefined) return this.incrementPlan(event).then((plan) => ({ dataWrite: this.dataWrite(event, plan.condition, plan.data) }));
    const pending = this.dataCondition(event);
    return pending instanceof Promise ? pending.then((condition) => ({ dataWrite: this.dataWrite(event, condition) })) : { dataWrite: this.dataWrite(event, pending) };
  }

  /** Returns the final result, or undefined to try again. */
  private async afterDataConditionFailed(event: AppEvent, attempt: number, current: Item | undefined): Promise<ProcessResult | undefined> {
    // An increment's write also holds if the item is still the one it read: when only that part
    // failed (the item moved on, the client writer is still older), it reads again and retries.
    if (this.options.strategy === 'client-lww' && !this.incrementOnly(event, current)) {
      // A newer client write is already here: this event is history. Remember its key so a retry is a duplicate.
      if (this.options.idempotency.mode === 'local') await this.options.table.write(this.idempotencyPut(event));
      return { outcome: 'superseded', attempts: attempt, detail: keptDetail(event, current) };
    }
    if (attempt > this.options.maxRetries) {
      return { outcome: 'failed', attempts: attempt, detail: `version conflict after ${attempt} attempts` };
    }
    return undefined;
  }

  /** An increment's write failed only because the item moved on since it was read (its client writer is still older): read again and retry. */
  private incrementOnly(event: AppEvent, current: Item | undefined): boolean {
    return event.add !== undefined && current !== undefined && evaluateCondition(this.clientLwwCondition(event), current);
  }

  /**
   * `local` idempotency on an MRSC global table (no TransactWriteItems there): a conditional put of
   * the idempotency record, which every region sees at once (so a retry in another region IS a
   * duplicate), then the data write. The SDK retries ReplicatedWriteConflictException on its own
   * (the port); when a write still fails, the record is released so a retry of the event is not
   * taken for a duplicate of a change that never happened.
   */
  private async processEventMrsc(event: AppEvent): Promise<ProcessResult> {
    const table = this.options.table;
    let claimed;
    try {
      claimed = await table.write(this.idempotencyPut(event));
    } catch (error) {
      if (!(error instanceof TableOperationError)) throw error;
      return { outcome: 'failed', attempts: 0, detail: `idempotency record refused: ${error.info.name}` };
    }
    if (!claimed.ok) return { outcome: 'duplicate', attempts: 0, detail: recordedBy(claimed.current) };
    for (let attempt = 1; ; attempt++) {
      try {
        // the same write as on MREC (an increment or a merge strategy's is a read-modify-write);
        // its reads and condition see the latest version in any region here
        const planned = this.planDataWrite(event);
        const { dataWrite, own } = planned instanceof Promise ? await planned : planned;
        const result = await table.write(dataWrite);
        if (result.ok) {
          if (own) this.ownVersions.set(own.Id, own);
          return { outcome: 'applied', attempts: attempt };
        }
        if (this.options.strategy === 'client-lww' && !this.incrementOnly(event, result.current)) {
          // The record stays: a retry of this event is a duplicate of a superseded one.
          return { outcome: 'superseded', attempts: attempt, detail: keptDetail(event, result.current) };
        }
        if (attempt > this.options.maxRetries) return { outcome: 'failed', attempts: attempt, detail: `version conflict after ${attempt} attempts` };
      } catch (error) {
        if (!(error instanceof TableOperationError)) throw error;
        const refused = await this.releaseRecord(event);
        const record = refused === undefined ? 'idempotency record released' : `idempotency record NOT released (${refused}): a retry of this event will be taken for a duplicate`;
        return { outcome: 'failed', attempts: attempt, detail: `data write refused: ${error.info.name}; ${record}` };
      }
    }
  }

  /** Deletes this event's own idempotency record (best effort): undefined once done, else the name of DynamoDB's refusal (the record stays). */
  private async releaseRecord(event: AppEvent): Promise<string | undefined> {
    try {
      await this.options.table.write({ kind: 'delete', id: idempotencyRecordId(event.idempotencyKey), condition: equals('EventId', event.envelope.eventId) });
      return undefined;
    } catch (error) {
      if (!(error instanceof TableOperationError)) throw error;
      return error.info.name;
    }
  }

  private idempotencyPut(event: AppEvent): WriteOp {
    const Id = idempotencyRecordId(event.idempotencyKey);
    const region = this.options.table.region;
    // MRSC has no TTL: no expiry attribute that would never be acted on. Two literals, not an
    // attribute added after: an object grown past its literal gets a second store (every event writes one).
    const item: Item =
      this.options.consistency === 'mrsc'
        ? { Id, IdempotencyKey: event.idempotencyKey, EventId: event.envelope.eventId, Region: region }
        : { Id, IdempotencyKey: event.idempotencyKey, EventId: event.envelope.eventId, Region: region, ExpiresAt: Math.floor(this.options.now() / 1000) + this.options.idempotency.ttlSeconds };
    return { kind: 'put', item, condition: NO_ITEM };
  }

  /** The data item write: the event's data becomes the item's Data, stamped with region and client time. */
  private dataWrite(event: AppEvent, condition: Condition | undefined, data: Record<string, AttributeValue> = event.data): WriteOp {
    const region = this.options.table.region;
    const set = {
      Data: data,
      LastUpdatedRegion: region,
      Timestamp: event.clientTime,
      IdempotencyKey: event.idempotencyKey,
    };
    return condition ? { kind: 'update', id: event.itemId, set, add: ADD_VERSION, condition } : { kind: 'update', id: event.itemId, set, add: ADD_VERSION };
  }

  /** Only the version strategy needs to read first; the others decide without a round trip. */
  private dataCondition(event: AppEvent): Condition | undefined | Promise<Condition> {
    switch (this.options.strategy) {
      case 'service-lww':
      case 'lww-item':
        return undefined;
      case 'client-lww':
        // Local last-writer-wins on the client clock; cross-region conflicts are repaired from the stream.
        return this.clientLwwCondition(event);
      case 'version':
        return this.versionCondition(event);
      case 'lww-attribute':
      case 'automerge':
      case 'counter':
      case 'custom':
        return undefined; // mergeStrategyWrite decides their writes
    }
  }

  /**
   * A merge strategy's write: a read-modify-write of the local item that counts this region's write
   * in the item's version vector and keeps the strategy's bookkeeping (merges.ts), conditioned on
   * the vector read, so local writes never overwrite each other. Concurrent writes in other regions
   * are merged by the stream consumers (merge-consumer.ts).
   */
  private async mergeStrategyWrite(strategy: MergeStrategy, event: AppEvent): Promise<{ op: WriteOp; written: Item }> {
    const region = this.options.table.region;
    const current = await this.options.table.get(event.itemId, { consistent: true });
    const base = await this.withOwnVersion(strategy, event.itemId, current);
    const set = {
      ...strategyWrite(strategy, base, { data: event.data, add: event.add ?? {}, clientTime: event.clientTime, region }),
      LastUpdatedRegion: region,
      Timestamp: event.clientTime,
      IdempotencyKey: event.idempotencyKey,
    };
    const condition = current === undefined ? notExists('Id') : Object.hasOwn(current, VERSION_VECTOR) ? equals(VERSION_VECTOR, current[VERSION_VECTOR]!) : notExists(VERSION_VECTOR);
    const version = typeof current?.Version === 'number' ? current.Version : 0;
    // The item as this write leaves it, kept as this region's own once the write succeeds.
    const written: Item = { ...current, ...set, Id: event.itemId, Version: version + 1 };
    return { op: { kind: 'update', id: event.itemId, set, add: ADD_VERSION, condition }, written };
  }

  /** What a merge strategy's write builds on: the item read, merged with this region's last own version when replication replaced it. */
  private async withOwnVersion(strategy: MergeStrategy, itemId: string, current: Item | undefined): Promise<Item | undefined> {
    const own = this.ownVersions.get(itemId);
    if (own === undefined || (current !== undefined && dominates(versionVector(current), versionVector(own)))) return current;
    if (current === undefined) return own;
    return concurrent(versionVector(own), versionVector(current)) ? mergeItems(strategy, own, current, this.options.merge) : own;
  }

  private clientLwwCondition(event: AppEvent): Condition {
    return or(
      NO_ITEM,
      lessThan('Timestamp', event.clientTime),
      and(equals('Timestamp', event.clientTime), lessThan('LastUpdatedRegion', this.options.table.region)),
    );
  }

  /**
   * An event with `add`: a read-modify-write of the local item. The new Data keeps what the item
   * holds, sets the event's data and adds its increments; the write holds only if the item is still
   * the one read (its Version), so two local increments never overwrite each other. Across regions
   * the service's last-writer-wins still keeps one whole item: increments are lost there (README
   * "Conflict strategies"), which `counter` is for.
   */
  private async incrementPlan(event: AppEvent): Promise<{ condition: Condition; data: Record<string, AttributeValue> }> {
    const current = await this.options.table.get(event.itemId, { consistent: true });
    const data = incremented(current?.Data, event.data, event.add ?? {});
    const unchanged = typeof current?.Version === 'number' ? equals('Version', current.Version) : notExists('Id');
    return { condition: this.options.strategy === 'client-lww' ? and(this.clientLwwCondition(event), unchanged) : unchanged, data };
  }

  /** Optimistic locking against the local replica only (aws-semantics §1.5). */
  private async versionCondition(event: AppEvent): Promise<Condition> {
    const current = await this.options.table.get(event.itemId, { consistent: true });
    return typeof current?.Version === 'number' ? equals('Version', current.Version) : notExists('Id');
  }
}

/**
 * Parts of every event's writes that hold no value of the event, made once (frozen: a port only
 * reads a write): the condition that the item does not exist yet, and the version's increment.
 */
const NO_ITEM: Condition = Object.freeze(notExists('Id'));
const ADD_VERSION: Readonly<Record<string, number>> = Object.freeze({ Version: 1 });

/** A data write DynamoDB refused (a TableOperationError) fails the event; any other error is the run's. */
function dataWriteRefused(error: unknown): ProcessResult {
  if (!(error instanceof TableOperationError)) throw error;
  return { outcome: 'failed', attempts: 1, detail: `data write refused: ${error.info.name}` };
}

function recordedBy(record: Item | undefined): string | undefined {
  return record ? `first processed in ${String(record.Region)} as ${String(record.EventId)}` : undefined;
}

/** The item's Data after an event: what it held, the event's attributes set, its increments added (absent or not a number = 0). */
export function incremented(current: AttributeValue | undefined, data: Record<string, AttributeValue>, add: Record<string, number>): Record<string, AttributeValue> {
  const held = current !== null && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, AttributeValue>) : {};
  const out: Record<string, AttributeValue> = { ...held, ...data };
  for (const [attribute, n] of Object.entries(add)) {
    const was = out[attribute];
    out[attribute] = addNumbers(typeof was === 'number' ? was : 0, n);
  }
  return out;
}

/**
 * What a superseded event lost to: the client write kept, and, when its client time equals the
 * event's, that it won the tie (the text reads "a newer client write is already here").
 */
function keptDetail(event: AppEvent, current: Item | undefined): string {
  const kept = `kept Timestamp ${String(current?.Timestamp)} from ${String(current?.LastUpdatedRegion)}`;
  return current?.Timestamp === event.clientTime ? `${kept}: the same client time, and that write won the tie` : kept;
}
