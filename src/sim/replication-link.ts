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
  readonly ref?: ItemRef | undefined;
  version: StoredVersion;
  /**
   * The table `version` was written in (the model: the sender's table object, compared by identity
   * only). A table deleted and created again under its name is another object: a write of the
   * deleted one never lands in the new one (World.deliver). Swapped with `version` when coalescing.
   */
  incarnation?: object | undefined;
  readonly arrival: number;
  delivered: boolean;
  /** When a paused link (a replication pause or an outage) first held it: it arrives late. */
  heldSince?: number | undefined;
  /** An MRSC write applied at once (World.mrscReplicate): never on the link's books, never held. */
  sync?: true | undefined;
  /**
   * The item's next write on the link when it is due at the same ms (see `send`'s `sameMs`): when
   * the run orders same-ms tasks from the seed, it is delivered right after this one, not as a task
   * of its own the seed could run first (the item's changes would arrive out of order).
   */
  then?: Delivery | undefined;
  /**
   * A later write of its item was sent on the link after it (ReplicationLink's books): the link
   * forgets the item when that one is delivered, not this one (read by `delivered`, without a lookup).
   */
  superseded?: boolean;
  /**
   * On the link's `inFlight` map: the item's latest write on a link that keeps it on its version
   * (`keepOnVersions`), once that version stopped being the sender's (see `detach`).
   */
  detached?: boolean;
  /** The link it travels (the model queues the delivery itself as its landing's task: World.runNext). */
  readonly link?: ReplicationLink | undefined;
}

/** An item of a table: its table, its DynamoDB key and the id the trace shows. */
export interface ItemRef {
  readonly table: string;
  readonly key: WireItem;
  readonly itemId: string;
}

/**
 * Replication from one region to another. Items replicate one by one with independent delays, but
 * changes to one item arrive in order (aws-semantics §1.2): a delivery never lands before an
 * earlier one for the same item. With coalescing on, a change to an item that still has a
 * delivery in flight rides on that delivery instead of sending another (§1.2 "may combine").
 */
