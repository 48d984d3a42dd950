import type { LagSpec } from '../scenario/model.js';
import { sampleLag, type LagSource } from './lag.js';
import { linkStreamLabel, type Rng } from './rng.js';
import type { StoredVersion } from './version.js';
import type { Item as WireItem } from '../dynamodb/values.js';

/** One replicated write on its way. `version` may be swapped for a newer one when coalescing. */
export interface Delivery {
  /** The item's identity on the link (per-item order and coalescing go by it). */
  readonly itemId: string;
  /** Which table and key it is, when the link carries more than one table's items (the model). */
  readonly ref?: ItemRef;
  version: StoredVersion;
  /**
   * The table `version` was written in (the model: the sender's table object, compared by identity
   * only). A table deleted and created again under its name is another object: a write of the
   * deleted one never lands in the new one (World.deliver). Swapped with `version` when coalescing.
   */
  incarnation?: object;
  readonly arrival: number;
  delivered: boolean;
  /** When a paused link (a replication pause or an outage) first held it: it arrives late. */
  heldSince?: number;
  /** An MRSC write applied at once (World.mrscReplicate): never on the link's books, never held. */
  sync?: true;
  /**
   * The item's next write on the link when it is due at the same ms (see `send`'s `sameMs`): when
   * the run orders same-ms tasks from the seed, it is delivered right after this one, not as a task
   * of its own the seed could run first (the item's changes would arrive out of order).
   */
  then?: Delivery;
  /** The link's books on its item while it is in flight (ReplicationLink's; read by `delivered`, without a lookup). */
  flight?: ItemInFlight;
  /** The link it travels (the model queues the delivery itself as its landing's task: World.runNext). */
  readonly link?: ReplicationLink;
}

/** An item of a table: its table, its DynamoDB key and the id the trace shows. */
export interface ItemRef {
  readonly table: string;
  readonly key: WireItem;
  readonly itemId: string;
}

/** A link's books on one item with writes in flight. */
export interface ItemInFlight {
  lastArrival: number;
  pending: number;
  latest: Delivery;
}

/**
 * Replication from one region to another. Items replicate one by one with independent delays, but
 * changes to one item arrive in order (aws-semantics §1.2): a delivery never lands before an
 * earlier one for the same item. With coalescing on, a change to an item that still has a
 * delivery in flight rides on that delivery instead of sending another (§1.2 "may combine").
 */
export class ReplicationLink {
  private readonly inFlight = new Map<string, ItemInFlight>();
  /** This link's own stream of the run's seed: its lags do not depend on any other link or fault. */
  private readonly rng: Rng;

  constructor(
    readonly from: string,
    readonly to: string,
    readonly lag: LagSpec,
    /** The run's root RNG; the link draws only from its own stream of it (the same on every backend). */
    root: Rng,
    private readonly coalesce: boolean,
    /** Decides lags instead of the distribution (geosim explore); it may still take the default draw. */
    private readonly lagSource?: LagSource,
  ) {
    this.rng = root.stream(linkStreamLabel(from, to));
  }

  /** Writes sent on this link so far (coalesced ones not counted): indexes `sequence` lags. */
  private sent = 0;

  /** The next lag this link draws (a replicated write's, or an MRSC round trip's leg: MrscRules). */
  nextLag(): number {
    const n = this.sent++;
    if (this.lagSource === undefined) return sampleLag(this.lag, this.rng, n);
    return this.lagSource.lag(this.from, this.to, n, this.lag, () => sampleLag(this.lag, this.rng, n));
  }

  /**
   * Plans the delivery of a new version. Returns the new delivery to schedule, or the in-flight
   * delivery it was merged into (already scheduled) with the version it replaced.
   */
  send(now: number, itemId: string, version: StoredVersion, ref?: ItemRef, incarnation?: object): { delivery: Delivery; coalesced?: StoredVersion; sameMs?: Delivery } {
    const flight = this.inFlight.get(itemId);
    if (this.coalesce && flight && !flight.latest.delivered) {
      const replaced = flight.latest.version;
      flight.latest.version = version;
      // the delivery now carries the newer write: it lands if that write's table is still there
      if (incarnation !== undefined) flight.latest.incarnation = incarnation;
      return { delivery: flight.latest, coalesced: replaced };
    }
    const arrival = Math.max(now + this.nextLag(), flight ? flight.lastArrival : 0);
    if (flight) {
      const delivery = this.delivery(itemId, ref, version, incarnation, arrival, flight);
      // the item's last write still on its way and due at the same ms, its task not run yet (not
      // delivered, not held by a paused link): this one must land after it, on its task
      const latest = flight.latest;
      const sameMs = !latest.delivered && latest.heldSince === undefined && latest.arrival === arrival ? latest : undefined;
      flight.lastArrival = arrival;
      flight.pending++;
      flight.latest = delivery;
      return sameMs === undefined ? { delivery } : { delivery, sameMs };
    }
    const books = { lastArrival: arrival, pending: 1, latest: undefined as unknown as Delivery };
    const delivery = this.delivery(itemId, ref, version, incarnation, arrival, books);
    books.latest = delivery;
    this.inFlight.set(itemId, books);
    return { delivery };
  }

  /** A delivery of one shape whatever its fields (V8 keeps one hidden class for all of a run's). */
  private delivery(itemId: string, ref: ItemRef | undefined, version: StoredVersion, incarnation: object | undefined, arrival: number, flight: ItemInFlight): Delivery {
    const delivery: Delivery = { itemId, version, arrival, delivered: false, flight, link: this };
    if (ref !== undefined) (delivery as { ref?: ItemRef }).ref = ref;
    if (incarnation !== undefined) delivery.incarnation = incarnation;
    return delivery;
  }

  /** Marks a delivery done; forgets the item once nothing for it is in flight (memory stays bounded). */
  delivered(delivery: Delivery): void {
    delivery.delivered = true;
    const flight = delivery.flight;
    // the item's books are the link's until its last delivery is done (coalescing makes no new delivery)
    if (flight !== undefined && --flight.pending === 0) this.inFlight.delete(delivery.itemId);
  }

  get pendingItems(): number {
    return this.inFlight.size;
  }
}
