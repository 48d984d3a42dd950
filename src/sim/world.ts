import { describeCondition, evaluateCondition, type Condition } from '../app/condition.js';
import type { Item } from '../app/item.js';
import { addNumbers } from '../app/numbers.js';
import { TableOperationError, writeError, type TableErrorInfo } from '../app/table-errors.js';
import { writeOpId, type CancellationReason, type TransactOutcome, type WriteOp, type WriteOutcome } from '../app/table-port.js';
import type { Scenario, TieBreak } from '../scenario/model.js';
import type { LocalWriteTrace, ReplicationAppliedTrace } from '../trace/events.js';
import type { TraceSink } from '../trace/recorder.js';
import { EventQueue } from './event-queue.js';
import { RegionOutages } from './faults/region-outages.js';
import { Replica } from './replica.js';
import { ReplicationLink, type Delivery } from './replication-link.js';
import type { Rng } from './rng.js';
import { beats, concurrent, type StoredVersion } from './version.js';

/** A change as a replica's stream shows it: old and new images, and no origin marker (aws-semantics §1.7). */
export interface StreamRecord {
  region: string;
  itemId: string;
  oldImage: Item | undefined;
  newImage: Item | undefined;
}

export type Task = () => void | Promise<void>;

/**
 * The simulated regions: one replica each, replication links between every pair, a virtual clock
 * and an agenda. Region-local operations here are what a regional DynamoDB endpoint does on an
 * MREC global table (aws-semantics §1): writes are acknowledged locally, conditions see only the
 * local replica, and replication carries each item separately to the other regions.
 */
export class World {
  now = 0;
  /** The event or step being handled, recorded on the writes it causes. */
  cause: string | undefined;
  readonly replicas = new Map<string, Replica>();
  private readonly outbound = new Map<string, ReplicationLink[]>();
  private readonly agenda = new EventQueue<Task>();
  private readonly streamListeners = new Map<string, Array<(record: StreamRecord) => void>>();
  private readonly tieBreak: TieBreak;
  private transactions = 0;
  /** Active replication pauses per directed link `from>to` (faults may overlap), and what they hold. */
  private readonly linkPauses = new Map<string, number>();
  private readonly held = new Map<string, Array<{ link: ReplicationLink; delivery: Delivery }>>();
  private readonly releasing: Array<{ link: ReplicationLink; delivery: Delivery }> = [];
  /** Active outages per region, and the work (stream consumers, Lambda) waiting for it to return. */
  private readonly outages = new RegionOutages((task) => this.schedule(this.now, task));

  constructor(
    scenario: Pick<Scenario, 'regions' | 'replication'>,
    private readonly rng: Rng,
    private readonly trace: TraceSink,
  ) {
    scenario.regions.forEach((region, index) => {
      this.replicas.set(region, new Replica(region, index));
      this.outbound.set(region, []);
    });
    for (const link of scenario.replication.links) {
      this.outbound.get(link.from)!.push(new ReplicationLink(link.from, link.to, link.lag, this.rng, scenario.replication.coalesce));
    }
    this.tieBreak = scenario.replication.tieBreak;
  }

  get regions(): string[] {
    return [...this.replicas.keys()];
  }

  /** The world's seeded RNG: faults drawing chances must use it (never Math.random) to stay repeatable. */
  get random(): Rng {
    return this.rng;
  }

  // ---- faults (issue 7): paused links and regions that are down -------------------------

  /**
   * Stops replication on one directed link until `resumeLink` (aws-semantics §3: FIS denies the
   * replication role on the table and its stream). Writes keep being accepted; what reaches the
   * link meanwhile is held.
   */
  pauseLink(from: string, to: string): void {
    const key = `${from}>${to}`;
    this.linkPauses.set(key, (this.linkPauses.get(key) ?? 0) + 1);
  }

  /**
   * Ends one pause of a link. When no pause is left, the writes it held wait in `releasing` for
   * `releaseHeld` (so the caller can trace the recovery first). Returns how many that adds.
   */
  resumeLink(from: string, to: string): number {
    const key = `${from}>${to}`;
    const left = (this.linkPauses.get(key) ?? 0) - 1;
    if (left > 0) {
      this.linkPauses.set(key, left);
      return 0;
    }
    this.linkPauses.delete(key);
    const held = this.held.get(key) ?? [];
    this.held.delete(key);
    for (const h of held) this.releasing.push(h);
    return held.length;
  }

  /**
   * Delivers the writes resumed links held, at once and in the order they reached each link, so
   * per-item order holds (§1.2) and replication "resumes from the point it was paused" (§3).
   */
  releaseHeld(): void {
    const released = this.releasing.splice(0);
    for (const { link, delivery } of released) this.deliver(link, delivery);
  }

  isLinkPaused(from: string, to: string): boolean {
    return this.linkPauses.has(`${from}>${to}`);
  }