export class ReplicationLink {
  /**
   * Each item with writes in flight, by its latest write sent (not delivered yet: the item is
   * forgotten when it is). Its writes land in order, so that one's arrival is the item's last.
   */
  private readonly inFlight = new Map<string, Delivery>();
  /**
   * Whether the item's latest write in flight is kept on the version it carries (StoredVersion.sent)
   * rather than in `inFlight` (see `keepOnVersions`); `inFlight` then holds only detached ones.
   */
  private onVersions = false;
  /** Items whose latest write in flight is kept on its version, not in `inFlight` (`pendingItems`). */
  private kept = 0;
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
    const delivery = this.post(now, itemId, version, ref, incarnation);
    const { coalesced, sameMs } = this;
    return coalesced !== undefined ? { delivery, coalesced } : sameMs !== undefined ? { delivery, sameMs } : { delivery };
  }

  /** After `post`: the version its write replaced on the delivery it rode on (coalescing), if it did. */
  coalesced: StoredVersion | undefined;
  /** After `post`: the item's write due at the same ms its new delivery must land after, if any (see `send`). */
  sameMs: Delivery | undefined;

  /**
   * `send` without a result object (the model sends every write): returns the delivery, and leaves
   * in `coalesced` and `sameMs` what `send` returns with it. `previous`: the version the sender held
   * before `version` (read only on a link that keeps its writes on their versions).
   */
  post(now: number, itemId: string, version: StoredVersion, ref?: ItemRef, incarnation?: object, previous?: StoredVersion): Delivery {
    this.coalesced = undefined;
    this.sameMs = undefined;
    // the item's latest write on its way (never a delivered one: see `delivered`)
    const latest = this.onVersions ? this.latestAfter(itemId, previous) : this.inFlight.get(itemId);
    if (this.coalesce && latest !== undefined) {
      this.coalesced = latest.version;
      latest.version = version;
      // the delivery now carries the newer write: it lands if that write's table is still there
      if (incarnation !== undefined) latest.incarnation = incarnation;
      if (this.onVersions) {
        this.undetach(latest);
        version.sent = latest;
      }
      return latest;
    }
    const lag = this.nextLag();
    if (latest !== undefined) {
      // lands after the item's writes on their way (per-item order)
      const arrival = Math.max(now + lag, latest.arrival);
      const delivery = this.delivery(itemId, ref, version, incarnation, arrival);
      // the item's last write still on its way and due at the same ms, its task not run yet (not
      // held by a paused link): this one must land after it, on its task
      if (latest.heldSince === undefined && latest.arrival === arrival) this.sameMs = latest;
      latest.superseded = true;
      if (this.onVersions) {
        // the new write takes the item's place on this link's books
        this.undetach(latest);
        version.sent = delivery;
      } else this.inFlight.set(itemId, delivery);
      return delivery;
    }
    const delivery = this.delivery(itemId, ref, version, incarnation, Math.max(now + lag, 0));
    if (this.onVersions) {
      this.kept++;
      version.sent = delivery;
    } else this.inFlight.set(itemId, delivery);
    return delivery;
  }

  /**
   * Keeps each item's latest write in flight on the version it carries (StoredVersion.sent), found
   * again from the sender's version before its next write (`post`'s `previous`), instead of in a map
   * by item id: no lookup, store and removal per write. For a link whose sending region has no other
   * link (a version has one `sent`). Whoever changes the sender's version of an item otherwise than
   * by a write sent on this link (a replicated write landing there, a table deleted) calls `detach`.
   */
  keepOnVersions(): void {
    this.onVersions = true;
  }

  /**
   * The item's latest write in flight, from `previous`, the sender's version before this write: its
   * `sent` when the sender wrote it (on this link; undefined once delivered), else a detached one.
   */
  private latestAfter(itemId: string, previous: StoredVersion | undefined): Delivery | undefined {
    const sent = previous === undefined ? undefined : sentOn(previous);
    if (sent !== undefined && sent.link === this) return sent.delivered ? undefined : sent;
    return this.inFlight.size === 0 ? undefined : this.inFlight.get(itemId);
  }

  /** Takes the item's latest write off `inFlight` if it was detached: the item's new write, on its version, finds it again. */
  private undetach(latest: Delivery): void {
    if (!latest.detached) return;
    this.inFlight.delete(latest.itemId);
    latest.detached = false;
    this.kept++;
  }

  /**
   * `delivery` (a version's `sent`) is no longer found from the sender's version of its item (that
   * changed without a write sent here): if it is still the item's latest write in flight, it goes
   * on `inFlight`, where the item's next write finds it.
   */
  detach(delivery: Delivery): void {
    if (delivery.link !== this || delivery.delivered || delivery.superseded || delivery.detached) return;
    delivery.detached = true;
    this.kept--;
    this.inFlight.set(delivery.itemId, delivery);
  }

  /**
   * A delivery of one shape whatever its fields: every field is set here, the ones set later
   * (`heldSince`, `then`, `superseded`) included, so V8 keeps one hidden class for all of a run's
   * and no field added later moves it to another.
   */
  private delivery(itemId: string, ref: ItemRef | undefined, version: StoredVersion, incarnation: object | undefined, arrival: number): Delivery {
    return { itemId, ref, version, incarnation, arrival, delivered: false, heldSince: undefined, sync: undefined, then: undefined, superseded: false, detached: false, link: this };
  }

  /**
   * Marks a delivery done; forgets the item once nothing for it is in flight (memory stays bounded):
   * when its latest write sent is delivered. Its earlier ones landed before it (per-item order); one
   * that did not (MRSC's catch-up takes writes early) no longer bears on what the link sends next,
   * as its arrival was no later than the latest's.
   */
  delivered(delivery: Delivery): void {
    delivery.delivered = true;
    if (this.onVersions) {
      // its version no longer keeps it (and what it holds) alive
      const version = delivery.version;
      if (version.sent === delivery) version.sent = undefined;
      if (delivery.superseded === false) {
        if (delivery.detached) {
          this.inFlight.delete(delivery.itemId);
          delivery.detached = false;
        } else this.kept--;
      }
      return;
    }
    if (delivery.superseded === false) this.inFlight.delete(delivery.itemId);
  }

  get pendingItems(): number {
    return this.inFlight.size + this.kept;
  }
}

/** The write in flight a version keeps for its link (StoredVersion.sent), as the Delivery it is. */
export function sentOn(version: StoredVersion): Delivery | undefined {
  return version.sent as Delivery | undefined;
}

/** Moves the write in flight `version` keeps, if any, onto its link's map by item id (ReplicationLink.detach). */
export function detachSent(version: StoredVersion): void {
  const sent = sentOn(version);
  if (sent !== undefined) sent.link!.detach(sent);
}
