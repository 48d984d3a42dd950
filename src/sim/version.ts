import type { Item } from '../app/item.js';
import type { Item as WireItem } from '../dynamodb/values.js';
import type { TieBreak } from '../scenario/model.js';
import type { VersionStamp } from '../trace/events.js';

// Declared with the trace's VersionStamp, so the counts read it without importing the model.
export { stampKey } from '../trace/events.js';

/**
 * One version of an item in a replica. Stored versions are immutable and shared between replicas
 * (replication hands the same object over), so nothing may mutate them (but for `sent`, which is
 * no part of the version: its sending link's books).
 */
export interface StoredVersion {
  /** null is a tombstone: a delete takes part in last-writer-wins like a write (aws-semantics §1.3). */
  readonly item: Item | null;
  /** The same item as DynamoDB stores it (the model's replicas), so replication hands it over unchanged. */
  readonly wire?: WireItem | null;
  readonly stamp: VersionStamp;
  /**
   * Version vector, one counter per region index. The service keeps no such thing: geosim uses it
   * only to tell a concurrent write (a conflict) from a newer descendant when counting conflicts.
   */
  readonly clock: readonly number[];
  /**
   * The sending link's books, not the version's content: on a link that keeps them here
   * (ReplicationLink.keepOnVersions), the item's latest write in flight after this version was
   * sent, while it is (set and cleared by that link only; the one thing of a version that changes).
   * A replication-link.ts Delivery, read through that module's `sentOn`: this module names none of
   * the link's types, as the link's module imports this one.
   */
  sent?: object | undefined;
}

/**
 * Whether `a` beats `b` under last-writer-wins on the hidden service timestamp. Ties (same ms from
 * two regions) are undocumented by AWS (aws-semantics §1.3, UNCONFIRMED): the scenario's tieBreak
 * makes the rule explicit, and every replica applies the same rule so they converge.
 */
export function beats(a: VersionStamp, b: VersionStamp, tieBreak: TieBreak): boolean {
  return beatsStamp(a.ts, a.region, b, tieBreak);
}

/** `beats` of a stamp not made yet (`ts`, `region`) over `b`: no object for the comparison. */
export function beatsStamp(ts: number, region: string, b: VersionStamp, tieBreak: TieBreak): boolean {
  if (ts !== b.ts) return ts > b.ts;
  if (region === b.region) return false;
  return tieBreak === 'higher-region' ? region > b.region : region < b.region;
}

/** Neither version descends from the other: they were written without seeing each other. */
export function concurrent(a: readonly number[], b: readonly number[]): boolean {
  let aAhead = false;
  let bAhead = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) aAhead = true;
    else if (a[i]! < b[i]!) bAhead = true;
  }
  return aAhead && bAhead;
}
