/**
 * The expiry times of one table's items, ordered, so that Time to Live runs in the run's time
 * without scanning the table: a min-heap of (expiry, item key) with lazy deletion (a rewritten or
 * deleted item leaves its old entry behind; the map of current expiries tells which entries still
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

export class TtlIndex {
  private heap: Entry[] = [];
  private readonly current = new Map<string, number>();

  get size(): number {
    return this.current.size;
  }

  /** Records the expiry of the item stored under `key` (undefined: it has none, or it is gone). */
  set(key: string, at: number | undefined): void {
    const before = this.current.get(key);
    if (before === at) return;
    if (at === undefined) {
      this.current.delete(key);
      return;
    }
    this.current.set(key, at);
    this.push({ at, key });
    if (this.heap.length > 2 * this.current.size + 1024) this.rebuild();
  }

  /** The earliest live entry (stale ones are dropped on the way), or undefined. */
  peek(): Entry | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.current.get(top.key) === top.at) return top;
      this.pop();
    }
    return undefined;
  }

  /** Removes the earliest live entry (after `peek`). */
  shift(): Entry | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    this.pop();
    this.current.delete(top.key);
    return top;
  }

  private rebuild(): void {
    this.heap = [...this.current].map(([key, at]) => ({ at, key }));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    this.down(0);
  }

  private down(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}

/** Earlier expiry first; equal expiries by key, so the order of deletions is deterministic. */
function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.key < b.key);
}