  /** Marks a region down (an outage) or up again; work queued by `whenUp` runs on recovery. */
  setRegionDown(region: string, down: boolean): void {
    this.outages.setDown(region, down);
  }

  isRegionDown(region: string): boolean {
    return this.outages.isDown(region);
  }

  /** Runs `task` now if the region is up, else when its outage ends (its consumers and Lambdas are down too). */
  whenUp(region: string, task: Task): void | Promise<void> {
    return this.outages.whenUp(region, task);
  }

  replica(region: string): Replica {
    const replica = this.replicas.get(region);
    if (!replica) throw new Error(`unknown region ${region}`);
    return replica;
  }

  schedule(at: number, task: Task): void {
    this.agenda.push(Math.max(at, this.now), task);
  }

  /** Time of the next scheduled task, if any. */
  nextTime(): number | undefined {
    return this.agenda.peekTime();
  }

  /** Runs the next task; resolves when it (and everything it awaited) is done. */
  async runNext(): Promise<boolean> {
    const next = this.agenda.pop();
    if (!next) return false;
    this.now = next.time;
    const pending = next.task();
    if (pending) await pending;
    return true;
  }

  /** Subscribes to a region's stream: every local and replicated change, in per-item order. */
  onStream(region: string, listener: (record: StreamRecord) => void): void {
    let listeners = this.streamListeners.get(region);
    if (!listeners) this.streamListeners.set(region, (listeners = []));
    listeners.push(listener);
  }

  // ---- region-local operations: what a regional endpoint does -----------------------------

  write(region: string, op: WriteOp): WriteOutcome {
    const replica = this.replica(region);
    const id = writeOpId(op);
    const previous = replica.version(id);
    const current = previous?.item ?? undefined;
    if (op.condition && !evaluateCondition(op.condition, current)) {
      this.recordConditionFailed(region, id, op.condition, current, undefined);
      return { ok: false, reason: 'condition-failed', current };
    }
    // Checked after the condition, as DynamoDB does: a false condition answers first.
    const error = writeError(op, current);
    if (error) this.refuse(region, op, error, current, undefined);
    const after = applyOp(op, current);
    this.commit(replica, id, op.kind, previous, after, undefined);
    return { ok: true, item: after ?? undefined };
  }

  /** TransactWriteItems: all conditions checked, then all writes, atomically in this region only. */
  transact(region: string, ops: WriteOp[]): TransactOutcome {
    const replica = this.replica(region);
    const transaction = `tx${++this.transactions}`;
    const previous = ops.map((op) => replica.version(writeOpId(op)));
    const currents = previous.map((v) => v?.item ?? undefined);
    const failed = ops.map((op, i) => op.condition !== undefined && !evaluateCondition(op.condition, currents[i]));
    // An operation DynamoDB refuses (its own condition passing) fails the whole request with that
    // exception, whatever the other operations' conditions say (checked against DynamoDB Local).
    const refused = ops.findIndex((op, i) => !failed[i] && writeError(op, currents[i]) !== undefined);
    if (refused >= 0) this.refuse(region, ops[refused]!, writeError(ops[refused]!, currents[refused])!, currents[refused], transaction);
    if (failed.some(Boolean)) {
      ops.forEach((op, i) => {
        if (failed[i]) this.recordConditionFailed(region, writeOpId(op), op.condition!, currents[i], transaction);
      });
      const reasons: CancellationReason[] = failed.map((f, i) => (f ? { code: 'ConditionalCheckFailed', current: currents[i] } : { code: 'None' }));
      return { ok: false, reasons };
    }
    // Each item is then replicated on its own (aws-semantics §1.6): other regions can see part of it.
    ops.forEach((op, i) => this.commit(replica, writeOpId(op), op.kind, previous[i], applyOp(op, currents[i]), transaction));
    return { ok: true };
  }

  /** Traces a write DynamoDB refuses (the item stays as it is) and throws what the SDK would. */
  private refuse(region: string, op: WriteOp, error: TableErrorInfo, current: Item | undefined, transaction: string | undefined): never {
    this.trace.emit({
      kind: 'operation-failed',
      t: this.now,
      region,
      itemId: writeOpId(op),
      op: op.kind,
      error,
      current: current ?? null,
      ...(this.cause !== undefined ? { cause: this.cause } : {}),
      ...(transaction ? { transaction } : {}),
    });
    throw new TableOperationError(error);
  }

  private recordConditionFailed(region: string, itemId: string, condition: Condition, current: Item | undefined, transaction: string | undefined): void {
    this.trace.emit({
      kind: 'condition-failed',
      t: this.now,
      region,
      itemId,
      condition: describeCondition(condition),
      current: current ?? null,
      ...(this.cause !== undefined ? { cause: this.cause } : {}),
      ...(transaction ? { transaction } : {}),
    });
  }

