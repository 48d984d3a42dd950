/**
 * The expiry times of one table's items, ordered, so that Time to Live runs in the run's time
 * without scanning the table: a min-heap of (expiry, item key) with lazy deletion (a rewritten or
 * deleted item leaves its old entry behind; the table's items tell which entries still
 * count, and the heap is rebuilt when stale entries outnumber live ones).
 *
 * DynamoDB's rules (docs/aws-semantics.md, "Time to Live"): only a Number attribute counts, in
 * epoch seconds; an item is due when that time is <= now; an item whose time is more than five
 * years in the past is never deleted by TTL.
 */
import type { AttributeValue } from './values.js';

/** Five years of seconds (365-day years, as a bound: DynamoDB ignores expiries older than this). */
export const TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 3600;

/** The expiry in epoch seconds an attribute value stands for, or undefined when TTL ignores it. */
export function expiryOf(value: AttributeValue | undefined): number | undefined {
  if (value === undefined || !('N' in value)) return undefined;
  const seconds = Number(value.N);
  return Number.isFinite(seconds) ? seconds : undefined;
}

interface Entry {
  at: number;
  key: string;
}

/**
 * Which entries still count is asked of the table (`current`: the expiry the item under a key has
 * now), not kept in a map of its own: a map beside the table's was a lookup and a store on every
 * write, and as many entries as the table has items. The heap is two parallel arrays (expiries,
 * keys) rather than an object per entry: one fewer object per expiring item for the whole run.
 */
export class TtlIndex {
  private ats: number[] = [];
  private keys: string[] = [];
  /** Items with an expiry (entries that count). */
  private live = 0;
  /**
   * Whether the heap's top entry is known to count, so `peek` need not ask the table: the model
   * peeks after every write to an expiring table, and asking is a lookup in a map of every item.
   * Set when the entry pushed last became the top (it is the item's expiry now); cleared when the
   * top's item is written or the top is popped.
   */
  private topCounts = false;

  constructor(
    /** The expiry of the item stored under `key` now, or undefined (no item, or no expiry). */
    private readonly current: (key: string) => number | undefined,
    /** Every (key, expiry) that counts, for a rebuild. */
    private readonly everyExpiry: () => Iterable<readonly [string, number]>,
  ) {}

  get size(): number {
    return this.live;
  }

  /** Records that the item under `key` went from expiry `before` to `at` (undefined: none, or gone). */
  set(key: string, before: number | undefined, at: number | undefined): void {
    if (before === at) return;
    if (this.topCounts && this.keys[0] === key) this.topCounts = false;
    if (at === undefined) {
      this.live--;
      return;
    }
    if (before === undefined) this.live++;
    if (this.push(at, key)) this.topCounts = true;
    if (this.ats.length > 2 * this.live + 1024) this.rebuild();
  }

  /** The earliest live entry (stale ones are dropped on the way), or undefined. */
  peek(): Entry | undefined {
    const at = this.peekAt();
    return at === undefined ? undefined : { at, key: this.keys[0]! };
  }

  /** `peek()`'s expiry alone: no entry object (the model asks after every write to an expiring table). */
  peekAt(): number | undefined {
    while (this.ats.length > 0) {
      const at = this.ats[0]!;
      if (this.topCounts || this.current(this.keys[0]!) === at) {
        this.topCounts = true;
        return at;
      }
      this.pop();
    }
    return undefined;
  }

  /** Removes the earliest live entry (after `peek`); the item keeps its expiry until it is written. */
  shift(): Entry | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    this.pop();
    return top;
  }

  private rebuild(): void {
    this.topCounts = false;
    this.ats = [];
    this.keys = [];
    for (const [key, at] of this.everyExpiry()) {
      this.ats.push(at);
      this.keys.push(key);
    }
    for (let i = (this.ats.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Adds an entry; returns whether it became the top. */
  private push(at: number, key: string): boolean {
    const ats = this.ats;
    const keys = this.keys;
    let i = ats.length;
    ats.push(at);
    keys.push(key);
    // sift up: move parents down until the new entry's place is found
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(at, key, ats[parent]!, keys[parent]!)) break;
      ats[i] = ats[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    ats[i] = at;
    keys[i] = key;
    return i === 0;
  }

  private pop(): void {
    this.topCounts = false;
    const at = this.ats.pop()!;
    const key = this.keys.pop()!;
    if (this.ats.length === 0) return;
    this.ats[0] = at;
    this.keys[0] = key;
    this.down(0);
  }

  private down(start: number): void {
    const ats = this.ats;
    const keys = this.keys;
    const n = ats.length;
    const at = ats[start]!;
    const key = keys[start]!;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && less(ats[r]!, keys[r]!, ats[l]!, keys[l]!) ? r : l;
      if (!less(ats[m]!, keys[m]!, at, key)) break;
      ats[i] = ats[m]!;
      keys[i] = keys[m]!;
      i = m;
    }
    ats[i] = at;
    keys[i] = key;
  }
}

/** Earlier expiry first; equal expiries by key, so the order of deletions is deterministic. */
function less(aAt: number, aKey: string, bAt: number, bKey: string): boolean {
  return aAt < bAt || (aAt === bAt && aKey < bKey);
}