  /** Stores a local write over `previous` (the version the caller already looked up). */
  private commit(replica: Replica, id: string, op: WriteOp['kind'], previous: StoredVersion | undefined, after: Item | null, transaction: string | undefined): void {
    const before = previous?.item ?? undefined;
    if (before === undefined && after === null) return; // deleting nothing changes nothing and streams nothing
    let ts = this.now;
    // A region's own writes to an item always supersede what it holds; keep its timestamps strictly
    // increasing per item so last-writer-wins elsewhere agrees with what this region did.
    if (previous && !beats({ ts, region: replica.region }, previous.stamp, this.tieBreak)) ts = previous.stamp.ts + 1;
    const clock = previous ? previous.clock.slice() : new Array<number>(this.replicas.size).fill(0);
    clock[replica.index]!++;
    const version: StoredVersion = { item: after, stamp: { ts, region: replica.region }, clock };
    replica.store(id, version);
    const event: LocalWriteTrace = { seq: 0, kind: 'local-write', t: this.now, region: replica.region, itemId: id, op, before: before ?? null, after, version: version.stamp };
    if (this.cause !== undefined) event.cause = this.cause;
    if (transaction) event.transaction = transaction;
    this.trace.emit(event);
    this.publish(replica.region, id, before, after ?? undefined);
    for (const link of this.outbound.get(replica.region)!) this.replicate(link, id, version);
  }

  private replicate(link: ReplicationLink, id: string, version: StoredVersion): void {
    const { delivery, coalesced } = link.send(this.now, id, version);
    if (coalesced) {
      this.trace.emit({ kind: 'replication-coalesced', t: this.now, from: link.from, to: link.to, itemId: id, dropped: coalesced.stamp, by: version.stamp });
      return;
    }
    this.trace.emit({ kind: 'replication-sent', t: this.now, from: link.from, to: link.to, itemId: id, version: version.stamp, arrivesAt: delivery.arrival });
    this.agenda.push(delivery.arrival, () => this.deliver(link, delivery));
  }

  /** A replicated write arrives: kept only if newer than the receiver's item (aws-semantics §1.3). */
  private deliver(link: ReplicationLink, delivery: Delivery): void {
    if (this.linkPauses.size > 0 && this.isLinkPaused(link.from, link.to)) {
      const key = `${link.from}>${link.to}`;
      let held = this.held.get(key);
      if (!held) this.held.set(key, (held = []));
      held.push({ link, delivery });
      delivery.heldSince ??= this.now;
      this.trace.emit({ kind: 'replication-held', t: this.now, from: link.from, to: link.to, itemId: delivery.itemId, version: delivery.version.stamp });
      return;
    }
    link.delivered(delivery);
    const receiver = this.replica(link.to);
    const incoming = delivery.version;
    const current = receiver.version(delivery.itemId);
    const conflict = current !== undefined && concurrent(current.clock, incoming.clock);
    if (current && !beats(incoming.stamp, current.stamp, this.tieBreak)) {
      this.trace.emit({
        kind: 'replication-discarded',
        t: this.now,
        from: link.from,
        to: link.to,
        itemId: delivery.itemId,
        incoming: incoming.item,
        kept: current.item,
        incomingVersion: incoming.stamp,
        keptVersion: current.stamp,
        reason: incoming.stamp.ts === current.stamp.ts ? 'tie-lost' : 'older',
        conflict,
        ...(delivery.heldSince !== undefined ? { heldSince: delivery.heldSince } : {}),
      });
      return;
    }
    receiver.store(delivery.itemId, incoming);
    const event: ReplicationAppliedTrace = { seq: 0, kind: 'replication-applied', t: this.now, from: link.from, to: link.to, itemId: delivery.itemId, before: current?.item ?? null, after: incoming.item, version: incoming.stamp, conflict };
    if (current) event.replacedVersion = current.stamp;
    if (delivery.heldSince !== undefined) event.heldSince = delivery.heldSince;
    this.trace.emit(event);
    this.publish(link.to, delivery.itemId, current?.item ?? undefined, incoming.item ?? undefined);
  }

  private publish(region: string, itemId: string, oldImage: Item | undefined, newImage: Item | undefined): void {
    const listeners = this.streamListeners.get(region);
    if (!listeners) return;
    const record: StreamRecord = { region, itemId, oldImage, newImage };
    for (const listener of listeners) listener(record);
  }
}

/** The item after a write; null for a delete. Never mutates `current`. */
function applyOp(op: WriteOp, current: Item | undefined): Item | null {
  switch (op.kind) {
    case 'put':
      return { ...op.item };
    case 'delete':
      return null;
    case 'update': {
      // Spreads and computed keys define own properties: an attribute named `__proto__` stays one.
      let next: Item = { ...(current ?? { Id: op.id }), ...op.set };
      if (op.add) {
        for (const [attribute, n] of Object.entries(op.add)) {
          const v = Object.hasOwn(next, attribute) ? next[attribute] : undefined;
          next = { ...next, [attribute]: addNumbers(typeof v === 'number' ? v : 0, n) };
        }
      }
      return next;
    }
  }
}
